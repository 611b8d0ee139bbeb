//! Database migrations of khuyenhoc.
//!
//! Every migration is plain, reviewable DDL written once for both supported databases: the few
//! places where SQLite and PostgreSQL differ (identity columns, timestamps, dates, JSON, byte-order
//! collation) are written as `{tokens}` that [`dialect::render`] expands per backend. Each
//! migration runs inside a transaction on both databases and has a `down` that removes exactly
//! what its `up` created, so `up`, `down`, `up` always succeeds.
//!
//! Migrations never change after they have been released: a schema change is a new migration.

mod dialect;
mod m20261128_000001_organisations;
mod m20261128_000002_identity;
mod m20261128_000003_legal_documents;
mod m20261128_000004_programs;
mod m20261128_000005_training;
mod m20261128_000006_criteria;
mod m20261128_000007_assessments;
mod m20261128_000008_audit;
mod m20261129_000009_statistics_indexes;
mod m20261129_000010_idempotency;
mod m20261129_000011_statistics_tallies;
mod m20261206_000012_assessment_list_indexes;
mod m20261207_000013_organisation_subtree_index;
mod m20261207_000014_autovacuum_written_tables;

pub use sea_orm_migration::{MigratorTrait, sea_orm};

/// Recomputing derived tables from their sources (after bulk loads, or to repair them).
pub mod rebuild {
    use sea_orm_migration::sea_orm::{ConnectionTrait, DbErr};

    /// Recomputes the statistics tallies (see migration `m20261129_000011`) on `db`; run it
    /// inside a transaction so readers never see them empty.
    pub async fn statistics_tallies(db: &impl ConnectionTrait) -> Result<(), DbErr> {
        crate::dialect::run_on(db, crate::m20261129_000011_statistics_tallies::REBUILD).await
    }
}

/// The ordered list of every migration this binary knows.
#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn sea_orm_migration::MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_organisations::Migration),
            Box::new(m20261128_000002_identity::Migration),
            Box::new(m20261128_000003_legal_documents::Migration),
            Box::new(m20261128_000004_programs::Migration),
            Box::new(m20261128_000005_training::Migration),
            Box::new(m20261128_000006_criteria::Migration),
            Box::new(m20261128_000007_assessments::Migration),
            Box::new(m20261128_000008_audit::Migration),
            Box::new(m20261129_000009_statistics_indexes::Migration),
            Box::new(m20261129_000010_idempotency::Migration),
            Box::new(m20261129_000011_statistics_tallies::Migration),
            Box::new(m20261206_000012_assessment_list_indexes::Migration),
            Box::new(m20261207_000013_organisation_subtree_index::Migration),
            Box::new(m20261207_000014_autovacuum_written_tables::Migration),
        ]
    }
}
