//! Spawning the real server on a fresh database, and talking to it over HTTP.
//!
//! SQLite: each test gets a copy of a migrated, demo-seeded file made once per run.
//! PostgreSQL (`TEST_DATABASE_URL`, e.g. `postgres://postgres@127.0.0.1:5432/postgres`): each
//! test gets its own database cloned from a migrated, demo-seeded template made once per run,
//! and drops it when it passes. Without `TEST_DATABASE_URL` the PostgreSQL variants are skipped
//! with a message on stderr.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use khuyenhoc_core::auth::Tokens;
use khuyenhoc_core::db::{self, DatabaseSettings};
use khuyenhoc_server::Config;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server on its own database.
pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub config: Config,
    tokens: Tokens,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        database: String,
    },
    /// A replica over another app's database, which that app cleans up.
    Shared,
}

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
static POSTGRES_TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// The PostgreSQL server URL for tests, if configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// `url` with its database name replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    match query {
        Some(q) => format!("{prefix}/{database}?{q}"),
        None => format!("{prefix}/{database}"),
    }
}

fn unique(prefix: &str) -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{prefix}_{secs}_{:08x}", rand::random::<u32>())
}

async fn migrated_and_seeded(url: &str) -> DatabaseConnection {
    let db = db::connect(&DatabaseSettings {
        url: url.to_owned(),
        ..DatabaseSettings::default()
    })
    .await
    .expect("connect");
    db::migrate(&db).await.expect("migrate");
    khuyenhoc_core::demo::seed(&db)
        .await
        .expect("seed demo data");
    db
}

async fn sqlite_template() -> PathBuf {
    SQLITE_TEMPLATE
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("tempdir").keep();
            let path = dir.join("template.db");
            let db = migrated_and_seeded(&format!("sqlite://{}", path.display())).await;
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .expect("checkpoint");
            db.close().await.expect("close template");
            path
        })
        .await
        .clone()
}

/// Drops test databases left behind more than two hours ago (failed runs keep theirs).
async fn drop_stale(admin: &DatabaseConnection) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let rows = admin
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT datname FROM pg_database WHERE datname LIKE 'khtest\\_%'",
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let stamp = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(now);
        if now.saturating_sub(stamp) > 2 * 3600 {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
}

async fn postgres_template(admin_url: &str) -> String {
    POSTGRES_TEMPLATE
        .get_or_init(|| async {
            let admin = db::connect(&DatabaseSettings {
                url: admin_url.to_owned(),
                ..Default::default()
            })
            .await
            .expect("PostgreSQL at TEST_DATABASE_URL must answer");
            drop_stale(&admin).await;
            let name = unique("khtest_tpl");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create template");
            let db = migrated_and_seeded(&with_database(admin_url, &name)).await;
            db.close().await.expect("close template");
            name
        })
        .await
        .clone()
}

