//! PostgreSQL: `COPY … FROM STDIN` in text format, one per batch, through sqlx's pool.

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
}

impl Loader {
    /// A loader on the connection's pool.
    pub fn new(connection: &DatabaseConnection) -> Self {
        Self {
            pool: connection.get_postgres_connection_pool().clone(),
            buffer: String::with_capacity(8 << 20),
        }
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
