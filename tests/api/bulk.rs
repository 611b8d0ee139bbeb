//! `saveAssessments`, the bulk save for commune offices: all or nothing, every bad row reported
//! with its index, field and code, nothing written (assessments, answers, history, audit) when
//! any row is refused, and the request limits.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::checklists::{points_sheet, published};
use crate::helpers::*;
use crate::on_both;

const SAVE: &str = "mutation($input: SaveAssessmentsInput!) { saveAssessments(input: $input) {
  assessments { id version status totalPoints result { code } subjectName organisation { code } }
  rowErrors { row field code message }
  userErrors { field code }
} }";

const CREATE: &str = "mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) {
  assessment { id version } userErrors { field code } } }";

/// The tables a bulk save writes, counted to show nothing was written.
const WRITTEN: [&str; 4] = [
    "assessment",
    "assessment_score",
    "assessment_transition",
    "audit_event",
];

async fn save_rows(app: &TestApp, email: &str, rows: Value) -> Value {
    let data = app
        .data_as(email, SAVE, json!({ "input": { "rows": rows } }))
        .await;
    data["saveAssessments"].clone()
}

fn family_row(checklist: &Value, org: &str, name: &str, scores: Value) -> Value {
    json!({
        "checklistId": checklist["id"], "organisationId": org, "periodYear": 2025,
        "subject": { "kind": "FAMILY", "name": name }, "scores": scores,
    })
}

fn row_errors(payload: &Value) -> BTreeSet<(i64, String, String)> {
    payload["rowErrors"]
        .as_array()
        .expect("rowErrors is a list")
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().expect("row is a number"),
                e["field"].as_str().expect("field").to_owned(),
                e["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in WRITTEN {
        counts.push(app.count(table).await);
    }
    counts
}

on_both!(
    one_bad_row_writes_nothing_and_every_bad_row_is_reported,
    |app| {
        let vape = app.org_id("VAPE").await;
        let badinh = app.org_id("HN-BADINH").await;
        let hcm = app.org_id("HCM-BENTHANH").await;
        let checklist = published(app, points_sheet(&vape, "T-BULK")).await;
        let existing = app
            .data_as(
                COMMUNE_EDITOR,
                CREATE,
                json!({ "input": {
                "checklistId": checklist["id"], "organisationId": badinh, "periodYear": 2025,
                "subject": { "kind": "FAMILY", "name": "Gia đình ông Có Sẵn" } } }),
            )
            .await["createAssessment"]["assessment"]
            .clone();
        assert!(existing["id"].is_string(), "{existing}");
        let before = counts(app).await;

        let good = family_row(
            &checklist,
            &badinh,
            "Gia đình bà Lê Thị Hoa",
            json!([{ "criterionCode": "1.1", "points": 40 }]),
        );
        let rows = json!([
            good,
            { "id": existing["id"], "version": existing["version"],
              "scores": [{ "criterionCode": "1.2", "points": 30 }] },
            family_row(&checklist, &badinh, "Gia đình ông Quá Điểm",
                json!([{ "criterionCode": "1.1", "points": 41 }])),
            { "checklistId": checklist["id"], "organisationId": badinh, "periodYear": 2025,
              "subject": { "kind": "FAMILY" } },
            // The same family as row 0, diacritics aside: rows see the rows before them.
            family_row(&checklist, &badinh, "gia dinh ba le thi hoa", json!([])),
            { "id": existing["id"], "version": 99, "scores": [] },
            { "id": existing["id"], "version": existing["version"], "checklistId": checklist["id"] },
            family_row(&checklist, &hcm, "Gia đình ở nơi khác", json!([])),
            family_row(&checklist, &badinh, "Gia đình ông Sai Mã",
                json!([{ "criterionCode": "9.9", "points": 1 }, { "criterionCode": "2.1", "points": -1 }])),
            { "id": "not-an-id", "version": 1 },
            { "periodYear": 2025 },
        ]);
        let payload = save_rows(app, COMMUNE_EDITOR, rows.clone()).await;
        assert_eq!(payload["assessments"], json!([]), "{payload:#}");
        assert_eq!(payload["userErrors"], json!([]));
        let expected: BTreeSet<(i64, String, String)> = [
            (2, "scores.0.points", "OUT_OF_RANGE"),
            (3, "subject.name", "REQUIRED"),
            (4, "subject", "DUPLICATE"),
            (5, "version", "CONFLICT"),
            (6, "checklistId", "NOT_APPLICABLE"),
            (7, "organisationId", "NOT_FOUND"),
            (8, "scores.0.criterionCode", "NOT_FOUND"),
            (8, "scores.1.points", "OUT_OF_RANGE"),
            (9, "id", "INVALID_ID"),
            (10, "checklistId", "REQUIRED"),
            (10, "organisationId", "REQUIRED"),
            (10, "subject", "REQUIRED"),
        ]
        .into_iter()
        .map(|(r, f, c)| (r, f.to_owned(), c.to_owned()))
        .collect();
        let got = row_errors(&payload);
        assert_eq!(got, expected, "{payload:#}");
        for error in payload["rowErrors"].as_array().expect("list") {
            assert!(!error["message"].as_str().expect("message").is_empty());
        }
        assert_eq!(
            counts(app).await,
            before,
            "a refused request writes nothing"
        );

        // One bad row among good ones is enough to write nothing.
        let one_bad = json!([rows[0], rows[1], rows[2]]);
        let payload = save_rows(app, COMMUNE_EDITOR, one_bad).await;
        assert_eq!(
            row_errors(&payload),
            BTreeSet::from([(2, "scores.0.points".to_owned(), "OUT_OF_RANGE".to_owned())])
        );
        assert_eq!(
            counts(app).await,
            before,
            "a refused request writes nothing"
        );

        // The good rows alone are saved together, scored by the server, in row order.
        let payload = save_rows(app, COMMUNE_EDITOR, json!([rows[0], rows[1]])).await;
        assert_eq!(payload["rowErrors"], json!([]), "{payload:#}");
        let saved = payload["assessments"].as_array().expect("list");
        assert_eq!(saved.len(), 2);
        assert_eq!(saved[0]["subjectName"], "Gia đình bà Lê Thị Hoa");
        assert_eq!(saved[0]["totalPoints"], 40);
        assert_eq!(saved[0]["status"], "DRAFT");
        assert_eq!(saved[1]["id"], existing["id"]);
        assert_eq!(saved[1]["totalPoints"], 30);
        assert_eq!(
            saved[1]["version"].as_i64(),
            existing["version"].as_i64().map(|v| v + 1)
        );
        let after = counts(app).await;
        assert_eq!(after[0], before[0] + 1, "one assessment opened");
        assert_eq!(after[1], before[1] + 2, "two answers stored");

        // Sent again, row 0 is now a duplicate and row 1 a stale version: nothing changes.
        let payload = save_rows(app, COMMUNE_EDITOR, json!([rows[0], rows[1]])).await;
        assert_eq!(
            row_errors(&payload),
            BTreeSet::from([
                (0, "subject".to_owned(), "DUPLICATE".to_owned()),
                (1, "version".to_owned(), "CONFLICT".to_owned()),
            ])
        );
        assert_eq!(counts(app).await, after);
    }
);

