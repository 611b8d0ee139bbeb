//! The subtree index carries the organisation's id.
//!
//! Every read scope and every subtree filter asks for the ids of the organisations in a
//! subtree: `SELECT id FROM organisation WHERE path >= P AND path < P'` (see
//! `m20261128_000001`). With the index on `path` alone PostgreSQL had to visit each of those
//! organisations' rows for its id, and a province's 395 organisations lie on 345 of the
//! table's 348 pages (they are created over the years, not in tree order): every hashed scope
//! read nearly the whole table. With the id in the index the same lookup is an index-only scan
//! of a few pages (national bench set: 349 → 5 buffers for a province, 348 → 76 for the whole
//! association; bench/BASELINE.md, finding 20). On SQLite the rowid is the id, so the old index
//! already covered it; the new one is the same there.
//!
//! It replaces `organisation_path_key`: range scans on the leading `path` work as before.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE INDEX organisation_subtree_idx ON organisation (path, id);
DROP INDEX organisation_path_key;
"#;

const DOWN: &str = r#"
CREATE INDEX organisation_path_key ON organisation (path);
DROP INDEX organisation_subtree_idx;
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
