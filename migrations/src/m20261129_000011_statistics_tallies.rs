//! Roll-up tallies for the statistics, and an index for the subject arm of the assessment scope.
//!
//! For every organisation below a root (depth ≥ 1), each tally holds the figures of its **whole
//! subtree**:
//!
//! * `assessment_tally`: assessments not archived, by year, model, status and result;
//! * `training_tally`: sessions `HELD` and not archived, by calendar year in Vietnam time
//!   (UTC+7): how many, and their registered and attended participants;
//! * `program_tally`: programs `ACTIVE` and not archived, counted in every year of their period.
//!
//! The statistics of an organisation read each child's figures from here — one index range per
//! child — instead of aggregating the child's subtree, so a national roll-up costs the same on a
//! large country as on a small one. Roots are left out: nothing reads a root's subtree as a
//! child's, and leaving them out spares every write in the country from updating the same row.
//!
//! The service keeps the tallies in step inside the transaction of every write that changes what
//! is counted (`khuyenhoc_core::service::statistics::tally`). `up` fills them from the stored
//! rows with [`REBUILD`], which the `tally` module also runs after bulk loads and to check them.
//!
//! Three indexes for the assessment lists:
//!
//! * `assessment_subject_organisation_idx` serves the second arm of the assessment read scope
//!   (`subject_organisation_id` in the reader's subtrees); most assessments have no subject
//!   organisation, hence partial;
//! * `assessment_year_recent_idx` and `assessment_status_recent_idx` let a page of a year's (or
//!   a status's) assessments, newest or oldest first, walk the index in order and stop after the
//!   page, checking each row's organisation, instead of fetching and sorting every assessment of
//!   the subtree (measured on 1M assessments: a province's approved 2024 page 526 ms → 4.5 ms,
//!   its approval queue 17 ms; `bench/BASELINE.md`).

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE INDEX assessment_subject_organisation_idx
    ON assessment (subject_organisation_id) WHERE subject_organisation_id IS NOT NULL;
CREATE INDEX assessment_year_recent_idx
    ON assessment (period_year, updated_at, id) WHERE archived_at IS NULL;
CREATE INDEX assessment_status_recent_idx
    ON assessment (status, updated_at, id) WHERE archived_at IS NULL;
CREATE TABLE assessment_tally (
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    period_year INTEGER NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL,
    result_rank INTEGER NOT NULL,
    result_code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, period_year, model, status, result_rank, result_code)
);
CREATE TABLE training_tally (
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    year INTEGER NOT NULL,
    held BIGINT NOT NULL,
    registered BIGINT NOT NULL,
    attended BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, year)
);
CREATE TABLE program_tally (
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    year INTEGER NOT NULL,
    active BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, year)
);
"#;

/// The organisations below a root, each paired with itself and every ancestor below the root
/// (from `parent_id`: a few rows per organisation).
macro_rules! lineage {
    () => {
        "WITH RECURSIVE lineage (organisation_id, ancestor_id) AS (
    SELECT id, id FROM organisation WHERE parent_id IS NOT NULL
    UNION ALL
    SELECT l.organisation_id, o.parent_id
      FROM lineage l JOIN organisation o ON o.id = l.ancestor_id
      JOIN organisation p ON p.id = o.parent_id
     WHERE p.parent_id IS NOT NULL
)"
    };
}

/// Recomputes the three tallies from the rows they count (after emptying them): each
/// organisation's own figures, added to itself and to each ancestor below the root.
///
/// Rows are inserted in key order, so each organisation's rows of a year share a page or two:
/// a province's roll-up then reads a few pages per commune, not one page per row (national
/// set, the 1,588 rows of one province's communes for a year: 1,882 → 420 buffers, 1.8 →
/// 0.7 ms warm).
pub const REBUILD: &str = concat!(
    r#"
DELETE FROM assessment_tally;
DELETE FROM training_tally;
DELETE FROM program_tally;
INSERT INTO assessment_tally
    (organisation_id, period_year, model, status, result_rank, result_code, n)
"#,
    lineage!(),
    r#",
own (organisation_id, period_year, model, status, result_rank, result_code, n) AS (
    SELECT organisation_id, period_year, model, status, result_rank, result_code, COUNT(*)
      FROM assessment
     WHERE archived_at IS NULL
     GROUP BY organisation_id, period_year, model, status, result_rank, result_code
)
SELECT l.ancestor_id, own.period_year, own.model, own.status, own.result_rank,
       own.result_code, SUM(own.n)
  FROM own JOIN lineage l ON l.organisation_id = own.organisation_id
 GROUP BY l.ancestor_id, own.period_year, own.model, own.status, own.result_rank,
          own.result_code
 ORDER BY 1, 2, 3, 4, 5, 6;
INSERT INTO training_tally (organisation_id, year, held, registered, attended)
"#,
    lineage!(),
    r#",
own (organisation_id, year, held, registered, attended) AS (
    SELECT organiser_id, {vietnam_year_of_starts_at}, COUNT(*), SUM(registered_count),
           SUM(attended_count)
      FROM training_session
     WHERE status = 'HELD' AND archived_at IS NULL
     GROUP BY organiser_id, {vietnam_year_of_starts_at}
)
SELECT l.ancestor_id, own.year, SUM(own.held), SUM(own.registered), SUM(own.attended)
  FROM own JOIN lineage l ON l.organisation_id = own.organisation_id
 GROUP BY l.ancestor_id, own.year
 ORDER BY 1, 2;
INSERT INTO program_tally (organisation_id, year, active)
"#,
    lineage!(),
    r#",
years (organisation_id, year, last_year) AS (
    SELECT owner_id, {year_of_starts_on}, {year_of_ends_on}
      FROM program
     WHERE status = 'ACTIVE' AND archived_at IS NULL
    UNION ALL
    SELECT organisation_id, year + 1, last_year FROM years WHERE year < last_year
),
own (organisation_id, year, active) AS (
    SELECT organisation_id, year, COUNT(*) FROM years GROUP BY organisation_id, year
)
SELECT l.ancestor_id, own.year, SUM(own.active)
  FROM own JOIN lineage l ON l.organisation_id = own.organisation_id
 GROUP BY l.ancestor_id, own.year
 ORDER BY 1, 2;
"#
);

const DOWN: &str = r#"
DROP INDEX assessment_status_recent_idx;
DROP INDEX assessment_year_recent_idx;
DROP TABLE program_tally;
DROP TABLE training_tally;
DROP TABLE assessment_tally;
DROP INDEX assessment_subject_organisation_idx;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, UP).await?;
        dialect::run(manager, REBUILD).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, DOWN).await
    }
}
