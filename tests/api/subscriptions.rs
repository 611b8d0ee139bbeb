//! Subscriptions over a real WebSocket (`graphql-transport-ws`): scope at delivery, every kind
//! of change, nothing for a rolled-back write, authentication at `connection_init`, connection
//! limits, keep-alives, and (PostgreSQL) events crossing replicas and surviving a lost listener
//! connection.

mod client;

use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;
use client::{Live, Refused, wait_for_subscriptions};

const ASSESSMENTS: &str = "subscription($within: ID) { assessmentStatusChanged(withinOrganisation: $within) { assessment { id status subjectName organisation { code } } previousStatus status occurredAt } }";
const SESSIONS: &str = "subscription($within: ID) { trainingSessionChanged(withinOrganisation: $within) { session { id title status registeredCount attendedCount organiser { code } } change occurredAt } }";
const REPORTS: &str = "subscription($program: ID) { programReportSubmitted(program: $program) { report { id status reportingOrganisation { code } } occurredAt } }";

const PLAN: &str = r#"mutation($org: ID!, $start: DateTime!, $end: DateTime!, $title: String!) { planTrainingSession(input: {organiserId: $org, startsAt: $start, endsAt: $end, details: {title: $title, venue: "Hội trường"}}) { session { id version } userErrors { field code } } }"#;

/// Runs `mutation` as `email`, fails on any error, and returns the payload of its one field.
async fn mutate(app: &TestApp, email: &str, mutation: &str, variables: Value) -> Value {
    let data = app.data_as(email, mutation, variables).await;
    let payload = data
        .as_object()
        .and_then(|o| o.values().next())
        .cloned()
        .unwrap();
    assert_eq!(
        payload["userErrors"],
        json!([]),
        "{mutation} refused: {payload}"
    );
    payload
}

/// Plans a session organised by `org`, starting `hours` from now; returns `{id, version}`.
async fn plan(app: &TestApp, email: &str, org: &str, hours: i64, title: &str) -> Value {
    let start = Utc::now() + chrono::Duration::hours(hours);
    let end = start + chrono::Duration::hours(3);
    mutate(
        app,
        email,
        PLAN,
        json!({ "org": org, "start": start.to_rfc3339(), "end": end.to_rfc3339(), "title": title }),
    )
    .await["session"]
        .clone()
}

/// A submitted assessment of `org`'s subtree: `{id, version}`.
async fn submitted_assessment(app: &TestApp, org: &str) -> Value {
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            "query($org: ID!) { assessments(filter: {statuses: [SUBMITTED], withinOrganisation: $org}, first: 1) { nodes { id version } } }",
            json!({ "org": org }),
        )
        .await;
    data["assessments"]["nodes"][0].clone()
}

on_both!(an_event_reaches_only_subscribers_who_can_read_it, |app| {
    let hanoi = app.org_id("HN").await;
    let mut hanoi_admin = Live::open(app, HANOI_ADMIN).await;
    let mut hcm_admin = Live::open(app, HCM_ADMIN).await;
    hanoi_admin.subscribe("a", ASSESSMENTS, json!({})).await;
    hanoi_admin.subscribe("s", SESSIONS, json!({})).await;
    hcm_admin.subscribe("a", ASSESSMENTS, json!({})).await;
    hcm_admin.subscribe("s", SESSIONS, json!({})).await;
    wait_for_subscriptions(app, 4).await;

    let assessment = submitted_assessment(app, &hanoi).await;
    mutate(
        app,
        HANOI_ADMIN,
        "mutation($id: ID!, $v: Int!) { returnAssessment(input: {id: $id, version: $v, comment: \"Bổ sung minh chứng\"}) { assessment { id } userErrors { code } } }",
        json!({ "id": assessment["id"], "v": assessment["version"] }),
    )
    .await;
    let change = hanoi_admin.next_data("a").await["assessmentStatusChanged"].clone();
    assert_eq!(change["assessment"]["id"], assessment["id"]);
    assert_eq!(change["assessment"]["status"], "RETURNED");
    assert_eq!(change["previousStatus"], "SUBMITTED");
    assert_eq!(change["status"], "RETURNED");

    let session = plan(app, HANOI_ADMIN, &hanoi, 48, "Tập huấn trực tiếp").await;
    let change = hanoi_admin.next_data("s").await["trainingSessionChanged"].clone();
    assert_eq!(change["session"]["id"], session["id"]);
    assert_eq!(change["change"], "PLANNED");

    // Exactly one delivery each to Hà Nội, none to TP. HCM.
    hanoi_admin.assert_silent(HANOI_ADMIN).await;
    hcm_admin.assert_silent(HCM_ADMIN).await;
});

