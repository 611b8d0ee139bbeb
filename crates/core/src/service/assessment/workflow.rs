//! The assessment workflow: submit, resubmit, approve (with the recognition decision), return.
//! Every step is written to `assessment_transition` with its actor, the organisation it acted
//! for and its comment, in the same transaction as the change and its audit event.
//!
//! | step | from → to | who |
//! |---|---|---|
//! | submit | `DRAFT` or `RETURNED` → `SUBMITTED` | EDITOR/ADMIN of the assessing organisation (or above) |
//! | resubmit | `RETURNED` → `SUBMITTED` | the same |
//! | approve | `SUBMITTED` → `APPROVED` (locked) | EDITOR/ADMIN of a strict ancestor |
//! | return | `SUBMITTED` → `RETURNED`, with a comment | EDITOR/ADMIN of a strict ancestor |
//!
//! Approving and returning are refused (`FORBIDDEN`) to anyone holding a role in the assessing
//! organisation itself, whatever roles they also hold above it: nobody approves their own
//! organisation's work. (An ancestor's editor who filled in a chi hội's assessment for it may
//! still approve it: the approval is the ancestor's, as in the demo data.)
//!
//! | refusal | field | code |
//! |---|---|---|
//! | any step on an approved assessment | `id` | `LOCKED` |
//! | a step its state does not allow | `status` | `INVALID_TRANSITION` |
//! | submit with a required criterion unanswered | `criteria.<code>` | `REQUIRED` |
//! | submit with credit claimed on an evidence-required criterion without a note | `criteria.<code>` | `EVIDENCE_REQUIRED` |
//! | return without a comment | `comment` | `REQUIRED` |
//! | approve a passing result without a decision, or a failing one with a decision | `decision` | `REQUIRED`, `NOT_APPLICABLE` |
//! | decision number or authority missing | `decision.decisionNumber`, `decision.authorityName` | `REQUIRED` |
//! | decision dated before the assessed year | `decision.decidedOn` | `DATE_ORDER` |
//! | authority organisation unknown | `decision.authorityOrganisationId` | `NOT_FOUND` |

use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, Set,
};

use super::rules::Step;
use super::write::{for_step, recompute};
use super::{answers, recognition};
use crate::Result;
use crate::access::Actor;
use crate::audit;
use crate::db::begin_write;
use crate::entity::assessment::Model;
use crate::entity::enums::{AssessmentStatus, ChecklistStyle};
use crate::entity::{assessment_score, assessment_transition, organisation, recognition_decision};
use crate::events::{Change, Event, Events};
use crate::service::checklist::{ScoringSheet, SheetCache};
use crate::service::statistics::tally;
use crate::service::validate::{MAX_LONG_TEXT, MAX_SHORT_TEXT, Validator};
use crate::service::{scoring, versioned};

/// The recognition decision an approver records (data from the decision itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    /// Its number, e.g. "15/QĐ-UBND".
    pub decision_number: String,
    /// Its date.
    pub decided_on: NaiveDate,
    /// The recognising authority as written on it, e.g. "Ủy ban nhân dân phường Ba Đình".
    pub authority_name: String,
    /// The authority, when it is an organisation of the tree.
    pub authority_organisation_id: Option<i64>,
}

