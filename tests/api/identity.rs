//! Signing in and token verification: every failure is UNAUTHENTICATED and says nothing more.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token expiresAt viewer { user { email } } } }";
const VIEWER: &str = "{ viewer { user { email } memberships { role organisation { code } } scope { partner read { role organisation { code } } } } }";

on_both!(login_issues_a_working_token, |app| {
    let (_, body) = app
        .post(
            None,
            LOGIN,
            json!({ "e": "Hanoi.Admin@demo.khuyenhoc.vn", "p": "demo-password" }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let token = body["data"]["login"]["token"].as_str().unwrap().to_owned();
    let (_, viewer) = app.post(Some(&token), VIEWER, json!({})).await;
    assert_eq!(viewer["data"]["viewer"]["user"]["email"], HANOI_ADMIN);
    assert_eq!(viewer["data"]["viewer"]["memberships"][0]["role"], "ADMIN");
    assert_eq!(
        viewer["data"]["viewer"]["memberships"][0]["organisation"]["code"],
        "HN"
    );
    assert_eq!(viewer["data"]["viewer"]["scope"]["partner"], false);
});

on_both!(login_failures_look_identical, |app| {
    let wrong_password = app
        .post(
            None,
            LOGIN,
            json!({ "e": HANOI_ADMIN, "p": "wrong-password" }),
        )
        .await
        .1;
    let unknown_email = app
        .post(
            None,
            LOGIN,
            json!({ "e": "nobody@demo.khuyenhoc.vn", "p": "demo-password" }),
        )
        .await
        .1;
    for body in [&wrong_password, &unknown_email] {
        assert_eq!(error_code(body), Some("UNAUTHENTICATED"));
    }
    assert_eq!(
        wrong_password["errors"][0]["message"],
        unknown_email["errors"][0]["message"]
    );
    assert!(app.count("audit_event WHERE action = 'login_failed'").await >= 2);
});

/// Tokens that must all be refused, each crafted to break one rule.
fn foreign_tokens(app: &TestApp) -> Vec<(&'static str, String)> {
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
    let secret = khuyenhoc_server::config::DEVELOPMENT_JWT_SECRET.as_bytes();
    let now = chrono::Utc::now().timestamp();
    let claims = |sub: &str, exp: i64, iss: &str| json!({ "sub": sub, "exp": exp, "iat": now - 10, "iss": iss });
    let sign = |header: Header, claims: Value, key: &[u8]| {
        encode(&header, &claims, &EncodingKey::from_secret(key).unwrap()).unwrap()
    };
    let ours = |claims: Value| sign(Header::new(Algorithm::HS256), claims, secret);
    let good = ours(claims("1", now + 600, "khuyenhoc"));
    let parts: Vec<&str> = good.split('.').collect();
    let b64 = |v: Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let alg_none = format!(
        "{}.{}.",
        b64(json!({ "alg": "none", "typ": "JWT" })),
        parts[1]
    );
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(claims("2", now + 600, "khuyenhoc")),
        parts[2]
    );
    let confused = format!(
        "{}.{}.{}",
        b64(json!({ "alg": "RS256", "typ": "JWT" })),
        parts[1],
        parts[2]
    );
    let _ = app;
    vec![
        ("malformed", "not-a-jwt".to_owned()),
        (
            "wrong signature",
            sign(
                Header::new(Algorithm::HS256),
                claims("1", now + 600, "khuyenhoc"),
                b"another-secret-that-is-32-bytes-long!!",
            ),
        ),
        ("expired", ours(claims("1", now - 3600, "khuyenhoc"))),
        (
            "no expiry",
            ours(json!({ "sub": "1", "iat": now, "iss": "khuyenhoc" })),
        ),
        ("wrong issuer", ours(claims("1", now + 600, "someone-else"))),
        ("alg none", alg_none),
        ("tampered claims", tampered),
        ("rs/hs confusion", confused),
        (
            "HS384",
            sign(
                Header::new(Algorithm::HS384),
                claims("1", now + 600, "khuyenhoc"),
                secret,
            ),
        ),
        (
            "unknown user",
            ours(claims("987654", now + 600, "khuyenhoc")),
        ),
        (
            "non-numeric subject",
            ours(claims("admin", now + 600, "khuyenhoc")),
        ),
    ]
}

on_both!(bad_tokens_are_unauthenticated_without_detail, |app| {
    let mut messages = Vec::new();
    for (what, token) in foreign_tokens(app) {
        let (status, body) = app.post(Some(&token), VIEWER, json!({})).await;
        assert_eq!(status, 401, "{what}: {body}");
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{what}");
        messages.push(body["errors"][0]["message"].clone());
    }
    assert!(
        messages.windows(2).all(|w| w[0] == w[1]),
        "one message for every failure: {messages:?}"
    );
    let (status, _) = app.post(Some("Basic abc"), VIEWER, json!({})).await;
    assert_eq!(status, 401);
});

on_both!(disabled_users_stop_at_once, |app| {
    let viewer_token = app.token(HANOI_VIEWER).await;
    let user = app
        .data_as(
            HANOI_ADMIN,
            "{ users(filter: {search: \"hanoi.viewer\"}) { nodes { id email } } }",
            json!({}),
        )
        .await;
    let id = user["users"]["nodes"][0]["id"].clone();
    let disabled = app
        .data_as(HANOI_ADMIN, "mutation($id: ID!) { disableUser(input: {id: $id}) { user { status } userErrors { code } } }", json!({ "id": id }))
        .await;
    assert_eq!(disabled["disableUser"]["user"]["status"], "DISABLED");
    let (status, body) = app.post(Some(&viewer_token), VIEWER, json!({})).await;
    assert_eq!((status, error_code(&body)), (401, Some("UNAUTHENTICATED")));
    let login = app
        .post(
            None,
            LOGIN,
            json!({ "e": HANOI_VIEWER, "p": "demo-password" }),
        )
        .await
        .1;
    assert_eq!(error_code(&login), Some("UNAUTHENTICATED"));
});

on_both!(a_province_admin_cannot_disable_a_central_account, |app| {
    let body = app
        .gql_as(
            HANOI_ADMIN,
            "{ users(filter: {search: \"central.admin\"}) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["users"]["nodes"],
        json!([]),
        "not even visible"
    );
    let own = app
        .data_as(HANOI_ADMIN, "{ viewer { user { id } } }", json!({}))
        .await;
    let me = own["viewer"]["user"]["id"].clone();
    let body = app
        .gql_as(
            HANOI_ADMIN,
            "mutation($id: ID!) { disableUser(input: {id: $id}) { user { id } } }",
            json!({ "id": me }),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"));
});

on_both!(refresh_gives_a_new_working_token, |app| {
    let data = app
        .data_as(
            COMMUNE_EDITOR,
            "mutation { refreshToken { token viewer { user { email } } } }",
            json!({}),
        )
        .await;
    let token = data["refreshToken"]["token"].as_str().unwrap();
    let (_, body) = app.post(Some(token), VIEWER, json!({})).await;
    assert_eq!(body["data"]["viewer"]["user"]["email"], COMMUNE_EDITOR);
    let _: Value = body;
});
