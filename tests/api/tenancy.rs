//! Tenant isolation on the demo data: partners see only their programs, sibling provinces never
//! see each other's records, a commune cannot write at province level, and out of scope looks
//! exactly like missing.
//!
//! The expected sets are computed with plain SQL over the same database, written from the scope
//! rules in the README, independently of the Rust scope code.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

const PROGRAMS: &str = r#"query($first: Int, $after: String) {
  programs(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id code owner { code } parties { organisation { code } } }
  }
}"#;

const SESSIONS: &str = r#"query($first: Int, $after: String) {
  trainingSessions(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id title organiser { code } program { code } }
  }
}"#;

const REPORTS: &str = r#"query($first: Int, $after: String) {
  programReports(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id title reportingOrganisation { code } program { code } }
  }
}"#;

/// Every node of a connection at `root`, following pages.
async fn all_nodes(app: &TestApp, email: &str, query: &str, root: &str) -> Vec<Value> {
    let mut nodes = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .data_as(email, query, json!({ "first": 50, "after": after }))
            .await;
        let connection = &data[root];
        nodes.extend(connection["nodes"].as_array().cloned().unwrap_or_default());
        if connection["pageInfo"]["hasNextPage"] != true {
            return nodes;
        }
        after = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
}

fn field_set(nodes: &[Value], pointer: &str) -> BTreeSet<String> {
    nodes
        .iter()
        .filter_map(|n| {
            n.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

on_both!(a_partner_sees_exactly_the_programs_it_is_party_to, |app| {
    let expected: BTreeSet<String> = app
        .strings(
            "SELECT DISTINCT p.code AS s FROM program p \
             JOIN program_party pp ON pp.program_id = p.id AND pp.removed_at IS NULL \
             JOIN organisation o ON o.id = pp.organisation_id \
             WHERE (o.code = 'MOET' OR o.code LIKE 'MOET-%') AND p.archived_at IS NULL",
        )
        .await
        .into_iter()
        .collect();
    assert!(!expected.is_empty(), "the demo has programs with MOET");
    let seen = all_nodes(app, MOET_PARTNER, PROGRAMS, "programs").await;
    assert_eq!(field_set(&seen, "/code"), expected);

    // A program the ministry is not party to is invisible, by list and by id.
    let foreign = app
        .strings(
            "SELECT p.code AS s FROM program p WHERE NOT EXISTS (SELECT 1 FROM program_party pp \
             JOIN organisation o ON o.id = pp.organisation_id \
             WHERE pp.program_id = p.id AND (o.code = 'MOET' OR o.code LIKE 'MOET-%'))",
        )
        .await;
    assert!(!foreign.is_empty());
    let everything = all_nodes(app, CENTRAL_ADMIN, PROGRAMS, "programs").await;
    for program in everything.iter().filter(|p| {
        p["code"]
            .as_str()
            .is_some_and(|c| foreign.iter().any(|f| f == c))
    }) {
        let data = app
            .data_as(
                MOET_PARTNER,
                "query($id: ID!) { program(id: $id) { id } node(id: $id) { id } }",
                json!({ "id": program["id"] }),
            )
            .await;
        assert_eq!(data, json!({ "program": null, "node": null }), "{program}");
    }

    // Nothing of the association tree is readable beyond the parties it works with.
    let orgs = app
        .data_as(
            MOET_PARTNER,
            "{ organisations(first: 100) { nodes { code kind } } }",
            json!({}),
        )
        .await;
    let kinds = field_set(orgs["organisations"]["nodes"].as_array().unwrap(), "/kind");
    assert!(
        !kinds.contains("COMMUNE") && !kinds.contains("PROVINCIAL"),
        "a ministry sees no branches: {orgs}"
    );
});

on_both!(
    a_partner_sees_the_sessions_and_reports_of_its_programs,
    |app| {
        let programs = field_set(
            &all_nodes(app, MOET_PARTNER, PROGRAMS, "programs").await,
            "/code",
        );
        let sessions = all_nodes(app, MOET_PARTNER, SESSIONS, "trainingSessions").await;
        assert!(
            !sessions.is_empty(),
            "the ministry's programs have sessions"
        );
        for session in &sessions {
            let in_program = session["program"]["code"]
                .as_str()
                .is_some_and(|c| programs.contains(c));
            let co_organised = app
                .strings(&format!(
                    "SELECT o.code AS s FROM session_co_organiser c \
                 JOIN organisation o ON o.id = c.organisation_id \
                 JOIN training_session t ON t.id = c.session_id WHERE t.title = '{}'",
                    session["title"].as_str().unwrap().replace('\'', "''")
                ))
                .await
                .iter()
                .any(|c| c.starts_with("MOET"));
            assert!(in_program || co_organised, "{session}");
        }
        let expected_sessions: BTreeSet<String> = app
            .strings(
                "SELECT DISTINCT t.title AS s FROM training_session t \
             JOIN program_party pp ON pp.program_id = t.program_id AND pp.removed_at IS NULL \
             JOIN organisation o ON o.id = pp.organisation_id \
             WHERE (o.code = 'MOET' OR o.code LIKE 'MOET-%') AND t.archived_at IS NULL",
            )
            .await
            .into_iter()
            .collect();
        let seen_titles = field_set(&sessions, "/title");
        assert!(
            expected_sessions.is_subset(&seen_titles),
            "every session of its programs: {expected_sessions:?} ⊆ {seen_titles:?}"
        );

        let reports = all_nodes(app, MOET_PARTNER, REPORTS, "programReports").await;
        for report in &reports {
            let program = report["program"]["code"].as_str().unwrap_or_default();
            assert!(programs.contains(program), "{report}");
        }
    }
);

on_both!(sibling_provinces_never_see_each_others_records, |app| {
    for (me, mine, sibling) in [(HCM_ADMIN, "HCM", "HN"), (HANOI_ADMIN, "HN", "HCM")] {
        let sessions = all_nodes(app, me, SESSIONS, "trainingSessions").await;
        let organisers = field_set(&sessions, "/organiser/code");
        assert!(
            organisers.iter().any(|c| c.starts_with(mine)),
            "{me} sees its own sessions: {organisers:?}"
        );
        assert!(
            !organisers.iter().any(|c| c.starts_with(sibling)),
            "{me} sees no session of {sibling}: {organisers:?}"
        );
        let reports = all_nodes(app, me, REPORTS, "programReports").await;
        let reporters = field_set(&reports, "/reportingOrganisation/code");
        assert!(
            !reporters.iter().any(|c| c.starts_with(sibling)),
            "{me} sees no report of {sibling}: {reporters:?}"
        );
        let orgs = app
            .data_as(
                me,
                "query($s: String) { organisations(filter: {search: $s}, first: 100) { nodes { code } } }",
                json!({ "s": sibling }),
            )
            .await;
        assert!(
            !field_set(orgs["organisations"]["nodes"].as_array().unwrap(), "/code")
                .iter()
                .any(|c| c == sibling || c.starts_with(&format!("{sibling}-"))),
            "{me}: {orgs}"
        );
    }

    // Both implement the national education program; each sees only its own sessions under it.
    let national = all_nodes(app, HANOI_ADMIN, PROGRAMS, "programs")
        .await
        .into_iter()
        .find(|p| p["code"] == "CTPH-BGDDT-2021")
        .expect("Hà Nội reads the national program");
    let query = r#"query($id: ID!) { program(id: $id) { code trainingSessions(first: 100) { nodes { id organiser { code } } } } }"#;
    let by_hanoi = app
        .data_as(HANOI_ADMIN, query, json!({ "id": national["id"] }))
        .await;
    let by_hcm = app
        .data_as(HCM_ADMIN, query, json!({ "id": national["id"] }))
        .await;
    assert_eq!(by_hcm["program"]["code"], "CTPH-BGDDT-2021");
    let hanoi_sessions: Vec<Value> = by_hanoi["program"]["trainingSessions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["organiser"]["code"] == "HN")
        .cloned()
        .collect();
    assert!(!hanoi_sessions.is_empty(), "{by_hanoi}");
    assert!(
        !by_hcm["program"]["trainingSessions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["organiser"]["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("HN"))),
        "{by_hcm}"
    );
    // And by id, Hà Nội's session under the shared program is as missing to HCM as a bogus id.
    let data = app
        .data_as(
            HCM_ADMIN,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": hanoi_sessions[0]["id"] }),
        )
        .await;
    assert_eq!(data["node"], Value::Null);
});

on_both!(out_of_scope_reads_and_writes_look_like_missing, |app| {
    let hcm = app.org_id("HCM").await;
    let absent = app.absent_id("Organisation");
    let read = "query($id: ID!) { organisation(id: $id) { id } node(id: $id) { id } }";
    let out_of_scope = app.gql_as(HANOI_ADMIN, read, json!({ "id": hcm })).await;
    let missing = app.gql_as(HANOI_ADMIN, read, json!({ "id": absent })).await;
    assert_eq!(out_of_scope, missing);
    assert_eq!(out_of_scope["data"]["node"], Value::Null);

    let update = r#"mutation($id: ID!) { updateOrganisation(input: {id: $id, version: 1, name: "Đổi tên"}) { organisation { id } } }"#;
    let before = app.count_where("organisation", "name = 'Đổi tên'").await;
    let out_of_scope = app.gql_as(HANOI_ADMIN, update, json!({ "id": hcm })).await;
    let missing = app
        .gql_as(HANOI_ADMIN, update, json!({ "id": absent }))
        .await;
    assert_eq!(
        error_code(&out_of_scope),
        Some("NOT_FOUND"),
        "{out_of_scope}"
    );
    assert_eq!(
        out_of_scope["errors"][0]["message"],
        missing["errors"][0]["message"]
    );
    assert_eq!(
        app.count_where("organisation", "name = 'Đổi tên'").await,
        before
    );
});

on_both!(a_commune_editor_cannot_write_at_province_level, |app| {
    let hanoi = app.org_id("HN").await;
    let version = app
        .data_as(
            CENTRAL_ADMIN,
            "query($id: ID!) { organisation(id: $id) { version } }",
            json!({ "id": hanoi }),
        )
        .await["organisation"]["version"]
        .clone();
    let body = app
        .gql_as(
            COMMUNE_EDITOR,
            r#"mutation($id: ID!, $v: Int!) { updateOrganisation(input: {id: $id, version: $v, name: "Chiếm quyền"}) { organisation { id } } }"#,
            json!({ "id": hanoi, "v": version }),
        )
        .await;
    // Hà Nội is an ancestor the editor may read, so this is a refusal, not a pretend absence.
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = app
        .gql_as(
            COMMUNE_EDITOR,
            r#"mutation($p: ID!) { createOrganisation(input: {parentId: $p, code: "HN-ROGUE", name: "Chi hội giả", kind: COMMUNE}) { organisation { id } } }"#,
            json!({ "p": hanoi }),
        )
        .await;
    assert!(
        matches!(error_code(&body), Some("FORBIDDEN")),
        "an editor creates no organisations: {body}"
    );
    assert_eq!(
        app.count_where("organisation", "code = 'HN-ROGUE'").await,
        0
    );
    assert_eq!(
        app.count_where("organisation", "name = 'Chiếm quyền'")
            .await,
        0
    );
});

on_both!(only_auditors_and_admins_read_the_audit_log, |app| {
    let query = "{ auditEvents(first: 100) { nodes { id entityType } } }";
    // A viewer's list is simply empty: the audit log is outside what it may read.
    let data = app.data_as(HANOI_VIEWER, query, json!({})).await;
    assert_eq!(data["auditEvents"]["nodes"], json!([]));
    let body = app.gql_as(AUDITOR, query, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert!(
        !body["data"]["auditEvents"]["nodes"]
            .as_array()
            .unwrap()
            .is_empty(),
        "the seed is audited: {body}"
    );
});

on_both!(links_cannot_name_organisations_outside_reach, |app| {
    let hanoi = app.org_id("HN").await;
    let hcm = app.org_id("HCM").await;
    let moet = app.org_id("MOET").await;
    let absent = app.absent_id("Organisation");
    let program = app
        .data_as(
            HANOI_ADMIN,
            r#"mutation($o: ID!) { createProgram(input: {ownerId: $o, code: "CTPH-HN-LINK", title: "Chương trình thử liên kết", startsOn: "2026-01-01", endsOn: "2027-12-31"}) { program { id version } userErrors { field code } } }"#,
            json!({ "o": hanoi }),
        )
        .await["createProgram"]["program"]
        .clone();
    let add = r#"mutation($p: ID!, $v: Int!, $o: ID!, $r: PartyRole!) { addProgramParty(input: {programId: $p, version: $v, organisationId: $o, role: $r}) { party { id } userErrors { field code message } } }"#;
    let attempt = |org: &str, role: &str| json!({ "p": program["id"], "v": program["version"], "o": org, "r": role });
    // A sibling province answers exactly like an id that does not exist.
    let sibling = app
        .data_as(HANOI_ADMIN, add, attempt(&hcm, "COORDINATOR"))
        .await;
    let missing = app
        .data_as(HANOI_ADMIN, add, attempt(&absent, "COORDINATOR"))
        .await;
    assert_eq!(
        sibling["addProgramParty"]["userErrors"],
        missing["addProgramParty"]["userErrors"]
    );
    assert_eq!(
        sibling["addProgramParty"]["userErrors"][0]["code"], "NOT_FOUND",
        "{sibling}"
    );
    // A partner body, a public institution, can be named before it is readable.
    let partner = app
        .data_as(HANOI_ADMIN, add, attempt(&moet, "PARTNER"))
        .await;
    assert!(partner["addProgramParty"]["party"].is_object(), "{partner}");

    // The same for a session's co-organisers.
    let starts = chrono::Utc::now() + chrono::Duration::days(9);
    let plan = |co: &str| {
        json!({ "input": { "organiserId": hanoi, "startsAt": starts.to_rfc3339(),
            "endsAt": (starts + chrono::Duration::hours(2)).to_rfc3339(),
            "details": { "title": "Tập huấn liên kết", "mode": "IN_PERSON", "venue": "Hà Nội", "coOrganiserIds": [co] } } })
    };
    let query = r#"mutation($input: PlanTrainingSessionInput!) { planTrainingSession(input: $input) { session { id } userErrors { field code } } }"#;
    let sibling = app.data_as(HANOI_ADMIN, query, plan(&hcm)).await;
    let missing = app.data_as(HANOI_ADMIN, query, plan(&absent)).await;
    assert_eq!(sibling, missing);
    assert_eq!(
        sibling["planTrainingSession"]["userErrors"][0]["code"],
        "NOT_FOUND"
    );
    assert_eq!(
        app.count_where("training_session", "title = 'Tập huấn liên kết'")
            .await,
        0
    );
});
