//! SQLite: one connection, prepared multi-row `INSERT`s in large transactions, with
//! `synchronous=OFF` and foreign-key checks off for the duration of the load.

use anyhow::Result;
use sea_orm::DatabaseConnection;
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, Sqlite};

use crate::dataset::rows::{self, Batch, Cell, Table};

/// Parameters per statement (SQLite's limit is 32,766).
const MAX_PARAMETERS: usize = 30_000;
/// Rows per multi-row `INSERT`.
const MAX_ROWS_PER_STATEMENT: usize = 500;
/// Rows per transaction.
const ROWS_PER_TRANSACTION: u64 = 500_000;

/// Loads batches with multi-row inserts on one connection.
pub struct Loader {
    connection: PoolConnection<Sqlite>,
    in_transaction: u64,
}

impl Loader {
    /// Takes a connection and sets the loading pragmas.
    pub async fn start(connection: &DatabaseConnection) -> Result<Self> {
        let mut connection = connection.get_sqlite_connection_pool().acquire().await?;
        for pragma in [
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = OFF",
            "PRAGMA foreign_keys = OFF",
            "PRAGMA cache_size = -262144",
            "BEGIN",
        ] {
            sqlx::query(pragma).execute(&mut *connection).await?;
        }
        Ok(Self {
            connection,
            in_transaction: 0,
        })
    }

    /// Inserts one batch, committing every [`ROWS_PER_TRANSACTION`] rows.
    pub async fn write(&mut self, batch: &Batch) -> Result<()> {
        let per_statement = rows_per_statement(batch.table);
        for chunk in batch.rows.chunks(per_statement) {
            let sql = insert_sql(batch.table, chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                for cell in row {
                    query = match cell {
                        Cell::Null => query.bind(None::<i64>),
                        Cell::Int(v) => query.bind(*v),
                        Cell::Float(v) => query.bind(*v),
                        Cell::Bool(v) => query.bind(*v),
                        Cell::Text(s) => query.bind(s.as_str()),
                        Cell::Ts(v) => query.bind(rows::sqlite_timestamp(*v)),
                        Cell::Date(d) => query.bind(d.format("%Y-%m-%d").to_string()),
                    };
                }
            }
            query.execute(&mut *self.connection).await?;
        }
        self.in_transaction += batch.rows.len() as u64;
        if self.in_transaction >= ROWS_PER_TRANSACTION {
            sqlx::query("COMMIT").execute(&mut *self.connection).await?;
            sqlx::query("BEGIN").execute(&mut *self.connection).await?;
            self.in_transaction = 0;
        }
        Ok(())
    }

    /// Commits, restores the pragmas, gathers statistics and checkpoints the WAL.
    pub async fn finish(mut self) -> Result<()> {
        sqlx::query("COMMIT").execute(&mut *self.connection).await?;
        println!("  ANALYZE …");
        for statement in [
            "PRAGMA foreign_keys = ON",
            "PRAGMA synchronous = NORMAL",
            "ANALYZE",
            "PRAGMA wal_checkpoint(TRUNCATE)",
        ] {
            sqlx::query(statement)
                .execute(&mut *self.connection)
                .await?;
        }
        Ok(())
    }
}

fn rows_per_statement(table: &Table) -> usize {
    (MAX_PARAMETERS / table.columns.len()).clamp(1, MAX_ROWS_PER_STATEMENT)
}

fn insert_sql(table: &Table, rows: usize) -> String {
    let placeholders = format!("({})", vec!["?"; table.columns.len()].join(","));
    format!(
        "INSERT INTO {} ({}) VALUES {}",
        table.name,
        table.columns.join(", "),
        vec![placeholders; rows].join(",")
    )
}
