//! Organisation administration: create, update, archive, move and merge, with roles enforced,
//! versions checked, audit recorded, and scope right the moment a change commits.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

const CREATE: &str = r#"mutation($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { organisation { id code name kind version parent { code } } userErrors { field code message } }
}"#;
const UPDATE: &str = r#"mutation($input: UpdateOrganisationInput!) {
  updateOrganisation(input: $input) { organisation { id name version } userErrors { field code } }
}"#;
const MOVE: &str = r#"mutation($input: MoveOrganisationInput!) {
  moveOrganisation(input: $input) { organisation { id code version parent { code } ancestors { code } } userErrors { field code } }
}"#;
const MERGE: &str = r#"mutation($input: MergeOrganisationInput!) {
  mergeOrganisation(input: $input) { organisation { id status mergedInto { code } } userErrors { field code } }
}"#;
const ORG: &str = "query($id: ID!) { organisation(id: $id) { id code version status children(first: 100) { totalCount nodes { code } } } }";

async fn create_commune(app: &TestApp, admin: &str, parent: &str, code: &str, name: &str) -> Value {
    app.gql_as(
        admin,
        CREATE,
        json!({ "input": { "parentId": parent, "code": code, "name": name, "kind": "COMMUNE" } }),
    )
    .await
}

on_both!(
    a_province_admin_creates_a_commune_and_validation_reports_every_field,
    |app| {
        let hanoi = app.org_id("HN").await;
        let body = create_commune(
            app,
            HANOI_ADMIN,
            &hanoi,
            "hn-test-1",
            "Hội Khuyến học phường Thử Nghiệm",
        )
        .await;
        let created = &body["data"]["createOrganisation"];
        assert_eq!(created["userErrors"], json!([]), "{body}");
        assert_eq!(created["organisation"]["code"], "HN-TEST-1");
        assert_eq!(created["organisation"]["parent"]["code"], "HN");
        let bad = app
        .data_as(HANOI_ADMIN, CREATE, json!({ "input": { "parentId": hanoi, "code": "bad code!", "name": " ", "kind": "PROVINCIAL" } }))
        .await;
        let mut fields: Vec<(String, String)> = bad["createOrganisation"]["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                ("code".into(), "INVALID_FORMAT".into()),
                ("kind".into(), "INVALID_PARENT".into()),
                ("name".into(), "REQUIRED".into())
            ]
        );
        let duplicate = create_commune(app, HANOI_ADMIN, &hanoi, "HN-TEST-1", "Trùng mã").await;
        assert_eq!(
            duplicate["data"]["createOrganisation"]["userErrors"][0]["code"],
            "DUPLICATE"
        );
        assert!(
            app.count("audit_event WHERE entity_type = 'Organisation' AND action = 'create'")
                .await
                >= 1
        );
    }
);

