-- Raw-database floor of the provincial statistics (Organisation.statistics(year: 2026) of the
-- bench province, per commune): assessments by model, status and result, training sessions
-- held with participants, and active programs — for the province's own rows and each child's
-- subtree (a range of organisation.path), through the statistics indexes of migration
-- m20261129_000009. `:province` is set by the driver (pgbench -D province=ID).
BEGIN;
SELECT a.organisation_id, a.model, a.status, a.result_rank, COUNT(*)
  FROM assessment a WHERE a.organisation_id = :province AND a.period_year = 2026 AND a.archived_at IS NULL
 GROUP BY a.organisation_id, a.model, a.status, a.result_rank
UNION ALL
SELECT b.id, a.model, a.status, a.result_rank, COUNT(*)
  FROM organisation b
  JOIN organisation o ON o.path >= b.path AND o.path < SUBSTR(b.path, 1, LENGTH(b.path) - 1) || '0'
  JOIN assessment a ON a.organisation_id = o.id AND a.period_year = 2026 AND a.archived_at IS NULL
 WHERE b.parent_id = :province
 GROUP BY b.id, a.model, a.status, a.result_rank;
SELECT s.organiser_id, COUNT(*), SUM(s.registered_count), SUM(s.attended_count)
  FROM training_session s WHERE s.organiser_id = :province AND s.status = 'HELD' AND s.archived_at IS NULL
   AND s.starts_at >= '2025-12-31 17:00:00+00' AND s.starts_at < '2026-12-31 17:00:00+00'
 GROUP BY s.organiser_id
UNION ALL
SELECT b.id, COUNT(*), SUM(s.registered_count), SUM(s.attended_count)
  FROM organisation b
  JOIN organisation o ON o.path >= b.path AND o.path < SUBSTR(b.path, 1, LENGTH(b.path) - 1) || '0'
  JOIN training_session s ON s.organiser_id = o.id AND s.status = 'HELD' AND s.archived_at IS NULL
   AND s.starts_at >= '2025-12-31 17:00:00+00' AND s.starts_at < '2026-12-31 17:00:00+00'
 WHERE b.parent_id = :province
 GROUP BY b.id;
SELECT p.owner_id, COUNT(*) FROM program p
 WHERE p.owner_id = :province AND p.status = 'ACTIVE' AND p.archived_at IS NULL
   AND p.starts_on <= '2026-12-31' AND p.ends_on >= '2026-01-01'
 GROUP BY p.owner_id
UNION ALL
SELECT b.id, COUNT(*)
  FROM organisation b
  JOIN organisation o ON o.path >= b.path AND o.path < SUBSTR(b.path, 1, LENGTH(b.path) - 1) || '0'
  JOIN program p ON p.owner_id = o.id AND p.status = 'ACTIVE' AND p.archived_at IS NULL
   AND p.starts_on <= '2026-12-31' AND p.ends_on >= '2026-01-01'
 WHERE b.parent_id = :province
 GROUP BY b.id;
COMMIT;
