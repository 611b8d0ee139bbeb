//! `GET /export/assessments.csv` over HTTP: content against the database, the byte-order mark,
//! Vietnamese text and RFC 4180 quoting intact, scope, 401 without a token, 400 on bad
//! parameters. The CSV is read back with an independent RFC 4180 parser written here.

use std::collections::{BTreeSet, HashMap};

use base64::Engine;
use chrono::Utc;
use khuyenhoc_core::entity::enums::{AssessmentStatus, SubjectKind};
use khuyenhoc_core::entity::{assessment, assessment_score, criterion, organisation};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, QueryFilter, Set};
use serde_json::Value;

use crate::helpers::*;
use crate::on_both;

const COLUMNS: &str = "assessment_id,period_year,model,checklist_code,checklist_version,checklist_title,organisation_code,organisation_name,subject_kind,subject_name,subject_organisation_code,status,total_points,result_code,result_rank,result_label,submitted_at,approved_at,group_code,criterion_code,criterion_title,criterion_max_points,points,met,evidence_note";

/// The response to `GET /export/assessments.csv?{query}`: status, content type, body.
async fn export(app: &TestApp, email: Option<&str>, query: &str) -> (u16, String, Vec<u8>) {
    let mut request = app
        .client
        .get(app.url(&format!("/export/assessments.csv?{query}")));
    if let Some(email) = email {
        request = request.bearer_auth(app.token(email).await);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

/// RFC 4180: fields separated by commas, records by CRLF, quoted fields with doubled quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && record.is_empty(),
        "the file ends with CRLF"
    );
    records
}

/// The rows of a successful export, as maps from column name to value.
async fn rows(app: &TestApp, email: &str, query: &str) -> Vec<HashMap<String, String>> {
    let (status, kind, body) = export(app, Some(email), query).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(kind, "text/csv; charset=utf-8");
    assert!(
        body.starts_with(b"\xEF\xBB\xBF"),
        "starts with a UTF-8 byte-order mark"
    );
    let text = std::str::from_utf8(&body[3..]).expect("UTF-8");
    let mut records = parse_csv(text).into_iter();
    let header = records.next().expect("a header row");
    assert_eq!(header.join(","), COLUMNS);
    records
        .map(|r| {
            assert_eq!(r.len(), header.len(), "{r:?}");
            header.iter().cloned().zip(r).collect()
        })
        .collect()
}

fn assessment_id(global: &str) -> i64 {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    text.strip_prefix("Assessment:").unwrap().parse().unwrap()
}

/// Organisation ids in the subtree of the organisation with `code`.
async fn subtree(app: &TestApp, code: &str) -> BTreeSet<i64> {
    let orgs = organisation::Entity::find().all(&app.db).await.unwrap();
    let root = orgs.iter().find(|o| o.code == code).unwrap();
    orgs.iter()
        .filter(|o| o.path.starts_with(&root.path))
        .map(|o| o.id)
        .collect()
}

