//! Autovacuum keeps pace with the tables every day's work writes (PostgreSQL; nothing on SQLite).
//!
//! PostgreSQL vacuums a table once a fifth of it has changed (`autovacuum_vacuum_scale_factor`
//! and, for inserts, `autovacuum_vacuum_insert_scale_factor`, both 0.2). The national
//! `assessment` table holds a million rows a year, so the current year's new and updated rows
//! would wait for 200,000 more changes before their pages are marked all-visible; until then
//! every index-only scan over them (name search, lists, counts) visits the table row by row.
//! Measured on the national bench set after the benchmark's writes: a province-year search read
//! 21,430 buffers (12–17 ms) instead of 3,771 (3–6 ms) after a vacuum (bench/BASELINE.md,
//! finding 27). At 2 % these tables are vacuumed and analysed after about 20,000 changes per
//! million rows, which costs a pass over the changed pages only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Large tables written by daily work.
const TABLES: [&str; 5] = [
    "assessment",
    "assessment_score",
    "assessment_transition",
    "training_session",
    "registration",
];

const SETTINGS: [&str; 3] = [
    "autovacuum_vacuum_scale_factor",
    "autovacuum_vacuum_insert_scale_factor",
    "autovacuum_analyze_scale_factor",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let set = SETTINGS
            .iter()
            .map(|setting| format!("{setting} = 0.02"))
            .collect::<Vec<_>>()
            .join(", ");
        alter_each(manager, &format!("SET ({set})")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        alter_each(manager, &format!("RESET ({})", SETTINGS.join(", "))).await
    }
}

/// `ALTER TABLE t <change>` for each of [`TABLES`], on PostgreSQL only (SQLite has no
/// autovacuum; its pages carry no visibility map).
async fn alter_each(manager: &SchemaManager<'_>, change: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let script: String = TABLES
        .iter()
        .map(|table| format!("ALTER TABLE {table} {change};\n"))
        .collect();
    dialect::run(manager, &script).await
}
