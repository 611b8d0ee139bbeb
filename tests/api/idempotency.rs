//! Retry-safe writes: the same `Idempotency-Key` never writes twice, also when copies race.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

const CREATE: &str = r#"mutation($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { organisation { id code } userErrors { field code } }
}"#;

async fn send(
    app: &TestApp,
    token: &str,
    key: Option<&str>,
    input: &Value,
) -> (u16, Option<String>, Value) {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": CREATE, "variables": { "input": input } }));
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, replayed, response.json().await.unwrap())
}

on_both!(
    racing_copies_with_one_key_write_once_and_share_the_answer,
    |app| {
        let hanoi = app.org_id("HN").await;
        let token = app.token(HANOI_ADMIN).await;
        let input = json!({ "parentId": hanoi, "code": "HN-IDEM", "name": "Phường Thử Lặp", "kind": "COMMUNE" });
        let copies = (0..6).map(|_| send(app, &token, Some("tao-phuong-thu-lap-1"), &input));
        let answers = futures::future::join_all(copies).await;
        assert_eq!(app.count_where("organisation", "code = 'HN-IDEM'").await, 1);
        let first = &answers[0].2;
        let id = first["data"]["createOrganisation"]["organisation"]["id"].clone();
        assert!(id.is_string(), "{first}");
        for (status, _, body) in &answers {
            assert_eq!(*status, 200, "{body}");
            assert_eq!(body, first, "every copy gets the first answer");
        }
        let replayed = answers
            .iter()
            .filter(|(_, r, _)| r.as_deref() == Some("true"))
            .count();
        assert_eq!(replayed, 5, "all but the first are replays");

        // A later retry is a replay too, and still writes nothing.
        let (_, replay, body) = send(app, &token, Some("tao-phuong-thu-lap-1"), &input).await;
        assert_eq!(replay.as_deref(), Some("true"));
        assert_eq!(body, *first);
        assert_eq!(app.count_where("organisation", "code = 'HN-IDEM'").await, 1);

        // The same key for a different request is refused.
        let other = json!({ "parentId": hanoi, "code": "HN-IDEM-2", "name": "Phường khác", "kind": "COMMUNE" });
        let (status, _, body) = send(app, &token, Some("tao-phuong-thu-lap-1"), &other).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(error_code(&body), Some("IDEMPOTENCY_KEY_REUSED"));
        assert_eq!(
            app.count_where("organisation", "code = 'HN-IDEM-2'").await,
            0
        );

        // Keys are per user: another admin's key of the same name is its own.
        let (_, replay, _) = send(
            app,
            &app.token(CENTRAL_ADMIN).await,
            Some("tao-phuong-thu-lap-1"),
            &other,
        )
        .await;
        assert_eq!(replay, None);
        assert_eq!(
            app.count_where("organisation", "code = 'HN-IDEM-2'").await,
            1
        );

        // A malformed key is a bad request.
        let (status, _, body) = send(app, &token, Some("có dấu"), &input).await;
        assert_eq!(status, 400, "{body}");
    }
);
