//! `viewerCan` tells the truth: for every demo account and a spread of demo objects in every
//! state, each `viewerCan` flag is compared with what the mutation itself answers.
//!
//! Every mutation is sent so that it cannot write: with a stale `version` (the policy check
//! comes first, so a mutation the viewer may run answers "changed by someone else"), or, where
//! there is no version, with an input that is invalid in another field. A mutation "passed the
//! policy" when it got that far; it "was refused" when it answered `FORBIDDEN`, `NOT_FOUND`,
//! `LOCKED`, `INVALID_TRANSITION`, `INVALID_STATE` or a state conflict. The test finally checks
//! nothing was written.

mod probes;

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;
use probes::{probes, selection};

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

/// The demo objects to try: up to [`PER_TYPE`] ids of each type, as the central administrator
/// lists them, and the program of each party and commitment (which are read through it).
struct Objects {
    ids: Vec<(&'static str, Vec<Value>)>,
    program_of: HashMap<String, Value>,
}

async fn objects(app: &TestApp) -> Objects {
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
    let parts = app
        .data_as(
            CENTRAL_ADMIN,
            "{ users(first: 100) { nodes { id memberships { id } } }
               trainingSessions(first: 100) { nodes { registrations(first: 10, filter: { includeCancelled: true }) { nodes { id } } } }
               programs(first: 50) { nodes { id parties { id } commitments { id } } } }",
            json!({}),
        )
        .await;
    let ids = |list: &Value| -> Vec<Value> {
        list.as_array()
            .or_else(|| list["nodes"].as_array())
            .expect("a list")
            .iter()
            .map(|n| n["id"].clone())
            .collect()
    };
    let nested = |list: &Value, field: &str| -> Vec<Value> {
        list["nodes"]
            .as_array()
            .expect("a list")
            .iter()
            .flat_map(|n| ids(&n[field]))
            .collect()
    };
    let mut program_of = HashMap::new();
    for program in parts["programs"]["nodes"].as_array().expect("programs") {
        for part in ids(&program["parties"])
            .into_iter()
            .chain(ids(&program["commitments"]))
        {
            program_of.insert(
                part.as_str().expect("an id").to_owned(),
                program["id"].clone(),
            );
        }
    }
    let ids = vec![
        ("Organisation", spread(ids(&data["organisations"]))),
        ("Program", spread(ids(&data["programs"]))),
        (
            "ProgramReport",
            spread(nested(&data["programs"], "reports")),
        ),
        ("TrainingSession", spread(ids(&data["trainingSessions"]))),
        ("Assessment", spread(ids(&data["assessments"]))),
        (
            "CriteriaChecklist",
            spread(ids(&data["criteriaChecklists"])),
        ),
        ("Candidacy", spread(ids(&data["candidacies"]))),
        ("User", spread(ids(&parts["users"]))),
        ("Membership", spread(nested(&parts["users"], "memberships"))),
        (
            "Registration",
            spread(nested(&parts["trainingSessions"], "registrations")),
        ),
        (
            "ProgramParty",
            spread(nested(&parts["programs"], "parties")),
        ),
        (
            "Commitment",
            spread(nested(&parts["programs"], "commitments")),
        ),
    ];
    Objects { ids, program_of }
}

/// The `type_name` objects `ids` as `account` reads them (`null` where it cannot), with the
/// fields of [`selection`]. Parties and commitments are read through their program, whose
/// version a party's probes send.
async fn read_as(
    app: &TestApp,
    account: &str,
    type_name: &str,
    ids: &[Value],
    program_of: &HashMap<String, Value>,
) -> Vec<Value> {
    let field = match type_name {
        "ProgramParty" => "parties",
        "Commitment" => "commitments",
        _ => {
            let query = format!(
                "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on {type_name} {{ id {} }} }} }}",
                selection(type_name)
            );
            let data = app.data_as(account, &query, json!({ "ids": ids })).await;
            return data["nodes"].as_array().expect("nodes").clone();
        }
    };
    let mut programs: Vec<Value> = ids
        .iter()
        .filter_map(|id| id.as_str().and_then(|id| program_of.get(id)).cloned())
        .collect();
    programs.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    programs.dedup();
    let query = format!(
        "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on Program {{ version {field} {{ id {} }} }} }} }}",
        selection(type_name)
    );
    let data = app
        .data_as(account, &query, json!({ "ids": programs }))
        .await;
    let mut found: HashMap<String, Value> = HashMap::new();
    for program in data["nodes"].as_array().expect("nodes") {
        for part in program[field].as_array().into_iter().flatten() {
            let mut part = part.clone();
            part["programVersion"] = program["version"].clone();
            found.insert(part["id"].as_str().expect("an id").to_owned(), part);
        }
    }
    ids.iter()
        .map(|id| {
            id.as_str()
                .and_then(|id| found.remove(id))
                .unwrap_or(Value::Null)
        })
        .collect()
}

/// At most [`PER_TYPE`] of `ids`, evenly spread.
fn spread(ids: Vec<Value>) -> Vec<Value> {
    let step = ids.len().div_ceil(PER_TYPE).max(1);
    ids.into_iter().step_by(step).collect()
}

on_both!(
    viewer_can_agrees_with_the_mutations_for_every_demo_account,
    |app| {
        let objects = objects(app).await;
        let audit_before = app.count("audit_event").await;
        let mut checked = 0;
        let mut allowed = 0;
        for (type_name, ids) in &objects.ids {
            assert!(!ids.is_empty(), "the demo has {type_name} objects");
            let mut answers = [false; 2];
            for account in ACCOUNTS {
                let nodes = read_as(app, account, type_name, ids, &objects.program_of).await;
                for (id, node) in ids.iter().zip(nodes) {
                    for probe in probes(type_name) {
                        let document = format!(
                            "mutation($input: {}!) {{ {}(input: $input) {{ userErrors {{ field code }} }} }}",
                            probe.input_type, probe.mutation
                        );
                        if node.is_null() {
                            // Unreadable: the mutation must not find it either.
                            let input = (probe.input)(&json!({
                                "id": id, "version": 1, "status": "DRAFT", "attended": false,
                                "programVersion": 1,
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
                            .gql_as(account, &document, json!({ "input": (probe.input)(&node) }))
                            .await;
                        let passed = passed_policy(&response, probe.mutation, probe.after_policy);
                        assert_eq!(
                            flag, passed,
                            "{account}: {type_name} {id} viewerCan.{} is {flag} but {} answered {response}",
                            probe.flag, probe.mutation
                        );
                        checked += 1;
                        allowed += usize::from(flag);
                        answers[usize::from(flag)] = true;
                    }
                }
            }
            assert_eq!(
                answers, [true; 2],
                "{type_name}: some flag is false and some true"
            );
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