impl TestApp {
    /// Starts a server on a fresh copy of the seeded database.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts a server with a customised configuration.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Self {
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let template = sqlite_template().await;
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().join("test.db");
                std::fs::copy(&template, &path).expect("copy template");
                (format!("sqlite://{}", path.display()), Cleanup::Sqlite(dir))
            }
            Backend::Postgres => {
                let admin_url = postgres_url().expect("TEST_DATABASE_URL");
                let template = postgres_template(&admin_url).await;
                let database = unique("khtest_db");
                let admin = db::connect(&DatabaseSettings {
                    url: admin_url.clone(),
                    ..Default::default()
                })
                .await
                .expect("connect admin");
                admin
                    .execute_unprepared(&format!(
                        "CREATE DATABASE \"{database}\" TEMPLATE \"{template}\""
                    ))
                    .await
                    .expect("clone template");
                admin.close().await.ok();
                (
                    with_database(&admin_url, &database),
                    Cleanup::Postgres {
                        admin_url,
                        database,
                    },
                )
            }
        };
        let mut config = Config::default();
        config.database.url = url;
        config.bind = SocketAddr::from(([127, 0, 0, 1], 0));
        // Errors only (RUST_LOG overrides): internal errors show up next to the failing test.
        config.log.filter = "error".to_owned();
        // Tests fire hundreds of requests a second as one user; the rate-limit tests turn it on.
        config.rate_limit.enabled = false;
        configure(&mut config);
        Self::serve(config, cleanup).await
    }

    /// Starts a second server (a replica) over this app's PostgreSQL database.
    pub async fn replica(&self) -> Self {
        Self::serve(self.config.clone(), Cleanup::Shared).await
    }

    async fn serve(config: Config, cleanup: Cleanup) -> Self {
        khuyenhoc_server::telemetry::init(&config.log);
        let db = db::connect(&config.database_settings())
            .await
            .expect("connect test db");
        db::migrate(&db).await.expect("migrate");
        let tokens = Tokens::new(config.token_settings().expect("token settings")).expect("tokens");
        let router = khuyenhoc_server::build_router(config.clone(), db.clone()).expect("router");
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        let app = Self {
            address,
            client: reqwest::Client::new(),
            db,
            config,
            tokens,
            cleanup,
        };
        app.wait_until_ready().await;
        app
    }

    /// Waits until `/readyz` answers 200 (on PostgreSQL: also once the event listener listens,
    /// so no test's change is announced before this replica can hear it).
    async fn wait_until_ready(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let ready = self
                .client
                .get(self.url("/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ready {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not become ready"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Checks what every test's writes must leave consistent, then drops the test's PostgreSQL
    /// database (called when a test passes): the statistics tallies the service maintains must
    /// equal a recount from the assessments.
    pub async fn finish(self) {
        let drift = khuyenhoc_core::service::statistics::tally::drift(&self.db)
            .await
            .expect("recounting the statistics tallies");
        assert!(
            drift.is_empty(),
            "the statistics tallies drifted from the assessments:\n{}",
            drift.join("\n")
        );
        if let Cleanup::Postgres {
            admin_url,
            database,
        } = &self.cleanup
        {
            self.db.clone().close().await.ok();
            if let Ok(admin) = db::connect(&DatabaseSettings {
                url: admin_url.clone(),
                ..Default::default()
            })
            .await
            {
                let _ = admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
                    ))
                    .await;
                admin.close().await.ok();
            }
        }
    }

    /// The name of this test's PostgreSQL database (`None` on SQLite).
    pub fn postgres_database(&self) -> Option<&str> {
        match &self.cleanup {
            Cleanup::Postgres { database, .. } => Some(database),
            Cleanup::Sqlite(_) | Cleanup::Shared => None,
        }
    }

    /// `http://127.0.0.1:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// A token for the user with `email` (minted directly; `login` is tested separately).
    pub async fn token(&self, email: &str) -> String {
        let user = khuyenhoc_core::service::user::find_active_by_email(&self.db, email)
            .await
            .expect("query user")
            .unwrap_or_else(|| panic!("no user {email}"));
        self.tokens.issue(user.id, None).expect("issue token").token
    }

    /// POSTs a GraphQL request and returns the HTTP status and JSON body.
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("send");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The text body of `GET path`.
    pub async fn get_text(&self, path: &str) -> String {
        let response = self.client.get(self.url(path)).send().await.expect("send");
        response.text().await.expect("a text body")
    }

    /// POSTs a GraphQL request and returns the statements it ran (the `x-sql-statements`
    /// response header) and the JSON body, after checking the body has no errors.
    pub async fn post_counted(&self, token: &str, query: &str, variables: Value) -> (u64, Value) {
        let response = self
            .client
            .post(self.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("send");
        let statements: u64 = response
            .headers()
            .get("x-sql-statements")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("x-sql-statements header");
        let body: Value = response.json().await.expect("a JSON body");
        assert!(body.get("errors").is_none(), "{body}");
        (statements, body)
    }

    /// Runs a GraphQL operation as `email` and returns the JSON body.
    pub async fn gql_as(&self, email: &str, query: &str, variables: Value) -> Value {
        let token = self.token(email).await;
        self.post(Some(&token), query, variables).await.1
    }

    /// Like [`gql_as`](Self::gql_as) but fails the test on any GraphQL error.
    pub async fn data_as(&self, email: &str, query: &str, variables: Value) -> Value {
        let body = self.gql_as(email, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// The global id of the organisation with `code`.
    pub async fn org_id(&self, code: &str) -> String {
        let data = self
            .data_as(
                CENTRAL_ADMIN,
                "query($s: String) { organisations(filter: {search: $s, statuses: [ACTIVE, ARCHIVED, MERGED]}, first: 100) { nodes { id code } } }",
                json!({ "s": code }),
            )
            .await;
        data["organisations"]["nodes"]
            .as_array()
            .and_then(|nodes| nodes.iter().find(|n| n["code"] == code))
            .and_then(|n| n["id"].as_str())
            .unwrap_or_else(|| panic!("no organisation {code}"))
            .to_owned()
    }

    /// The column `s` of every row `sql` returns (for expected sets computed in plain SQL).
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        self.db
            .query_all_raw(Statement::from_string(
                self.db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect("query")
            .iter()
            .map(|row| row.try_get::<String>("", "s").expect("column s"))
            .collect()
    }

    /// A well-formed global id of `node_type` that no row has.
    pub fn absent_id(&self, node_type: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{node_type}:987654321"))
    }

    /// Counts rows of `table` matching `condition`.
    pub async fn count_where(&self, table: &str, condition: &str) -> i64 {
        self.count(&format!("{table} WHERE {condition}")).await
    }

    /// Counts rows of `table`.
    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// The first error code of a GraphQL response.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// The demo accounts.
pub const CENTRAL_ADMIN: &str = "central.admin@demo.khuyenhoc.vn";
pub const HANOI_ADMIN: &str = "hanoi.admin@demo.khuyenhoc.vn";
pub const HANOI_VIEWER: &str = "hanoi.viewer@demo.khuyenhoc.vn";
pub const HCM_ADMIN: &str = "hcm.admin@demo.khuyenhoc.vn";
pub const COMMUNE_EDITOR: &str = "commune.editor@demo.khuyenhoc.vn";
pub const MOET_PARTNER: &str = "moet.partner@demo.khuyenhoc.vn";
pub const AUDITOR: &str = "auditor@demo.khuyenhoc.vn";

/// Declares a test that runs on SQLite and on PostgreSQL (skipped without `TEST_DATABASE_URL`).
#[macro_export]
macro_rules! on_both {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: &$crate::helpers::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await;
                run(&app).await;
                app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::helpers::postgres_url().is_none() {
                    eprintln!("SKIPPED {}::postgres: set TEST_DATABASE_URL to run it", module_path!());
                    return;
                }
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await;
                run(&app).await;
                app.finish().await;
            }
        }
    };
}