on_both!(writes_outside_reach_are_not_found_or_forbidden, |app| {
    let hanoi = app.org_id("HN").await;
    let hcm = app.org_id("HCM").await;
    let before = app.count("organisation").await;
    // A sibling province does not exist for Hà Nội's admin.
    let body = create_commune(app, HANOI_ADMIN, &hcm, "X-1", "Không được").await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    // A commune editor can read its province but cannot write at province level.
    let body = create_commune(app, COMMUNE_EDITOR, &hanoi, "X-2", "Không được").await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    let body = app
        .gql_as(
            COMMUNE_EDITOR,
            UPDATE,
            json!({ "input": { "id": hanoi, "version": 1, "name": "Đổi tên" } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    // Viewers never write.
    let body = app
        .gql_as(
            HANOI_VIEWER,
            UPDATE,
            json!({ "input": { "id": hanoi, "version": 1, "name": "Đổi tên" } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    assert_eq!(app.count("organisation").await, before, "nothing written");
});

on_both!(stale_versions_conflict, |app| {
    let hanoi = app.org_id("HN").await;
    let current = app
        .data_as(CENTRAL_ADMIN, ORG, json!({ "id": hanoi }))
        .await;
    let version = current["organisation"]["version"].as_i64().unwrap();
    let ok = app
        .data_as(HANOI_ADMIN, UPDATE, json!({ "input": { "id": hanoi, "version": version, "name": "Hội Khuyến học Thủ đô Hà Nội" } }))
        .await;
    assert_eq!(
        ok["updateOrganisation"]["organisation"]["version"].as_i64(),
        Some(version + 1)
    );
    let stale = app
        .gql_as(
            HANOI_ADMIN,
            UPDATE,
            json!({ "input": { "id": hanoi, "version": version, "name": "Lần hai" } }),
        )
        .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"));
});

on_both!(
    moving_a_commune_moves_its_subtree_and_access_at_once,
    |app| {
        let hanoi = app.org_id("HN").await;
        let hcm = app.org_id("HCM").await;
        let created = create_commune(
            app,
            CENTRAL_ADMIN,
            &hanoi,
            "MOVE-ME",
            "Hội Khuyến học xã Di Chuyển",
        )
        .await;
        let commune = created["data"]["createOrganisation"]["organisation"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let child = app
        .data_as(
            CENTRAL_ADMIN,
            CREATE,
            json!({ "input": { "parentId": commune, "code": "MOVE-ME-CHILD", "name": "Chi hội thôn Theo", "kind": "LOCAL_BRANCH" } }),
        )
        .await;
        let child_id = child["createOrganisation"]["organisation"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // Hà Nội's admin may not move it into HCM (it does not administer HCM).
        let body = app
            .gql_as(
                HANOI_ADMIN,
                MOVE,
                json!({ "input": { "id": commune, "newParentId": hcm, "version": 1 } }),
            )
            .await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"));
        let moved = app
            .data_as(
                CENTRAL_ADMIN,
                MOVE,
                json!({ "input": { "id": commune, "newParentId": hcm, "version": 1 } }),
            )
            .await;
        assert_eq!(
            moved["moveOrganisation"]["organisation"]["parent"]["code"],
            "HCM"
        );
        // Access follows the new path immediately, for the moved node and its descendants.
        let q = "query($id: ID!) { organisation(id: $id) { code ancestors { code } } }";
        let seen_by_hanoi = app.data_as(HANOI_ADMIN, q, json!({ "id": child_id })).await;
        assert_eq!(seen_by_hanoi["organisation"], Value::Null);
        let seen_by_hcm = app.data_as(HCM_ADMIN, q, json!({ "id": child_id })).await;
        assert_eq!(
            seen_by_hcm["organisation"]["ancestors"],
            json!([{ "code": "VAPE" }, { "code": "HCM" }, { "code": "MOVE-ME" }])
        );
        // A cycle is refused.
        let cycle = app
            .data_as(
                CENTRAL_ADMIN,
                MOVE,
                json!({ "input": { "id": commune, "newParentId": child_id, "version": 2 } }),
            )
            .await;
        assert_eq!(cycle["moveOrganisation"]["userErrors"][0]["code"], "CYCLE");
    }
);

on_both!(merging_keeps_every_record_and_old_ids_resolve, |app| {
    let hanoi = app.org_id("HN").await;
    let a = create_commune(app, CENTRAL_ADMIN, &hanoi, "MERGE-A", "Hội Khuyến học xã A").await;
    let b = create_commune(app, CENTRAL_ADMIN, &hanoi, "MERGE-B", "Hội Khuyến học xã B").await;
    let a = a["data"]["createOrganisation"]["organisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = b["data"]["createOrganisation"]["organisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let a_child = app
        .data_as(CENTRAL_ADMIN, CREATE, json!({ "input": { "parentId": a, "code": "MERGE-A-1", "name": "Chi hội thôn Một", "kind": "LOCAL_BRANCH" } }))
        .await;
    let a_child = a_child["createOrganisation"]["organisation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Someone holds a role in A.
    let invited = app
        .data_as(
            HANOI_ADMIN,
            "mutation($org: ID!) { inviteUser(input: {email: \"xa.a@demo.khuyenhoc.vn\", displayName: \"Cán bộ xã A\", password: \"mat-khau-dai-du\", organisationId: $org, role: EDITOR}) { membership { id } userErrors { code } } }",
            json!({ "org": a }),
        )
        .await;
    assert!(
        invited["inviteUser"]["membership"]["id"].is_string(),
        "{invited}"
    );
    let organisations_before = app.count("organisation").await;
    let merged = app
        .data_as(
            HANOI_ADMIN,
            MERGE,
            json!({ "input": { "sourceId": a, "targetId": b, "version": 1 } }),
        )
        .await;
    let merged = &merged["mergeOrganisation"]["organisation"];
    assert_eq!(merged["status"], "MERGED");
    assert_eq!(merged["mergedInto"]["code"], "MERGE-B");
    assert_eq!(
        app.count("organisation").await,
        organisations_before,
        "no organisation deleted"
    );
    // The old id still resolves; the child now sits under B; the member now works in B.
    let target = app.data_as(CENTRAL_ADMIN, ORG, json!({ "id": b })).await;
    assert_eq!(
        target["organisation"]["children"]["nodes"],
        json!([{ "code": "MERGE-A-1" }])
    );
    let child = app
        .data_as(
            CENTRAL_ADMIN,
            "query($id: ID!) { organisation(id: $id) { ancestors { code } } }",
            json!({ "id": a_child }),
        )
        .await;
    assert_eq!(
        child["organisation"]["ancestors"],
        json!([{ "code": "VAPE" }, { "code": "HN" }, { "code": "MERGE-B" }])
    );
    let member = app
        .data_as(
            "xa.a@demo.khuyenhoc.vn",
            "{ viewer { memberships { organisation { code } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        member["viewer"]["memberships"],
        json!([{ "organisation": { "code": "MERGE-B" } }])
    );
    let audit = app
        .data_as(
            AUDITOR,
            "{ auditEvents(filter: {action: \"merge\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(audit["auditEvents"]["totalCount"], 2);
});
