//! `viewerCan` tells the truth: for every demo account and a spread of demo objects in every
//! state, each `viewerCan` flag is compared with what the mutation itself answers.
//!
//! Every mutation is sent so that it cannot write: with a stale `version` (the policy check
//! comes first, so a mutation the viewer may run answers "changed by someone else"), or, where
//! there is no version, with an input that is invalid in another field. A mutation "passed the
//! policy" when it got that far; it "was refused" when it answered `FORBIDDEN`, `NOT_FOUND`,
//! `LOCKED`, `INVALID_TRANSITION`, `INVALID_STATE` or a state conflict. The test finally checks
//! nothing was written.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

const ACCOUNTS: [&str; 7] = [
    CENTRAL_ADMIN,
    HANOI_ADMIN,
    HANOI_VIEWER,
    HCM_ADMIN,
    COMMUNE_EDITOR,
    MOET_PARTNER,
    AUDITOR,
];

/// How many objects of each type are tried (spread over the demo's states).
const PER_TYPE: usize = 14;

/// A mutation run for one `viewerCan` flag.
struct Probe {
    flag: &'static str,
    mutation: &'static str,
    input_type: &'static str,
    input: fn(&Value) -> Value,
    /// Refusals that come after the policy check for this mutation (the flag is `true`).
    after_policy: &'static [&'static str],
}

fn stale(o: &Value) -> Value {
    json!({ "id": o["id"], "version": o["version"].as_i64().unwrap_or(0) + 1000 })
}

fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

const STALE: &[&str] = &["STALE"];

fn organisation_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "update",
            mutation: "updateOrganisation",
            input_type: "UpdateOrganisationInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "archive",
            mutation: "archiveOrganisation",
            input_type: "ArchiveOrganisationInput",
            input: stale,
            after_policy: &["STALE", "ACTIVE_CHILDREN"],
        },
        Probe {
            flag: "move",
            mutation: "moveOrganisation",
            input_type: "MoveOrganisationInput",
            input: |o| with(stale(o), json!({ "newParentId": parent_or_self(o) })),
            after_policy: STALE,
        },
        Probe {
            flag: "merge",
            mutation: "mergeOrganisation",
            input_type: "MergeOrganisationInput",
            input: |o| {
                json!({ "sourceId": o["id"], "targetId": parent_or_self(o),
                        "version": o["version"].as_i64().unwrap_or(0) + 1000 })
            },
            after_policy: STALE,
        },
        Probe {
            flag: "createChild",
            mutation: "createOrganisation",
            input_type: "CreateOrganisationInput",
            input: |o| json!({ "parentId": o["id"], "code": "X-PROBE", "name": " ", "kind": "LOCAL_BRANCH" }),
            after_policy: &["USER_ERRORS_ELSEWHERE"],
        },
        Probe {
            flag: "manageMembers",
            mutation: "inviteUser",
            input_type: "InviteUserInput",
            input: |o| json!({ "organisationId": o["id"], "email": "not an email", "displayName": "Thử", "role": "VIEWER" }),
            after_policy: &["USER_ERRORS_ELSEWHERE"],
        },
    ]
}

fn parent_or_self(o: &Value) -> Value {
    if o["parent"]["id"].is_string() {
        o["parent"]["id"].clone()
    } else {
        o["id"].clone()
    }
}

fn program_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "update",
            mutation: "updateProgram",
            input_type: "UpdateProgramInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "changeStatus",
            mutation: "changeProgramStatus",
            input_type: "ChangeProgramStatusInput",
            input: |o| {
                let to = if o["status"] == "ACTIVE" {
                    "COMPLETED"
                } else {
                    "TERMINATED"
                };
                with(stale(o), json!({ "status": to, "reason": "Thử quyền" }))
            },
            after_policy: STALE,
        },
        Probe {
            flag: "archive",
            mutation: "archiveProgram",
            input_type: "VersionedInput",
            input: stale,
            after_policy: STALE,
        },
    ]
}

fn report_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "update",
            mutation: "updateProgramReport",
            input_type: "UpdateProgramReportInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "submit",
            mutation: "submitProgramReport",
            input_type: "VersionedInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "acknowledge",
            mutation: "acknowledgeProgramReport",
            input_type: "VersionedInput",
            input: stale,
            after_policy: STALE,
        },
    ]
}

