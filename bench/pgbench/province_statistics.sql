-- Raw-database floor of the provincial statistics (Organisation.statistics(year: 2026) of the
-- bench province, per commune): assessments by model, status and result, training sessions
-- held with participants, and active programs — the province's own rows counted through the
-- statistics indexes of migration m20261129_000009, each child's subtree read from the
-- tallies of migration m20261129_000011, as the server does. `:province` is set by the driver
-- (pgbench -D province=ID).
BEGIN;
SELECT a.organisation_id, a.model, a.status, a.result_rank, a.result_code, COUNT(*)
  FROM assessment a WHERE a.organisation_id = :province AND a.period_year = 2026 AND a.archived_at IS NULL
 GROUP BY a.organisation_id, a.model, a.status, a.result_rank, a.result_code
UNION ALL
SELECT b.id, t.model, t.status, t.result_rank, t.result_code, t.n
  FROM organisation b JOIN assessment_tally t ON t.organisation_id = b.id
 WHERE b.parent_id = :province AND t.period_year = 2026 AND t.n > 0;
SELECT s.organiser_id, COUNT(*), SUM(s.registered_count), SUM(s.attended_count)
  FROM training_session s WHERE s.organiser_id = :province AND s.status = 'HELD' AND s.archived_at IS NULL
   AND s.starts_at >= '2025-12-31 17:00:00+00' AND s.starts_at < '2026-12-31 17:00:00+00'
 GROUP BY s.organiser_id
UNION ALL
SELECT b.id, t.held, t.registered, t.attended
  FROM organisation b JOIN training_tally t ON t.organisation_id = b.id
 WHERE b.parent_id = :province AND t.year = 2026 AND t.held > 0;
SELECT p.owner_id, COUNT(*) FROM program p
 WHERE p.owner_id = :province AND p.status = 'ACTIVE' AND p.archived_at IS NULL
   AND p.starts_on <= '2026-12-31' AND p.ends_on >= '2026-01-01'
 GROUP BY p.owner_id
UNION ALL
SELECT b.id, t.active
  FROM organisation b JOIN program_tally t ON t.organisation_id = b.id
 WHERE b.parent_id = :province AND t.year = 2026 AND t.active > 0;
COMMIT;