on_both!(the_export_matches_the_database, |app| {
    let rows = rows(app, CENTRAL_ADMIN, "year=2025").await;
    let expected: Vec<assessment::Model> = assessment::Entity::find()
        .filter(assessment::Column::PeriodYear.eq(2025))
        .filter(assessment::Column::ArchivedAt.is_null())
        .all(&app.db)
        .await
        .unwrap();
    assert!(!expected.is_empty());
    let mut by_assessment: HashMap<i64, Vec<&HashMap<String, String>>> = HashMap::new();
    for row in &rows {
        by_assessment
            .entry(assessment_id(&row["assessment_id"]))
            .or_default()
            .push(row);
    }
    assert_eq!(
        by_assessment.keys().copied().collect::<BTreeSet<_>>(),
        expected.iter().map(|a| a.id).collect::<BTreeSet<_>>()
    );
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| assessment_id(&r["assessment_id"]))
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] <= w[1]),
        "in assessment id order"
    );
    for a in &expected {
        let lines = &by_assessment[&a.id];
        let criteria = criterion::Entity::find()
            .filter(criterion::Column::ChecklistId.eq(a.checklist_id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            lines.len(),
            criteria.len(),
            "one row per criterion of assessment {}",
            a.id
        );
        let scores: HashMap<i64, assessment_score::Model> = assessment_score::Entity::find()
            .filter(assessment_score::Column::AssessmentId.eq(a.id))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|s| (s.criterion_id, s))
            .collect();
        for line in lines {
            assert_eq!(line["subject_name"], a.subject_name);
            assert_eq!(line["status"], a.status.as_str());
            assert_eq!(line["model"], a.model.as_str());
            assert_eq!(line["result_code"], a.result_code);
            assert_eq!(line["result_rank"], a.result_rank.to_string());
            assert_eq!(
                line["total_points"],
                a.total_points.map(|p| p.to_string()).unwrap_or_default()
            );
            let criterion = criteria
                .iter()
                .find(|c| c.code == line["criterion_code"])
                .unwrap();
            assert_eq!(line["criterion_title"], criterion.title);
            let score = scores.get(&criterion.id);
            assert_eq!(
                line["points"],
                score
                    .and_then(|s| s.points)
                    .map(|p| p.to_string())
                    .unwrap_or_default()
            );
            assert_eq!(
                line["met"],
                score
                    .and_then(|s| s.met)
                    .map(|m| m.to_string())
                    .unwrap_or_default()
            );
        }
    }
    // Filters narrow: one model, some states.
    let filtered = rows_filtered(app).await;
    assert!(filtered.iter().all(|r| r["model"] == "LEARNING_FAMILY"
        && ["SUBMITTED", "APPROVED"].contains(&r["status"].as_str())));
    assert!(!filtered.is_empty() && filtered.len() < rows.len());
});

async fn rows_filtered(app: &TestApp) -> Vec<HashMap<String, String>> {
    rows(
        app,
        CENTRAL_ADMIN,
        "year=2025&model=LEARNING_FAMILY&status=SUBMITTED,APPROVED",
    )
    .await
}

