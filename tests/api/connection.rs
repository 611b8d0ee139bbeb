//! How the server reaches PostgreSQL: without TLS when the database is on this host and the URL
//! does not choose a mode, with the URL's mode otherwise.

use khuyenhoc_core::db::{self, DatabaseSettings};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::helpers::postgres_url;

async fn connect(url: &str) -> DatabaseConnection {
    db::connect(&DatabaseSettings {
        url: url.to_owned(),
        max_connections: 1,
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn text(db: &DatabaseConnection, sql: &str) -> String {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<String>(0)
        .unwrap()
}

/// `on` when this session's connection is encrypted.
async fn session_tls(db: &DatabaseConnection) -> String {
    text(
        db,
        "SELECT CASE WHEN ssl THEN 'on' ELSE 'off' END FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    )
    .await
}

#[tokio::test]
async fn postgres_on_this_host_goes_without_tls_unless_the_url_asks() {
    let Some(url) = postgres_url() else {
        eprintln!("SKIPPED connection::postgres_on_this_host…: set TEST_DATABASE_URL to run it");
        return;
    };
    let local = ["@127.0.0.1", "@localhost", "@[::1]"]
        .iter()
        .any(|host| url.contains(host));
    if !local || url.contains("sslmode") || std::env::var_os("PGSSLMODE").is_some() {
        eprintln!(
            "SKIPPED connection::postgres_on_this_host…: TEST_DATABASE_URL is not a plain local URL"
        );
        return;
    }
    let plain = connect(&url).await;
    assert_eq!(session_tls(&plain).await, "off");
    let server_offers_tls = text(&plain, "SHOW ssl").await;

    let separator = if url.contains('?') { '&' } else { '?' };
    let preferring = connect(&format!("{url}{separator}sslmode=prefer")).await;
    assert_eq!(session_tls(&preferring).await, server_offers_tls);
}