on_both!(rows_follow_the_single_mutations_scope_rules, |app| {
    let vape = app.org_id("VAPE").await;
    let badinh = app.org_id("HN-BADINH").await;
    let checklist = published(app, points_sheet(&vape, "T-BULK-SCOPE")).await;
    let before = counts(app).await;
    let rows = json!([family_row(
        &checklist,
        &badinh,
        "Gia đình ông Chỉ Xem",
        json!([])
    )]);
    // A viewer may read the commune but not write for it.
    let payload = save_rows(app, HANOI_VIEWER, rows.clone()).await;
    assert_eq!(
        row_errors(&payload),
        BTreeSet::from([(0, String::new(), "FORBIDDEN".to_owned())])
    );
    // Another province cannot even see it.
    let payload = save_rows(app, HCM_ADMIN, rows).await;
    assert_eq!(
        row_errors(&payload),
        BTreeSet::from([(0, "organisationId".to_owned(), "NOT_FOUND".to_owned())])
    );
    assert_eq!(counts(app).await, before);
});

on_both!(a_thousand_rows_fit_and_more_are_refused, |app| {
    let vape = app.org_id("VAPE").await;
    let badinh = app.org_id("HN-BADINH").await;
    let checklist = published(app, points_sheet(&vape, "T-BULK-MANY")).await;
    let before = app.count("assessment").await;

    let empty = save_rows(app, COMMUNE_EDITOR, json!([])).await;
    assert_eq!(
        empty["userErrors"],
        json!([{ "field": "rows", "code": "REQUIRED" }])
    );

    let rows: Vec<Value> = (0..1_001)
        .map(|i| {
            family_row(
                &checklist,
                &badinh,
                &format!("Gia đình số {i}"),
                json!([{ "criterionCode": "1.1", "points": i % 41 }, { "criterionCode": "2.1", "points": 30 }]),
            )
        })
        .collect();
    let too_many = save_rows(app, COMMUNE_EDITOR, Value::Array(rows.clone())).await;
    assert_eq!(
        too_many["userErrors"],
        json!([{ "field": "rows", "code": "TOO_MANY" }])
    );
    assert_eq!(app.count("assessment").await, before);

    let payload = save_rows(app, COMMUNE_EDITOR, Value::Array(rows[..1_000].to_vec())).await;
    assert_eq!(payload["rowErrors"], json!([]));
    assert_eq!(payload["userErrors"], json!([]));
    let saved = payload["assessments"].as_array().expect("list");
    assert_eq!(saved.len(), 1_000);
    for (i, a) in saved.iter().enumerate() {
        assert_eq!(a["subjectName"], format!("Gia đình số {i}"));
        assert_eq!(a["totalPoints"], i64::try_from(i % 41).expect("small") + 30);
    }
    assert_eq!(app.count("assessment").await, before + 1_000);
    assert_eq!(
        app.count_where(
            "assessment_score",
            "assessment_id IN (SELECT id FROM assessment WHERE checklist_code = 'T-BULK-MANY')"
        )
        .await,
        2_000
    );
});