/// The next session change on `live`, which must be `kind` of `session`.
async fn expect(live: &mut Live, kind: &str, session: &Value) -> Value {
    let change = live.next_data("s").await["trainingSessionChanged"].clone();
    assert_eq!(change["change"], kind, "{change}");
    assert_eq!(change["session"]["id"], session["id"], "{change}");
    change
}

on_both!(
    every_session_change_is_delivered_once_and_rollbacks_never,
    |app| {
        let hanoi = app.org_id("HN").await;
        let mut live = Live::open(app, HANOI_ADMIN).await;
        live.subscribe("s", SESSIONS, json!({ "within": hanoi }))
            .await;
        wait_for_subscriptions(app, 1).await;

        let future = plan(app, HANOI_ADMIN, &hanoi, 72, "Tập huấn kỹ năng số").await;
        expect(&mut live, "PLANNED", &future).await;
        mutate(app, HANOI_ADMIN, r#"mutation($id: ID!) { updateTrainingSession(input: {id: $id, version: 1, details: {title: "Tập huấn kỹ năng số (đợt 2)"}}) { userErrors { code } } }"#, json!({ "id": future["id"] })).await;
        let change = expect(&mut live, "UPDATED", &future).await;
        assert_eq!(change["session"]["title"], "Tập huấn kỹ năng số (đợt 2)");
        let start = (Utc::now() + chrono::Duration::hours(96)).to_rfc3339();
        let end = (Utc::now() + chrono::Duration::hours(99)).to_rfc3339();
        mutate(app, HANOI_ADMIN, "mutation($id: ID!, $s: DateTime!, $e: DateTime!) { rescheduleTrainingSession(input: {id: $id, version: 2, startsAt: $s, endsAt: $e}) { userErrors { code } } }", json!({ "id": future["id"], "s": start, "e": end })).await;
        expect(&mut live, "RESCHEDULED", &future).await;

        // A stale version fails inside the transaction: rolled back, never announced.
        let stale = app
        .gql_as(HANOI_ADMIN, "mutation($id: ID!, $s: DateTime!, $e: DateTime!) { rescheduleTrainingSession(input: {id: $id, version: 1, startsAt: $s, endsAt: $e}) { userErrors { code } } }", json!({ "id": future["id"], "s": start, "e": end }))
        .await;
        assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
        live.assert_silent("a rolled-back reschedule").await;

        let registration = mutate(app, HANOI_ADMIN, r#"mutation($id: ID!) { registerParticipant(input: {sessionId: $id, personName: "Trần Thị Bình"}) { registration { id version } userErrors { code } } }"#, json!({ "id": future["id"] })).await["registration"].clone();
        let change = expect(&mut live, "REGISTRATIONS", &future).await;
        assert_eq!(
            change["session"]["registeredCount"], 1,
            "read fresh: {change}"
        );
        mutate(app, HANOI_ADMIN, "mutation($id: ID!, $v: Int!) { cancelRegistration(input: {id: $id, version: $v}) { userErrors { code } } }", json!({ "id": registration["id"], "v": registration["version"] })).await;
        let change = expect(&mut live, "REGISTRATIONS", &future).await;
        assert_eq!(
            change["session"]["registeredCount"], 0,
            "read fresh: {change}"
        );
        mutate(app, HANOI_ADMIN, r#"mutation($id: ID!) { cancelTrainingSession(input: {id: $id, version: 3, reason: "Trùng lịch"}) { userErrors { code } } }"#, json!({ "id": future["id"] })).await;
        let change = expect(&mut live, "CANCELLED", &future).await;
        assert_eq!(change["session"]["status"], "CANCELLED");
        mutate(app, HANOI_ADMIN, "mutation($id: ID!) { archiveTrainingSession(input: {id: $id, version: 4}) { userErrors { code } } }", json!({ "id": future["id"] })).await;
        expect(&mut live, "ARCHIVED", &future).await;

        // A session that has started: attendance, then held.
        let started = plan(app, HANOI_ADMIN, &hanoi, -1, "Tập huấn đang diễn ra").await;
        expect(&mut live, "PLANNED", &started).await;
        let registration = mutate(app, HANOI_ADMIN, r#"mutation($id: ID!) { registerParticipant(input: {sessionId: $id, personName: "Lê Văn Cường"}) { registration { id version } userErrors { code } } }"#, json!({ "id": started["id"] })).await["registration"].clone();
        expect(&mut live, "REGISTRATIONS", &started).await;
        mutate(app, HANOI_ADMIN, "mutation($id: ID!, $v: Int!) { markAttendance(input: {id: $id, version: $v, attended: true}) { userErrors { code } } }", json!({ "id": registration["id"], "v": registration["version"] })).await;
        let change = expect(&mut live, "ATTENDANCE", &started).await;
        assert_eq!(
            change["session"]["attendedCount"], 1,
            "read fresh: {change}"
        );
        mutate(app, HANOI_ADMIN, "mutation($id: ID!) { markTrainingSessionHeld(input: {id: $id, version: 1}) { userErrors { code } } }", json!({ "id": started["id"] })).await;
        expect(&mut live, "HELD", &started).await;
        live.assert_silent("after the last change").await;
    }
);

on_both!(assessment_steps_are_delivered_with_their_statuses, |app| {
    let commune = app.org_id("HN-BADINH").await;
    let mut editor = Live::open(app, COMMUNE_EDITOR).await;
    editor
        .subscribe("a", ASSESSMENTS, json!({ "within": commune }))
        .await;
    wait_for_subscriptions(app, 1).await;
    let assessment = submitted_assessment(app, &commune).await;
    mutate(
        app,
        HANOI_ADMIN,
        "mutation($id: ID!, $v: Int!) { returnAssessment(input: {id: $id, version: $v, comment: \"Bổ sung\"}) { userErrors { code } } }",
        json!({ "id": assessment["id"], "v": assessment["version"] }),
    )
    .await;
    let change = editor.next_data("a").await["assessmentStatusChanged"].clone();
    assert_eq!(
        (change["previousStatus"].clone(), change["status"].clone()),
        (json!("SUBMITTED"), json!("RETURNED"))
    );
    assert_eq!(
        change["assessment"]["organisation"]["code"]
            .as_str()
            .map(|c| c.starts_with("HN-BADINH")),
        Some(true)
    );
    let version = assessment["version"].as_i64().unwrap() + 1;
    mutate(
        app,
        COMMUNE_EDITOR,
        "mutation($id: ID!, $v: Int!) { resubmitAssessment(input: {id: $id, version: $v}) { userErrors { code } } }",
        json!({ "id": assessment["id"], "v": version }),
    )
    .await;
    let change = editor.next_data("a").await["assessmentStatusChanged"].clone();
    assert_eq!(change["assessment"]["id"], assessment["id"]);
    assert_eq!(
        (change["previousStatus"].clone(), change["status"].clone()),
        (json!("RETURNED"), json!("SUBMITTED"))
    );
    // A refused step (returning without a comment) announces nothing.
    let refused = app
        .gql_as(
            HANOI_ADMIN,
            "mutation($id: ID!, $v: Int!) { returnAssessment(input: {id: $id, version: $v, comment: \" \"}) { userErrors { code } } }",
            json!({ "id": assessment["id"], "v": version + 1 }),
        )
        .await;
    assert_ne!(
        refused["data"]["returnAssessment"]["userErrors"],
        json!([]),
        "{refused}"
    );
    editor.assert_silent("a refused return").await;
});

on_both!(approvals_and_returns_reach_subscribers_in_scope, |app| {
    let commune = app.org_id("HN-BADINH").await;
    // A reader of the commune who is not the approver, and a province that cannot read it.
    let mut viewer = Live::open(app, HANOI_VIEWER).await;
    viewer
        .subscribe("a", ASSESSMENTS, json!({ "within": commune }))
        .await;
    let mut hcm_admin = Live::open(app, HCM_ADMIN).await;
    hcm_admin.subscribe("a", ASSESSMENTS, json!({})).await;
    wait_for_subscriptions(app, 2).await;
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            "query($org: ID!) { assessments(filter: {statuses: [SUBMITTED], withinOrganisation: $org}, first: 2) { nodes { id version periodYear result { rank } } } }",
            json!({ "org": commune }),
        )
        .await;
    let [approved, returned] = [0, 1].map(|i| data["assessments"]["nodes"][i].clone());
    assert!(
        returned["id"].is_string(),
        "two submitted assessments: {data}"
    );

    // A passing result is approved with its recognition decision.
    let mut input =
        json!({ "id": approved["id"], "version": approved["version"], "comment": "Đạt" });
    if approved["result"]["rank"].as_i64() > Some(0) {
        input["decision"] = json!({
            "decisionNumber": "99/QĐ-UBND",
            "decidedOn": format!("{}-12-31", approved["periodYear"]),
            "authorityName": "Ủy ban nhân dân phường Ba Đình",
        });
    }
    let payload = mutate(
        app,
        HANOI_ADMIN,
        "mutation($input: ApproveAssessmentInput!) { approveAssessment(input: $input) { assessment { status } userErrors { field code } } }",
        json!({ "input": input }),
    )
    .await;
    assert_eq!(payload["assessment"]["status"], "APPROVED");
    let change = viewer.next_data("a").await["assessmentStatusChanged"].clone();
    assert_eq!(change["assessment"]["id"], approved["id"]);
    assert_eq!(change["assessment"]["status"], "APPROVED");
    assert_eq!(
        (change["previousStatus"].clone(), change["status"].clone()),
        (json!("SUBMITTED"), json!("APPROVED"))
    );

    mutate(
        app,
        HANOI_ADMIN,
        "mutation($id: ID!, $v: Int!) { returnAssessment(input: {id: $id, version: $v, comment: \"Bổ sung minh chứng\"}) { userErrors { code } } }",
        json!({ "id": returned["id"], "v": returned["version"] }),
    )
    .await;
    let change = viewer.next_data("a").await["assessmentStatusChanged"].clone();
    assert_eq!(change["assessment"]["id"], returned["id"]);
    assert_eq!(
        (change["previousStatus"].clone(), change["status"].clone()),
        (json!("SUBMITTED"), json!("RETURNED"))
    );

    viewer.assert_silent(HANOI_VIEWER).await;
    hcm_admin.assert_silent(HCM_ADMIN).await;
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_get_keepalives() {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.subscriptions.keepalive_interval = Duration::from_millis(300);
    })
    .await;
    let token = app.token(HANOI_VIEWER).await;
    let bearer = json!({ "Authorization": format!("Bearer {token}") });
    let mut live = Live::connect(&app, bearer.clone()).await.unwrap();
    live.subscribe("s", SESSIONS, json!({})).await;
    wait_for_subscriptions(&app, 1).await;
    for _ in 0..2 {
        assert_eq!(
            live.next_raw(client::ARRIVES).await,
            Some(json!({ "type": "ping" }))
        );
        live.send_raw(json!({ "type": "pong" })).await;
    }
    // The pongs did not disturb the subscription, which still delivers.
    let hanoi = app.org_id("HN").await;
    let session = plan(&app, HANOI_ADMIN, &hanoi, 24, "Tập huấn giữa các nhịp").await;
    let change = live.next_data("s").await["trainingSessionChanged"].clone();
    assert_eq!(change["session"]["id"], session["id"]);

    // The legacy protocol has no ping: it gets `ka`, which needs no answer.
    let mut legacy = Live::connect_with(&app, "graphql-ws", bearer)
        .await
        .unwrap();
    for _ in 0..2 {
        assert_eq!(
            legacy.next_raw(client::ARRIVES).await,
            Some(json!({ "type": "ka" }))
        );
    }
    drop((live, legacy));

    // Zero turns them off.
    let quiet = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.subscriptions.keepalive_interval = Duration::ZERO;
    })
    .await;
    let mut live = Live::open(&quiet, HANOI_VIEWER).await;
    assert_eq!(live.next_raw(client::SILENCE).await, None);
    drop(live);
    quiet.finish().await;
    app.finish().await;
}

/// The draft reports of the demo: `(report id, version, program id, reporter code)`.
async fn draft_reports(app: &TestApp) -> Vec<(Value, Value, Value, String)> {
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            "{ programs(first: 20) { nodes { id reports(first: 10) { nodes { id version status reportingOrganisation { code } } } } } }",
            json!({}),
        )
        .await;
    let mut drafts = Vec::new();
    for program in data["programs"]["nodes"].as_array().unwrap() {
        for report in program["reports"]["nodes"].as_array().unwrap() {
            if report["status"] == "DRAFT" {
                drafts.push((
                    report["id"].clone(),
                    report["version"].clone(),
                    program["id"].clone(),
                    report["reportingOrganisation"]["code"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                ));
            }
        }
    }
    drafts
}

const SUBMIT_REPORT: &str = "mutation($id: ID!, $v: Int!) { submitProgramReport(input: {id: $id, version: $v}) { userErrors { code } } }";

on_both!(a_partner_hears_only_of_reports_it_can_read, |app| {
    let drafts = draft_reports(app).await;
    let find = |code: &str| {
        drafts
            .iter()
            .find(|d| d.3 == code)
            .cloned()
            .unwrap_or_else(|| panic!("no draft report by {code}"))
    };
    let moet_report = find("MOET");
    let commune_report = find("HN-BADINH");
    // The commune's report is on a program the ministry is no party to.
    let hidden = app
        .data_as(
            MOET_PARTNER,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": commune_report.2 }),
        )
        .await;
    assert_eq!(hidden["node"], Value::Null);

    let mut partner = Live::open(app, MOET_PARTNER).await;
    partner.subscribe("r", REPORTS, json!({})).await;
    let mut commune = Live::open(app, COMMUNE_EDITOR).await;
    commune
        .subscribe("r", REPORTS, json!({ "program": commune_report.2 }))
        .await;
    wait_for_subscriptions(app, 2).await;

    mutate(
        app,
        COMMUNE_EDITOR,
        SUBMIT_REPORT,
        json!({ "id": commune_report.0, "v": commune_report.1 }),
    )
    .await;
    let change = commune.next_data("r").await["programReportSubmitted"].clone();
    assert_eq!(change["report"]["id"], commune_report.0);
    assert_eq!(change["report"]["status"], "SUBMITTED");

    mutate(
        app,
        MOET_PARTNER,
        SUBMIT_REPORT,
        json!({ "id": moet_report.0, "v": moet_report.1 }),
    )
    .await;
    let change = partner.next_data("r").await["programReportSubmitted"].clone();
    assert_eq!(change["report"]["id"], moet_report.0);
    assert_eq!(change["report"]["reportingOrganisation"]["code"], "MOET");

    // The partner got nothing of the commune's report; the commune's editor, filtering on its
    // own program, nothing of the ministry's.
    partner.assert_silent(MOET_PARTNER).await;
    commune.assert_silent(COMMUNE_EDITOR).await;

    // Filtering on a program the viewer cannot read is NOT_FOUND.
    partner
        .subscribe("x", REPORTS, json!({ "program": commune_report.2 }))
        .await;
    let refused = partner.next().await;
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{refused}"
    );
});