fn session_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "update",
            mutation: "updateTrainingSession",
            input_type: "UpdateTrainingSessionInput",
            input: |o| with(stale(o), json!({ "details": {} })),
            after_policy: STALE,
        },
        Probe {
            flag: "reschedule",
            mutation: "rescheduleTrainingSession",
            input_type: "RescheduleTrainingSessionInput",
            input: |o| {
                with(
                    stale(o),
                    json!({ "startsAt": o["startsAt"], "endsAt": o["endsAt"] }),
                )
            },
            after_policy: STALE,
        },
        Probe {
            flag: "cancel",
            mutation: "cancelTrainingSession",
            input_type: "CancelTrainingSessionInput",
            input: |o| with(stale(o), json!({ "reason": "Thử quyền" })),
            after_policy: STALE,
        },
        Probe {
            flag: "markHeld",
            mutation: "markTrainingSessionHeld",
            input_type: "VersionedInput",
            input: stale,
            after_policy: &["STALE", "NOT_STARTED"],
        },
        Probe {
            flag: "archive",
            mutation: "archiveTrainingSession",
            input_type: "VersionedInput",
            input: stale,
            after_policy: STALE,
        },
    ]
}

fn assessment_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "saveScores",
            mutation: "saveAssessmentScores",
            input_type: "SaveAssessmentScoresInput",
            input: |o| with(stale(o), json!({ "scores": [] })),
            after_policy: STALE,
        },
        Probe {
            flag: "submit",
            mutation: "submitAssessment",
            input_type: "AssessmentStepInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "resubmit",
            mutation: "resubmitAssessment",
            input_type: "AssessmentStepInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "approve",
            mutation: "approveAssessment",
            input_type: "ApproveAssessmentInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "return",
            mutation: "returnAssessment",
            input_type: "ReturnAssessmentInput",
            input: |o| with(stale(o), json!({ "comment": "Thử quyền" })),
            after_policy: STALE,
        },
    ]
}

fn checklist_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "update",
            mutation: "updateCriteriaChecklist",
            input_type: "UpdateCriteriaChecklistInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "publish",
            mutation: "publishCriteriaChecklist",
            input_type: "VersionedInput",
            input: stale,
            after_policy: &["STALE", "USER_ERRORS_ELSEWHERE"],
        },
        Probe {
            flag: "retire",
            mutation: "retireCriteriaChecklist",
            input_type: "VersionedInput",
            input: stale,
            after_policy: STALE,
        },
    ]
}

fn candidacy_probes() -> Vec<Probe> {
    vec![Probe {
        flag: "withdraw",
        mutation: "withdrawCandidacy",
        input_type: "VersionedInput",
        input: stale,
        after_policy: STALE,
    }]
}

/// Whether the mutation's answer means it passed the policy check, given the refusals that come
/// after it for this mutation.
fn passed_policy(response: &Value, mutation: &str, after_policy: &[&str]) -> bool {
    if let Some(error) = response["errors"].as_array().and_then(|e| e.first()) {
        let code = error["extensions"]["code"].as_str().unwrap_or_default();
        let message = error["message"].as_str().unwrap_or_default();
        return code == "CONFLICT"
            && ((after_policy.contains(&"STALE") && message.contains("changed by someone else"))
                || (after_policy.contains(&"ACTIVE_CHILDREN")
                    && message.contains("active child")));
    }
    let user_errors = response["data"][mutation]["userErrors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let policy_codes = [
        "LOCKED",
        "IMMUTABLE",
        "INVALID_TRANSITION",
        "INVALID_STATE",
        "FORBIDDEN",
    ];
    if user_errors
        .iter()
        .any(|e| policy_codes.contains(&e["code"].as_str().unwrap_or_default()))
    {
        return false;
    }
    let elsewhere = !user_errors.is_empty() && after_policy.contains(&"USER_ERRORS_ELSEWHERE");
    let not_started = user_errors.iter().any(|e| e["code"] == "NOT_STARTED")
        && after_policy.contains(&"NOT_STARTED");
    assert!(
        elsewhere || not_started,
        "{mutation} neither refused nor stopped after the policy: {response}"
    );
    true
}

/// Ids of up to [`PER_TYPE`] objects of each type, as the central administrator lists them.
async fn objects(app: &TestApp) -> Vec<(&'static str, Vec<Value>)> {
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            "{ organisations(first: 100, filter: { statuses: [ACTIVE, ARCHIVED, MERGED] }) { nodes { id } }
               programs(first: 50) { nodes { id reports(first: 10) { nodes { id } } } }
               trainingSessions(first: 100) { nodes { id } }
               assessments(first: 100) { nodes { id } }
               criteriaChecklists(first: 100, filter: { statuses: [DRAFT, PUBLISHED, RETIRED] }) { nodes { id } }
               candidacies(first: 100) { nodes { id } } }",
            json!({}),
        )
        .await;
    let ids = |list: &Value| -> Vec<Value> {
        list["nodes"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|n| n["id"].clone())
            .collect()
    };
    let reports: Vec<Value> = data["programs"]["nodes"]
        .as_array()
        .expect("programs")
        .iter()
        .flat_map(|p| ids(&p["reports"]))
        .collect();
    vec![
        ("Organisation", spread(ids(&data["organisations"]))),
        ("Program", spread(ids(&data["programs"]))),
        ("ProgramReport", spread(reports)),
        ("TrainingSession", spread(ids(&data["trainingSessions"]))),
        ("Assessment", spread(ids(&data["assessments"]))),
        (
            "CriteriaChecklist",
            spread(ids(&data["criteriaChecklists"])),
        ),
        ("Candidacy", spread(ids(&data["candidacies"]))),
    ]
}

