//! The mutation sent for each `viewerCan` flag, and the fields each type's check reads.

use serde_json::{Value, json};

/// A mutation run for one `viewerCan` flag.
pub(super) struct Probe {
    pub flag: &'static str,
    pub mutation: &'static str,
    pub input_type: &'static str,
    pub input: fn(&Value) -> Value,
    /// Refusals that come after the policy check for this mutation (the flag is `true`).
    pub after_policy: &'static [&'static str],
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

fn user_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "disable",
            mutation: "disableUser",
            input_type: "UserInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "enable",
            mutation: "enableUser",
            input_type: "UserInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "setPassword",
            mutation: "setUserPassword",
            input_type: "SetUserPasswordInput",
            input: |o| with(stale(o), json!({ "password": "mật khẩu thử quyền 2026" })),
            after_policy: STALE,
        },
    ]
}

fn membership_probes() -> Vec<Probe> {
    vec![Probe {
        flag: "revoke",
        mutation: "revokeMembership",
        input_type: "RevokeMembershipInput",
        // No version to go stale: a reason over 300 characters is refused after the policy.
        input: |o| json!({ "id": o["id"], "reason": "x".repeat(301) }),
        after_policy: &["USER_ERRORS_ELSEWHERE"],
    }]
}

fn registration_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "cancel",
            mutation: "cancelRegistration",
            input_type: "VersionedInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "markAttendance",
            mutation: "markAttendance",
            input_type: "MarkAttendanceInput",
            // The other answer than the stored one: the same one returns before the version check.
            input: |o| with(stale(o), json!({ "attended": o["attended"] != true })),
            after_policy: &["STALE", "NOT_STARTED"],
        },
    ]
}

fn party_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "remove",
            mutation: "removeProgramParty",
            input_type: "RemoveProgramPartyInput",
            // The version is the program's.
            input: |o| json!({ "partyId": o["id"], "version": o["programVersion"].as_i64().unwrap_or(0) + 1000 }),
            after_policy: STALE,
        },
        Probe {
            flag: "createCommitment",
            mutation: "createCommitment",
            input_type: "CreateCommitmentInput",
            input: |o| json!({ "partyId": o["id"], "description": " ", "indicator": "Thử quyền" }),
            after_policy: &["USER_ERRORS_ELSEWHERE"],
        },
    ]
}

fn commitment_probes() -> Vec<Probe> {
    vec![
        Probe {
            flag: "update",
            mutation: "updateCommitment",
            input_type: "UpdateCommitmentInput",
            input: stale,
            after_policy: STALE,
        },
        Probe {
            flag: "archive",
            mutation: "archiveCommitment",
            input_type: "VersionedInput",
            input: stale,
            after_policy: STALE,
        },
    ]
}

/// The fields of a `type_name` node the probes read, with its `viewerCan`.
pub(super) fn selection(type_name: &str) -> &'static str {
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
        "User" => "version status viewerCan { disable enable setPassword }",
        "Membership" => "viewerCan { revoke }",
        "Registration" => "version status attended viewerCan { cancel markAttendance }",
        "ProgramParty" => "viewerCan { remove createCommitment }",
        "Commitment" => "version viewerCan { update archive }",
        _ => "version status viewerCan { saveScores submit resubmit approve return }",
    }
}

/// The probes of every `viewerCan` flag of `type_name`.
pub(super) fn probes(type_name: &str) -> Vec<Probe> {
    match type_name {
        "Organisation" => organisation_probes(),
        "Program" => program_probes(),
        "ProgramReport" => report_probes(),
        "TrainingSession" => session_probes(),
        "CriteriaChecklist" => checklist_probes(),
        "Candidacy" => candidacy_probes(),
        "User" => user_probes(),
        "Membership" => membership_probes(),
        "Registration" => registration_probes(),
        "ProgramParty" => party_probes(),
        "Commitment" => commitment_probes(),
        _ => assessment_probes(),
    }
}
