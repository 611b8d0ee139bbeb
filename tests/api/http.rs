//! The HTTP transport: health, readiness, and the guards that answer before GraphQL runs.

use serde_json::{Value, json};

use crate::helpers::*;

async fn app() -> TestApp {
    TestApp::spawn(Backend::Sqlite).await
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = app().await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap()["status"], "ready");
    let graphiql = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(graphiql.status(), 200);
    assert!(graphiql.text().await.unwrap().contains("graphiql"));
}

#[tokio::test]
async fn malformed_json_gets_a_json_error_with_a_code() {
    let app = app().await;
    for body in ["{not json", "[]", "\"query\"", "{\"query\": 42}"] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let json: Value = response.json().await.unwrap();
        assert_eq!(error_code(&json), Some("BAD_REQUEST"), "{body}");
    }
}

#[tokio::test]
async fn malformed_graphql_gets_a_parse_error_code() {
    let app = app().await;
    let (status, body) = app.post(None, "{ organisations { ", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), Some("GRAPHQL_PARSE_FAILED"));
    let (_, body) = app.post(None, "{ noSuchField }", json!({})).await;
    assert_eq!(error_code(&body), Some("GRAPHQL_VALIDATION_FAILED"));
}

#[tokio::test]
async fn simple_content_types_are_refused() {
    let app = app().await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", content_type)
            .body(r#"{"query":"mutation { __typename }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415, "{content_type}");
        assert_eq!(
            error_code(&response.json().await.unwrap()),
            Some("UNSUPPORTED_MEDIA_TYPE")
        );
    }
}

#[tokio::test]
async fn mutations_over_get_are_refused_and_queries_work() {
    let app = app().await;
    let token = app.token(CENTRAL_ADMIN).await;
    let mutation = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "mutation { refreshToken { token } }")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(mutation.status(), 405);
    assert_eq!(
        error_code(&mutation.json().await.unwrap()),
        Some("METHOD_NOT_ALLOWED")
    );
    let query = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ viewer { user { email } } }")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(query.status(), 200);
    let body: Value = query.json().await.unwrap();
    assert_eq!(body["data"]["viewer"]["user"]["email"], CENTRAL_ADMIN);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = app().await;
    let huge = "x".repeat(app.config.limits.max_body_bytes + 10);
    let (status, body) = app
        .post(None, "{ __typename }", json!({ "pad": huge }))
        .await;
    assert_eq!(status, 413);
    assert_eq!(error_code(&body), Some("PAYLOAD_TOO_LARGE"));
    let (status, _) = app.post(None, "{ __typename }", json!({})).await;
    assert_eq!(status, 200, "the server still answers");
}

#[tokio::test]
async fn batches_are_refused() {
    let app = app().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        error_code(&response.json().await.unwrap()),
        Some("BATCH_NOT_ALLOWED")
    );
}

#[tokio::test]
async fn deep_queries_are_refused_with_a_code() {
    let app = app().await;
    let mut query = String::from("{ organisations { nodes { ");
    for _ in 0..20 {
        query.push_str("parent { ");
    }
    query.push_str("id");
    query.push_str(&" }".repeat(20));
    query.push_str(" } } }");
    let (_, body) = app.post(None, &query, json!({})).await;
    assert_eq!(error_code(&body), Some("QUERY_TOO_DEEP"));
}

