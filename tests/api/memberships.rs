//! Users and memberships: an ADMIN grants roles only within its own reach, revoking works at
//! once, and sign-ins (failed ones too) are in the audit log.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

const INVITE: &str = r#"mutation($input: InviteUserInput!) {
  inviteUser(input: $input) { membership { id role organisation { code } } userErrors { field code } }
}"#;
const LOGIN: &str =
    r#"mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }"#;
const VIEWER: &str = "{ viewer { user { email } memberships { role organisation { code } } } }";

fn invite(org: &str, email: &str, role: &str) -> Value {
    json!({ "input": { "organisationId": org, "email": email, "displayName": "Cán bộ thử", "password": "mat-khau-du-dai-1", "role": role } })
}

on_both!(an_admin_grants_roles_only_within_its_own_reach, |app| {
    let ba_dinh = app.org_id("HN-BADINH").await;
    let hcm = app.org_id("HCM").await;
    let centre = app.org_id("VAPE").await;
    let users_before = app.count("app_user").await;

    // Within its subtree: granted, and the new user works with exactly that reach.
    let data = app
        .data_as(
            HANOI_ADMIN,
            INVITE,
            invite(&ba_dinh, "can.bo.moi@demo.khuyenhoc.vn", "EDITOR"),
        )
        .await;
    assert_eq!(
        data["inviteUser"]["membership"]["organisation"]["code"], "HN-BADINH",
        "{data}"
    );
    let (_, body) = app
        .post(
            None,
            LOGIN,
            json!({ "e": "can.bo.moi@demo.khuyenhoc.vn", "p": "mat-khau-du-dai-1" }),
        )
        .await;
    let token = body["data"]["login"]["token"].as_str().unwrap().to_owned();
    let (_, viewer) = app.post(Some(&token), VIEWER, json!({})).await;
    assert_eq!(
        viewer["data"]["viewer"]["memberships"],
        json!([{ "role": "EDITOR", "organisation": { "code": "HN-BADINH" } }])
    );

    // A sibling province is as missing as a bogus id; an ancestor is readable but not grantable.
    let sibling = app
        .gql_as(
            HANOI_ADMIN,
            INVITE,
            invite(&hcm, "xam.nhap@demo.khuyenhoc.vn", "ADMIN"),
        )
        .await;
    assert_eq!(error_code(&sibling), Some("NOT_FOUND"), "{sibling}");
    let upward = app
        .gql_as(
            HANOI_ADMIN,
            INVITE,
            invite(&centre, "leo.thang@demo.khuyenhoc.vn", "ADMIN"),
        )
        .await;
    assert_eq!(error_code(&upward), Some("FORBIDDEN"), "{upward}");
    // Editors and viewers grant nothing, even inside their own organisation.
    for who in [COMMUNE_EDITOR, HANOI_VIEWER] {
        let body = app
            .gql_as(
                who,
                INVITE,
                invite(&ba_dinh, "khong.duoc@demo.khuyenhoc.vn", "VIEWER"),
            )
            .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{who}: {body}");
    }
    assert_eq!(app.count("app_user").await, users_before + 1);
});

on_both!(a_revoked_membership_stops_working_at_once, |app| {
    let ba_dinh = app.org_id("HN-BADINH").await;
    let data = app
        .data_as(
            HANOI_ADMIN,
            INVITE,
            invite(&ba_dinh, "tam.thoi@demo.khuyenhoc.vn", "EDITOR"),
        )
        .await;
    let membership = data["inviteUser"]["membership"]["id"].clone();
    let token = app.token("tam.thoi@demo.khuyenhoc.vn").await;
    let orgs = "{ organisations(first: 5) { nodes { code } } }";
    let (_, before) = app.post(Some(&token), orgs, json!({})).await;
    assert!(
        !before["data"]["organisations"]["nodes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let revoked = app
        .data_as(
            HANOI_ADMIN,
            "mutation($id: ID!) { revokeMembership(input: {id: $id}) { membership { id } userErrors { code } } }",
            json!({ "id": membership }),
        )
        .await;
    assert_eq!(revoked["revokeMembership"]["userErrors"], json!([]));
    // The same, still unexpired token now reads nothing.
    let (_, after) = app.post(Some(&token), orgs, json!({})).await;
    assert_eq!(
        after["data"]["organisations"]["nodes"],
        json!([]),
        "{after}"
    );
    let (_, viewer) = app.post(Some(&token), VIEWER, json!({})).await;
    assert_eq!(viewer["data"]["viewer"]["memberships"], json!([]));
});

on_both!(sign_ins_and_failed_sign_ins_are_audited, |app| {
    for password in ["sai-mat-khau", "demo-password"] {
        app.post(None, LOGIN, json!({ "e": HANOI_VIEWER, "p": password }))
            .await;
    }
    let query = r#"query($a: String) { auditEvents(first: 10, filter: {action: $a}) { nodes { action entityType changes actor { email } } } }"#;
    for action in ["login", "login_failed"] {
        let data = app.data_as(AUDITOR, query, json!({ "a": action })).await;
        let events = data["auditEvents"]["nodes"].as_array().unwrap();
        assert!(!events.is_empty(), "{action}: {data}");
        let text = data.to_string();
        assert!(
            !text.contains("sai-mat-khau") && !text.contains("demo-password"),
            "no passwords in the audit log: {text}"
        );
    }
});
