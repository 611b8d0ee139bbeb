//! Admission control over HTTP: with every turn taken, an operation waits at most
//! `limits.max_queue_wait` and is then refused with `OVERLOADED`, a `Retry-After` and nothing
//! run; the turn's holder finishes normally and the next operation is admitted.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::{Value, json};

use crate::helpers::*;

const QUEUE_WAIT: Duration = Duration::from_millis(300);

const RENAME: &str = r#"mutation($input: UpdateOrganisationInput!) {
  updateOrganisation(input: $input) { organisation { name version } userErrors { code } }
}"#;

const ORGANISATION: &str =
    "query($id: ID!) { node(id: $id) { ... on Organisation { name version } } }";

/// The value of an unlabelled gauge in the `/metrics` text.
async fn gauge(app: &TestApp, name: &str) -> Option<i64> {
    let text = app.get_text("/metrics").await;
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

async fn an_operation_waits_its_turn_then_is_refused(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| {
        config.limits.max_concurrent_requests = 1;
        config.limits.max_queue_wait = QUEUE_WAIT;
        // The blocked writer below must outlast the refused reader's wait.
        config.database.sqlite_busy_timeout = Duration::from_secs(30);
    })
    .await;
    let token = app.token(HANOI_ADMIN).await;
    let hanoi = app.org_id("HN").await;
    let before = app
        .data_as(HANOI_ADMIN, ORGANISATION, json!({ "id": hanoi }))
        .await;
    let version = before["node"]["version"].as_i64().unwrap();

    // Another session holds Hà Nội's row (PostgreSQL) or the write lock (SQLite), so a rename
    // takes the only turn and waits in the database.
    let blocker = app.db.begin().await.unwrap();
    blocker
        .execute_unprepared("UPDATE organisation SET name = name WHERE code = 'HN'")
        .await
        .unwrap();
    let rename = {
        let client = app.client.clone();
        let url = app.url("/graphql");
        let token = token.clone();
        let input = json!({ "input": { "id": hanoi, "version": version, "name": "Hội Khuyến học Thủ đô" } });
        tokio::spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": RENAME, "variables": input }))
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while gauge(&app, "khuyenhoc_graphql_operations_running").await != Some(1) {
        assert!(Instant::now() < deadline, "the rename never took its turn");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let started = Instant::now();
    let refused = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": ORGANISATION, "variables": { "id": hanoi } }))
        .send()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(refused.status().as_u16(), 503);
    assert_eq!(
        refused
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let body: Value = refused.json().await.unwrap();
    assert_eq!(error_code(&body), Some("OVERLOADED"), "{body}");
    assert!(body.get("data").is_none(), "nothing was run: {body}");
    assert!(
        waited >= QUEUE_WAIT,
        "refused only after the wait: {waited:?}"
    );
    assert_eq!(
        gauge(&app, "khuyenhoc_graphql_operations_waiting").await,
        Some(0)
    );

    // The holder finishes normally once the database lets it; then the door is open again.
    blocker.rollback().await.unwrap();
    let (status, renamed) = rename.await.unwrap();
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(
        renamed["data"]["updateOrganisation"]["organisation"]["version"].as_i64(),
        Some(version + 1),
        "{renamed}"
    );
    let after = app
        .data_as(HANOI_ADMIN, ORGANISATION, json!({ "id": hanoi }))
        .await;
    assert_eq!(after["node"]["name"], "Hội Khuyến học Thủ đô");
    assert_eq!(
        gauge(&app, "khuyenhoc_graphql_operations_running").await,
        Some(0)
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_refuses_an_operation_that_waited_too_long() {
    an_operation_waits_its_turn_then_is_refused(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_refuses_an_operation_that_waited_too_long() {
    if postgres_url().is_none() {
        eprintln!("SKIPPED admission::postgres: set TEST_DATABASE_URL to run it");
        return;
    }
    an_operation_waits_its_turn_then_is_refused(Backend::Postgres).await;
}
