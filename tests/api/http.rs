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