on_both!(connection_init_needs_a_valid_token, |app| {
    let token = app.token(HANOI_VIEWER).await;
    for payload in [
        json!({}),
        json!({ "Authorization": "Bearer not-a-token" }),
        json!({ "Authorization": token }),
    ] {
        match Live::connect(app, payload.clone()).await {
            Err(Refused::Closed(code, reason)) => {
                assert_eq!(
                    (code, reason.as_str()),
                    (4401, "UNAUTHENTICATED"),
                    "{payload}"
                );
            }
            Err(other) => panic!("{payload}: {other:?}"),
            Ok(_) => panic!("{payload} was accepted"),
        }
    }
    for payload in [
        json!({ "authorization": format!("Bearer {token}") }),
        json!({ "token": token }),
    ] {
        assert!(
            Live::connect(app, payload.clone()).await.is_ok(),
            "{payload}"
        );
    }
    // The legacy subprotocol is spoken too.
    let legacy = Live::connect_with(
        app,
        "graphql-ws",
        json!({ "Authorization": format!("Bearer {token}") }),
    )
    .await;
    assert!(legacy.is_ok(), "{legacy:?}", legacy = legacy.err());
});

async fn limits_are_enforced_with_their_codes(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| {
        config.subscriptions.max_connections = 2;
        config.subscriptions.max_connections_per_user = 1;
        config.subscriptions.max_subscriptions_per_connection = 1;
        config.limits.max_aliases = 2;
    })
    .await;
    let mut first = Live::open(&app, HANOI_ADMIN).await;
    let token = app.token(HANOI_ADMIN).await;
    let bearer = json!({ "Authorization": format!("Bearer {token}") });
    match Live::connect(&app, bearer.clone()).await {
        Err(Refused::Closed(code, reason)) => {
            assert_eq!((code, reason.as_str()), (4429, "TOO_MANY_USER_CONNECTIONS"));
        }
        other => panic!("a second connection of one user: {:?}", other.err()),
    }

    first.subscribe("1", SESSIONS, json!({})).await;
    wait_for_subscriptions(&app, 1).await;
    first.subscribe("2", ASSESSMENTS, json!({})).await;
    let refused = first.next().await;
    assert_eq!(refused["id"], "2");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "TOO_MANY_SUBSCRIPTIONS",
        "{refused}"
    );
    assert_eq!(first.next().await, json!({ "id": "2", "type": "complete" }));
    // Completing one frees its place.
    first.complete("1").await;
    assert_eq!(first.next().await, json!({ "id": "1", "type": "complete" }));
    wait_for_subscriptions(&app, 0).await;
    first.subscribe("3", ASSESSMENTS, json!({})).await;
    wait_for_subscriptions(&app, 1).await;

    // The document limits of HTTP apply, and only subscriptions run here.
    first.subscribe("4", "subscription { a: trainingSessionChanged { change } b: trainingSessionChanged { change } c: trainingSessionChanged { change } }", json!({})).await;
    let refused = first.next().await;
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "TOO_MANY_ALIASES",
        "{refused}"
    );
    assert_eq!(first.next().await["type"], "complete");
    first
        .subscribe("5", "{ viewer { user { email } } }", json!({}))
        .await;
    let refused = first.next().await;
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "BAD_REQUEST",
        "{refused}"
    );

    // The process is full: refused before the upgrade.
    let _second = Live::open(&app, HCM_ADMIN).await;
    match Live::connect(&app, bearer).await {
        Err(Refused::Http(503, body)) => {
            assert_eq!(
                body["errors"][0]["extensions"]["code"],
                "TOO_MANY_CONNECTIONS"
            );
        }
        other => panic!("a third connection: {:?}", other.err()),
    }
    let metrics = app.get_text("/metrics").await;
    assert!(
        metrics.contains("khuyenhoc_active_subscription_connections 2\n"),
        "{metrics}"
    );
    drop(first);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_are_enforced_with_their_codes_sqlite() {
    limits_are_enforced_with_their_codes(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_are_enforced_with_their_codes_postgres() {
    if postgres_url().is_none() {
        eprintln!("SKIPPED subscriptions::limits postgres: set TEST_DATABASE_URL to run it");
        return;
    }
    limits_are_enforced_with_their_codes(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_replica_reaches_subscribers_of_another() {
    if postgres_url().is_none() {
        eprintln!("SKIPPED subscriptions::replicas: set TEST_DATABASE_URL to run it");
        return;
    }
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = a.replica().await;
    let hanoi = a.org_id("HN").await;
    let mut on_b = Live::open(&b, HANOI_ADMIN).await;
    on_b.subscribe("s", SESSIONS, json!({})).await;
    wait_for_subscriptions(&b, 1).await;

    let session = plan(&a, HANOI_ADMIN, &hanoi, 24, "Tập huấn qua bản sao A").await;
    let change = on_b.next_data("s").await["trainingSessionChanged"].clone();
    assert_eq!(change["session"]["id"], session["id"]);
    assert_eq!(change["change"], "PLANNED");
    on_b.assert_silent("replica B after one change").await;

    // Kill both replicas' listener connections: they reconnect and hear the next change.
    let database = a.postgres_database().unwrap().to_owned();
    let listeners = |db: &str| {
        format!("SELECT pid FROM pg_stat_activity WHERE datname = '{db}' AND query LIKE 'LISTEN%'")
    };
    let count_listeners = async || a.count(&format!("({}) AS l", listeners(&database))).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while count_listeners().await < 2 {
        assert!(tokio::time::Instant::now() < deadline, "two listeners");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.strings(&format!(
        "SELECT CAST(pg_terminate_backend(pid) AS TEXT) AS s FROM ({}) AS l",
        listeners(&database)
    ))
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if count_listeners().await >= 2 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the listeners never came back"
        );
    }
    let session = plan(&a, HANOI_ADMIN, &hanoi, 30, "Tập huấn sau khi mất kết nối").await;
    let change = on_b.next_data("s").await["trainingSessionChanged"].clone();
    assert_eq!(change["session"]["id"], session["id"]);
    drop(on_b);
    a.finish().await;
}
