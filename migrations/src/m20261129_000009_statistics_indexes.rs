//! Covering indexes for the roll-up statistics (`Organisation.statistics`).
//!
//! A roll-up joins the organisations of a subtree (a range of `organisation.path`, see
//! `organisation_path_key`) to the rows they own and aggregates them. Each index below starts
//! with the owning organisation, so every organisation of the range is one index probe, and holds
//! every column the aggregate reads, so the probe never visits the table (an index-only scan on
//! PostgreSQL, a covering index on SQLite). They are partial on the conditions the statistics
//! always apply; the queries spell those conditions as literals (never bound parameters) so both
//! planners can prove the index applies.
//!
//! * assessments of a year: by organisation, year, then the grouped columns;
//! * training sessions held: by organiser and start time, with the participant counts;
//! * active programs: by owner, with the period.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE INDEX assessment_statistics_idx
    ON assessment (organisation_id, period_year, model, status, result_rank, result_code)
    WHERE archived_at IS NULL;
CREATE INDEX training_session_statistics_idx
    ON training_session (organiser_id, starts_at, registered_count, attended_count)
    WHERE status = 'HELD' AND archived_at IS NULL;
CREATE INDEX program_statistics_idx
    ON program (owner_id, starts_on, ends_on)
    WHERE status = 'ACTIVE' AND archived_at IS NULL;
"#;

const DOWN: &str = r#"
DROP INDEX program_statistics_idx;
DROP INDEX training_session_statistics_idx;
DROP INDEX assessment_statistics_idx;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, DOWN).await
    }
}
