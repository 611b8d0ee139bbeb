//! Training sessions over HTTP: the full life cycle, validation, capacity under concurrency,
//! paging while rows arrive, diacritic-insensitive search, scope, and the statement count of a
//! four-level nested query.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

const PLAN: &str = r#"mutation($input: PlanTrainingSessionInput!) {
  planTrainingSession(input: $input) {
    session { id title status version mode venue onlineUrl capacity seatsLeft registeredCount
      startsAt endsAt organiser { code } coOrganisers { code }
      topics { title legalDocument { number } } speakers { name affiliation }
      connectionPoints { name expectedParticipants } }
    userErrors { field code }
  }
}"#;
const UPDATE: &str = r#"mutation($input: UpdateTrainingSessionInput!) {
  updateTrainingSession(input: $input) { session { id title capacity version } userErrors { field code } }
}"#;
const RESCHEDULE: &str = r#"mutation($input: RescheduleTrainingSessionInput!) {
  rescheduleTrainingSession(input: $input) { session { startsAt endsAt version } userErrors { field code } }
}"#;
const REGISTER: &str = r#"mutation($input: RegisterParticipantInput!) {
  registerParticipant(input: $input) { registration { id personName status version } userErrors { field code } }
}"#;
const SESSION: &str = r#"query($id: ID!) {
  node(id: $id) { ... on TrainingSession { id title status version registeredCount attendedCount seatsLeft capacity
    registrations(first: 100) { totalCount nodes { personName attended } } } }
}"#;

/// A planned in-person session of Hà Nội, `days_ahead` days from now, with optional extras.
fn session_input(organiser: &str, title: &str, days_ahead: i64, extra: Value) -> Value {
    let starts = chrono::Utc::now() + chrono::Duration::days(days_ahead);
    let ends = starts + chrono::Duration::hours(4);
    let mut details =
        json!({ "title": title, "mode": "IN_PERSON", "venue": "Hội trường UBND phường" });
    if let (Some(d), Some(extra)) = (details.as_object_mut(), extra.as_object()) {
        d.extend(extra.clone());
    }
    json!({ "input": {
        "organiserId": organiser,
        "startsAt": starts.to_rfc3339(),
        "endsAt": ends.to_rfc3339(),
        "details": details,
    } })
}

async fn plan(app: &TestApp, email: &str, input: Value) -> Value {
    let data = app.data_as(email, PLAN, input).await;
    let payload = &data["planTrainingSession"];
    assert_eq!(payload["userErrors"], json!([]), "{data}");
    payload["session"].clone()
}

