//! Applying and inspecting migrations, safely when several replicas start at once.

use khuyenhoc_migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, TransactionTrait,
};

/// Key of the PostgreSQL advisory lock held while migrating (any constant unique to us).
const MIGRATION_LOCK_KEY: i64 = 0x6b68_7579_656e; // "khuyen"

/// Why migrating failed.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The database holds migrations this binary does not know: it was migrated by a newer one.
    #[error(
        "the database was migrated by a newer version of khuyenhoc (unknown migrations: {}); \
         upgrade khuyenhoc or point it at another database",
        .0.join(", ")
    )]
    NewerSchema(Vec<String>),
    /// A statement failed.
    #[error("migration failed: {}", crate::error::one_line(.0))]
    Database(#[from] DbErr),
}

/// Where the database stands against this binary's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// Applied migrations this binary knows, oldest first.
    pub applied: Vec<String>,
    /// Migrations this binary would apply, oldest first.
    pub pending: Vec<String>,
    /// Applied migrations this binary does not know (a newer binary ran here).
    pub unknown: Vec<String>,
}

/// Applies every pending migration, all in one transaction (under an advisory lock on
/// PostgreSQL, so concurrent replicas migrate once). Fails on a database from a newer binary.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), MigrateError> {
    refuse_newer_schema(db).await?;
    let txn = db.begin().await?;
    if db.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"),
        ))
        .await?;
    }
    Migrator::up(&txn, None).await?;
    txn.commit().await?;
    Ok(())
}

/// Rolls back the last `steps` migrations (all when `None`).
pub async fn rollback(db: &DatabaseConnection, steps: Option<u32>) -> Result<(), MigrateError> {
    refuse_newer_schema(db).await?;
    let txn = db.begin().await?;
    Migrator::down(&txn, steps).await?;
    txn.commit().await?;
    Ok(())
}

/// Reads which migrations are applied, pending and unknown, without changing anything.
pub async fn migration_status(db: &DatabaseConnection) -> Result<MigrationState, MigrateError> {
    let applied_in_db = applied_names(db).await?;
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    Ok(MigrationState {
        applied: known
            .iter()
            .filter(|n| applied_in_db.contains(n))
            .cloned()
            .collect(),
        pending: known
            .iter()
            .filter(|n| !applied_in_db.contains(n))
            .cloned()
            .collect(),
        unknown: applied_in_db
            .into_iter()
            .filter(|n| !known.contains(n))
            .collect(),
    })
}

async fn refuse_newer_schema(db: &DatabaseConnection) -> Result<(), MigrateError> {
    let state = migration_status(db).await?;
    if state.unknown.is_empty() {
        Ok(())
    } else {
        Err(MigrateError::NewerSchema(state.unknown))
    }
}

/// Names recorded in the migrations table; empty when it does not exist yet.
async fn applied_names(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    let exists_sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT 1 FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'seaql_migrations'"
        }
        _ => "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
    };
    if db
        .query_one_raw(Statement::from_string(backend, exists_sql))
        .await?
        .is_none()
    {
        return Ok(Vec::new());
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get::<String>("", "version"))
        .collect()
}
