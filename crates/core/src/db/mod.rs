//! Database connection, migration and statement counting.
//!
//! SQLite is the embedded default (a file, WAL journal, a busy timeout so writers queue instead of
//! failing with "database is locked"); PostgreSQL is selected by a `postgres://` URL. Both are
//! migrated on start by [`migrate`], which refuses a database migrated by a newer binary.

mod counter;
mod migrate;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgSslMode};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub use counter::{StatementCounter, total_statements};
pub use migrate::{MigrationState, migrate, migration_status, rollback};

/// The URL of the embedded default database, relative to the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/khuyenhoc.db";

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// `sqlite://path/to/file.db` or `postgres://user@host:port/db`.
    pub url: String,
    /// Most connections the pool opens.
    pub max_connections: u32,
    /// How long a request waits for a free connection before failing.
    pub acquire_timeout: Duration,
    /// SQLite only: how long a writer waits for the write lock before failing.
    pub sqlite_busy_timeout: Duration,
    /// PostgreSQL only: the server cancels any statement running longer (`statement_timeout`),
    /// so the work of a request cancelled at its time limit stops in the database too.
    pub statement_timeout: Option<Duration>,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: DEFAULT_DATABASE_URL.to_owned(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
            sqlite_busy_timeout: Duration::from_secs(10),
            statement_timeout: None,
        }
    }
}

/// Why the database could not be opened. Each message is one line an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL names no supported database.
    #[error("database URL {0:?} is not supported: use sqlite://FILE or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    /// The SQLite file's directory cannot be created or written.
    #[error("cannot use data directory {path}: {reason}")]
    DataDirectory {
        /// The directory.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// The database server or file could not be opened.
    #[error("cannot connect to database {url}: {reason}")]
    Unreachable {
        /// The URL with any password removed.
        url: String,
        /// What the driver said.
        reason: String,
    },
    /// Migrating failed.
    #[error("{0}")]
    Migration(#[from] migrate::MigrateError),
}

/// Opens a pool on `settings.url`, creating the SQLite file (and its directory) if needed.
/// Does not migrate; call [`migrate`] next.
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, ConnectError> {
    let url = settings.url.trim();
    let backend = backend_of(url).ok_or_else(|| ConnectError::UnsupportedUrl(redact(url)))?;
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(settings.max_connections.max(1))
        .min_connections(0)
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(settings.acquire_timeout)
        .sqlx_logging(false);
    if backend == DatabaseBackend::Sqlite {
        if let Some(dir) = sqlite_directory(url) {
            ensure_writable_directory(&dir)?;
        }
        let busy = settings.sqlite_busy_timeout;
        options.map_sqlx_sqlite_opts(move |o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(busy)
                .foreign_keys(true)
                .pragma("temp_store", "memory")
        });
    }
    if backend == DatabaseBackend::Postgres {
        let timeout = settings
            .statement_timeout
            .map(|limit| format!("{}ms", limit.as_millis().max(1)));
        let plain = postgres_without_tls(url);
        options.map_sqlx_postgres_opts(move |o| {
            let o = if plain {
                o.ssl_mode(PgSslMode::Disable)
            } else {
                o
            };
            // Our statements are short; JIT compilation costs more than it saves (national
            // bench set: provincial statistics 63 → 30 ms, centre 786 → 581 ms; bench/BASELINE.md).
            // The working set is cached or on SSD: the default random_page_cost (4, for
            // spinning disks) makes the planner hash a whole scope subtree rather than probe
            // the few rows a page checks (dashboard sessions statement 14.9 → 1.0 ms).
            let o = o.options([("jit", "off"), ("random_page_cost", "1.1")]);
            match &timeout {
                Some(ms) => o.options([("statement_timeout", ms.as_str())]),
                None => o,
            }
        });
    }
    let mut db = Database::connect(options)
        .await
        .map_err(|e| ConnectError::Unreachable {
            url: redact(url),
            reason: crate::error::one_line(&e),
        })?;
    counter::install(&mut db);
    db.ping().await.map_err(|e| ConnectError::Unreachable {
        url: redact(url),
        reason: crate::error::one_line(&e),
    })?;
    Ok(db)
}