#[tokio::test]
async fn responses_carry_a_request_id_and_statement_count() {
    let app = app().await;
    let token = app.token(CENTRAL_ADMIN).await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .header("x-request-id", "test-request-1")
        .json(&json!({ "query": "{ organisations(first: 5) { nodes { id } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "test-request-1");
    let statements: u64 = response.headers()["x-sql-statements"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(statements >= 1, "the list ran at least one statement");
}

/// After a rejection, an ordinary query still gets its answer.
async fn still_answers(app: &TestApp) {
    let token = app.token(CENTRAL_ADMIN).await;
    let (status, body) = app
        .post(Some(&token), "{ viewer { user { email } } }", json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["user"]["email"], CENTRAL_ADMIN);
}

#[tokio::test]
async fn document_floods_are_refused_before_execution() {
    let app = app().await;
    let limits = app.config.limits.clone();
    let aliases: String = (0..=limits.max_aliases)
        .map(|i| format!("a{i}: __typename "))
        .collect();
    let directives: String = (0..=limits.max_directives)
        .map(|i| format!("d{i}: __typename @include(if: true) "))
        .collect();
    let long = format!("{{ __typename }}{}", " ".repeat(limits.max_document_chars));
    for (query, code) in [
        (format!("{{ {aliases} }}"), "TOO_MANY_ALIASES"),
        (format!("{{ {directives} }}"), "TOO_MANY_DIRECTIVES"),
        (long, "DOCUMENT_TOO_LARGE"),
    ] {
        let (status, body) = app.post(None, &query, json!({})).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(error_code(&body), Some(code), "{body}");
        still_answers(&app).await;
    }
}

#[tokio::test]
async fn fragment_cycles_and_odd_strings_get_codes_not_crashes() {
    let app = app().await;
    let cycle =
        "query { viewer { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A }";
    let (_, body) = app.post(None, cycle, json!({})).await;
    assert_eq!(
        error_code(&body),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{body}"
    );
    still_answers(&app).await;

    // A NUL byte in a string variable is data, not a crash; the search just finds nothing.
    let token = app.token(CENTRAL_ADMIN).await;
    let (status, body) = app
        .post(
            Some(&token),
            "query($s: String) { organisations(filter: {search: $s}) { nodes { id } } }",
            json!({ "s": "Hà\u{0}Nội" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.get("errors").is_none() || error_code(&body) == Some("BAD_USER_INPUT"),
        "{body}"
    );
    still_answers(&app).await;

    // Invalid UTF-8 in the body is a malformed request.
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(b"{\"query\": \"{ __typename \xff }\"}".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        error_code(&response.json().await.unwrap()),
        Some("BAD_REQUEST")
    );
    still_answers(&app).await;
}

async fn limited_app(
    configure: impl FnOnce(&mut khuyenhoc_server::rate_limit::RateLimitConfig),
) -> TestApp {
    TestApp::spawn_with(Backend::Sqlite, |config| {
        config.rate_limit.enabled = true;
        configure(&mut config.rate_limit);
    })
    .await
}

#[tokio::test]
async fn a_user_over_the_rate_gets_429_with_retry_after() {
    let app = limited_app(|limits| {
        limits.user_per_minute = 60;
        limits.burst = 5;
    })
    .await;
    let token = app.token(HANOI_VIEWER).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let response = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .json(&json!({ "query": "{ viewer { user { email } } }" }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        if status == 429 {
            let retry: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&retry), "{retry}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(error_code(&body), Some("RATE_LIMITED"));
        }
        statuses.push(status);
    }
    assert_eq!(&statuses[..5], &[200; 5], "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    // Another user is unaffected.
    still_answers(&app).await;
}

#[tokio::test]
async fn login_attempts_are_throttled_per_account() {
    let app = limited_app(|limits| limits.login_per_account_per_minute = 3).await;
    let login = r#"mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }"#;
    for attempt in 0..3 {
        let (status, body) = app
            .post(
                None,
                login,
                json!({ "e": HANOI_ADMIN, "p": "wrong password" }),
            )
            .await;
        assert_eq!(status, 200, "attempt {attempt}: {body}");
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    }
    // Even the right password is refused now: guessing cannot continue at speed.
    let (status, body) = app
        .post(
            None,
            login,
            json!({ "e": HANOI_ADMIN, "p": "demo-password" }),
        )
        .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"));
    assert!(
        body["errors"][0]["extensions"]["retryAfter"]
            .as_u64()
            .unwrap()
            >= 1
    );
    // Another account still signs in.
    let (status, body) = app
        .post(None, login, json!({ "e": HCM_ADMIN, "p": "demo-password" }))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
}

#[tokio::test]
async fn metrics_count_requests_errors_and_pool_usage() {
    let app = app().await;
    let token = app.token(CENTRAL_ADMIN).await;
    app.client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": "query OrgTree { organisations(first: 3) { nodes { id } } }", "operationName": "OrgTree" }))
        .send()
        .await
        .unwrap();
    app.post(None, "{ noSuchField }", json!({})).await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    let line = |needle: &str| {
        text.lines()
            .any(|l| !l.starts_with('#') && l.contains(needle))
    };
    assert!(
        line(
            r#"khuyenhoc_http_requests_total{path="/graphql",operation="OrgTree",operation_type="query",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        line(r#"khuyenhoc_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1"#),
        "{text}"
    );
    assert!(
        line("khuyenhoc_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(line("khuyenhoc_db_pool_connections"), "{text}");
    assert!(line("khuyenhoc_sql_statements_total"), "{text}");
    assert!(!text.contains(&token), "no secrets in metrics");
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post_raw(app: &TestApp, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn automatic_persisted_queries_register_then_run_by_hash() {
    let app = app().await;
    let query = "query Ping { __typename }";
    let hash = khuyenhoc_server::documents::sha256_hex(query);
    let (status, body) = post_raw(&app, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), Some("PERSISTED_QUERY_NOT_FOUND"));
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
    let (_, body) = post_raw(
        &app,
        json!({ "query": query, "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
    let (_, body) = post_raw(&app, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
    // A hash that is not the query's.
    let (status, body) = post_raw(
        &app,
        json!({ "query": "{ __typename }", "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), Some("PERSISTED_QUERY_HASH_MISMATCH"));
    // A persisted mutation is still refused over GET.
    let mutation = "mutation { refreshToken { token } }";
    let mutation_hash = khuyenhoc_server::documents::sha256_hex(mutation);
    post_raw(
        &app,
        json!({ "query": mutation, "extensions": persisted(&mutation_hash) }),
    )
    .await;
    let extensions = persisted(&mutation_hash).to_string();
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("extensions", extensions.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    still_answers(&app).await;
}

#[tokio::test]
async fn trusted_mode_runs_only_registered_operations() {
    let dir = tempfile::tempdir().unwrap();
    let registered = "query Viewer { viewer { user { email } } }";
    let manifest = dir.path().join("operations.json");
    std::fs::write(
        &manifest,
        json!({ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [
            { "id": khuyenhoc_server::documents::sha256_hex(registered), "name": "Viewer", "type": "query", "body": registered }
        ] })
        .to_string(),
    )
    .unwrap();
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.documents.trusted_only = true;
        config.documents.manifest = Some(manifest.clone());
    })
    .await;
    let token = app.token(CENTRAL_ADMIN).await;
    let (status, body) = app.post(Some(&token), registered, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["user"]["email"], CENTRAL_ADMIN);
    for unregistered in ["{ viewer { user { email } } }", "{ __typename }"] {
        let (status, body) = app.post(Some(&token), unregistered, json!({})).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(error_code(&body), Some("OPERATION_NOT_TRUSTED"));
    }
    let (status, body) = post_raw(
        &app,
        json!({ "extensions": persisted(&khuyenhoc_server::documents::sha256_hex("{ x }")) }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), Some("OPERATION_NOT_TRUSTED"));
}

/// Error responses of every kind, scanned for internals: SQL, driver names, file paths, panics.
#[tokio::test]
async fn error_responses_never_leak_internals() {
    let app = app().await;
    let token = app.token(HANOI_ADMIN).await;
    let absent = app.absent_id("Organisation");
    let attempts: Vec<(Option<&str>, String, Value)> = vec![
        (None, "{ organisations { nodes { id } } }".into(), json!({})),
        (Some(&token), "{ organisation(id: \"bm90LWFuLWlk\") { id } }".into(), json!({})),
        (Some(&token), "{ organisations(first: -5) { nodes { id } } }".into(), json!({})),
        (Some(&token), "{ organisations(first: 5, after: \"garbage\") { nodes { id } } }".into(), json!({})),
        (Some(&token), "query($id: ID!) { node(id: $id) { id } }".into(), json!({ "id": absent })),
        (
            Some(&token),
            r#"mutation($id: ID!) { updateOrganisation(input: {id: $id, version: 99, name: "x"}) { organisation { id } } }"#.into(),
            json!({ "id": absent }),
        ),
        (
            Some(&token),
            r#"mutation { createOrganisation(input: {parentId: "T3JnYW5pc2F0aW9uOjE", code: "'; DROP TABLE organisation; --", name: "x", kind: COMMUNE}) { userErrors { field code message } } }"#.into(),
            json!({}),
        ),
        (Some("not.a.token"), "{ viewer { user { id } } }".into(), json!({})),
        (Some(&token), "{ organisations(filter: {search: \"%_\\\\\"}) { nodes { id } } }".into(), json!({})),
    ];
    for (token, query, variables) in attempts {
        let (_, body) = app.post(token, &query, variables).await;
        let text = body.to_string();
        let lower = text.to_lowercase();
        for leak in [
            "select ",
            "insert ",
            "sqlx",
            "sqlite",
            "postgres",
            "panicked",
            ".rs:",
            "/work/",
            "/home/",
            "stack backtrace",
            "sea_orm",
            "dberr",
        ] {
            assert!(!lower.contains(leak), "{leak:?} leaked by {query}: {text}");
        }
        if body.get("errors").is_some() {
            assert!(
                error_code(&body).is_some(),
                "every error has a code: {text}"
            );
        }
    }
    assert_eq!(
        app.count_where("organisation", "code LIKE '%DROP%'").await,
        0
    );
    still_answers(&app).await;
}

#[tokio::test]
async fn production_hides_introspection_suggestions_and_graphiql() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.profile = khuyenhoc_server::Profile::Production;
        config.auth.jwt_secret = Some("a-production-secret-of-at-least-32-bytes!".into());
    })
    .await;
    let (_, body) = app
        .post(None, "{ __schema { types { name } } }", json!({}))
        .await;
    // Introspection is answered as if the schema were empty: nothing about it leaks.
    assert!(body["data"]["__schema"].is_null(), "{body}");
    assert!(!body.to_string().contains("Organisation"), "{body}");
    let token = app.token(CENTRAL_ADMIN).await;
    let (_, body) = app
        .post(Some(&token), "{ organisatons { nodes { id } } }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("GRAPHQL_VALIDATION_FAILED"));
    assert!(
        !body.to_string().contains("Did you mean"),
        "no suggestions: {body}"
    );
    let graphiql = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(graphiql.status(), 404);
    still_answers(&app).await;
}
