//! Criteria checklists over HTTP: writing a draft with its structure, versioned updates,
//! publishing (immutable from then on), retiring, new versions and variants, every structure rule
//! with its boundaries, who may write, scope, and listing.
//!
//! The helpers at the top build checklists whose numbers the assessment tests compute their
//! expectations from.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

pub(crate) const CHECKLIST_FIELDS: &str = "id code versionNo status style model title version maxPoints
  recognitionValidityMonths nextLevelWaitMonths owner { code } derivedFrom { id versionNo }
  groups { code position maxPoints criteria { code title maxPoints minPoints required evidenceRequired evidenceRule requiredFromLevel } }
  criteria { code } resultLevels { rank code label minPoints }";

fn create_query() -> String {
    format!(
        "mutation($input: CreateCriteriaChecklistInput!) {{ createCriteriaChecklist(input: $input) {{ checklist {{ {CHECKLIST_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

pub(crate) fn update_query() -> String {
    format!(
        "mutation($input: UpdateCriteriaChecklistInput!) {{ updateCriteriaChecklist(input: $input) {{ checklist {{ {CHECKLIST_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

fn new_version_query() -> String {
    format!(
        "mutation($input: NewChecklistVersionInput!) {{ newChecklistVersion(input: $input) {{ checklist {{ {CHECKLIST_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

const PUBLISH: &str = "mutation($id: ID!, $v: Int!) { publishCriteriaChecklist(input: {id: $id, version: $v}) { checklist { id status version publishedAt } userErrors { field code } } }";
pub(crate) const RETIRE: &str = "mutation($id: ID!, $v: Int!) { retireCriteriaChecklist(input: {id: $id, version: $v}) { checklist { id status version retiredAt } userErrors { field code } } }";

/// A change made to a valid input to break one rule.
type Change = Box<dyn Fn(&mut Value)>;

/// `(field, code)` of a payload's user errors.
pub(crate) fn user_errors(payload: &Value) -> BTreeSet<(String, String)> {
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

/// One expected user error.
pub(crate) fn one(field: &str, code: &str) -> BTreeSet<(String, String)> {
    BTreeSet::from([(field.to_owned(), code.to_owned())])
}

/// A criterion of a points sheet.
pub(crate) fn points_item(code: &str, max: i32, required: bool, evidence: Option<&str>) -> Value {
    json!({ "code": code, "title": format!("Tiêu chí {code}"), "maxPoints": max, "required": required,
            "evidenceRequired": evidence.is_some(), "evidenceRule": evidence })
}

/// An indicator demanded from `level`.
pub(crate) fn indicator(code: &str, level: i32, required: bool) -> Value {
    json!({ "code": code, "title": format!("Chỉ tiêu {code}"), "required": required, "requiredFromLevel": level })
}

/// A family points sheet: 1.1 (40, required, evidence), 1.2 (30), 2.1 (30, required); 100 in
/// all; MET from 70, GOOD from 90.
pub(crate) fn points_sheet(owner: &str, code: &str) -> Value {
    json!({
        "ownerId": owner, "code": code, "model": "LEARNING_FAMILY", "style": "POINTS",
        "title": "Tiêu chí Gia đình học tập thử nghiệm",
        "resultLevels": [
            { "code": "MET", "label": "Đạt", "minPoints": 70 },
            { "code": "GOOD", "label": "Gia đình học tập tiêu biểu", "minPoints": 90 },
        ],
        "groups": [
            { "code": "1", "title": "Học tập của các thành viên", "maxPoints": 70, "criteria": [
                points_item("1.1", 40, true, Some("Sổ theo dõi học tập")),
                points_item("1.2", 30, false, None),
            ] },
            { "code": "2", "title": "Tác dụng của học tập", "criteria": [
                points_item("2.1", 30, true, None),
            ] },
        ],
    })
}

/// A community indicator sheet: LEVEL_1 needs 1.1, 1.2 and 2.1; LEVEL_2 also 1.3 and 2.2.
pub(crate) fn indicator_sheet(owner: &str, code: &str) -> Value {
    json!({
        "ownerId": owner, "code": code, "model": "LEARNING_COMMUNITY", "style": "INDICATORS",
        "title": "Tiêu chí Cộng đồng học tập thử nghiệm",
        "resultLevels": [
            { "code": "LEVEL_1", "label": "Mức độ 1 (Khá)" },
            { "code": "LEVEL_2", "label": "Mức độ 2 (Tốt)" },
        ],
        "groups": [
            { "code": "1", "title": "Lãnh đạo, chỉ đạo", "criteria": [
                indicator("1.1", 1, true), indicator("1.2", 1, true), indicator("1.3", 2, true),
            ] },
            { "code": "2", "title": "Hiệu quả", "criteria": [
                indicator("2.1", 1, true), indicator("2.2", 2, false),
            ] },
        ],
    })
}

/// Creates a checklist as `email`, asserting success; returns it.
pub(crate) async fn create_checklist(app: &TestApp, email: &str, input: Value) -> Value {
    let data = app
        .data_as(email, &create_query(), json!({ "input": input }))
        .await;
    let payload = &data["createCriteriaChecklist"];
    assert_eq!(payload["userErrors"], json!([]), "{payload:#}");
    payload["checklist"].clone()
}

/// Publishes `checklist` as `email`, asserting success; returns it.
pub(crate) async fn publish(app: &TestApp, email: &str, checklist: &Value) -> Value {
    let data = app
        .data_as(
            email,
            PUBLISH,
            json!({ "id": checklist["id"], "v": checklist["version"] }),
        )
        .await;
    let payload = &data["publishCriteriaChecklist"];
    assert_eq!(payload["userErrors"], json!([]), "{payload:#}");
    payload["checklist"].clone()
}

/// Creates and publishes a checklist as the central administrator.
pub(crate) async fn published(app: &TestApp, input: Value) -> Value {
    let created = create_checklist(app, CENTRAL_ADMIN, input).await;
    publish(app, CENTRAL_ADMIN, &created).await;
    created
}

/// The user errors of creating `input` as the central administrator.
async fn create_errors(app: &TestApp, input: Value) -> BTreeSet<(String, String)> {
    let data = app
        .data_as(CENTRAL_ADMIN, &create_query(), json!({ "input": input }))
        .await;
    assert!(
        data["createCriteriaChecklist"]["checklist"].is_null(),
        "{data}"
    );
    user_errors(&data["createCriteriaChecklist"])
}

/// The global id of the published version 1 of the demo checklist `code`.
pub(crate) async fn demo_checklist(app: &TestApp, code: &str) -> Value {
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            &format!("query($s: String) {{ criteriaChecklists(filter: {{search: $s}}, first: 20) {{ nodes {{ {CHECKLIST_FIELDS} }} }} }}"),
            json!({ "s": code }),
        )
        .await;
    data["criteriaChecklists"]["nodes"]
        .as_array()
        .and_then(|nodes| {
            nodes
                .iter()
                .find(|n| n["code"] == code && n["versionNo"] == 1)
        })
        .cloned()
        .unwrap_or_else(|| panic!("no demo checklist {code}"))
}

on_both!(a_draft_is_written_then_published_and_immutable, |app| {
    let vape = app.org_id("VAPE").await;
    let created = create_checklist(app, CENTRAL_ADMIN, points_sheet(&vape, "T-GDHT-1")).await;
    assert_eq!(created["status"], "DRAFT");
    assert_eq!(created["versionNo"], 1);
    assert_eq!(created["version"], 1);
    assert_eq!(created["maxPoints"], 40 + 30 + 30);
    assert_eq!(created["recognitionValidityMonths"], 36);
    assert_eq!(created["nextLevelWaitMonths"], 12);
    assert_eq!(created["owner"]["code"], "VAPE");
    let codes: Vec<&str> = created["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["1.1", "1.2", "2.1"]);
    assert_eq!(
        created["groups"][0]["criteria"][0]["evidenceRule"],
        "Sổ theo dõi học tập"
    );
    assert_eq!(created["groups"][1]["position"], 2);
    assert_eq!(
        created["resultLevels"],
        json!([
            { "rank": 1, "code": "MET", "label": "Đạt", "minPoints": 70 },
            { "rank": 2, "code": "GOOD", "label": "Gia đình học tập tiêu biểu", "minPoints": 90 },
        ])
    );

    // Replace the structure of the draft: one more criterion, thresholds moved.
    let mut groups = points_sheet(&vape, "X")["groups"].clone();
    groups[1]["criteria"]
        .as_array_mut()
        .unwrap()
        .push(points_item("2.2", 20, false, None));
    let updated = app
        .data_as(
            CENTRAL_ADMIN,
            &update_query(),
            json!({ "input": { "id": created["id"], "version": 1, "title": "Tiêu chí (sửa)", "groups": groups,
                "resultLevels": [{ "code": "MET", "label": "Đạt", "minPoints": 96 }] } }),
        )
        .await;
    let updated = &updated["updateCriteriaChecklist"];
    assert_eq!(updated["userErrors"], json!([]), "{updated}");
    assert_eq!(updated["checklist"]["version"], 2);
    assert_eq!(updated["checklist"]["maxPoints"], 120);
    assert_eq!(
        updated["checklist"]["criteria"].as_array().unwrap().len(),
        4
    );
    assert_eq!(updated["checklist"]["resultLevels"][0]["minPoints"], 96);

    // A stale version is a conflict and changes nothing.
    let stale = app
        .gql_as(
            CENTRAL_ADMIN,
            &update_query(),
            json!({ "input": { "id": created["id"], "version": 1, "title": "Ghi đè" } }),
        )
        .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");

    let published = publish(app, CENTRAL_ADMIN, &updated["checklist"]).await;
    assert_eq!(published["status"], "PUBLISHED");
    assert!(published["publishedAt"].is_string());

    // Published: every change is refused with IMMUTABLE, and nothing is written.
    let criteria_before = app.count("criterion").await;
    for change in [
        json!({ "title": "Đổi tên" }),
        json!({ "resultLevels": [{ "code": "MET", "label": "Đạt", "minPoints": 50 }] }),
        json!({ "recognitionValidityMonths": 24 }),
    ] {
        let mut input = json!({ "id": created["id"], "version": published["version"] });
        input
            .as_object_mut()
            .unwrap()
            .extend(change.as_object().unwrap().clone());
        let refused = app
            .data_as(CENTRAL_ADMIN, &update_query(), json!({ "input": input }))
            .await;
        assert_eq!(
            user_errors(&refused["updateCriteriaChecklist"]),
            one("id", "IMMUTABLE"),
            "{refused}"
        );
    }
    assert_eq!(app.count("criterion").await, criteria_before);
    let again = app
        .data_as(
            CENTRAL_ADMIN,
            PUBLISH,
            json!({ "id": created["id"], "v": published["version"] }),
        )
        .await;
    assert_eq!(
        user_errors(&again["publishCriteriaChecklist"]),
        one("status", "INVALID_TRANSITION")
    );

    let retired = app
        .data_as(
            CENTRAL_ADMIN,
            RETIRE,
            json!({ "id": created["id"], "v": published["version"] }),
        )
        .await;
    assert_eq!(
        retired["retireCriteriaChecklist"]["checklist"]["status"],
        "RETIRED"
    );
    let version = retired["retireCriteriaChecklist"]["checklist"]["version"].clone();
    let twice = app
        .data_as(
            CENTRAL_ADMIN,
            RETIRE,
            json!({ "id": created["id"], "v": version }),
        )
        .await;
    assert_eq!(
        user_errors(&twice["retireCriteriaChecklist"]),
        one("status", "INVALID_TRANSITION")
    );
    let still = app
        .data_as(
            CENTRAL_ADMIN,
            &update_query(),
            json!({ "input": { "id": created["id"], "version": version, "title": "x" } }),
        )
        .await;
    assert_eq!(
        user_errors(&still["updateCriteriaChecklist"]),
        one("id", "IMMUTABLE")
    );

    let row = app
        .strings("SELECT title AS s FROM criteria_checklist WHERE code = 'T-GDHT-1'")
        .await;
    assert_eq!(row, ["Tiêu chí (sửa)"]);
    let audited = app
        .count_where("audit_event", "entity_type = 'CriteriaChecklist'")
        .await;
    assert_eq!(audited, 4, "create, update, publish, retire");
});

on_both!(
    new_versions_copy_the_structure_and_derive_from_the_source,
    |app| {
        let community = demo_checklist(app, "CDHT-25-2023").await;
        let copy = app
            .data_as(
                CENTRAL_ADMIN,
                &new_version_query(),
                json!({ "input": { "from": community["id"] } }),
            )
            .await;
        let copy = &copy["newChecklistVersion"];
        assert_eq!(copy["userErrors"], json!([]), "{copy}");
        let copy = &copy["checklist"];
        assert_eq!(copy["code"], community["code"]);
        assert_eq!(copy["versionNo"], 2);
        assert_eq!(copy["status"], "DRAFT");
        assert_eq!(copy["derivedFrom"]["id"], community["id"]);
        assert_eq!(copy["groups"], community["groups"]);
        assert_eq!(copy["resultLevels"], community["resultLevels"]);
        // The source is untouched, and the copy is a valid draft that publishes.
        let source = app
            .data_as(
                CENTRAL_ADMIN,
                "query($id: ID!) { criteriaChecklist(id: $id) { status version } }",
                json!({ "id": community["id"] }),
            )
            .await;
        assert_eq!(
            source["criteriaChecklist"],
            json!({ "status": "PUBLISHED", "version": 1 })
        );

        // A second draft of the same code is refused while one exists.
        let again = app
            .data_as(
                CENTRAL_ADMIN,
                &new_version_query(),
                json!({ "input": { "from": community["id"] } }),
            )
            .await;
        assert_eq!(
            user_errors(&again["newChecklistVersion"]),
            one("from", "DRAFT_EXISTS")
        );
        let published = publish(app, CENTRAL_ADMIN, copy).await;
        assert_eq!(published["status"], "PUBLISHED");

        // The demo's draft revision of the family sheet also passes every rule.
        let family_v2 = app
        .data_as(
            CENTRAL_ADMIN,
            "{ criteriaChecklists(filter: {search: \"GDHT-448\", statuses: [DRAFT]}, first: 5) { nodes { id version versionNo } } }",
            json!({}),
        )
        .await["criteriaChecklists"]["nodes"][0]
        .clone();
        assert_eq!(family_v2["versionNo"], 2);
        publish(app, CENTRAL_ADMIN, &family_v2).await;
        let next = app
            .data_as(
                CENTRAL_ADMIN,
                &new_version_query(),
                json!({ "input": { "from": family_v2["id"] } }),
            )
            .await;
        assert_eq!(next["newChecklistVersion"]["checklist"]["versionNo"], 3);

        // A province derives a local variant under a new code, which it owns.
        let hanoi = app.org_id("HN").await;
        let variant = app
        .data_as(
            HANOI_ADMIN,
            &new_version_query(),
            json!({ "input": { "from": community["id"], "code": "cdht-hn-test", "ownerId": hanoi } }),
        )
        .await;
        let variant = &variant["newChecklistVersion"];
        assert_eq!(variant["userErrors"], json!([]), "{variant}");
        assert_eq!(variant["checklist"]["code"], "CDHT-HN-TEST");
        assert_eq!(variant["checklist"]["versionNo"], 1);
        assert_eq!(variant["checklist"]["owner"]["code"], "HN");
        assert_eq!(variant["checklist"]["derivedFrom"]["id"], community["id"]);
        // … but cannot start the national code's next version, nor reuse a code.
        let national = app
            .gql_as(
                HANOI_ADMIN,
                &new_version_query(),
                json!({ "input": { "from": community["id"] } }),
            )
            .await;
        assert_eq!(error_code(&national), Some("FORBIDDEN"), "{national}");
        let taken = app
        .data_as(HANOI_ADMIN, &new_version_query(), json!({ "input": { "from": community["id"], "code": "GDHT-448", "ownerId": hanoi } }))
        .await;
        assert_eq!(
            user_errors(&taken["newChecklistVersion"]),
            one("code", "DUPLICATE")
        );
        let moved = app
        .data_as(CENTRAL_ADMIN, &new_version_query(), json!({ "input": { "from": variant["checklist"]["id"], "ownerId": app.org_id("VAPE").await } }))
        .await;
        assert!(
            user_errors(&moved["newChecklistVersion"])
                .contains(&("ownerId".to_owned(), "INVALID_OWNER".to_owned())),
            "{moved}"
        );
    }
);

on_both!(points_sheet_rules_hold_at_their_boundaries, |app| {
    let vape = app.org_id("VAPE").await;
    let before = app.count("criteria_checklist").await;

    // A threshold exactly at the total is fine; one point above is not.
    let mut at_total = points_sheet(&vape, "T-AT-TOTAL");
    at_total["resultLevels"] = json!([{ "code": "MET", "label": "Đạt", "minPoints": 100 }]);
    create_checklist(app, CENTRAL_ADMIN, at_total).await;
    let mut above = points_sheet(&vape, "T-ABOVE");
    above["resultLevels"] = json!([{ "code": "MET", "label": "Đạt", "minPoints": 101 }]);
    assert_eq!(
        create_errors(app, above).await,
        one("resultLevels.0.minPoints", "THRESHOLD_ABOVE_TOTAL")
    );

    let cases: Vec<(&str, Change, &str, &str)> = vec![
        (
            "group maximum that does not add up",
            Box::new(|s: &mut Value| s["groups"][0]["maxPoints"] = json!(69)),
            "groups.0.maxPoints",
            "POINTS_MISMATCH",
        ),
        (
            "criterion without points",
            Box::new(|s: &mut Value| s["groups"][1]["criteria"][0]["maxPoints"] = Value::Null),
            "groups.1.criteria.0.maxPoints",
            "REQUIRED",
        ),
        (
            "criterion with zero points",
            Box::new(|s: &mut Value| s["groups"][0]["criteria"][1]["maxPoints"] = json!(0)),
            "groups.0.criteria.1.maxPoints",
            "OUT_OF_RANGE",
        ),
        (
            "minimum above maximum",
            Box::new(|s: &mut Value| s["groups"][0]["criteria"][1]["minPoints"] = json!(31)),
            "groups.0.criteria.1.minPoints",
            "OUT_OF_RANGE",
        ),
        (
            "thresholds that do not rise",
            Box::new(|s: &mut Value| s["resultLevels"][1]["minPoints"] = json!(70)),
            "resultLevels.1.minPoints",
            "THRESHOLD_ORDER",
        ),
        (
            "level without threshold",
            Box::new(|s: &mut Value| s["resultLevels"][0]["minPoints"] = Value::Null),
            "resultLevels.0.minPoints",
            "REQUIRED",
        ),
        (
            "duplicate criterion code",
            Box::new(|s: &mut Value| s["groups"][1]["criteria"][0]["code"] = json!("1.2")),
            "groups.1.criteria.0.code",
            "DUPLICATE",
        ),
        (
            "duplicate group code",
            Box::new(|s: &mut Value| s["groups"][1]["code"] = json!("1")),
            "groups.1.code",
            "DUPLICATE",
        ),
        (
            "duplicate level code",
            Box::new(|s: &mut Value| s["resultLevels"][1]["code"] = json!("MET")),
            "resultLevels.1.code",
            "DUPLICATE",
        ),
        (
            "evidence without a rule",
            Box::new(|s: &mut Value| s["groups"][0]["criteria"][0]["evidenceRule"] = Value::Null),
            "groups.0.criteria.0.evidenceRule",
            "REQUIRED",
        ),
        (
            "a level on a points sheet",
            Box::new(|s: &mut Value| s["groups"][0]["criteria"][0]["requiredFromLevel"] = json!(1)),
            "groups.0.criteria.0.requiredFromLevel",
            "NOT_APPLICABLE",
        ),
        (
            "an empty group",
            Box::new(|s: &mut Value| {
                s["groups"][1]["criteria"] = json!([]);
            }),
            "groups.1.criteria",
            "REQUIRED",
        ),
        (
            "no groups",
            Box::new(|s: &mut Value| s["groups"] = json!([])),
            "groups",
            "REQUIRED",
        ),
        (
            "no levels",
            Box::new(|s: &mut Value| s["resultLevels"] = json!([])),
            "resultLevels",
            "REQUIRED",
        ),
        (
            "a bad code",
            Box::new(|s: &mut Value| s["code"] = json!("mã có dấu")),
            "code",
            "INVALID_FORMAT",
        ),
        (
            "a taken code",
            Box::new(|s: &mut Value| s["code"] = json!("GDHT-448")),
            "code",
            "DUPLICATE",
        ),
        (
            "no validity",
            Box::new(|s: &mut Value| s["recognitionValidityMonths"] = json!(0)),
            "recognitionValidityMonths",
            "OUT_OF_RANGE",
        ),
        (
            "a negative wait",
            Box::new(|s: &mut Value| s["nextLevelWaitMonths"] = json!(-1)),
            "nextLevelWaitMonths",
            "OUT_OF_RANGE",
        ),
    ];
    for (n, (what, change, field, code)) in cases.iter().enumerate() {
        let mut input = points_sheet(&vape, &format!("T-BAD-{n}"));
        change(&mut input);
        let errors = create_errors(app, input).await;
        assert!(
            errors.contains(&(field.to_string(), code.to_string())),
            "{what}: expected {field} {code}, got {errors:?}"
        );
    }
    // The group maximum may be left out, and one exactly equal to the sum passes (group 1 is 70).
    assert_eq!(
        app.count("criteria_checklist").await,
        before + 1,
        "only the valid sheet was written"
    );

    // A commune branch does not own checklists.
    let commune = app.org_id("HN-BADINH").await;
    let errors = app
        .data_as(
            COMMUNE_EDITOR,
            &create_query(),
            json!({ "input": points_sheet(&commune, "T-XA") }),
        )
        .await;
    assert_eq!(
        user_errors(&errors["createCriteriaChecklist"]),
        one("ownerId", "INVALID_OWNER")
    );
});

on_both!(
    indicator_sheet_rules_name_existing_levels_that_each_demand_more,
    |app| {
        let vape = app.org_id("VAPE").await;
        let created =
            create_checklist(app, CENTRAL_ADMIN, indicator_sheet(&vape, "T-CDHT-OK")).await;
        assert_eq!(created["maxPoints"], Value::Null);
        assert_eq!(created["groups"][0]["criteria"][2]["requiredFromLevel"], 2);

        let cases: Vec<(Change, &str, &str)> = vec![
            (
                Box::new(|s: &mut Value| {
                    s["groups"][0]["criteria"][2]["requiredFromLevel"] = json!(3)
                }),
                "groups.0.criteria.2.requiredFromLevel",
                "UNKNOWN_LEVEL",
            ),
            (
                Box::new(|s: &mut Value| {
                    s["groups"][0]["criteria"][0]["requiredFromLevel"] = json!(0)
                }),
                "groups.0.criteria.0.requiredFromLevel",
                "UNKNOWN_LEVEL",
            ),
            (
                Box::new(|s: &mut Value| {
                    s["groups"][0]["criteria"][2]["requiredFromLevel"] = json!(1);
                    s["groups"][1]["criteria"][1]["requiredFromLevel"] = json!(1);
                }),
                "resultLevels.1",
                "LEVEL_UNUSED",
            ),
            (
                Box::new(|s: &mut Value| s["groups"][1]["criteria"][0]["maxPoints"] = json!(10)),
                "groups.1.criteria.0.maxPoints",
                "NOT_APPLICABLE",
            ),
            (
                Box::new(|s: &mut Value| s["groups"][0]["maxPoints"] = json!(10)),
                "groups.0.maxPoints",
                "NOT_APPLICABLE",
            ),
            (
                Box::new(|s: &mut Value| s["resultLevels"][0]["minPoints"] = json!(5)),
                "resultLevels.0.minPoints",
                "NOT_APPLICABLE",
            ),
        ];
        for (n, (change, field, code)) in cases.iter().enumerate() {
            let mut input = indicator_sheet(&vape, &format!("T-CDHT-BAD-{n}"));
            change(&mut input);
            let errors = create_errors(app, input).await;
            assert!(
                errors.contains(&(field.to_string(), code.to_string())),
                "expected {field} {code}, got {errors:?}"
            );
        }

        // Switching a draft's style re-checks the whole structure against the new style.
        let switched = app
            .data_as(
                CENTRAL_ADMIN,
                &update_query(),
                json!({ "input": { "id": created["id"], "version": 1, "style": "POINTS" } }),
            )
            .await;
        let errors = user_errors(&switched["updateCriteriaChecklist"]);
        assert!(
            errors.contains(&(
                "groups.0.criteria.0.maxPoints".to_owned(),
                "REQUIRED".to_owned()
            )),
            "{errors:?}"
        );
        assert!(
            errors.contains(&("resultLevels.0.minPoints".to_owned(), "REQUIRED".to_owned())),
            "{errors:?}"
        );
    }
);

on_both!(
    only_editors_of_the_owner_write_and_drafts_stay_in_their_subtree,
    |app| {
        let hanoi = app.org_id("HN").await;
        let vape = app.org_id("VAPE").await;
        for (who, owner) in [
            (HANOI_VIEWER, &hanoi),
            (HANOI_ADMIN, &vape),
            (COMMUNE_EDITOR, &hanoi),
            (HCM_ADMIN, &hanoi),
        ] {
            let refused = app
                .gql_as(
                    who,
                    &create_query(),
                    json!({ "input": points_sheet(owner, "T-NO") }),
                )
                .await;
            assert!(
                matches!(error_code(&refused), Some("FORBIDDEN" | "NOT_FOUND")),
                "{who}: {refused}"
            );
        }
        let draft = create_checklist(app, HANOI_ADMIN, points_sheet(&hanoi, "T-HN-DRAFT")).await;
        let variant = create_checklist(app, HANOI_ADMIN, points_sheet(&hanoi, "T-HN-PUB")).await;
        publish(app, HANOI_ADMIN, &variant).await;

        let read = "query($id: ID!) { criteriaChecklist(id: $id) { code } node(id: $id) { id } }";
        // Hà Nội's subtree: the commune reads the published variant, not the draft.
        let commune_draft = app
            .data_as(COMMUNE_EDITOR, read, json!({ "id": draft["id"] }))
            .await;
        assert_eq!(commune_draft["criteriaChecklist"], Value::Null);
        let commune_pub = app
            .data_as(COMMUNE_EDITOR, read, json!({ "id": variant["id"] }))
            .await;
        assert_eq!(commune_pub["criteriaChecklist"]["code"], "T-HN-PUB");
        // Another province sees neither; the central association sees both.
        for id in [&draft["id"], &variant["id"]] {
            let hcm = app.data_as(HCM_ADMIN, read, json!({ "id": id })).await;
            assert_eq!(hcm, json!({ "criteriaChecklist": null, "node": null }));
            let central = app.data_as(CENTRAL_ADMIN, read, json!({ "id": id })).await;
            assert!(central["criteriaChecklist"]["code"].is_string());
        }
        let hcm_list = app
            .data_as(
                HCM_ADMIN,
                "{ criteriaChecklists(first: 100) { nodes { code owner { code } } } }",
                json!({}),
            )
            .await;
        let expected: BTreeSet<String> = app
        .strings("SELECT c.code AS s FROM criteria_checklist c JOIN organisation o ON o.id = c.owner_id WHERE o.code IN ('VAPE', 'HCM') AND (c.status <> 'DRAFT' OR o.code = 'HCM')")
        .await
        .into_iter()
        .collect();
        let seen: BTreeSet<String> = hcm_list["criteriaChecklists"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["code"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(seen, expected);
        assert!(!seen.iter().any(|c| c.contains("HN")));

        // HCM cannot change Hà Nội's draft (it does not exist for it); a viewer of Hà Nội may not.
        let hidden = app
            .gql_as(
                HCM_ADMIN,
                &update_query(),
                json!({ "input": { "id": draft["id"], "version": 1, "title": "x" } }),
            )
            .await;
        assert_eq!(error_code(&hidden), Some("NOT_FOUND"));
        let viewer = app
            .gql_as(HANOI_VIEWER, PUBLISH, json!({ "id": draft["id"], "v": 1 }))
            .await;
        assert_eq!(error_code(&viewer), Some("FORBIDDEN"));
    }
);

on_both!(checklists_filter_search_and_page, |app| {
    let query = "query($f: CriteriaChecklistFilter, $after: String) { criteriaChecklists(filter: $f, first: 2, after: $after, orderBy: {field: TITLE}) { totalCount nodes { code title style model status } pageInfo { hasNextPage endCursor } } }";
    let all = app.data_as(CENTRAL_ADMIN, query, json!({ "f": {} })).await;
    let total = app.count("criteria_checklist").await;
    assert_eq!(all["criteriaChecklists"]["totalCount"], total);

    // Page through everything: no repeats, no gaps, sorted by title.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .data_as(CENTRAL_ADMIN, query, json!({ "f": {}, "after": after }))
            .await;
        let c = &page["criteriaChecklists"];
        seen.extend(
            c["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["code"].as_str().unwrap().to_owned()),
        );
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len() as i64, total);

    let indicators = app
        .data_as(
            CENTRAL_ADMIN,
            query,
            json!({ "f": { "styles": ["INDICATORS"] } }),
        )
        .await;
    let expected = app
        .count_where("criteria_checklist", "style = 'INDICATORS'")
        .await;
    assert_eq!(indicators["criteriaChecklists"]["totalCount"], expected);

    let family = app
        .data_as(CENTRAL_ADMIN, query, json!({ "f": { "search": "gia dinh hoc tap", "models": ["LEARNING_FAMILY"], "statuses": ["PUBLISHED"] } }))
        .await;
    let expected = app
        .count_where(
            "criteria_checklist",
            "model = 'LEARNING_FAMILY' AND status = 'PUBLISHED'",
        )
        .await;
    assert_eq!(family["criteriaChecklists"]["totalCount"], expected);
    assert!(
        family["criteriaChecklists"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["title"].as_str().unwrap().contains("Gia đình"))
    );

    let hanoi = app.org_id("HN").await;
    let within = app
        .data_as(
            CENTRAL_ADMIN,
            query,
            json!({ "f": { "withinOrganisation": hanoi } }),
        )
        .await;
    assert_eq!(
        within["criteriaChecklists"]["nodes"][0]["code"],
        "GDHT-HN-2024"
    );
    assert_eq!(within["criteriaChecklists"]["totalCount"], 1);
});
