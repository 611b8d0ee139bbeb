//! Assessments over HTTP: scoring and thresholds at their boundaries on both sheet styles, the
//! rules for opening and submitting, every workflow step legal and illegal, self-approval
//! refused, approved assessments locked, duplicates refused, recognition dates, candidacies,
//! scope, listing, and the statement count of a deep nested query.
//!
//! Expected totals, results and dates are computed here from the checklists the tests write
//! (see the helpers of [`crate::checklists`]), never copied from the server's answers.

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};
use serde_json::{Value, json};

use crate::checklists::{
    RETIRE, create_checklist, indicator_sheet, one, points_item, points_sheet, publish, published,
    update_query, user_errors,
};
use crate::helpers::*;
use crate::on_both;

const FIELDS: &str = "id status version totalPoints periodYear subjectName subjectKind checklistCode model
  result { code label rank } organisation { code } subjectOrganisation { code } candidacy { id status }
  scores { criterion { code } answered points met evidenceNote }
  transitions { fromStatus toStatus comment actor { email } actorOrganisation { code } }
  recognitionDecision { decisionNumber decidedOn validUntil nextLevelEligibleOn authorityName result { code label rank } }
  submittedAt approvedAt returnComment approverOrganisation { code }";

fn mutation(name: &str, input_type: &str) -> String {
    format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ assessment {{ {FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

/// Runs assessment mutation `name` as `email`; returns its payload (GraphQL errors fail the
/// test: use [`attempt`] to see them).
async fn call(app: &TestApp, email: &str, name: &str, input_type: &str, input: Value) -> Value {
    let data = app
        .data_as(
            email,
            &mutation(name, input_type),
            json!({ "input": input }),
        )
        .await;
    data[name].clone()
}

/// Runs assessment mutation `name` as `email`; returns the whole response.
async fn attempt(app: &TestApp, email: &str, name: &str, input_type: &str, input: Value) -> Value {
    app.gql_as(
        email,
        &mutation(name, input_type),
        json!({ "input": input }),
    )
    .await
}

/// Runs `name` and asserts it succeeded; returns the assessment.
async fn ok(app: &TestApp, email: &str, name: &str, input_type: &str, input: Value) -> Value {
    let payload = call(app, email, name, input_type, input).await;
    assert_eq!(payload["userErrors"], json!([]), "{name}: {payload:#}");
    payload["assessment"].clone()
}

async fn open(
    app: &TestApp,
    email: &str,
    checklist: &Value,
    org: &str,
    subject: Value,
    year: i32,
) -> Value {
    ok(
        app,
        email,
        "createAssessment",
        "CreateAssessmentInput",
        json!({ "checklistId": checklist["id"], "organisationId": org, "subject": subject, "periodYear": year }),
    )
    .await
}

fn family(name: &str) -> Value {
    json!({ "kind": "FAMILY", "name": name })
}

fn save_input(a: &Value, scores: Value) -> Value {
    json!({ "id": a["id"], "version": a["version"], "scores": scores })
}

async fn save(app: &TestApp, email: &str, a: &Value, scores: Value) -> Value {
    ok(
        app,
        email,
        "saveAssessmentScores",
        "SaveAssessmentScoresInput",
        save_input(a, scores),
    )
    .await
}

fn step(a: &Value) -> Value {
    json!({ "id": a["id"], "version": a["version"] })
}

async fn submit(app: &TestApp, email: &str, a: &Value) -> Value {
    ok(
        app,
        email,
        "submitAssessment",
        "AssessmentStepInput",
        step(a),
    )
    .await
}

fn decision(number: &str, decided_on: &str) -> Value {
    json!({ "decisionNumber": number, "decidedOn": decided_on, "authorityName": "Ủy ban nhân dân phường Ba Đình" })
}

fn approve_input(a: &Value, decision: Option<Value>) -> Value {
    let mut input = step(a);
    if let Some(d) = decision {
        input["decision"] = d;
    }
    input
}

/// Points given to the criteria of [`points_sheet`], `None` for unanswered.
fn points(answers: &[(&str, Option<i32>)]) -> Value {
    Value::Array(
        answers
            .iter()
            .map(|(code, p)| json!({ "criterionCode": code, "points": p }))
            .collect(),
    )
}

/// The result [`points_sheet`] awards: required criteria (1.1, 2.1) answered, then the highest
/// level whose threshold (70 MET, 90 GOOD) the total reaches.
fn expected_points(answers: &[(&str, i32)]) -> (i32, &'static str, i32) {
    let total: i32 = answers.iter().map(|(_, p)| p).sum();
    let required_answered = ["1.1", "2.1"]
        .iter()
        .all(|r| answers.iter().any(|(c, _)| c == r));
    match total {
        t if required_answered && t >= 90 => (t, "GOOD", 2),
        t if required_answered && t >= 70 => (t, "MET", 1),
        t => (t, "NOT_MET", 0),
    }
}

/// The label the checklist gives the level of `rank`.
fn level_label(checklist: &Value, rank: i32) -> Value {
    checklist["resultLevels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rank"] == rank)
        .map(|l| l["label"].clone())
        .unwrap_or_else(|| json!("Không đạt"))
}

/// Answers sent in one save: criterion code and points (`None` clears).
type Given = Vec<(&'static str, Option<i32>)>;
/// The answers held after it.
type Held = Vec<(&'static str, i32)>;

fn outcome(a: &Value) -> (i32, &str, i32) {
    (
        a["totalPoints"].as_i64().unwrap() as i32,
        a["result"]["code"].as_str().unwrap(),
        a["result"]["rank"].as_i64().unwrap() as i32,
    )
}

on_both!(
    points_are_scored_by_the_server_and_thresholds_are_inclusive,
    |app| {
        let vape = app.org_id("VAPE").await;
        let badinh = app.org_id("HN-BADINH").await;
        let checklist = published(app, points_sheet(&vape, "T-PTS-SCORE")).await;
        let mut a = open(
            app,
            COMMUNE_EDITOR,
            &checklist,
            &badinh,
            family("Gia đình ông Thử Điểm"),
            2025,
        )
        .await;
        assert_eq!(a["status"], "DRAFT");
        assert_eq!(outcome(&a), (0, "NOT_MET", 0));
        assert_eq!(a["result"]["label"], "Không đạt");
        assert_eq!(a["checklistCode"], "T-PTS-SCORE");
        assert_eq!(a["model"], "LEARNING_FAMILY");
        let listed: Vec<(&str, bool)> = a["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["criterion"]["code"].as_str().unwrap(),
                    s["answered"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(listed, [("1.1", false), ("1.2", false), ("2.1", false)]);
        assert_eq!(
            a["transitions"],
            json!([{ "fromStatus": null, "toStatus": "DRAFT", "comment": null,
        "actor": { "email": COMMUNE_EDITOR }, "actorOrganisation": { "code": "HN-BADINH" } }])
        );

        // Each step: the answers given so far, and what the sheet awards for them.
        let steps: Vec<(Given, Held)> = vec![
            // 70 points, but the required 2.1 is unanswered: no level.
            (
                vec![("1.1", Some(40)), ("1.2", Some(30))],
                vec![("1.1", 40), ("1.2", 30)],
            ),
            // Exactly at the MET threshold.
            (
                vec![("2.1", Some(0))],
                vec![("1.1", 40), ("1.2", 30), ("2.1", 0)],
            ),
            // One below it.
            (
                vec![("1.2", Some(29))],
                vec![("1.1", 40), ("1.2", 29), ("2.1", 0)],
            ),
            // Exactly at GOOD, then one below.
            (
                vec![("1.2", Some(30)), ("2.1", Some(20))],
                vec![("1.1", 40), ("1.2", 30), ("2.1", 20)],
            ),
            (
                vec![("2.1", Some(19))],
                vec![("1.1", 40), ("1.2", 30), ("2.1", 19)],
            ),
            // Clearing an answer.
            (vec![("1.2", None)], vec![("1.1", 40), ("2.1", 19)]),
            // Full marks.
            (
                vec![("1.2", Some(30)), ("2.1", Some(30))],
                vec![("1.1", 40), ("1.2", 30), ("2.1", 30)],
            ),
        ];
        for (given, held) in steps {
            let version = a["version"].as_i64().unwrap();
            a = save(app, COMMUNE_EDITOR, &a, points(&given)).await;
            assert_eq!(outcome(&a), expected_points(&held), "after {given:?}");
            assert_eq!(a["version"].as_i64().unwrap(), version + 1);
            let answered: Vec<&str> = a["scores"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["answered"] == true)
                .map(|s| s["criterion"]["code"].as_str().unwrap())
                .collect();
            assert_eq!(answered, held.iter().map(|(c, _)| *c).collect::<Vec<_>>());
        }
        let (_, code, rank) = expected_points(&[("1.1", 40), ("1.2", 30), ("2.1", 30)]);
        assert_eq!(
            (
                a["result"]["code"].as_str().unwrap(),
                a["result"]["rank"].as_i64().unwrap()
            ),
            (code, i64::from(rank))
        );
        assert_eq!(a["result"]["label"], "Gia đình học tập tiêu biểu");

        // Out of range, wrong kind of answer, unknown or repeated criteria: nothing is written.
        let bad = [
            (
                json!([{ "criterionCode": "1.1", "points": 41 }]),
                "scores.0.points",
                "OUT_OF_RANGE",
            ),
            (
                json!([{ "criterionCode": "1.2", "points": -1 }]),
                "scores.0.points",
                "OUT_OF_RANGE",
            ),
            (
                json!([{ "criterionCode": "1.2", "met": true }]),
                "scores.0.met",
                "NOT_APPLICABLE",
            ),
            (
                json!([{ "criterionCode": "9.9", "points": 1 }]),
                "scores.0.criterionCode",
                "NOT_FOUND",
            ),
            (
                json!([{ "criterionCode": "1.2", "points": 1 }, { "criterionCode": "1.2", "points": 2 }]),
                "scores.1.criterionCode",
                "DUPLICATE",
            ),
        ];
        for (scores, field, code) in bad {
            let refused = call(
                app,
                COMMUNE_EDITOR,
                "saveAssessmentScores",
                "SaveAssessmentScoresInput",
                save_input(&a, scores),
            )
            .await;
            assert_eq!(user_errors(&refused), one(field, code), "{refused}");
        }
        let stale = attempt(
            app,
            COMMUNE_EDITOR,
            "saveAssessmentScores",
            "SaveAssessmentScoresInput",
            json!({ "id": a["id"], "version": 1, "scores": points(&[("1.2", Some(0))]) }),
        )
        .await;
        assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
        let read = app
            .data_as(
                CENTRAL_ADMIN,
                &format!("query($id: ID!) {{ assessment(id: $id) {{ {FIELDS} }} }}"),
                json!({ "id": a["id"] }),
            )
            .await;
        assert_eq!(read["assessment"]["version"], a["version"]);
        assert_eq!(
            outcome(&read["assessment"]),
            expected_points(&[("1.1", 40), ("1.2", 30), ("2.1", 30)])
        );
    }
);

on_both!(
    a_published_checklist_is_scored_with_its_final_structure,
    |app| {
        // Scoring sheets are kept between requests once published (finding 22 of
        // bench/BASELINE.md). A refused opening on a draft loads the draft's sheet; the draft
        // then renames criterion 1.2 to 1.3 and is published: assessments on it must be scored
        // with 1.3, not with a kept copy of the draft.
        let vape = app.org_id("VAPE").await;
        let badinh = app.org_id("HN-BADINH").await;
        let draft = create_checklist(app, CENTRAL_ADMIN, points_sheet(&vape, "T-PTS-LATE")).await;
        let early = call(
            app,
            CENTRAL_ADMIN,
            "createAssessment",
            "CreateAssessmentInput",
            json!({ "checklistId": draft["id"], "organisationId": badinh,
                    "subject": family("Gia đình Sớm"), "periodYear": 2025 }),
        )
        .await;
        assert!(
            user_errors(&early).contains(&("checklistId".into(), "CHECKLIST_NOT_PUBLISHED".into())),
            "{early}"
        );
        let mut groups = points_sheet(&vape, "T-PTS-LATE")["groups"].clone();
        groups[0]["criteria"][1] = points_item("1.3", 30, false, None);
        let updated = app
            .data_as(
                CENTRAL_ADMIN,
                &update_query(),
                json!({ "input": { "id": draft["id"], "version": draft["version"], "groups": groups } }),
            )
            .await;
        let updated = &updated["updateCriteriaChecklist"];
        assert_eq!(updated["userErrors"], json!([]), "{updated}");
        let published_version = publish(app, CENTRAL_ADMIN, &updated["checklist"]).await;

        let opened = open(
            app,
            CENTRAL_ADMIN,
            &draft,
            &badinh,
            family("Gia đình Muộn"),
            2025,
        )
        .await;
        let full = json!([
            { "criterionCode": "1.1", "points": 40, "evidenceNote": "Sổ theo dõi học tập" },
            { "criterionCode": "1.3", "points": 30 },
            { "criterionCode": "2.1", "points": 30 },
        ]);
        let saved = save(app, CENTRAL_ADMIN, &opened, full).await;
        assert_eq!(outcome(&saved), (100, "GOOD", 2));
        let renamed = call(
            app,
            CENTRAL_ADMIN,
            "saveAssessmentScores",
            "SaveAssessmentScoresInput",
            save_input(&saved, points(&[("1.2", Some(10))])),
        )
        .await;
        assert_eq!(
            user_errors(&renamed),
            one("scores.0.criterionCode", "NOT_FOUND"),
            "{renamed}"
        );
        // Retiring changes only the status: the assessment already open is still scored and
        // submitted against the sheet it was opened with.
        let retired = app
            .data_as(
                CENTRAL_ADMIN,
                RETIRE,
                json!({ "id": draft["id"], "v": published_version["version"] }),
            )
            .await;
        assert_eq!(retired["retireCriteriaChecklist"]["userErrors"], json!([]));
        let submitted = submit(app, CENTRAL_ADMIN, &saved).await;
        assert_eq!(submitted["status"], "SUBMITTED");
        assert_eq!(outcome(&submitted), (100, "GOOD", 2));
    }
);

on_both!(indicator_level_two_demands_more_indicators, |app| {
    let vape = app.org_id("VAPE").await;
    let badinh = app.org_id("HN-BADINH").await;
    let checklist = published(app, indicator_sheet(&vape, "T-IND-SCORE")).await;
    let mut a = open(
        app,
        COMMUNE_EDITOR,
        &checklist,
        &badinh,
        json!({ "kind": "ORGANISATION", "organisationId": badinh }),
        2026,
    )
    .await;
    let name = app
        .strings("SELECT name AS s FROM organisation WHERE code = 'HN-BADINH'")
        .await;
    assert_eq!(a["subjectName"], name[0]);
    assert_eq!(a["subjectOrganisation"]["code"], "HN-BADINH");
    // The sheet: level 1 needs 1.1, 1.2, 2.1; level 2 also 1.3 and 2.2.
    let level_of = |met: &[&str]| -> (i32, &'static str, i32) {
        let has = |c: &str| met.contains(&c);
        let total = i32::try_from(met.len()).unwrap();
        if ["1.1", "1.2", "2.1"].iter().all(|c| has(c)) {
            if has("1.3") && has("2.2") {
                (total, "LEVEL_2", 2)
            } else {
                (total, "LEVEL_1", 1)
            }
        } else {
            (total, "NOT_MET", 0)
        }
    };
    let all = ["1.1", "1.2", "1.3", "2.1", "2.2"];
    for met in [
        vec!["1.1", "1.2", "2.1"],
        vec!["1.1", "1.2", "1.3", "2.1"],
        vec!["1.1", "1.2", "1.3", "2.1", "2.2"],
        vec!["1.2", "1.3", "2.1", "2.2"],
        vec![],
    ] {
        let answers: Vec<Value> = all
            .iter()
            .map(|c| json!({ "criterionCode": c, "met": met.contains(c) }))
            .collect();
        a = save(app, COMMUNE_EDITOR, &a, Value::Array(answers)).await;
        assert_eq!(outcome(&a), level_of(&met), "met {met:?}");
    }
    assert_eq!(a["scores"][2]["met"], false);
    let refused = call(
        app,
        COMMUNE_EDITOR,
        "saveAssessmentScores",
        "SaveAssessmentScoresInput",
        save_input(&a, json!([{ "criterionCode": "1.1", "points": 1 }])),
    )
    .await;
    assert_eq!(
        user_errors(&refused),
        one("scores.0.points", "NOT_APPLICABLE")
    );
    // Submitted with some indicators not met: the answers are complete.
    let submitted = submit(app, COMMUNE_EDITOR, &a).await;
    assert_eq!(submitted["status"], "SUBMITTED");
    assert_eq!(outcome(&submitted), level_of(&[]));
});

on_both!(submitting_needs_required_answers_and_evidence, |app| {
    let vape = app.org_id("VAPE").await;
    let badinh = app.org_id("HN-BADINH").await;
    let checklist = published(app, points_sheet(&vape, "T-PTS-SUBMIT")).await;
    let a = open(
        app,
        COMMUNE_EDITOR,
        &checklist,
        &badinh,
        family("Gia đình bà Hồ Sơ"),
        2025,
    )
    .await;
    let empty = call(
        app,
        COMMUNE_EDITOR,
        "submitAssessment",
        "AssessmentStepInput",
        step(&a),
    )
    .await;
    assert_eq!(
        user_errors(&empty),
        BTreeSet::from([
            ("criteria.1.1".to_owned(), "REQUIRED".to_owned()),
            ("criteria.2.1".to_owned(), "REQUIRED".to_owned())
        ])
    );
    // 1.1 claims points and requires evidence: a note is needed.
    let a = save(
        app,
        COMMUNE_EDITOR,
        &a,
        points(&[("1.1", Some(40)), ("2.1", Some(30))]),
    )
    .await;
    let no_note = call(
        app,
        COMMUNE_EDITOR,
        "submitAssessment",
        "AssessmentStepInput",
        step(&a),
    )
    .await;
    assert_eq!(
        user_errors(&no_note),
        one("criteria.1.1", "EVIDENCE_REQUIRED")
    );
    let blank_note = save(
        app,
        COMMUNE_EDITOR,
        &a,
        json!([{ "criterionCode": "1.1", "points": 40, "evidenceNote": "   " }]),
    )
    .await;
    let still = call(
        app,
        COMMUNE_EDITOR,
        "submitAssessment",
        "AssessmentStepInput",
        step(&blank_note),
    )
    .await;
    assert_eq!(
        user_errors(&still),
        one("criteria.1.1", "EVIDENCE_REQUIRED")
    );
    let noted = save(app, COMMUNE_EDITOR, &blank_note,
        json!([{ "criterionCode": "1.1", "points": 40, "evidenceNote": "Đã xem sổ theo dõi năm 2025" }])).await;
    assert_eq!(
        noted["scores"][0]["evidenceNote"],
        "Đã xem sổ theo dõi năm 2025"
    );
    assert_eq!(
        app.count_where(
            "assessment",
            "subject_name = 'Gia đình bà Hồ Sơ' AND status = 'DRAFT'"
        )
        .await,
        1,
        "refusals wrote nothing"
    );
    let submitted = ok(
        app,
        COMMUNE_EDITOR,
        "submitAssessment",
        "AssessmentStepInput",
        json!({ "id": noted["id"], "version": noted["version"], "comment": "Gửi hồ sơ" }),
    )
    .await;
    assert_eq!(submitted["status"], "SUBMITTED");
    assert!(submitted["submittedAt"].is_string());
    assert_eq!(
        submitted["transitions"][1],
        json!({ "fromStatus": "DRAFT", "toStatus": "SUBMITTED", "comment": "Gửi hồ sơ",
        "actor": { "email": COMMUNE_EDITOR }, "actorOrganisation": { "code": "HN-BADINH" } })
    );

    // No credit claimed on an evidence-required criterion: no note needed.
    let zero = open(
        app,
        COMMUNE_EDITOR,
        &checklist,
        &badinh,
        family("Gia đình ông Không Điểm"),
        2025,
    )
    .await;
    let zero = save(
        app,
        COMMUNE_EDITOR,
        &zero,
        points(&[("1.1", Some(0)), ("2.1", Some(30))]),
    )
    .await;
    assert_eq!(
        submit(app, COMMUNE_EDITOR, &zero).await["status"],
        "SUBMITTED"
    );

    // Submitted: answers wait for the approver; submitting twice is not a step.
    let frozen = call(
        app,
        COMMUNE_EDITOR,
        "saveAssessmentScores",
        "SaveAssessmentScoresInput",
        save_input(&submitted, points(&[("1.2", Some(1))])),
    )
    .await;
    assert_eq!(user_errors(&frozen), one("id", "INVALID_STATE"));
    for name in ["submitAssessment", "resubmitAssessment"] {
        let twice = call(
            app,
            COMMUNE_EDITOR,
            name,
            "AssessmentStepInput",
            step(&submitted),
        )
        .await;
        assert_eq!(
            user_errors(&twice),
            one("status", "INVALID_TRANSITION"),
            "{name}"
        );
    }
});

on_both!(
    every_workflow_step_is_checked_and_recorded_and_approval_locks,
    |app| {
        let vape = app.org_id("VAPE").await;
        let badinh = app.org_id("HN-BADINH").await;
        let checklist = published(app, points_sheet(&vape, "T-PTS-FLOW")).await;
        let a = open(
            app,
            COMMUNE_EDITOR,
            &checklist,
            &badinh,
            family("Gia đình ông Quy Trình"),
            2025,
        )
        .await;
        // A draft is neither resubmitted, approved nor returned.
        let early = call(
            app,
            COMMUNE_EDITOR,
            "resubmitAssessment",
            "AssessmentStepInput",
            step(&a),
        )
        .await;
        assert_eq!(user_errors(&early), one("status", "INVALID_TRANSITION"));
        let early = call(
            app,
            HANOI_ADMIN,
            "approveAssessment",
            "ApproveAssessmentInput",
            approve_input(&a, None),
        )
        .await;
        assert_eq!(user_errors(&early), one("status", "INVALID_TRANSITION"));
        let early = call(
            app,
            HANOI_ADMIN,
            "returnAssessment",
            "ReturnAssessmentInput",
            json!({ "id": a["id"], "version": a["version"], "comment": "x" }),
        )
        .await;
        assert_eq!(user_errors(&early), one("status", "INVALID_TRANSITION"));

        let a = save(
            app,
            COMMUNE_EDITOR,
            &a,
            json!([
                { "criterionCode": "1.1", "points": 40, "evidenceNote": "Sổ theo dõi" },
                { "criterionCode": "1.2", "points": 20 }, { "criterionCode": "2.1", "points": 25 },
            ]),
        )
        .await;
        let a = submit(app, COMMUNE_EDITOR, &a).await;

        // Returning needs a comment.
        let blank = call(
            app,
            HANOI_ADMIN,
            "returnAssessment",
            "ReturnAssessmentInput",
            json!({ "id": a["id"], "version": a["version"], "comment": "  " }),
        )
        .await;
        assert_eq!(user_errors(&blank), one("comment", "REQUIRED"));
        let returned = ok(app, HANOI_ADMIN, "returnAssessment", "ReturnAssessmentInput",
        json!({ "id": a["id"], "version": a["version"], "comment": "Bổ sung minh chứng tiêu chí 2.1" })).await;
        assert_eq!(returned["status"], "RETURNED");
        assert_eq!(returned["returnComment"], "Bổ sung minh chứng tiêu chí 2.1");
        let approve_returned = call(
            app,
            HANOI_ADMIN,
            "approveAssessment",
            "ApproveAssessmentInput",
            approve_input(&returned, None),
        )
        .await;
        assert_eq!(
            user_errors(&approve_returned),
            one("status", "INVALID_TRANSITION")
        );

        // Returned: editable again, then resubmitted.
        let fixed = save(app, COMMUNE_EDITOR, &returned, points(&[("2.1", Some(30))])).await;
        let expected = expected_points(&[("1.1", 40), ("1.2", 20), ("2.1", 30)]);
        assert_eq!(outcome(&fixed), expected);
        let resubmitted = ok(
            app,
            COMMUNE_EDITOR,
            "resubmitAssessment",
            "AssessmentStepInput",
            step(&fixed),
        )
        .await;
        assert_eq!(resubmitted["status"], "SUBMITTED");
        assert_eq!(resubmitted["returnComment"], Value::Null);

        let approved = ok(app, HANOI_ADMIN, "approveAssessment", "ApproveAssessmentInput",
        json!({ "id": resubmitted["id"], "version": resubmitted["version"], "comment": "Đủ điều kiện", "decision": decision("12/QĐ-UBND", "2026-02-15") })).await;
        assert_eq!(approved["status"], "APPROVED");
        assert!(approved["approvedAt"].is_string());
        assert_eq!(approved["approverOrganisation"]["code"], "HN");
        assert_eq!(outcome(&approved), expected);
        // The default rules of the checklist: valid 36 months, next level after 12.
        let decided = NaiveDate::from_ymd_opt(2026, 2, 15).unwrap();
        let months = |m: i64| {
            decided
                .checked_add_months(Months::new(u32::try_from(m).unwrap()))
                .unwrap()
                .to_string()
        };
        let d = &approved["recognitionDecision"];
        assert_eq!(
            d["validUntil"],
            months(checklist["recognitionValidityMonths"].as_i64().unwrap())
        );
        assert_eq!(
            d["nextLevelEligibleOn"],
            months(checklist["nextLevelWaitMonths"].as_i64().unwrap())
        );
        assert_eq!(
            d["result"],
            json!({ "code": expected.1, "label": level_label(&checklist, expected.2), "rank": expected.2 })
        );

        let steps: Vec<(Value, &str, Value, &str)> = approved["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["fromStatus"].clone(),
                    t["toStatus"].as_str().unwrap(),
                    t["comment"].clone(),
                    t["actorOrganisation"]["code"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            steps,
            vec![
                (Value::Null, "DRAFT", Value::Null, "HN-BADINH"),
                (json!("DRAFT"), "SUBMITTED", Value::Null, "HN-BADINH"),
                (
                    json!("SUBMITTED"),
                    "RETURNED",
                    json!("Bổ sung minh chứng tiêu chí 2.1"),
                    "HN"
                ),
                (json!("RETURNED"), "SUBMITTED", Value::Null, "HN-BADINH"),
                (json!("SUBMITTED"), "APPROVED", json!("Đủ điều kiện"), "HN"),
            ]
        );
        assert_eq!(approved["transitions"][2]["actor"]["email"], HANOI_ADMIN);

        // Approved is locked: every change is refused, nothing is written.
        let before = app.count("assessment_transition").await;
        let locked = [
            (
                "saveAssessmentScores",
                "SaveAssessmentScoresInput",
                COMMUNE_EDITOR,
                save_input(&approved, points(&[("1.2", Some(0))])),
            ),
            (
                "submitAssessment",
                "AssessmentStepInput",
                COMMUNE_EDITOR,
                step(&approved),
            ),
            (
                "resubmitAssessment",
                "AssessmentStepInput",
                COMMUNE_EDITOR,
                step(&approved),
            ),
            (
                "approveAssessment",
                "ApproveAssessmentInput",
                CENTRAL_ADMIN,
                approve_input(&approved, Some(decision("13/QĐ", "2026-03-01"))),
            ),
            (
                "returnAssessment",
                "ReturnAssessmentInput",
                CENTRAL_ADMIN,
                json!({ "id": approved["id"], "version": approved["version"], "comment": "Mở lại" }),
            ),
        ];
        for (name, input_type, who, input) in locked {
            let refused = call(app, who, name, input_type, input).await;
            assert_eq!(
                user_errors(&refused),
                one("id", "LOCKED"),
                "{name}: {refused}"
            );
        }
        assert_eq!(app.count("assessment_transition").await, before);
        assert_eq!(
            app.count_where("recognition_decision", "decision_number = '13/QĐ'")
                .await,
            0
        );
        let audited = app.strings(&format!(
        "SELECT action AS s FROM audit_event WHERE entity_type = 'Assessment' AND entity_id = {} ORDER BY id",
        app.strings("SELECT CAST(MAX(id) AS TEXT) AS s FROM assessment").await[0]
    )).await;
        assert_eq!(
            audited,
            [
                "create",
                "save_scores",
                "submit",
                "return",
                "save_scores",
                "resubmit",
                "approve"
            ]
        );
    }
);

/// Opens, fills and submits a family assessment of `org` as `email`.
async fn submitted_family(
    app: &TestApp,
    email: &str,
    checklist: &Value,
    org: &str,
    name: &str,
) -> Value {
    let a = open(app, email, checklist, org, family(name), 2025).await;
    let a = save(
        app,
        email,
        &a,
        json!([
            { "criterionCode": "1.1", "points": 40, "evidenceNote": "Sổ theo dõi" },
            { "criterionCode": "1.2", "points": 30 }, { "criterionCode": "2.1", "points": 30 },
        ]),
    )
    .await;
    submit(app, email, &a).await
}

/// The ids in `email`'s approval queue, checking that its `totalCount` (read from the tallies
/// when it can be) agrees with the rows listed, for the whole queue and for one year of it.
async fn queue(app: &TestApp, email: &str) -> BTreeSet<String> {
    let data = app
        .data_as(
            email,
            "{ all: approvalQueue(first: 100) { totalCount nodes { id status } }
               year: approvalQueue(first: 100, filter: { periodYear: 2025 }) { totalCount nodes { id } }
               none: approvalQueue(first: 100, filter: { periodYear: 1999 }) { totalCount } }",
            json!({}),
        )
        .await;
    for alias in ["all", "year"] {
        let listed = data[alias]["nodes"].as_array().unwrap().len();
        assert_eq!(data[alias]["totalCount"], listed, "{email}: {alias}");
    }
    assert_eq!(data["none"]["totalCount"], 0, "{email}");
    data["all"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            assert_eq!(n["status"], "SUBMITTED");
            n["id"].as_str().unwrap().to_owned()
        })
        .collect()
}

on_both!(nobody_approves_their_own_organisations_assessment, |app| {
    let vape = app.org_id("VAPE").await;
    let hanoi = app.org_id("HN").await;
    let badinh = app.org_id("HN-BADINH").await;
    let tdp5 = app.org_id("HN-BADINH-TDP5").await;
    let socson = app.org_id("HN-SOCSON").await;
    let checklist = published(app, points_sheet(&vape, "T-PTS-SELF")).await;
    let a = submitted_family(
        app,
        COMMUNE_EDITOR,
        &checklist,
        &badinh,
        "Gia đình ông Tự Duyệt",
    )
    .await;
    let decided = Some(decision("20/QĐ-UBND", "2026-02-01"));

    // A Ba Đình administrator, and a Hà Nội administrator who also holds a role in Ba Đình.
    let invite = r#"mutation($org: ID!, $email: String!, $role: Role!) { inviteUser(input: {organisationId: $org, email: $email, displayName: "Cán bộ thử", role: $role}) { userErrors { code } } }"#;
    for (org, email, role) in [
        (&badinh, "badinh.admin@test.vn", "ADMIN"),
        (&hanoi, "hn.both@test.vn", "ADMIN"),
        (&badinh, "hn.both@test.vn", "VIEWER"),
    ] {
        let done = app
            .data_as(
                CENTRAL_ADMIN,
                invite,
                json!({ "org": org, "email": email, "role": role }),
            )
            .await;
        assert_eq!(done["inviteUser"]["userErrors"], json!([]), "{done}");
    }
    for who in [
        COMMUNE_EDITOR,
        "badinh.admin@test.vn",
        "hn.both@test.vn",
        HANOI_VIEWER,
    ] {
        let refused = attempt(
            app,
            who,
            "approveAssessment",
            "ApproveAssessmentInput",
            approve_input(&a, decided.clone()),
        )
        .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{who}: {refused}");
        let refused = attempt(
            app,
            who,
            "returnAssessment",
            "ReturnAssessmentInput",
            json!({ "id": a["id"], "version": a["version"], "comment": "Trả lại" }),
        )
        .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{who}: {refused}");
        assert!(
            !queue(app, who).await.contains(a["id"].as_str().unwrap()),
            "{who}'s queue"
        );
    }
    // The ancestors' editors and administrators do: Hà Nội for Ba Đình, the central association
    // for a commune's assessment Hà Nội filled in for it, and Ba Đình for its chi hội.
    let hn_queue = queue(app, HANOI_ADMIN).await;
    assert!(hn_queue.contains(a["id"].as_str().unwrap()));
    let hn_path = app
        .strings("SELECT path AS s FROM organisation WHERE code = 'HN'")
        .await[0]
        .clone();
    let expected_queue = app
        .count(&format!(
            "assessment a JOIN organisation o ON o.id = a.organisation_id \
             WHERE a.status = 'SUBMITTED' AND o.path LIKE '{hn_path}%' AND o.path <> '{hn_path}'"
        ))
        .await;
    assert_eq!(
        hn_queue.len() as i64,
        expected_queue,
        "every submission below Hà Nội"
    );
    let approved = ok(
        app,
        HANOI_ADMIN,
        "approveAssessment",
        "ApproveAssessmentInput",
        approve_input(&a, decided.clone()),
    )
    .await;
    assert_eq!(approved["approverOrganisation"]["code"], "HN");
    assert_eq!(
        approved["transitions"][2]["actorOrganisation"]["code"],
        "HN"
    );
    assert!(
        !queue(app, HANOI_ADMIN)
            .await
            .contains(a["id"].as_str().unwrap())
    );

    let filled_in = submitted_family(
        app,
        HANOI_ADMIN,
        &checklist,
        &socson,
        "Gia đình ông Hà Nội Nộp",
    )
    .await;
    let approved = ok(
        app,
        CENTRAL_ADMIN,
        "approveAssessment",
        "ApproveAssessmentInput",
        approve_input(&filled_in, decided.clone()),
    )
    .await;
    assert_eq!(approved["approverOrganisation"]["code"], "VAPE");

    let branch = submitted_family(
        app,
        COMMUNE_EDITOR,
        &checklist,
        &tdp5,
        "Gia đình bà Chi Hội",
    )
    .await;
    assert!(
        queue(app, COMMUNE_EDITOR)
            .await
            .contains(branch["id"].as_str().unwrap())
    );
    let approved = ok(
        app,
        COMMUNE_EDITOR,
        "approveAssessment",
        "ApproveAssessmentInput",
        approve_input(&branch, decided),
    )
    .await;
    assert_eq!(approved["approverOrganisation"]["code"], "HN-BADINH");
});

on_both!(
    recognition_dates_follow_the_checklist_and_expiring_ones_are_listed,
    |app| {
        let vape = app.org_id("VAPE").await;
        let badinh = app.org_id("HN-BADINH").await;
        let mut sheet = points_sheet(&vape, "T-PTS-DATES");
        sheet["recognitionValidityMonths"] = json!(24);
        sheet["nextLevelWaitMonths"] = json!(6);
        let checklist = published(app, sheet).await;
        let a = submitted_family(
            app,
            COMMUNE_EDITOR,
            &checklist,
            &badinh,
            "Gia đình ông Công Nhận",
        )
        .await;

        let cases = [
            (None, "decision", "REQUIRED"),
            (
                Some(decision("1/QĐ", "2024-12-31")),
                "decision.decidedOn",
                "DATE_ORDER",
            ),
            (
                Some(
                    json!({ "decisionNumber": " ", "decidedOn": "2026-01-10", "authorityName": "UBND" }),
                ),
                "decision.decisionNumber",
                "REQUIRED",
            ),
            (
                Some(
                    json!({ "decisionNumber": "1/QĐ", "decidedOn": "2026-01-10", "authorityName": "" }),
                ),
                "decision.authorityName",
                "REQUIRED",
            ),
        ];
        for (d, field, code) in cases {
            let refused = call(
                app,
                HANOI_ADMIN,
                "approveAssessment",
                "ApproveAssessmentInput",
                approve_input(&a, d),
            )
            .await;
            assert_eq!(user_errors(&refused), one(field, code), "{refused}");
        }
        // 31 August + 6 months is the last day of February; + 24 months keeps the day.
        let decided_on = "2026-08-31";
        let hanoi = app.org_id("HN").await;
        let approved = ok(app, HANOI_ADMIN, "approveAssessment", "ApproveAssessmentInput", approve_input(&a, Some(json!({
        "decisionNumber": "45/QĐ-UBND", "decidedOn": decided_on, "authorityName": "Ủy ban nhân dân phường Ba Đình", "authorityOrganisationId": hanoi,
    })))).await;
        let day = NaiveDate::parse_from_str(decided_on, "%Y-%m-%d").unwrap();
        let valid_until = day.checked_add_months(Months::new(24)).unwrap();
        let next_level = day.checked_add_months(Months::new(6)).unwrap();
        assert_eq!(next_level, NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
        let d = &approved["recognitionDecision"];
        assert_eq!(d["decisionNumber"], "45/QĐ-UBND");
        assert_eq!(d["decidedOn"], decided_on);
        assert_eq!(d["validUntil"], valid_until.to_string());
        assert_eq!(d["nextLevelEligibleOn"], next_level.to_string());
        assert_eq!(d["authorityName"], "Ủy ban nhân dân phường Ba Đình");
        let (_, code, rank) = expected_points(&[("1.1", 40), ("1.2", 30), ("2.1", 30)]);
        assert_eq!(
            d["result"],
            json!({ "code": code, "label": level_label(&checklist, rank), "rank": rank })
        );

        // A result that is not met is approved without a decision, and never with one.
        let weak = open(
            app,
            COMMUNE_EDITOR,
            &checklist,
            &badinh,
            family("Gia đình bà Chưa Đạt"),
            2025,
        )
        .await;
        let weak = save(
            app,
            COMMUNE_EDITOR,
            &weak,
            points(&[("1.1", Some(0)), ("2.1", Some(10))]),
        )
        .await;
        assert_eq!(outcome(&weak), expected_points(&[("1.1", 0), ("2.1", 10)]));
        let weak = submit(app, COMMUNE_EDITOR, &weak).await;
        let refused = call(
            app,
            HANOI_ADMIN,
            "approveAssessment",
            "ApproveAssessmentInput",
            approve_input(&weak, Some(decision("2/QĐ", "2026-02-01"))),
        )
        .await;
        assert_eq!(user_errors(&refused), one("decision", "NOT_APPLICABLE"));
        let weak = ok(
            app,
            HANOI_ADMIN,
            "approveAssessment",
            "ApproveAssessmentInput",
            approve_input(&weak, None),
        )
        .await;
        assert_eq!(weak["status"], "APPROVED");
        assert_eq!(weak["recognitionDecision"], Value::Null);

        // Expiring before the day after `validUntil` includes it; before `validUntil` itself not.
        let expiring = "query($b: Date!, $f: Date) { expiringRecognitions(expiringBefore: $b, expiringFrom: $f, first: 100) { totalCount nodes { decisionNumber validUntil assessment { subjectName } } } }";
        let numbers = |data: &Value| -> BTreeSet<String> {
            data["expiringRecognitions"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["decisionNumber"].as_str().unwrap().to_owned())
                .collect()
        };
        let after = (valid_until + chrono::Days::new(1)).to_string();
        let included = app
            .data_as(
                HANOI_ADMIN,
                expiring,
                json!({ "b": after, "f": valid_until.to_string() }),
            )
            .await;
        assert!(numbers(&included).contains("45/QĐ-UBND"), "{included}");
        let excluded = app
            .data_as(
                HANOI_ADMIN,
                expiring,
                json!({ "b": valid_until.to_string() }),
            )
            .await;
        assert!(!numbers(&excluded).contains("45/QĐ-UBND"));
        let lapsed = app
            .data_as(
                HANOI_ADMIN,
                expiring,
                json!({ "b": "2100-01-01", "f": after }),
            )
            .await;
        assert!(!numbers(&lapsed).contains("45/QĐ-UBND"));
        // Soonest first.
        let all = app
            .data_as(HANOI_ADMIN, expiring, json!({ "b": "2100-01-01" }))
            .await;
        let dates: Vec<&str> = all["expiringRecognitions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["validUntil"].as_str().unwrap())
            .collect();
        let mut sorted = dates.clone();
        sorted.sort_unstable();
        assert_eq!(dates, sorted);
        // Another province sees none of Hà Nội's recognitions.
        let hcm = app
            .data_as(HCM_ADMIN, expiring, json!({ "b": "2100-01-01" }))
            .await;
        let hcm_path = app
            .strings("SELECT path AS s FROM organisation WHERE code = 'HCM'")
            .await[0]
            .clone();
        let expected: BTreeSet<String> = app.strings(&format!(
        "SELECT r.decision_number AS s FROM recognition_decision r JOIN organisation o ON o.id = r.organisation_id WHERE o.path LIKE '{hcm_path}%'"
    )).await.into_iter().collect();
        assert_eq!(numbers(&hcm), expected);
        assert!(!numbers(&hcm).contains("45/QĐ-UBND"));
    }
);

on_both!(a_second_live_assessment_of_a_subject_is_refused, |app| {
    let vape = app.org_id("VAPE").await;
    let badinh = app.org_id("HN-BADINH").await;
    let checklist = published(app, points_sheet(&vape, "T-PTS-DUP")).await;
    let create = mutation("createAssessment", "CreateAssessmentInput");
    let input = |name: &str, year: i32| json!({ "input": { "checklistId": checklist["id"], "organisationId": badinh, "subject": family(name), "periodYear": year } });
    open(
        app,
        COMMUNE_EDITOR,
        &checklist,
        &badinh,
        family("Gia đình bà Lê Thị Hoa"),
        2025,
    )
    .await;
    for name in ["Gia đình bà Lê Thị Hoa", "gia dinh  ba le thi hoa"] {
        let again = app
            .data_as(COMMUNE_EDITOR, &create, input(name, 2025))
            .await;
        assert_eq!(
            user_errors(&again["createAssessment"]),
            one("subject", "DUPLICATE"),
            "{name}"
        );
    }
    assert_eq!(
        app.count_where("assessment", "checklist_code = 'T-PTS-DUP'")
            .await,
        1
    );
    // Another year is another assessment.
    open(
        app,
        COMMUNE_EDITOR,
        &checklist,
        &badinh,
        family("Gia đình bà Lê Thị Hoa"),
        2026,
    )
    .await;
    // The demo's 2025 assessment of this family on GDHT-448 already exists.
    let family448 = crate::checklists::demo_checklist(app, "GDHT-448").await;
    let demo = app.data_as(COMMUNE_EDITOR, &create, json!({ "input": { "checklistId": family448["id"], "organisationId": badinh, "subject": family("Gia đình ông Nguyễn Văn An"), "periodYear": 2025 } })).await;
    assert_eq!(
        user_errors(&demo["createAssessment"]),
        one("subject", "DUPLICATE")
    );

    // Ten concurrent openings of one new subject: exactly one wins; the others are refused.
    let token = app.token(COMMUNE_EDITOR).await;
    let requests =
        (0..10).map(|_| app.post(Some(&token), &create, input("Gia đình ông Đồng Thời", 2025)));
    let responses = futures::future::join_all(requests).await;
    let mut created = 0;
    for (_, body) in &responses {
        if body["data"]["createAssessment"]["assessment"].is_object() {
            created += 1;
        } else {
            let duplicate =
                user_errors(&body["data"]["createAssessment"]) == one("subject", "DUPLICATE");
            assert!(duplicate || error_code(body) == Some("CONFLICT"), "{body}");
        }
    }
    assert_eq!(created, 1);
    assert_eq!(
        app.count_where("assessment", "subject_name = 'Gia đình ông Đồng Thời'")
            .await,
        1
    );
});

on_both!(
    opening_an_assessment_checks_checklist_subject_and_who,
    |app| {
        let vape = app.org_id("VAPE").await;
        let badinh = app.org_id("HN-BADINH").await;
        let socson = app.org_id("HN-SOCSON").await;
        let cuchi = app.org_id("HCM-CUCHI").await;
        // Readable to Ba Đình's editor, but above Ba Đình: not a subject it assesses.
        let parent = app.org_id("HN").await;
        let draft = create_checklist(app, CENTRAL_ADMIN, points_sheet(&vape, "T-PTS-DRAFT")).await;
        let retired = published(app, points_sheet(&vape, "T-PTS-RETIRED")).await;
        app.data_as(CENTRAL_ADMIN, "mutation($id: ID!) { retireCriteriaChecklist(input: {id: $id, version: 2}) { userErrors { code } } }", json!({ "id": retired["id"] })).await;
        let community = published(app, indicator_sheet(&vape, "T-IND-OPEN")).await;
        let family_sheet = published(app, points_sheet(&vape, "T-PTS-OPEN")).await;
        let hanoi_variant = crate::checklists::demo_checklist(app, "GDHT-HN-2024").await;
        let create = mutation("createAssessment", "CreateAssessmentInput");
        let cases = [
            (
                CENTRAL_ADMIN,
                &draft,
                &badinh,
                family("Gia đình A"),
                2025,
                "checklistId",
                "CHECKLIST_NOT_PUBLISHED",
            ),
            (
                COMMUNE_EDITOR,
                &retired,
                &badinh,
                family("Gia đình A"),
                2025,
                "checklistId",
                "CHECKLIST_NOT_PUBLISHED",
            ),
            (
                CENTRAL_ADMIN,
                &hanoi_variant,
                &cuchi,
                family("Gia đình A"),
                2025,
                "checklistId",
                "CHECKLIST_NOT_APPLICABLE",
            ),
            (
                COMMUNE_EDITOR,
                &community,
                &badinh,
                json!({ "kind": "ORGANISATION", "organisationId": parent }),
                2025,
                "subject.organisationId",
                "OUT_OF_SUBTREE",
            ),
            (
                COMMUNE_EDITOR,
                &community,
                &badinh,
                json!({ "kind": "ORGANISATION" }),
                2025,
                "subject.organisationId",
                "REQUIRED",
            ),
            (
                COMMUNE_EDITOR,
                &community,
                &badinh,
                family("Gia đình A"),
                2025,
                "subject.kind",
                "SUBJECT_MISMATCH",
            ),
            (
                COMMUNE_EDITOR,
                &family_sheet,
                &badinh,
                json!({ "kind": "CLAN", "name": "Dòng họ A" }),
                2025,
                "subject.kind",
                "SUBJECT_MISMATCH",
            ),
            (
                COMMUNE_EDITOR,
                &family_sheet,
                &badinh,
                json!({ "kind": "FAMILY", "name": "Gia đình A", "organisationId": badinh }),
                2025,
                "subject.organisationId",
                "NOT_APPLICABLE",
            ),
            (
                COMMUNE_EDITOR,
                &family_sheet,
                &badinh,
                json!({ "kind": "FAMILY", "name": " " }),
                2025,
                "subject.name",
                "REQUIRED",
            ),
            (
                COMMUNE_EDITOR,
                &family_sheet,
                &badinh,
                family("Gia đình A"),
                1989,
                "periodYear",
                "OUT_OF_RANGE",
            ),
        ];
        let before = app.count("assessment").await;
        for (who, checklist, org, subject, year, field, code) in cases {
            let refused = app.data_as(who, &create, json!({ "input": { "checklistId": checklist["id"], "organisationId": org, "subject": subject, "periodYear": year } })).await;
            assert!(
                user_errors(&refused["createAssessment"])
                    .contains(&(field.to_owned(), code.to_owned())),
                "expected {field} {code}: {refused}"
            );
        }
        assert_eq!(app.count("assessment").await, before);
        // Organisations one may not write for: refused, or unknown when not even readable.
        for (who, org) in [
            (COMMUNE_EDITOR, &socson),
            (HANOI_VIEWER, &badinh),
            (HCM_ADMIN, &badinh),
        ] {
            let refused = app.gql_as(who, &create, json!({ "input": { "checklistId": family_sheet["id"], "organisationId": org, "subject": family("Gia đình A"), "periodYear": 2025 } })).await;
            assert!(
                matches!(error_code(&refused), Some("FORBIDDEN" | "NOT_FOUND")),
                "{who}: {refused}"
            );
        }
        // A draft checklist of Hà Nội's is unknown to Ba Đình's editor.
        let hanoi = app.org_id("HN").await;
        let hn_draft =
            create_checklist(app, HANOI_ADMIN, points_sheet(&hanoi, "T-PTS-HN-DRAFT")).await;
        let unknown = app.data_as(COMMUNE_EDITOR, &create, json!({ "input": { "checklistId": hn_draft["id"], "organisationId": badinh, "subject": family("Gia đình A"), "periodYear": 2025 } })).await;
        assert_eq!(
            user_errors(&unknown["createAssessment"]),
            one("checklistId", "NOT_FOUND")
        );
        publish(app, HANOI_ADMIN, &hn_draft).await;
        open(
            app,
            COMMUNE_EDITOR,
            &hn_draft,
            &badinh,
            family("Gia đình A"),
            2025,
        )
        .await;
    }
);

on_both!(candidacies_are_registered_assessed_and_withdrawn, |app| {
    let vape = app.org_id("VAPE").await;
    let badinh = app.org_id("HN-BADINH").await;
    let checklist = published(app, points_sheet(&vape, "T-PTS-CAND")).await;
    let register = "mutation($input: RegisterCandidacyInput!) { registerCandidacy(input: $input) { candidacy { id status version periodYear targetLevel registeredOn subjectName organisation { code } } userErrors { field code } } }";
    let withdraw = "mutation($id: ID!, $v: Int!) { withdrawCandidacy(input: {id: $id, version: $v}) { candidacy { id status version } userErrors { field code } } }";
    let input = |name: &str, year: i32| json!({ "input": { "organisationId": badinh, "model": "LEARNING_FAMILY", "subject": family(name), "periodYear": year, "targetLevel": 1 } });

    let c = app
        .data_as(
            COMMUNE_EDITOR,
            register,
            input("Gia đình ông Ứng Viên", 2027),
        )
        .await["registerCandidacy"]
        .clone();
    assert_eq!(c["userErrors"], json!([]), "{c}");
    let c = c["candidacy"].clone();
    assert_eq!(c["status"], "REGISTERED");
    assert_eq!(
        c["registeredOn"],
        chrono::Utc::now().date_naive().to_string()
    );
    let again = app
        .data_as(
            COMMUNE_EDITOR,
            register,
            input("gia dinh ong ung vien", 2027),
        )
        .await;
    assert_eq!(
        user_errors(&again["registerCandidacy"]),
        one("subject", "DUPLICATE")
    );
    let clan = app.data_as(COMMUNE_EDITOR, register, json!({ "input": { "organisationId": badinh, "model": "LEARNING_FAMILY", "subject": { "kind": "CLAN", "name": "Dòng họ A" }, "periodYear": 2027 } })).await;
    assert_eq!(
        user_errors(&clan["registerCandidacy"]),
        one("subject.kind", "SUBJECT_MISMATCH")
    );

    // An assessment answering it must be for the same subject and year, and marks it assessed.
    let create = mutation("createAssessment", "CreateAssessmentInput");
    let mismatch = app
        .data_as(
            COMMUNE_EDITOR,
            &create,
            json!({ "input": { "checklistId": checklist["id"], "organisationId": badinh,
        "subject": family("Gia đình ông Ứng Viên"), "periodYear": 2026, "candidacyId": c["id"] } }),
        )
        .await;
    assert_eq!(
        user_errors(&mismatch["createAssessment"]),
        one("candidacyId", "CANDIDACY_MISMATCH")
    );
    let a = ok(
        app,
        COMMUNE_EDITOR,
        "createAssessment",
        "CreateAssessmentInput",
        json!({ "checklistId": checklist["id"], "organisationId": badinh,
        "subject": family("Gia đình ông Ứng Viên"), "periodYear": 2027, "candidacyId": c["id"] }),
    )
    .await;
    assert_eq!(
        a["candidacy"],
        json!({ "id": c["id"], "status": "ASSESSED" })
    );
    let assessed = app
        .data_as(COMMUNE_EDITOR, withdraw, json!({ "id": c["id"], "v": 2 }))
        .await;
    assert_eq!(
        user_errors(&assessed["withdrawCandidacy"]),
        one("status", "INVALID_TRANSITION")
    );

    // Withdrawn: it cannot be assessed, and the subject may register again.
    let other = app
        .data_as(COMMUNE_EDITOR, register, input("Gia đình bà Rút Lui", 2027))
        .await["registerCandidacy"]["candidacy"]
        .clone();
    let stale = app
        .gql_as(
            COMMUNE_EDITOR,
            withdraw,
            json!({ "id": other["id"], "v": 7 }),
        )
        .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"));
    let viewer = app
        .gql_as(HANOI_VIEWER, withdraw, json!({ "id": other["id"], "v": 1 }))
        .await;
    assert_eq!(error_code(&viewer), Some("FORBIDDEN"));
    let gone = app
        .data_as(
            COMMUNE_EDITOR,
            withdraw,
            json!({ "id": other["id"], "v": 1 }),
        )
        .await;
    assert_eq!(
        gone["withdrawCandidacy"]["candidacy"]["status"],
        "WITHDRAWN"
    );
    let late = app.data_as(COMMUNE_EDITOR, &create, json!({ "input": { "checklistId": checklist["id"], "organisationId": badinh,
        "subject": family("Gia đình bà Rút Lui"), "periodYear": 2027, "candidacyId": other["id"] } })).await;
    assert_eq!(
        user_errors(&late["createAssessment"]),
        one("candidacyId", "INVALID_STATE")
    );
    let back = app
        .data_as(COMMUNE_EDITOR, register, input("Gia đình bà Rút Lui", 2027))
        .await;
    assert_eq!(back["registerCandidacy"]["userErrors"], json!([]));

    let list = "query($f: CandidacyFilter) { candidacies(filter: $f, first: 100) { totalCount nodes { subjectName status } } }";
    let mine = app
        .data_as(COMMUNE_EDITOR, list, json!({ "f": { "periodYear": 2027 } }))
        .await;
    assert_eq!(mine["candidacies"]["totalCount"], 3);
    let found = app
        .data_as(
            COMMUNE_EDITOR,
            list,
            json!({ "f": { "periodYear": 2027, "search": "rut lui", "statuses": ["REGISTERED"] } }),
        )
        .await;
    assert_eq!(
        found["candidacies"]["nodes"],
        json!([{ "subjectName": "Gia đình bà Rút Lui", "status": "REGISTERED" }])
    );
    let hcm = app
        .data_as(HCM_ADMIN, list, json!({ "f": { "periodYear": 2027 } }))
        .await;
    assert_eq!(hcm["candidacies"]["totalCount"], 0);
});

on_both!(another_province_sees_none_of_it, |app| {
    let hn_path = app
        .strings("SELECT path AS s FROM organisation WHERE code = 'HN'")
        .await[0]
        .clone();
    let hcm_path = app
        .strings("SELECT path AS s FROM organisation WHERE code = 'HCM'")
        .await[0]
        .clone();
    let in_subtree = |path: &str| {
        format!(
            "SELECT CAST(a.id AS TEXT) AS s FROM assessment a JOIN organisation o ON o.id = a.organisation_id WHERE o.path LIKE '{path}%'"
        )
    };
    let list = "query($after: String) { assessments(first: 100, after: $after) { totalCount nodes { id subjectName organisation { code } } pageInfo { hasNextPage endCursor } } }";
    let hcm_seen = app.data_as(HCM_ADMIN, list, json!({})).await;
    let hcm_expected = app.strings(&in_subtree(&hcm_path)).await;
    assert_eq!(hcm_seen["assessments"]["totalCount"], hcm_expected.len());
    assert!(
        hcm_seen["assessments"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["organisation"]["code"]
                .as_str()
                .unwrap()
                .starts_with("HCM"))
    );
    let commune_expected = app
        .strings(&in_subtree(
            &app.strings("SELECT path AS s FROM organisation WHERE code = 'HN-BADINH'")
                .await[0],
        ))
        .await;
    let commune_seen = app.data_as(COMMUNE_EDITOR, list, json!({})).await;
    assert_eq!(
        commune_seen["assessments"]["totalCount"],
        commune_expected.len()
    );

    // Every Hà Nội assessment: null by id and by node, NOT_FOUND to every change.
    let hn_ids = app.strings(&in_subtree(&hn_path)).await;
    assert!(!hn_ids.is_empty());
    let all = app.data_as(CENTRAL_ADMIN, "{ assessments(first: 100, filter: {statuses: [SUBMITTED]}) { nodes { id version organisation { code } } } }", json!({})).await;
    let submitted_hn: Vec<Value> = all["assessments"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| {
            n["organisation"]["code"]
                .as_str()
                .unwrap()
                .starts_with("HN")
        })
        .cloned()
        .collect();
    assert!(!submitted_hn.is_empty());
    for a in &submitted_hn {
        let read = app
            .data_as(
                HCM_ADMIN,
                "query($id: ID!) { assessment(id: $id) { id } node(id: $id) { id } }",
                json!({ "id": a["id"] }),
            )
            .await;
        assert_eq!(read, json!({ "assessment": null, "node": null }));
        for (name, input_type, input) in [
            (
                "approveAssessment",
                "ApproveAssessmentInput",
                approve_input(a, Some(decision("9/QĐ", "2026-02-01"))),
            ),
            (
                "returnAssessment",
                "ReturnAssessmentInput",
                json!({ "id": a["id"], "version": a["version"], "comment": "x" }),
            ),
            (
                "saveAssessmentScores",
                "SaveAssessmentScoresInput",
                save_input(a, json!([])),
            ),
            ("submitAssessment", "AssessmentStepInput", step(a)),
        ] {
            let refused = attempt(app, HCM_ADMIN, name, input_type, input).await;
            assert_eq!(error_code(&refused), Some("NOT_FOUND"), "{name}: {refused}");
        }
    }
    let hcm_queue = queue(app, HCM_ADMIN).await;
    assert!(
        submitted_hn
            .iter()
            .all(|a| !hcm_queue.contains(a["id"].as_str().unwrap()))
    );
    let candidacies = app
        .data_as(
            HCM_ADMIN,
            "{ candidacies(first: 100) { totalCount } }",
            json!({}),
        )
        .await;
    let expected = app.count(&format!("candidacy c JOIN organisation o ON o.id = c.organisation_id WHERE o.path LIKE '{hcm_path}%'")).await;
    assert_eq!(candidacies["candidacies"]["totalCount"], expected);
});

on_both!(assessments_filter_search_and_page, |app| {
    let query = "query($f: AssessmentFilter, $o: AssessmentOrder, $after: String) { assessments(filter: $f, orderBy: $o, first: 7, after: $after) { totalCount nodes { id subjectName } pageInfo { hasNextPage endCursor } } }";
    let total = |f: Value| async move {
        app.data_as(CENTRAL_ADMIN, query, json!({ "f": f })).await["assessments"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(total(json!({})).await, app.count("assessment").await);
    assert_eq!(
        total(json!({ "search": "nguyen van an" })).await,
        app.count_where("assessment", "subject_search LIKE '%nguyen van an%'")
            .await
    );
    assert_eq!(
        total(json!({ "statuses": ["SUBMITTED", "RETURNED"] })).await,
        app.count_where("assessment", "status IN ('SUBMITTED', 'RETURNED')")
            .await
    );
    assert_eq!(
        total(json!({ "periodYear": 2025, "models": ["LEARNING_FAMILY"] })).await,
        app.count_where(
            "assessment",
            "period_year = 2025 AND model = 'LEARNING_FAMILY'"
        )
        .await
    );
    assert_eq!(
        total(json!({ "result": "level_2" })).await,
        app.count_where("assessment", "result_code = 'LEVEL_2'")
            .await
    );
    let hcm = app.org_id("HCM").await;
    let hcm_path = app
        .strings("SELECT path AS s FROM organisation WHERE code = 'HCM'")
        .await[0]
        .clone();
    assert_eq!(total(json!({ "withinOrganisation": hcm })).await,
        app.count(&format!("assessment a JOIN organisation o ON o.id = a.organisation_id WHERE o.path LIKE '{hcm_path}%'")).await);
    let family = crate::checklists::demo_checklist(app, "GDHT-448").await;
    assert_eq!(
        total(json!({ "checklist": family["id"] })).await,
        app.count_where("assessment", "checklist_code = 'GDHT-448'")
            .await
    );

    // Paging by subject name: every row once, in order.
    let mut names = Vec::new();
    let mut ids = BTreeSet::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .data_as(
                CENTRAL_ADMIN,
                query,
                json!({ "f": {}, "o": { "field": "SUBJECT_NAME" }, "after": after }),
            )
            .await;
        let c = &page["assessments"];
        for n in c["nodes"].as_array().unwrap() {
            assert!(
                ids.insert(n["id"].as_str().unwrap().to_owned()),
                "repeated row"
            );
            names.push(khuyenhoc_core::search::normalize(
                n["subjectName"].as_str().unwrap(),
            ));
        }
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(ids.len() as i64, app.count("assessment").await);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    // A search's pages (ids found first, then their rows): every match once, newest first, and
    // the same total on every page (counted with the first page's ids, then by a COUNT).
    let query = "query($f: AssessmentFilter, $after: String) { assessments(filter: $f, orderBy: { field: UPDATED_AT, direction: DESC }, first: 3, after: $after) { totalCount nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }";
    let matches = app
        .count_where("assessment", "subject_search LIKE '%nguyen%'")
        .await;
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .data_as(
                CENTRAL_ADMIN,
                query,
                json!({ "f": { "search": "nguyen" }, "after": after }),
            )
            .await;
        let c = &page["assessments"];
        assert_eq!(c["totalCount"].as_i64(), Some(matches), "after {after}");
        for n in c["nodes"].as_array().unwrap() {
            let updated_at = n["updatedAt"].as_str().unwrap();
            seen.push((
                chrono::DateTime::parse_from_rfc3339(updated_at).unwrap(),
                n["id"].as_str().unwrap().to_owned(),
            ));
        }
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert!(matches > 3, "the demo data should need several pages");
    assert_eq!(seen.len() as i64, matches);
    assert_eq!(
        seen.iter().map(|(_, id)| id).collect::<BTreeSet<_>>().len(),
        seen.len(),
        "repeated row"
    );
    assert!(
        seen.windows(2).all(|w| w[0].0 >= w[1].0),
        "not newest first"
    );

    // From the end, and with no match at all, the first page's count is right too.
    let last = "query($f: AssessmentFilter) { assessments(filter: $f, orderBy: { field: UPDATED_AT, direction: DESC }, last: 2) { totalCount nodes { id } pageInfo { hasPreviousPage } } }";
    let c = &app
        .data_as(CENTRAL_ADMIN, last, json!({ "f": { "search": "nguyen" } }))
        .await["assessments"];
    assert_eq!(c["totalCount"].as_i64(), Some(matches));
    let oldest: Vec<&str> = seen[seen.len() - 2..]
        .iter()
        .map(|(_, id)| id.as_str())
        .collect();
    let ids: Vec<&str> = c["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, oldest);
    assert_eq!(c["pageInfo"]["hasPreviousPage"], true);
    let none = &app
        .data_as(
            CENTRAL_ADMIN,
            last,
            json!({ "f": { "search": "khong ai ten the nay" } }),
        )
        .await["assessments"];
    assert_eq!(none["totalCount"].as_i64(), Some(0));
    assert_eq!(none["nodes"].as_array().map(Vec::len), Some(0));
});

on_both!(a_search_counts_its_matches_with_its_first_page, |app| {
    let token = app.token(CENTRAL_ADMIN).await;
    let statements = |fields: &str| {
        let query = format!(
            "query($f: AssessmentFilter) {{ assessments(filter: $f, first: 5) {{ {fields} }} }}"
        );
        let token = token.clone();
        async move {
            let variables = json!({ "f": { "search": "nguyen" } });
            app.post_counted(&token, &query, variables).await.0
        }
    };
    assert_eq!(
        statements("totalCount nodes { id }").await,
        statements("nodes { id }").await,
        "the total costs no statement of its own"
    );
});

on_both!(
    nested_assessment_queries_cost_a_constant_number_of_statements,
    |app| {
        let query = r#"query($n: Int!) {
      assessments(first: $n, orderBy: {field: SUBJECT_NAME}) { nodes {
        subjectName result { label } organisation { name } candidacy { status }
        checklist { code owner { code } legalDocument { number } groups { code criteria { code } } resultLevels { code } }
        scores { points met criterion { code maxPoints } }
        transitions { toStatus actor { email } actorOrganisation { code } }
        recognitionDecision { validUntil authorityOrganisation { code } }
      } }
    }"#;
        let token = app.token(CENTRAL_ADMIN).await;
        let mut costs = Vec::new();
        for n in [12, 45] {
            let (statements, body) = app.post_counted(&token, query, json!({ "n": n })).await;
            let nodes = body["data"]["assessments"]["nodes"].as_array().unwrap();
            assert_eq!(nodes.len(), n);
            assert!(
                nodes
                    .iter()
                    .all(|a| !a["scores"].as_array().unwrap().is_empty()),
                "every level is filled"
            );
            // Each sample reaches every relation, so the counts compare like with like.
            assert!(nodes.iter().any(|a| a["candidacy"].is_object()), "n = {n}");
            assert!(
                nodes
                    .iter()
                    .any(|a| a["recognitionDecision"]["authorityOrganisation"].is_object()),
                "n = {n}"
            );
            costs.push(statements);
        }
        // A batch by id proves most rows readable from their own columns and asks the scope
        // only about the rest (`Scoped::readable_row_test`): the larger page reaches checklists
        // of provinces, which the centre's row test cannot prove, so its checklist batch may run
        // one second statement. Anything growing with the rows would add dozens.
        assert!(
            costs[0] <= costs[1] && costs[1] <= costs[0] + 1,
            "statements do not grow with rows: {costs:?}"
        );
        assert!(costs[1] <= 16, "a small constant: {costs:?}");
    }
);