fn user_error_codes(payload: &Value) -> BTreeSet<(String, String)> {
    payload["userErrors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_owned(),
                        e["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn register_input(session: &Value, name: &str) -> Value {
    json!({ "input": { "sessionId": session["id"], "personName": name, "organisationName": "Chi hội khuyến học tổ dân phố 5", "position": "Chi hội trưởng" } })
}

on_both!(a_session_lives_from_plan_to_archive, |app| {
    let hanoi = app.org_id("HN").await;
    let police = app.org_id("CAHN").await;
    let document = app
        .data_as(
            HANOI_ADMIN,
            "{ legalDocuments(first: 1) { nodes { id number } } }",
            json!({}),
        )
        .await["legalDocuments"]["nodes"][0]
        .clone();
    let created = plan(
        app,
        HANOI_ADMIN,
        session_input(
            &hanoi,
            "Tập huấn nghiệp vụ khuyến học cho chi hội trưởng",
            10,
            json!({
                "mode": "HYBRID",
                "onlineUrl": "https://meet.example.vn/tap-huan",
                "capacity": 40,
                "coOrganiserIds": [police],
                "topics": [{ "title": "Đánh giá gia đình học tập", "legalDocumentId": document["id"] }],
                "speakers": [{ "name": "Nguyễn Văn A", "affiliation": "Hội Khuyến học Việt Nam" }],
                "connectionPoints": [{ "name": "Điểm cầu phường Ba Đình", "expectedParticipants": 30 }],
            }),
        ),
    )
    .await;
    assert_eq!(created["status"], "PLANNED");
    assert_eq!(created["version"], 1);
    assert_eq!(created["organiser"]["code"], "HN");
    assert_eq!(created["coOrganisers"], json!([{ "code": "CAHN" }]));
    assert_eq!(
        created["topics"][0]["legalDocument"]["number"],
        document["number"]
    );
    assert_eq!(created["speakers"][0]["name"], "Nguyễn Văn A");
    assert_eq!(created["connectionPoints"][0]["expectedParticipants"], 30);
    assert_eq!(created["seatsLeft"], 40);

    // Read back as another member of the subtree.
    let read = app
        .data_as(HANOI_VIEWER, SESSION, json!({ "id": created["id"] }))
        .await;
    assert_eq!(read["node"]["title"], created["title"]);

    // Update with the current version, then a stale one.
    let updated = app
        .data_as(
            HANOI_ADMIN,
            UPDATE,
            json!({ "input": { "id": created["id"], "version": 1, "details": { "title": "Tập huấn (đã sửa)", "capacity": 50 } } }),
        )
        .await;
    assert_eq!(updated["updateTrainingSession"]["session"]["version"], 2);
    assert_eq!(updated["updateTrainingSession"]["session"]["capacity"], 50);
    let stale = app
        .gql_as(
            HANOI_ADMIN,
            UPDATE,
            json!({ "input": { "id": created["id"], "version": 1, "details": { "title": "Ghi đè" } } }),
        )
        .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    assert_eq!(
        app.count_where("training_session", "title = 'Ghi đè'")
            .await,
        0
    );

    // Reschedule, cancel, archive.
    let starts = chrono::Utc::now() + chrono::Duration::days(20);
    let rescheduled = app
        .data_as(
            HANOI_ADMIN,
            RESCHEDULE,
            json!({ "input": { "id": created["id"], "version": 2, "startsAt": starts.to_rfc3339(), "endsAt": (starts + chrono::Duration::hours(3)).to_rfc3339() } }),
        )
        .await;
    assert_eq!(
        rescheduled["rescheduleTrainingSession"]["session"]["version"],
        3
    );
    let cancelled = app
        .data_as(
            HANOI_ADMIN,
            r#"mutation($id: ID!) { cancelTrainingSession(input: {id: $id, version: 3, reason: "Trùng lịch họp"}) { session { status cancellationReason version } userErrors { code } } }"#,
            json!({ "id": created["id"] }),
        )
        .await;
    assert_eq!(
        cancelled["cancelTrainingSession"]["session"]["status"],
        "CANCELLED"
    );
    // A cancelled session takes no registrations.
    let refused = app
        .data_as(
            HANOI_ADMIN,
            REGISTER,
            register_input(&created, "Trần Thị B"),
        )
        .await;
    assert!(
        !user_error_codes(&refused["registerParticipant"]).is_empty(),
        "{refused}"
    );
    let archived = app
        .data_as(
            HANOI_ADMIN,
            r#"mutation($id: ID!) { archiveTrainingSession(input: {id: $id, version: 4}) { session { archivedAt } userErrors { code } } }"#,
            json!({ "id": created["id"] }),
        )
        .await;
    assert!(archived["archiveTrainingSession"]["session"]["archivedAt"].is_string());
    let audited = app
        .count_where("audit_event", "entity_type = 'TrainingSession'")
        .await;
    assert!(
        audited >= 5,
        "plan, update, reschedule, cancel, archive: {audited}"
    );
});

on_both!(
    invalid_sessions_report_every_field_and_write_nothing,
    |app| {
        let hanoi = app.org_id("HN").await;
        let before = app.count("training_session").await;
        let starts = chrono::Utc::now() + chrono::Duration::days(5);
        let data = app
            .data_as(
                HANOI_ADMIN,
                PLAN,
                json!({ "input": {
                "organiserId": hanoi,
                "startsAt": starts.to_rfc3339(),
                "endsAt": (starts - chrono::Duration::hours(1)).to_rfc3339(),
                "details": {
                    "title": "  ",
                    "mode": "ONLINE",
                    "capacity": -1,
                    "plannedParticipants": -5,
                    "speakers": [{ "name": "" }],
                    "connectionPoints": [{ "name": "Điểm cầu", "expectedParticipants": -1 }],
                },
            } }),
            )
            .await;
        let codes = user_error_codes(&data["planTrainingSession"]);
        for expected in [
            ("title", "REQUIRED"),
            ("endsAt", "DATE_ORDER"),
            ("onlineUrl", "REQUIRED"),
            ("capacity", "OUT_OF_RANGE"),
            ("plannedParticipants", "OUT_OF_RANGE"),
            ("speakers.0.name", "REQUIRED"),
            ("connectionPoints.0.expectedParticipants", "OUT_OF_RANGE"),
        ] {
            assert!(
                codes.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} in {codes:?}"
            );
        }
        let data = app
            .data_as(
                HANOI_ADMIN,
                PLAN,
                session_input(
                    &hanoi,
                    "Tập huấn",
                    3,
                    json!({ "mode": "ONLINE", "onlineUrl": "javascript:alert(1)" }),
                ),
            )
            .await;
        assert!(
            user_error_codes(&data["planTrainingSession"])
                .contains(&("onlineUrl".to_owned(), "INVALID_FORMAT".to_owned())),
            "{data}"
        );
        assert_eq!(app.count("training_session").await, before);
    }
);

on_both!(
    capacity_holds_under_twenty_concurrent_registrations,
    |app| {
        let hanoi = app.org_id("HN").await;
        let capacity = 7;
        let session = plan(
            app,
            HANOI_ADMIN,
            session_input(
                &hanoi,
                "Tập huấn có giới hạn chỗ",
                7,
                json!({ "capacity": capacity }),
            ),
        )
        .await;
        let token = app.token(HANOI_ADMIN).await;
        let attempts = (0..20).map(|i| {
            let input = register_input(&session, &format!("Học viên số {i}"));
            let token = token.clone();
            async move { app.post(Some(&token), REGISTER, input).await }
        });
        let results = futures::future::join_all(attempts).await;
        let mut registered = 0;
        let mut full = 0;
        for (status, body) in &results {
            assert_eq!(*status, 200, "{body}");
            assert!(
                body.get("errors").is_none(),
                "no request fails outright: {body}"
            );
            let payload = &body["data"]["registerParticipant"];
            if payload["registration"].is_object() {
                registered += 1;
            } else if user_error_codes(payload)
                .contains(&("sessionId".to_owned(), "FULL".to_owned()))
            {
                full += 1;
            } else {
                panic!("unexpected answer: {body}");
            }
        }
        assert_eq!((registered, full), (capacity, 20 - capacity));
        let read = app
            .data_as(HANOI_ADMIN, SESSION, json!({ "id": session["id"] }))
            .await;
        assert_eq!(read["node"]["registeredCount"], capacity);
        assert_eq!(read["node"]["seatsLeft"], 0);
        assert_eq!(read["node"]["registrations"]["totalCount"], capacity);
        let stored = app
            .count_where(
                "registration r JOIN training_session t ON t.id = r.session_id",
                "t.title = 'Tập huấn có giới hạn chỗ' AND r.status = 'REGISTERED'",
            )
            .await;
        assert_eq!(stored, i64::from(capacity));
    }
);

on_both!(
    registrations_refuse_duplicates_and_cancelling_frees_a_seat,
    |app| {
        let hanoi = app.org_id("HN").await;
        let session = plan(
            app,
            HANOI_ADMIN,
            session_input(&hanoi, "Tập huấn một chỗ", 4, json!({ "capacity": 1 })),
        )
        .await;
        let first = app
            .data_as(HANOI_ADMIN, REGISTER, register_input(&session, "Lê Văn C"))
            .await;
        let registration = first["registerParticipant"]["registration"].clone();
        assert_eq!(registration["status"], "REGISTERED");
        let again = app
            .data_as(HANOI_ADMIN, REGISTER, register_input(&session, "lê văn c"))
            .await;
        assert!(
            user_error_codes(&again["registerParticipant"])
                .contains(&("personName".to_owned(), "DUPLICATE".to_owned())),
            "the same person, however typed: {again}"
        );
        let full = app
            .data_as(
                HANOI_ADMIN,
                REGISTER,
                register_input(&session, "Phạm Thị D"),
            )
            .await;
        assert!(
            user_error_codes(&full["registerParticipant"])
                .contains(&("sessionId".to_owned(), "FULL".to_owned())),
            "{full}"
        );
        let cancelled = app
        .data_as(
            HANOI_ADMIN,
            r#"mutation($id: ID!, $v: Int!) { cancelRegistration(input: {id: $id, version: $v}) { registration { status } userErrors { code } } }"#,
            json!({ "id": registration["id"], "v": registration["version"] }),
        )
        .await;
        assert_eq!(
            cancelled["cancelRegistration"]["registration"]["status"],
            "CANCELLED"
        );
        let now_fits = app
            .data_as(
                HANOI_ADMIN,
                REGISTER,
                register_input(&session, "Phạm Thị D"),
            )
            .await;
        assert_eq!(
            now_fits["registerParticipant"]["registration"]["status"], "REGISTERED",
            "{now_fits}"
        );
    }
);

on_both!(attendance_is_marked_once_the_session_has_started, |app| {
    let hanoi = app.org_id("HN").await;
    let future = plan(
        app,
        HANOI_ADMIN,
        session_input(&hanoi, "Tập huấn sắp tới", 3, json!({})),
    )
    .await;
    let past = plan(
        app,
        HANOI_ADMIN,
        session_input(&hanoi, "Tập huấn đã bắt đầu", -1, json!({})),
    )
    .await;
    let mark = r#"mutation($id: ID!, $v: Int!) { markAttendance(input: {id: $id, version: $v, attended: true}) { registration { attended } userErrors { field code } } }"#;
    for (session, should_work) in [(&future, false), (&past, true)] {
        let registered = app
            .data_as(HANOI_ADMIN, REGISTER, register_input(session, "Đỗ Văn E"))
            .await;
        let registration = &registered["registerParticipant"]["registration"];
        assert!(registration.is_object(), "{registered}");
        let body = app
            .gql_as(
                HANOI_ADMIN,
                mark,
                json!({ "id": registration["id"], "v": registration["version"] }),
            )
            .await;
        let payload = &body["data"]["markAttendance"];
        if should_work {
            assert_eq!(payload["registration"]["attended"], true, "{body}");
        } else {
            assert!(
                user_error_codes(payload).contains(&("id".to_owned(), "NOT_STARTED".to_owned())),
                "{body}"
            );
        }
        let read = app
            .data_as(HANOI_ADMIN, SESSION, json!({ "id": session["id"] }))
            .await;
        assert_eq!(read["node"]["attendedCount"], i32::from(should_work));
    }
});

on_both!(paging_stays_exact_while_sessions_are_added, |app| {
    let hanoi = app.org_id("HN").await;
    for i in 0..9 {
        plan(
            app,
            HANOI_ADMIN,
            session_input(&hanoi, &format!("Lớp bồi dưỡng đợt {i}"), 30 + i, json!({})),
        )
        .await;
    }
    let query = r#"query($after: String, $filter: TrainingSessionFilter) {
      trainingSessions(first: 4, after: $after, filter: $filter, orderBy: {field: STARTS_AT, direction: ASC}) {
        pageInfo { hasNextPage endCursor } nodes { id title }
      }
    }"#;
    let filter = json!({ "withinOrganisation": hanoi });
    let existing: BTreeSet<String> = app
        .strings(
            "SELECT t.title AS s FROM training_session t JOIN organisation o ON o.id = t.organiser_id \
             WHERE (o.code = 'HN' OR o.code LIKE 'HN-%') AND t.archived_at IS NULL",
        )
        .await
        .into_iter()
        .collect();
    let mut seen: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let mut page = 0;
    loop {
        let data = app
            .data_as(
                HANOI_ADMIN,
                query,
                json!({ "after": after, "filter": filter }),
            )
            .await;
        let connection = &data["trainingSessions"];
        seen.extend(
            connection["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|n| n["title"].as_str().map(str::to_owned)),
        );
        // Rows arriving before and after the cursor between page fetches.
        plan(
            app,
            HANOI_ADMIN,
            session_input(
                &hanoi,
                &format!("Chen vào trước {page}"),
                -100 - page,
                json!({}),
            ),
        )
        .await;
        plan(
            app,
            HANOI_ADMIN,
            session_input(
                &hanoi,
                &format!("Chen vào sau {page}"),
                400 + page,
                json!({}),
            ),
        )
        .await;
        page += 1;
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
        assert!(page < 50, "paging terminates");
    }
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no row twice: {seen:?}");
    assert!(
        existing.is_subset(&unique),
        "every row that existed: {existing:?}"
    );
    assert!(
        !seen.iter().any(|t| t.starts_with("Chen vào trước")),
        "rows inserted behind the cursor never appear"
    );
});

on_both!(search_ignores_diacritics_and_filters_combine, |app| {
    let query = r#"query($filter: TrainingSessionFilter) { trainingSessions(first: 100, filter: $filter) { totalCount nodes { title mode status } } }"#;
    let with_marks = app
        .data_as(
            CENTRAL_ADMIN,
            query,
            json!({ "filter": { "search": "Tập huấn" } }),
        )
        .await;
    let plain = app
        .data_as(
            CENTRAL_ADMIN,
            query,
            json!({ "filter": { "search": "TAP HUAN" } }),
        )
        .await;
    assert_eq!(with_marks, plain);
    let titles: BTreeSet<String> = plain["trainingSessions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["title"].as_str().map(str::to_owned))
        .collect();
    let expected: BTreeSet<String> = app
        .strings("SELECT title AS s FROM training_session WHERE archived_at IS NULL")
        .await
        .into_iter()
        .filter(|t| t.to_lowercase().contains("tập huấn"))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(titles, expected);

    let online = app
        .data_as(
            CENTRAL_ADMIN,
            query,
            json!({ "filter": { "modes": ["ONLINE"], "statuses": ["HELD", "PLANNED"] } }),
        )
        .await;
    for node in online["trainingSessions"]["nodes"].as_array().unwrap() {
        assert_eq!(node["mode"], "ONLINE");
        assert!(node["status"] == "HELD" || node["status"] == "PLANNED");
    }
    let expected_online = app
        .count_where(
            "training_session",
            "mode = 'ONLINE' AND status IN ('HELD', 'PLANNED') AND archived_at IS NULL",
        )
        .await;
    assert_eq!(online["trainingSessions"]["totalCount"], expected_online);
});

on_both!(a_province_never_sees_another_provinces_sessions, |app| {
    let hanoi = app.org_id("HN").await;
    let session = plan(
        app,
        HANOI_ADMIN,
        session_input(&hanoi, "Tập huấn nội bộ Hà Nội", 6, json!({})),
    )
    .await;
    let as_hcm = app
        .gql_as(HCM_ADMIN, SESSION, json!({ "id": session["id"] }))
        .await;
    assert_eq!(as_hcm["data"]["node"], Value::Null);
    let register = app
        .gql_as(HCM_ADMIN, REGISTER, register_input(&session, "Người ngoài"))
        .await;
    assert_eq!(error_code(&register), Some("NOT_FOUND"), "{register}");
    let update = app
        .gql_as(
            HCM_ADMIN,
            UPDATE,
            json!({ "input": { "id": session["id"], "version": 1, "details": { "title": "Sửa trộm" } } }),
        )
        .await;
    assert_eq!(error_code(&update), Some("NOT_FOUND"), "{update}");
    // A viewer of Hà Nội reads it but cannot change it.
    let update = app
        .gql_as(
            HANOI_VIEWER,
            UPDATE,
            json!({ "input": { "id": session["id"], "version": 1, "details": { "title": "Sửa trộm" } } }),
        )
        .await;
    assert_eq!(error_code(&update), Some("FORBIDDEN"), "{update}");
    assert_eq!(
        app.count_where("training_session", "title = 'Sửa trộm'")
            .await,
        0
    );
    assert_eq!(
        app.count_where("registration", "person_name = 'Người ngoài'")
            .await,
        0
    );
});

/// Builds `n` communes under a new province, each owning a program with a session holding two
/// registrations, and returns the province's id.
async fn nested_tree(app: &TestApp, prefix: &str, n: usize) -> String {
    let create_org = r#"mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } userErrors { field code } } }"#;
    let create_program = r#"mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id } userErrors { field code } } }"#;
    let root = app.org_id("VAPE").await;
    let province = app
        .data_as(
            CENTRAL_ADMIN,
            create_org,
            json!({ "input": { "parentId": root, "code": prefix, "name": format!("Tỉnh thử {prefix}"), "kind": "PROVINCIAL" } }),
        )
        .await["createOrganisation"]["organisation"]["id"]
        .clone();
    for i in 0..n {
        let commune = app
            .data_as(
                CENTRAL_ADMIN,
                create_org,
                json!({ "input": { "parentId": province, "code": format!("{prefix}-X{i}"), "name": format!("Xã thử {i}"), "kind": "COMMUNE" } }),
            )
            .await["createOrganisation"]["organisation"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let program = app
            .data_as(
                CENTRAL_ADMIN,
                create_program,
                json!({ "input": { "ownerId": commune, "code": format!("{prefix}-CT{i}"), "title": format!("Chương trình xã {i}"), "startsOn": "2026-01-01", "endsOn": "2027-12-31" } }),
            )
            .await["createProgram"]["program"]["id"]
            .clone();
        let mut input = session_input(&commune, &format!("Tập huấn xã {i}"), 10, json!({}));
        input["input"]["programId"] = program;
        let session = plan(app, CENTRAL_ADMIN, input).await;
        for person in ["Người học một", "Người học hai"] {
            app.data_as(CENTRAL_ADMIN, REGISTER, register_input(&session, person))
                .await;
        }
    }
    province.as_str().unwrap().to_owned()
}

on_both!(
    a_four_level_nested_query_costs_a_constant_number_of_statements,
    |app| {
        let query = r#"query($root: ID!) {
      organisations(filter: {withinOrganisation: $root, kinds: [COMMUNE]}, first: 100) {
        nodes { code programs(first: 10) { nodes { code trainingSessions(first: 10) { nodes { title
          registrations(first: 10) { nodes { personName } } } } } } }
      }
    }"#;
        let token = app.token(CENTRAL_ADMIN).await;
        let mut costs = Vec::new();
        for (prefix, n) in [("NESTA", 3), ("NESTB", 55)] {
            let root = nested_tree(app, prefix, n).await;
            let (statements, body) = app
                .post_counted(&token, query, json!({ "root": root }))
                .await;
            let communes = body["data"]["organisations"]["nodes"].as_array().unwrap();
            assert_eq!(communes.len(), n);
            let registrations: usize = communes
            .iter()
            .map(|c| {
                c["programs"]["nodes"][0]["trainingSessions"]["nodes"][0]["registrations"]["nodes"]
                    .as_array()
                    .map_or(0, Vec::len)
            })
            .sum();
            assert_eq!(registrations, 2 * n, "every level is filled");
            costs.push(statements);
        }
        assert_eq!(
            costs[0], costs[1],
            "statements do not grow with rows: {costs:?}"
        );
        assert!(costs[1] <= 12, "a small constant: {costs:?}");
    }
);