/// Writes one workflow step of `assessment` (into `to`, its current status).
pub(super) async fn record(
    txn: &impl ConnectionTrait,
    assessment: &Model,
    from: Option<AssessmentStatus>,
    actor: &Actor,
    organisation_id: i64,
    comment: Option<String>,
) -> Result<()> {
    assessment_transition::ActiveModel {
        id: NotSet,
        assessment_id: Set(assessment.id),
        from_status: Set(from),
        to_status: Set(assessment.status),
        actor_user_id: Set(Some(actor.user_id)),
        actor_organisation_id: Set(Some(organisation_id)),
        comment: Set(comment),
        occurred_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The event announcing that `saved` left `previous` (on `org`'s subtree).
pub(super) fn status_changed(
    saved: &Model,
    previous: impl Into<Option<AssessmentStatus>>,
    org: &organisation::Model,
) -> Event {
    Event::now(
        Change::AssessmentStatus {
            assessment_id: saved.id,
            previous: previous.into(),
            status: saved.status,
        },
        org.id,
        &org.path,
    )
}

/// An optional comment, trimmed.
fn comment(v: &mut Validator, comment: Option<&str>) -> Option<String> {
    v.optional("comment", comment, MAX_LONG_TEXT)
}

/// One step of an assessment's workflow as the client asks for it.
#[derive(Debug, Clone, Copy)]
pub struct StepRequest<'a> {
    /// The assessment.
    pub id: i64,
    /// The version the client read.
    pub version: i32,
    /// A comment for the assessment's history.
    pub note: Option<&'a str>,
}

/// Submits a draft or returned assessment once every required criterion is answered and every
/// evidence-required criterion that earns credit has a note.
pub async fn submit(
    db: &DatabaseConnection,
    events: &Events,
    sheets: &SheetCache,
    actor: &Actor,
    request: StepRequest<'_>,
) -> Result<Model> {
    send_up(db, events, sheets, actor, request, false).await
}

/// Submits a returned assessment again (the same checks as [`submit`]).
pub async fn resubmit(
    db: &DatabaseConnection,
    events: &Events,
    sheets: &SheetCache,
    actor: &Actor,
    request: StepRequest<'_>,
) -> Result<Model> {
    send_up(db, events, sheets, actor, request, true).await
}

async fn send_up(
    db: &DatabaseConnection,
    events: &Events,
    sheets: &SheetCache,
    actor: &Actor,
    request: StepRequest<'_>,
    returned_only: bool,
) -> Result<Model> {
    let StepRequest { id, version, note } = request;
    let step = if returned_only {
        Step::Resubmit
    } else {
        Step::Submit
    };
    let (current, org, _) = for_step(db, actor, id, step).await?;
    versioned::check_version("assessment", version, current.version)?;
    let sheet = sheets.get(db, current.checklist_id).await?;
    let stored = assessment_score::Entity::find()
        .filter(assessment_score::Column::AssessmentId.eq(id))
        .all(db)
        .await?;
    let mut v = Validator::new();
    check_complete(&mut v, &sheet, &stored);
    let note = comment(&mut v, note);
    v.finish()?;
    let txn = begin_write(db).await?;
    let saved = recompute(&txn, &sheet, &org, &current, version, |next| {
        next.status = Set(AssessmentStatus::Submitted);
        next.submitted_at = Set(Some(Utc::now()));
        next.return_comment = Set(None);
    })
    .await?;
    record(&txn, &saved, Some(current.status), actor, org.id, note).await?;
    let action = if current.status == AssessmentStatus::Returned {
        "resubmit"
    } else {
        "submit"
    };
    audit::write(
        &txn,
        actor,
        org.id,
        "Assessment",
        id,
        action,
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    let pending = events
        .stage(&txn, status_changed(&saved, current.status, &org))
        .await?;
    txn.commit().await?;
    pending.announce();
    Ok(saved)
}

/// Records what keeps `stored` answers from being submitted against `sheet`.
fn check_complete(v: &mut Validator, sheet: &ScoringSheet, stored: &[assessment_score::Model]) {
    let answered = answers(stored);
    for criterion in &sheet.criteria {
        let score = stored.iter().find(|s| s.criterion_id == criterion.id);
        let answer = answered.get(&criterion.id).copied().unwrap_or_default();
        let (is_answered, earns_credit) = match sheet.checklist.style {
            ChecklistStyle::Points => (
                answer.points.is_some(),
                answer.points.is_some_and(|p| p > 0),
            ),
            ChecklistStyle::Indicators => (answer.met.is_some(), answer.met == Some(true)),
        };
        let field = format!("criteria.{}", criterion.code);
        if criterion.required && !is_answered {
            v.error(
                field,
                "REQUIRED",
                format!("answer criterion {} before submitting", criterion.code),
            );
        } else if criterion.evidence_required
            && earns_credit
            && score
                .and_then(|s| s.evidence_note.as_deref())
                .is_none_or(|n| n.trim().is_empty())
        {
            v.error(
                field,
                "EVIDENCE_REQUIRED",
                format!(
                    "criterion {} needs an evidence note: {}",
                    criterion.code,
                    criterion.evidence_rule.as_deref().unwrap_or("minh chứng")
                ),
            );
        }
    }
}

/// Approves a submitted assessment: the result is computed once more from the stored answers
/// and locked; a passing result is recognised by `decision`, whose validity and next-level dates
/// follow from the checklist's rules.
pub async fn approve(
    db: &DatabaseConnection,
    events: &Events,
    sheets: &SheetCache,
    actor: &Actor,
    request: StepRequest<'_>,
    decision: Option<DecisionInput>,
) -> Result<Model> {
    let StepRequest { id, version, note } = request;
    let (current, org, approver) = for_step(db, actor, id, Step::Approve).await?;
    versioned::check_version("assessment", version, current.version)?;
    let sheet = sheets.get(db, current.checklist_id).await?;
    let stored = assessment_score::Entity::find()
        .filter(assessment_score::Column::AssessmentId.eq(id))
        .all(db)
        .await?;
    let outcome = scoring::score(
        sheet.checklist.style,
        &sheet.criteria,
        &sheet.levels,
        &answers(&stored),
    );
    let mut v = Validator::new();
    let note = comment(&mut v, note);
    let decision = match (outcome.result_rank >= 1, decision) {
        (true, None) => {
            v.error(
                "decision",
                "REQUIRED",
                "a passing result is approved with its recognition decision",
            );
            None
        }
        (false, Some(_)) => {
            v.error(
                "decision",
                "NOT_APPLICABLE",
                "a result that is not met is not recognised",
            );
            None
        }
        (true, Some(d)) => check_decision(db, actor, &mut v, &current, &sheet, d).await?,
        (false, None) => None,
    };
    v.finish()?;
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let saved = recompute(&txn, &sheet, &org, &current, version, |next| {
        next.status = Set(AssessmentStatus::Approved);
        next.approved_at = Set(Some(now));
        next.approved_by = Set(Some(actor.user_id));
        next.approver_organisation_id = Set(Some(approver));
        next.return_comment = Set(None);
    })
    .await?;
    record(&txn, &saved, Some(current.status), actor, approver, note).await?;
    audit::write(
        &txn,
        actor,
        org.id,
        "Assessment",
        id,
        "approve",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    if let Some(mut row) = decision {
        row.result_code = Set(outcome.result_code.clone());
        row.result_label = Set(outcome.result_label.clone());
        row.result_rank = Set(outcome.result_rank);
        row.created_at = Set(now);
        let inserted = row.insert(&txn).await?;
        audit::write(
            &txn,
            actor,
            org.id,
            "RecognitionDecision",
            inserted.id,
            "create",
            audit::diff(None, Some(&inserted)),
        )
        .await?;
    }
    let pending = events
        .stage(&txn, status_changed(&saved, current.status, &org))
        .await?;
    txn.commit().await?;
    pending.announce();
    Ok(saved)
}

/// Validates `d` into the decision row to write (result fields filled in at approval).
async fn check_decision(
    db: &DatabaseConnection,
    actor: &Actor,
    v: &mut Validator,
    current: &Model,
    sheet: &ScoringSheet,
    d: DecisionInput,
) -> Result<Option<recognition_decision::ActiveModel>> {
    let number = v.required("decision.decisionNumber", &d.decision_number, 100);
    let authority = v.required("decision.authorityName", &d.authority_name, MAX_SHORT_TEXT);
    if let Some(id) = d.authority_organisation_id
        && crate::service::organisation::get(db, actor, id)
            .await?
            .is_none()
    {
        v.error(
            "decision.authorityOrganisationId",
            "NOT_FOUND",
            "the organisation does not exist",
        );
    }
    v.check(
        d.decided_on.year() < current.period_year,
        "decision.decidedOn",
        "DATE_ORDER",
        "a decision cannot predate the year it recognises",
    );
    let Some((valid_until, next_level)) = recognition::dates(
        d.decided_on,
        sheet.checklist.recognition_validity_months,
        sheet.checklist.next_level_wait_months,
    ) else {
        v.error(
            "decision.decidedOn",
            "OUT_OF_RANGE",
            "the recognition would end past the calendar",
        );
        return Ok(None);
    };
    Ok(Some(recognition_decision::ActiveModel {
        id: NotSet,
        assessment_id: Set(current.id),
        organisation_id: Set(current.organisation_id),
        decision_number: Set(number),
        decided_on: Set(d.decided_on),
        authority_name: Set(authority),
        authority_organisation_id: Set(d.authority_organisation_id),
        result_code: NotSet,
        result_label: NotSet,
        result_rank: NotSet,
        valid_until: Set(valid_until),
        next_level_eligible_on: Set(next_level),
        created_by: Set(Some(actor.user_id)),
        created_at: NotSet,
    }))
}

/// Returns a submitted assessment to its organisation with a comment saying what to change.
pub async fn return_assessment(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    version: i32,
    note: &str,
) -> Result<Model> {
    let (current, org, approver) = for_step(db, actor, id, Step::Return).await?;
    let mut v = Validator::new();
    let note = v.required("comment", note, MAX_LONG_TEXT);
    v.finish()?;
    let txn = begin_write(db).await?;
    let mut next: crate::entity::assessment::ActiveModel = current.clone().into();
    next.status = Set(AssessmentStatus::Returned);
    next.return_comment = Set(Some(note.clone()));
    let saved =
        versioned::save::<crate::entity::assessment::Entity>(&txn, id, next, version).await?;
    tally::record(&txn, &org.path, Some(&current), Some(&saved)).await?;
    record(
        &txn,
        &saved,
        Some(current.status),
        actor,
        approver,
        Some(note),
    )
    .await?;
    audit::write(
        &txn,
        actor,
        org.id,
        "Assessment",
        id,
        "return",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    let pending = events
        .stage(&txn, status_changed(&saved, current.status, &org))
        .await?;
    txn.commit().await?;
    pending.announce();
    Ok(saved)
}
