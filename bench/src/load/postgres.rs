//! PostgreSQL: `COPY … FROM STDIN` in text format, one per batch, through sqlx's pool.
//!
//! Like `pg_restore`, the load runs without the secondary indexes and foreign keys: they are
//! read from the catalogue, dropped before the first batch and recreated after the last (one
//! sort per index and one join per foreign key instead of maintaining eight B-trees and firing
//! a trigger per row). Primary keys and unique constraints stay, so a duplicate still fails the
//! load. If the load fails half-way the database is to be dropped anyway (`generate` only
//! writes into a fresh database).

use std::fmt::Write as _;

use anyhow::Result;
use sea_orm::DatabaseConnection;
use sea_orm::sqlx::PgPool;
use sea_orm::sqlx::postgres::PgPoolCopyExt;

use crate::dataset::rows::{self, Batch, Cell};

/// Loads batches with `COPY`.
pub struct Loader {
    pool: PgPool,
    buffer: String,
    /// `CREATE INDEX` statements of the dropped secondary indexes.
    indexes: Vec<String>,
    /// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` statements of the dropped foreign keys.
    foreign_keys: Vec<String>,
}

/// Secondary indexes of the public schema: those not backing a constraint (primary key or
/// unique), as `(name, definition)`.
const SECONDARY_INDEXES: &str = "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) \
     FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname = 'public' \
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)";

/// Foreign keys of the public schema as `(table, name, definition)`.
const FOREIGN_KEYS: &str = "SELECT k.conrelid::regclass::text, k.conname::text, pg_get_constraintdef(k.oid) \
     FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace \
     WHERE n.nspname = 'public' AND k.contype = 'f'";

impl Loader {
    /// A loader on the connection's pool; drops the secondary indexes and foreign keys.
    pub async fn start(connection: &DatabaseConnection) -> Result<Self> {
        let pool = connection.get_postgres_connection_pool().clone();
        let indexes: Vec<(String, String)> = sea_orm::sqlx::query_as(SECONDARY_INDEXES)
            .fetch_all(&pool)
            .await?;
        let foreign_keys: Vec<(String, String, String)> = sea_orm::sqlx::query_as(FOREIGN_KEYS)
            .fetch_all(&pool)
            .await?;
        let mut drop = String::new();
        for (table, name, _) in &foreign_keys {
            let _ = writeln!(drop, "ALTER TABLE {table} DROP CONSTRAINT \"{name}\";");
        }
        for (name, _) in &indexes {
            let _ = writeln!(drop, "DROP INDEX {name};");
        }
        sea_orm::sqlx::raw_sql(sea_orm::sqlx::AssertSqlSafe(drop))
            .execute(&pool)
            .await?;
        println!(
            "  dropped {} secondary indexes and {} foreign keys for the load",
            indexes.len(),
            foreign_keys.len()
        );
        Ok(Self {
            pool,
            buffer: String::with_capacity(8 << 20),
            indexes: indexes.into_iter().map(|(_, def)| def).collect(),
            foreign_keys: foreign_keys
                .into_iter()
                .map(|(table, name, def)| {
                    format!("ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {def}")
                })
                .collect(),
        })
    }

    /// Copies one batch.
    pub async fn write(&mut self, batch: &Batch) -> Result<()> {
        self.buffer.clear();
        for row in &batch.rows {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    self.buffer.push('\t');
                }
                render(&mut self.buffer, cell);
            }
            self.buffer.push('\n');
        }
        let statement = format!(
            "COPY {} ({}) FROM STDIN",
            batch.table.name,
            batch.table.columns.join(", ")
        );
        let mut copy = self.pool.copy_in_raw(&statement).await?;
        copy.send(self.buffer.as_bytes()).await?;
        copy.finish().await?;
        Ok(())
    }

    /// Moves every identity sequence past the loaded ids (so the server's inserts get fresh
    /// ids), then `VACUUM (ANALYZE)`: besides the planner statistics, a freshly copied table
    /// has no visibility map, and without one every "index-only" scan of the statistics indexes
    /// still visits the heap (measured on `national`: BASELINE.md).
    pub async fn finish(self) -> Result<()> {
        let started = std::time::Instant::now();
        // One connection, so the session setting applies to every statement.
        let mut connection = self.pool.acquire().await?;
        sea_orm::sqlx::raw_sql("SET maintenance_work_mem = '512MB'")
            .execute(&mut *connection)
            .await?;
        for statement in self.indexes.iter().chain(&self.foreign_keys) {
            sea_orm::sqlx::raw_sql(sea_orm::sqlx::AssertSqlSafe(statement.as_str()))
                .execute(&mut *connection)
                .await?;
        }
        drop(connection);
        println!(
            "  recreated {} indexes and {} foreign keys in {:.1}s",
            self.indexes.len(),
            self.foreign_keys.len(),
            started.elapsed().as_secs_f64()
        );
        for table in rows::ALL {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                table.name
            );
            sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(sql))
                .execute(&self.pool)
                .await?;
        }
        println!("  VACUUM (ANALYZE) …");
        sea_orm::sqlx::raw_sql("VACUUM (ANALYZE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Appends `cell` in COPY text format (`\N` for NULL, backslash escapes).
fn render(out: &mut String, cell: &Cell) {
    match cell {
        Cell::Null => out.push_str("\\N"),
        Cell::Int(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Float(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Bool(v) => out.push(if *v { 't' } else { 'f' }),
        Cell::Ts(v) => out.push_str(&rows::postgres_timestamp(*v)),
        Cell::Date(v) => {
            let _ = write!(out, "{}", v.format("%Y-%m-%d"));
        }
        Cell::Text(s) => {
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_copy_text() {
        let mut out = String::new();
        for cell in [
            Cell::Null,
            Cell::text("a\tb\\c\nd"),
            Cell::Bool(true),
            Cell::Int(-3),
        ] {
            render(&mut out, &cell);
            out.push('|');
        }
        assert_eq!(out, "\\N|a\\tb\\\\c\\nd|t|-3|");
    }
}
