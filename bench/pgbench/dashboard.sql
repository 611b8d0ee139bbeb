-- Raw-database floor of the program dashboard (bench/src/driver/ops.rs, PROGRAM_DASHBOARD):
-- the first 10 active programs the central admin reads, with owner, parties and their
-- organisations, commitments with the latest reported value, the first 5 reports per program
-- with their reporting organisations, and the first 5 training sessions per program.
-- One pgbench transaction = one dashboard screen. No access-control predicates: the central
-- admin reads everything, so this is the least the database must do.
BEGIN;
SELECT p.id, p.title, p.owner_id FROM program p
 WHERE p.status = 'ACTIVE' AND p.archived_at IS NULL ORDER BY p.created_at, p.id LIMIT 11;
SELECT o.id, o.name FROM organisation o WHERE o.id IN (
  SELECT p.owner_id FROM program p WHERE p.status = 'ACTIVE' AND p.archived_at IS NULL
   ORDER BY p.created_at, p.id LIMIT 10);
SELECT pp.program_id, pp.role, o.name FROM program_party pp JOIN organisation o ON o.id = pp.organisation_id
 WHERE pp.removed_at IS NULL AND pp.program_id IN (
  SELECT p.id FROM program p WHERE p.status = 'ACTIVE' AND p.archived_at IS NULL
   ORDER BY p.created_at, p.id LIMIT 10);
SELECT c.program_id, c.id, c.indicator, c.target_value, v.value
  FROM commitment c
  LEFT JOIN LATERAL (SELECT riv.value FROM report_indicator_value riv
                       JOIN program_report r ON r.id = riv.report_id
                      WHERE riv.commitment_id = c.id AND r.status <> 'DRAFT' AND r.archived_at IS NULL
                      ORDER BY r.id DESC LIMIT 1) v ON TRUE
 WHERE c.archived_at IS NULL AND c.program_id IN (
  SELECT p.id FROM program p WHERE p.status = 'ACTIVE' AND p.archived_at IS NULL
   ORDER BY p.created_at, p.id LIMIT 10);
SELECT x.program_id, x.kind, x.period_year, x.status, o.name FROM (
  SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.program_id ORDER BY r.created_at DESC, r.id DESC) AS n
    FROM program_report r WHERE r.archived_at IS NULL AND r.program_id IN (
      SELECT p.id FROM program p WHERE p.status = 'ACTIVE' AND p.archived_at IS NULL
       ORDER BY p.created_at, p.id LIMIT 10)) x
  JOIN organisation o ON o.id = x.reporting_organisation_id WHERE x.n <= 6;
SELECT x.program_id, x.title, x.starts_at, x.registered_count, x.capacity FROM (
  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.program_id ORDER BY s.starts_at, s.id) AS n
    FROM training_session s WHERE s.archived_at IS NULL AND s.program_id IN (
      SELECT p.id FROM program p WHERE p.status = 'ACTIVE' AND p.archived_at IS NULL
       ORDER BY p.created_at, p.id LIMIT 10)) x WHERE x.n <= 6;
COMMIT;