/// At most [`PER_TYPE`] of `ids`, evenly spread.
fn spread(ids: Vec<Value>) -> Vec<Value> {
    let step = ids.len().div_ceil(PER_TYPE).max(1);
    ids.into_iter().step_by(step).collect()
}

fn selection(type_name: &str) -> &'static str {
    match type_name {
        "Organisation" => {
            "version parent { id } viewerCan { update archive move merge createChild manageMembers }"
        }
        "Program" => "version status viewerCan { update changeStatus archive }",
        "ProgramReport" => "version status viewerCan { update submit acknowledge }",
        "TrainingSession" => {
            "version status startsAt endsAt viewerCan { update reschedule cancel markHeld archive }"
        }
        "CriteriaChecklist" => "version status viewerCan { update publish retire }",
        "Candidacy" => "version status viewerCan { withdraw }",
        _ => "version status viewerCan { saveScores submit resubmit approve return }",
    }
}

fn probes(type_name: &str) -> Vec<Probe> {
    match type_name {
        "Organisation" => organisation_probes(),
        "Program" => program_probes(),
        "ProgramReport" => report_probes(),
        "TrainingSession" => session_probes(),
        "CriteriaChecklist" => checklist_probes(),
        "Candidacy" => candidacy_probes(),
        _ => assessment_probes(),
    }
}

on_both!(
    viewer_can_agrees_with_the_mutations_for_every_demo_account,
    |app| {
        let objects = objects(app).await;
        let audit_before = app.count("audit_event").await;
        let mut checked = 0;
        let mut allowed = 0;
        for (type_name, ids) in &objects {
            assert!(!ids.is_empty(), "the demo has {type_name} objects");
            let query = format!(
                "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {type_name} {{ id {} }} }} }}",
                selection(type_name)
            );
            for account in ACCOUNTS {
                let data = app.data_as(account, &query, json!({ "ids": ids })).await;
                let nodes = data["nodes"].as_array().expect("nodes");
                for (id, node) in ids.iter().zip(nodes) {
                    for probe in probes(type_name) {
                        let document = format!(
                            "mutation($input: {}!) {{ {}(input: $input) {{ userErrors {{ field code }} }} }}",
                            probe.input_type, probe.mutation
                        );
                        if node.is_null() {
                            // Unreadable: the mutation must not find it either.
                            let input = (probe.input)(&json!({
                                "id": id, "version": 1, "status": "DRAFT",
                                "startsAt": "2026-01-01T08:00:00Z", "endsAt": "2026-01-01T10:00:00Z",
                            }));
                            let response = app
                                .gql_as(account, &document, json!({ "input": input }))
                                .await;
                            let code = &response["errors"][0]["extensions"]["code"];
                            assert!(
                                code == "NOT_FOUND" || code == "FORBIDDEN",
                                "{account} cannot read {type_name} {id} but {} answered {response}",
                                probe.mutation
                            );
                            continue;
                        }
                        let flag = node["viewerCan"][probe.flag]
                            .as_bool()
                            .expect("viewerCan flags are booleans");
                        let response = app
                            .gql_as(account, &document, json!({ "input": (probe.input)(node) }))
                            .await;
                        let passed = passed_policy(&response, probe.mutation, probe.after_policy);
                        assert_eq!(
                            flag, passed,
                            "{account}: {type_name} {id} viewerCan.{} is {flag} but {} answered {response}",
                            probe.flag, probe.mutation
                        );
                        checked += 1;
                        allowed += usize::from(flag);
                    }
                }
            }
        }
        assert_eq!(
            app.count("audit_event").await,
            audit_before,
            "nothing was written"
        );
        // Both answers occur often enough for the comparison to mean something.
        assert!(
            allowed > 50 && checked - allowed > 50,
            "{allowed} of {checked}"
        );
    }
);

on_both!(signed_out_viewers_may_do_nothing, |app| {
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            "{ organisations(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await;
    let id = &data["organisations"]["nodes"][0]["id"];
    let anonymous = app
        .post(
            None,
            "query($id: ID!) { node(id: $id) { ... on Organisation { viewerCan { update } } } }",
            json!({ "id": id }),
        )
        .await;
    // Reading needs a sign-in, so there is nothing to be allowed.
    assert!(anonymous.1["data"]["node"].is_null(), "{:?}", anonymous.1);
});