/// Begins a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`, so the write lock is
/// taken up front and a busy writer waits (busy timeout) instead of failing on lock upgrade.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// The backend a URL selects, if supported.
pub fn backend_of(url: &str) -> Option<DatabaseBackend> {
    if url.starts_with("sqlite:") {
        Some(DatabaseBackend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Some(DatabaseBackend::Postgres)
    } else {
        None
    }
}

/// Whether the server reaches the PostgreSQL at `url` without TLS: when the database is on this
/// host (`localhost`, a loopback address, a Unix socket) and neither the URL (`sslmode`) nor
/// `PGSSLMODE` chooses a mode. TLS there protects nothing (whoever can read the loopback
/// interface is root here) and cost a fifth of the server's CPU under load (bench/BASELINE.md,
/// finding 12); for any other host the driver's default (`prefer`) stands.
pub fn postgres_without_tls(url: &str) -> bool {
    if names_ssl_mode(url) || std::env::var_os("PGSSLMODE").is_some() {
        return false;
    }
    url.parse::<PgConnectOptions>()
        .is_ok_and(|options| is_this_host(options.get_host()))
}

/// Whether the URL chooses a TLS mode itself (`sslmode=` or `ssl-mode=`).
fn names_ssl_mode(url: &str) -> bool {
    url.split_once('?').is_some_and(|(_, query)| {
        query
            .split('&')
            .map(|pair| pair.split('=').next().unwrap_or_default())
            .any(|key| key.eq_ignore_ascii_case("sslmode") || key.eq_ignore_ascii_case("ssl-mode"))
    })
}

/// Whether `host` is this machine: `localhost`, a loopback address or a Unix socket directory.
fn is_this_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.starts_with('/')
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `url` with any password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

/// The directory holding the SQLite file of `url`, when it is a file (not `:memory:`).
fn sqlite_directory(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(':') {
        return None;
    }
    Path::new(path).parent().map(Path::to_path_buf)
}

fn ensure_writable_directory(dir: &Path) -> Result<(), ConnectError> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    let fail = |reason: String| ConnectError::DataDirectory {
        path: dir.to_path_buf(),
        reason,
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    let probe = dir.join(".khuyenhoc-write-probe");
    std::fs::write(&probe, b"").map_err(|e| fail(e.to_string()))?;
    std::fs::remove_file(&probe).map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn tls_is_left_out_only_on_this_host_and_only_when_the_url_is_silent() {
        assert!(is_this_host("127.0.0.1"));
        assert!(is_this_host("localhost"));
        assert!(is_this_host("[::1]"));
        assert!(is_this_host("/var/run/postgresql"));
        assert!(!is_this_host("db.internal"));
        assert!(!is_this_host("10.0.0.5"));
        assert!(names_ssl_mode("postgres://u@h/db?sslmode=require"));
        assert!(names_ssl_mode(
            "postgres://u@h/db?application_name=x&ssl-mode=prefer"
        ));
        assert!(!names_ssl_mode("postgres://u@h/db?application_name=x"));
        assert!(!names_ssl_mode("postgres://u@h/db"));
        if std::env::var_os("PGSSLMODE").is_none() {
            assert!(postgres_without_tls("postgres://u@127.0.0.1:5432/db"));
            assert!(!postgres_without_tls(
                "postgres://u@127.0.0.1/db?sslmode=require"
            ));
            assert!(!postgres_without_tls("postgres://u@db.internal/db"));
        }
    }

    #[test]
    fn finds_sqlite_directory() {
        assert_eq!(
            sqlite_directory("sqlite://data/k.db?mode=rwc"),
            Some(PathBuf::from("data"))
        );
        assert_eq!(sqlite_directory("sqlite::memory:"), None);
    }
}