on_both!(vietnamese_text_and_quoting_survive, |app| {
    let org = organisation::Entity::find()
        .filter(organisation::Column::Code.eq("HN-BADINH"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let template = assessment::Entity::find()
        .filter(assessment::Column::OrganisationId.eq(org.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let name = "Gia đình ông Nguyễn Văn \"Tư\", xóm Đông\nthôn Đoài";
    let now = Utc::now();
    let created = assessment::ActiveModel {
        id: NotSet,
        checklist_id: Set(template.checklist_id),
        checklist_code: Set(template.checklist_code.clone()),
        model: Set(template.model),
        organisation_id: Set(org.id),
        candidacy_id: Set(None),
        subject_kind: Set(SubjectKind::Family),
        subject_organisation_id: Set(None),
        subject_name: Set(name.to_owned()),
        subject_search: Set("gia dinh ong nguyen van tu".into()),
        subject_key: Set("export-test".into()),
        period_year: Set(2031),
        status: Set(AssessmentStatus::Draft),
        total_points: Set(Some(12)),
        result_rank: Set(0),
        result_code: Set("NOT_MET".into()),
        submitted_at: Set(None),
        approved_at: Set(None),
        approved_by: Set(None),
        approver_organisation_id: Set(None),
        return_comment: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(&app.db)
    .await
    .unwrap();
    // Written around the service: recount the tallies the service keeps.
    khuyenhoc_core::service::statistics::tally::rebuild(&app.db)
        .await
        .unwrap();
    let criterion = criterion::Entity::find()
        .filter(criterion::Column::ChecklistId.eq(template.checklist_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let note = "=HYPERLINK(\"http://x\"), ghi chú: đã kiểm tra\r\nlần 2";
    assessment_score::ActiveModel {
        id: NotSet,
        assessment_id: Set(created.id),
        criterion_id: Set(criterion.id),
        points: Set(Some(7)),
        met: Set(None),
        evidence_note: Set(Some(note.to_owned())),
    }
    .insert(&app.db)
    .await
    .unwrap();
    let within = app.org_id("HN-BADINH").await;
    let rows = rows(
        app,
        HANOI_ADMIN,
        &format!("year=2031&withinOrganisation={within}"),
    )
    .await;
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["subject_name"] == name && r["organisation_name"] == org.name)
    );
    let scored = rows
        .iter()
        .find(|r| r["criterion_code"] == criterion.code)
        .unwrap();
    assert_eq!(scored["points"], "7");
    assert_eq!(
        scored["evidence_note"],
        format!("'{note}"),
        "formula defused, text intact"
    );
    assert_eq!(scored["result_label"], "Không đạt");
});

on_both!(the_export_follows_the_scope, |app| {
    let hcm = subtree(app, "HCM").await;
    let hanoi = subtree(app, "HN").await;
    let codes = |ids: &BTreeSet<i64>, orgs: &[organisation::Model]| -> BTreeSet<String> {
        orgs.iter()
            .filter(|o| ids.contains(&o.id))
            .map(|o| o.code.clone())
            .collect()
    };
    let orgs = organisation::Entity::find().all(&app.db).await.unwrap();
    let (hcm_codes, hanoi_codes) = (codes(&hcm, &orgs), codes(&hanoi, &orgs));
    let hanoi_rows = rows(app, HANOI_ADMIN, "year=2025").await;
    assert!(!hanoi_rows.is_empty());
    assert!(
        hanoi_rows
            .iter()
            .all(|r| !hcm_codes.contains(&r["organisation_code"])),
        "no TP. HCM rows for Hà Nội"
    );
    let in_hanoi = assessment::Entity::find()
        .filter(assessment::Column::PeriodYear.eq(2025))
        .filter(assessment::Column::ArchivedAt.is_null())
        .filter(assessment::Column::OrganisationId.is_in(hanoi.iter().copied()))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        hanoi_rows
            .iter()
            .map(|r| assessment_id(&r["assessment_id"]))
            .collect::<BTreeSet<_>>(),
        in_hanoi.iter().map(|a| a.id).collect::<BTreeSet<_>>()
    );
    let hcm_rows = rows(app, HCM_ADMIN, "year=2025").await;
    assert!(
        hcm_rows
            .iter()
            .all(|r| !hanoi_codes.contains(&r["organisation_code"]))
    );
    assert!(
        rows(app, MOET_PARTNER, "year=2025").await.is_empty(),
        "a partner body exports nothing"
    );
    // Another province's subtree as a filter: not found, or nothing in it.
    let other = app.org_id("HCM").await;
    let (status, _, body) = export(
        app,
        Some(HANOI_ADMIN),
        &format!("year=2025&withinOrganisation={other}"),
    )
    .await;
    if status == 404 {
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(error_code(&body), Some("NOT_FOUND"));
    } else {
        assert_eq!(
            rows(
                app,
                HANOI_ADMIN,
                &format!("year=2025&withinOrganisation={other}")
            )
            .await
            .len(),
            0
        );
    }
});

on_both!(
    the_export_refuses_anonymous_callers_and_bad_parameters,
    |app| {
        let (status, _, body) = export(app, None, "year=2025").await;
        assert_eq!(status, 401);
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
        let response = app
            .client
            .get(app.url("/export/assessments.csv?year=2025"))
            .bearer_auth("not-a-token")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401);

        let absent = app.absent_id("Organisation");
        for (query, field, code) in [
            ("", "year", "REQUIRED"),
            ("year=twenty", "year", "INVALID"),
            ("year=1800", "year", "OUT_OF_RANGE"),
            ("year=2025&model=GIA_DINH", "model", "INVALID"),
            ("year=2025&status=APPROVED,DONE", "status", "INVALID"),
            (
                "year=2025&withinOrganisation=%25%25",
                "withinOrganisation",
                "INVALID_ID",
            ),
            ("year=2025&withinOrg=1", "withinOrg", "UNKNOWN_PARAMETER"),
            ("year=2025&year=2024", "year", "DUPLICATE_PARAMETER"),
        ] {
            let (status, kind, body) = export(app, Some(CENTRAL_ADMIN), query).await;
            assert_eq!(status, 400, "{query}");
            assert!(kind.starts_with("application/json"), "{query}: {kind}");
            let body: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
            let fields = &body["errors"][0]["extensions"]["fields"][0];
            assert_eq!(
                (fields["field"].as_str(), fields["code"].as_str()),
                (Some(field), Some(code)),
                "{query}: {body}"
            );
        }
        let (status, _, body) = export(
            app,
            Some(CENTRAL_ADMIN),
            &format!("year=2025&withinOrganisation={absent}"),
        )
        .await;
        assert_eq!(status, 404);
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(error_code(&body), Some("NOT_FOUND"));
    }
);
