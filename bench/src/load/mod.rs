//! `generate`: migrate an empty database with the project's migrations, then load the generated
//! rows as fast as each database allows, printing progress and rows per second.
//!
//! * PostgreSQL: one `COPY … FROM STDIN` (text format) per batch with the secondary indexes
//!   and foreign keys dropped and recreated at the end (as `pg_restore` does), identity
//!   sequences moved past the loaded ids, `VACUUM (ANALYZE)` at the end.
//! * SQLite: one connection, `synchronous=OFF` and foreign-key checks off while loading (the
//!   data is consistent by construction, and PostgreSQL's load checks every key), prepared
//!   multi-row `INSERT`s in large transactions, `ANALYZE` at the end.

mod postgres;
mod sqlite;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use khuyenhoc_core::db::{self, DatabaseSettings};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use crate::dataset::{self, Size, rows};

/// What a load did, per table.
#[derive(Debug, serde::Serialize)]
pub struct LoadReport {
    /// `postgres` or `sqlite`.
    pub backend: String,
    /// Dataset size.
    pub size: Size,
    /// Generator seed.
    pub seed: u64,
    /// Rows and seconds spent in the database, per table.
    pub tables: BTreeMap<&'static str, TableStat>,
    /// Rows loaded.
    pub total_rows: u64,
    /// Wall-clock seconds of the load (generation overlaps it), without the final statistics.
    pub load_seconds: f64,
    /// Seconds of the final `VACUUM (ANALYZE)` / `ANALYZE` (and sequence reset on PostgreSQL).
    pub finish_seconds: f64,
}

/// Rows of one table and the time spent writing them.
#[derive(Debug, Default, serde::Serialize)]
pub struct TableStat {
    /// Rows written.
    pub rows: u64,
    /// Seconds inside the database calls that wrote them.
    pub seconds: f64,
}

/// A database being loaded.
enum Sink {
    Postgres(postgres::Loader),
    Sqlite(sqlite::Loader),
}

/// Migrates `url` (which must hold no organisations yet) and loads the `size` dataset.
pub async fn generate(url: &str, size: Size, seed: u64) -> Result<LoadReport> {
    let connection = open(url).await?;
    db::migrate(&connection).await.context("migrating")?;
    let existing = count(&connection, "organisation").await?;
    if existing > 0 {
        bail!(
            "the database already holds {existing} organisations; generate into a fresh database"
        );
    }
    let backend = connection.get_database_backend();
    let mut sink = match backend {
        DatabaseBackend::Postgres => Sink::Postgres(postgres::Loader::start(&connection).await?),
        DatabaseBackend::Sqlite => Sink::Sqlite(sqlite::Loader::start(&connection).await?),
        other => bail!("unsupported database {other:?}"),
    };
    println!(
        "generating the {size:?} dataset (seed {seed}) into {}",
        db::redact(url)
    );
    let started = Instant::now();
    let mut tables: BTreeMap<&'static str, TableStat> = BTreeMap::new();
    let mut total_rows = 0_u64;
    let mut last_print = Instant::now();
    let mut batches = dataset::spawn(size, seed);
    while let Some(batch) = batches.recv().await {
        let n = batch.rows.len() as u64;
        let call = Instant::now();
        match &mut sink {
            Sink::Postgres(loader) => loader.write(&batch).await,
            Sink::Sqlite(loader) => loader.write(&batch).await,
        }
        .with_context(|| format!("loading {}", batch.table.name))?;
        let stat = tables.entry(batch.table.name).or_default();
        stat.rows += n;
        stat.seconds += call.elapsed().as_secs_f64();
        total_rows += n;
        if last_print.elapsed() >= Duration::from_secs(5) {
            last_print = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            println!(
                "  {total_rows:>11} rows in {secs:>6.1}s ({:>9.0} rows/s), now {}",
                total_rows as f64 / secs,
                batch.table.name
            );
        }
    }
    let load_seconds = started.elapsed().as_secs_f64();
    let finishing = Instant::now();
    match sink {
        Sink::Postgres(loader) => loader.finish().await?,
        Sink::Sqlite(loader) => loader.finish().await?,
    }
    // Derived tables the server keeps in step with its writes are recomputed once here.
    println!("  rebuilding the statistics tallies …");
    khuyenhoc_core::service::statistics::tally::rebuild(&connection)
        .await
        .context("rebuilding the statistics tallies")?;
    connection
        .execute_unprepared("ANALYZE assessment_tally")
        .await?;
    connection
        .execute_unprepared("ANALYZE training_tally")
        .await?;
    connection
        .execute_unprepared("ANALYZE program_tally")
        .await?;
    let report = LoadReport {
        backend: format!("{backend:?}").to_lowercase(),
        size,
        seed,
        tables,
        total_rows,
        load_seconds,
        finish_seconds: finishing.elapsed().as_secs_f64(),
    };
    print_report(&report);
    // Every table received exactly the rows generated for it: count them back.
    for (name, stat) in &report.tables {
        let stored = count(&connection, name).await?;
        if stored != stat.rows {
            bail!("{name}: {stored} rows stored, {} generated", stat.rows);
        }
    }
    Ok(report)
}

fn print_report(report: &LoadReport) {
    println!(
        "{:<24} {:>11} {:>9} {:>11}",
        "table", "rows", "db secs", "rows/s"
    );
    for table in rows::ALL {
        if let Some(stat) = report.tables.get(table.name) {
            println!(
                "{:<24} {:>11} {:>9.1} {:>11.0}",
                table.name,
                stat.rows,
                stat.seconds,
                stat.rows as f64 / stat.seconds.max(1e-9)
            );
        }
    }
    println!(
        "loaded {} rows in {:.1}s ({:.0} rows/s); ANALYZE and finishing {:.1}s",
        report.total_rows,
        report.load_seconds,
        report.total_rows as f64 / report.load_seconds.max(1e-9),
        report.finish_seconds
    );
}

/// Opens `url` with the project's connection code (SQLite file created if missing).
pub async fn open(url: &str) -> Result<DatabaseConnection> {
    let settings = DatabaseSettings {
        url: url.to_owned(),
        max_connections: 4,
        ..DatabaseSettings::default()
    };
    Ok(db::connect(&settings).await?)
}

/// `SELECT COUNT(*) FROM table` (table names come from this crate, never from input).
pub async fn count(connection: &DatabaseConnection, table: &str) -> Result<u64> {
    scalar(connection, &format!("SELECT COUNT(*) FROM {table}")).await
}

/// The single integer `sql` returns.
pub async fn scalar(connection: &DatabaseConnection, sql: &str) -> Result<u64> {
    let backend = connection.get_database_backend();
    let row = connection
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await?
        .with_context(|| format!("no row from {sql}"))?;
    let value: i64 = row.try_get_by_index(0)?;
    Ok(u64::try_from(value).unwrap_or(0))
}
