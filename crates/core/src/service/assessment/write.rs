//! Opening an assessment and saving its answers. The total and result are computed here from
//! the stored answers, never taken from the client.
//!
//! | refusal | field | code |
//! |---|---|---|
//! | the checklist is not readable | `checklistId` | `NOT_FOUND` |
//! | the checklist is a draft or retired | `checklistId` | `CHECKLIST_NOT_PUBLISHED` |
//! | the checklist is a variant for another subtree | `checklistId` | `CHECKLIST_NOT_APPLICABLE` |
//! | the assessing organisation is not active | `organisationId` | `INVALID_STATE` |
//! | the year is outside 1990–2100 | `periodYear` | `OUT_OF_RANGE` |
//! | the subject already has a live assessment on this checklist code for this year | `subject` | `DUPLICATE` |
//! | the candidacy is unknown, not `REGISTERED`, or for another subject/model/year | `candidacyId` | `NOT_FOUND`, `INVALID_STATE`, `CANDIDACY_MISMATCH` |
//! | answers to a submitted assessment | `id` | `INVALID_STATE` |
//! | answers to an approved assessment | `id` | `LOCKED` |
//! | a criterion code not on the checklist, or given twice | `scores.N.criterionCode` | `NOT_FOUND`, `DUPLICATE` |
//! | points outside 0..=max | `scores.N.points` | `OUT_OF_RANGE` |
//! | points on an indicator sheet, `met` on a points sheet | `scores.N.points`, `scores.N.met` | `NOT_APPLICABLE` |
//!
//! plus the subject rules of [`super::subject`]. Two concurrent openings of the same subject
//! are stopped by the database's unique index: the loser gets `CONFLICT`.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, Set,
};
use serde_json::json;

use super::rules::{self, Step};
use super::subject::{self, SubjectInput};
use super::{answers, assessing_organisation, require};
use crate::access::{Actor, path};
use crate::audit;
use crate::db::begin_write;
use crate::entity::assessment::{self, Column, Entity, Model};
use crate::entity::enums::{
    AssessmentStatus, CandidacyStatus, ChecklistStatus, ChecklistStyle, OrganisationStatus,
};
use crate::entity::{assessment_score, candidacy, organisation};
use crate::events::{Events, Pending};
use crate::service::checklist::{ScoringSheet, SheetCache};
use crate::service::statistics::tally;
use crate::service::validate::{MAX_LONG_TEXT, Validator};
use crate::service::{scoring, versioned};
use crate::{Error, Result, search};

/// The years an assessment may be for (the table's check constraint).
pub(super) const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A new assessment.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    /// The published checklist version used.
    pub checklist_id: i64,
    /// The assessing organisation; the actor must edit for it.
    pub organisation_id: i64,
    /// What is assessed.
    pub subject: SubjectInput,
    /// The year assessed.
    pub period_year: i32,
    /// The candidacy it answers, if any (marked `ASSESSED`).
    pub candidacy_id: Option<i64>,
}

/// The answer to one criterion; `points` and `met` both `None` clear it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreInput {
    /// The criterion's code on the checklist, e.g. `1.2`.
    pub criterion_code: String,
    /// Points given (points sheets).
    pub points: Option<i32>,
    /// Whether the indicator is met (indicator sheets).
    pub met: Option<bool>,
    /// What evidence was checked.
    pub evidence_note: Option<String>,
}

/// Opens an assessment in `DRAFT` for a subject, a published checklist and a year.
pub async fn create(
    db: &DatabaseConnection,
    events: &Events,
    sheets: &SheetCache,
    actor: &Actor,
    input: NewAssessment,
) -> Result<Model> {
    let txn = begin_write(db).await?;
    let (created, pending) = create_in(&txn, events, sheets, actor, input, &[]).await?;
    txn.commit().await?;
    pending.announce();
    Ok(created)
}

/// [`create`] with first answers `scores`, inside the write transaction `db`, which the caller
/// commits before announcing the returned event. Validation reads through the same
/// transaction, so rows written earlier in it count (e.g. duplicates within one bulk request).
pub(super) async fn create_in(
    db: &impl ConnectionTrait,
    events: &Events,
    sheets: &SheetCache,
    actor: &Actor,
    input: NewAssessment,
    scores: &[ScoreInput],
) -> Result<(Model, Pending)> {
    let org = crate::service::organisation::require(db, actor, input.organisation_id).await?;
    actor.require(
        actor.can_edit_records_of(&org.path),
        "you cannot assess for this organisation",
    )?;
    let mut v = Validator::new();
    v.check(
        org.status != OrganisationStatus::Active,
        "organisationId",
        "INVALID_STATE",
        "the assessing organisation is not active",
    );
    v.check(
        !YEARS.contains(&input.period_year),
        "periodYear",
        "OUT_OF_RANGE",
        "the year must be within 1990–2100",
    );
    let checklist = check_checklist(db, actor, &mut v, &org, input.checklist_id).await?;
    let subject = match &checklist {
        Some(c) => subject::resolve(db, actor, &mut v, &org, c.model, &input.subject).await?,
        None => None,
    };
    let candidacy = match input.candidacy_id {
        Some(id) => check_candidacy(db, actor, &mut v, id).await?,
        None => None,
    };
    if let (Some(c), Some(s), Some(checklist)) = (&candidacy, &subject, &checklist) {
        v.check(
            c.organisation_id != org.id
                || c.model != checklist.model
                || c.period_year != input.period_year
                || c.subject_key != s.key,
            "candidacyId",
            "CANDIDACY_MISMATCH",
            "the candidacy is for another subject, model, year or organisation",
        );
    }
    if let (Some(s), Some(checklist)) = (&subject, &checklist) {
        let duplicate = Entity::find()
            .filter(Column::SubjectKey.eq(s.key.as_str()))
            .filter(Column::ChecklistCode.eq(checklist.code.as_str()))
            .filter(Column::PeriodYear.eq(input.period_year))
            .filter(Column::ArchivedAt.is_null())
            .one(db)
            .await?;
        v.check(
            duplicate.is_some(),
            "subject",
            "DUPLICATE",
            "this subject already has an assessment on this checklist for this year",
        );
    }
    let sheet = match &checklist {
        Some(c) => Some(sheets.get(db, c.id).await?),
        None => None,
    };
    let answers = match &sheet {
        Some(sheet) => match checked_answers(sheet, scores) {
            Ok(answers) => answers,
            Err(Error::Invalid(fields)) => {
                v.extend(fields);
                Vec::new()
            }
            Err(other) => return Err(other),
        },
        None => Vec::new(),
    };
    v.finish()?;
    let (Some(checklist), Some(subject), Some(sheet)) = (checklist, subject, sheet) else {
        return Err(Error::Internal("validated input without a value".into()));
    };
    let answers: Vec<CheckedAnswer> = answers.into_iter().filter(|a| !a.is_empty()).collect();
    let outcome = scoring::score(
        checklist.style,
        &sheet.criteria,
        &sheet.levels,
        &answers
            .iter()
            .map(|a| (a.criterion_id, a.answer()))
            .collect(),
    );
    let now = Utc::now();
    let created = assessment::ActiveModel {
        id: NotSet,
        checklist_id: Set(checklist.id),
        checklist_code: Set(checklist.code.clone()),
        model: Set(checklist.model),
        organisation_id: Set(org.id),
        candidacy_id: Set(candidacy.as_ref().map(|c| c.id)),
        subject_kind: Set(subject.kind),
        subject_organisation_id: Set(subject.organisation_id),
        subject_search: Set(search::normalize(&subject.name)),
        subject_name: Set(subject.name),
        subject_key: Set(subject.key),
        period_year: Set(input.period_year),
        status: Set(AssessmentStatus::Draft),
        total_points: Set(Some(outcome.total_points)),
        result_rank: Set(outcome.result_rank),
        result_code: Set(outcome.result_code),
        submitted_at: Set(None),
        approved_at: Set(None),
        approved_by: Set(None),
        approver_organisation_id: Set(None),
        return_comment: Set(None),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(db)
    .await?;
    tally::record(db, &org.path, None, Some(&created)).await?;
    if !answers.is_empty() {
        assessment_score::Entity::insert_many(answers.iter().map(|a| a.row(created.id)))
            .exec_without_returning(db)
            .await?;
    }
    super::workflow::record(db, &created, None, actor, org.id, None).await?;
    if let Some(c) = &candidacy {
        let mut next: candidacy::ActiveModel = c.clone().into();
        next.status = Set(CandidacyStatus::Assessed);
        let saved = versioned::save::<candidacy::Entity>(db, c.id, next, c.version).await?;
        audit::write(
            db,
            actor,
            c.organisation_id,
            "Candidacy",
            c.id,
            "assess",
            audit::diff(Some(c), Some(&saved)),
        )
        .await?;
    }
    let mut changes = audit::diff(None, Some(&created));
    if !answers.is_empty() {
        changes["after"]["scores"] = json!(answers);
    }
    audit::write(
        db,
        actor,
        org.id,
        "Assessment",
        created.id,
        "create",
        changes,
    )
    .await?;
    let pending = events
        .stage(db, super::workflow::status_changed(&created, None, &org))
        .await?;
    Ok((created, pending))
}

/// A readable, published checklist that applies to `org`'s part of the tree, or field errors.
async fn check_checklist(
    db: &impl ConnectionTrait,
    actor: &Actor,
    v: &mut Validator,
    org: &organisation::Model,
    id: i64,
) -> Result<Option<crate::entity::criteria_checklist::Model>> {
    let Some(checklist) = crate::service::checklist::get(db, actor, id).await? else {
        v.error("checklistId", "NOT_FOUND", "the checklist does not exist");
        return Ok(None);
    };
    v.check(
        checklist.status != ChecklistStatus::Published,
        "checklistId",
        "CHECKLIST_NOT_PUBLISHED",
        "assessments use a published checklist version",
    );
    let owner = organisation::Entity::find_by_id(checklist.owner_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal(format!("checklist {} has no owner", checklist.id)))?;
    v.check(
        !path::is_within(&org.path, &owner.path),
        "checklistId",
        "CHECKLIST_NOT_APPLICABLE",
        "this checklist is a variant for another part of the tree",
    );
    Ok(Some(checklist))
}

/// A readable candidacy still `REGISTERED`, or a field error.
async fn check_candidacy(
    db: &impl ConnectionTrait,
    actor: &Actor,
    v: &mut Validator,
    id: i64,
) -> Result<Option<candidacy::Model>> {
    let Some(found) = super::candidacy::get(db, actor, id).await? else {
        v.error("candidacyId", "NOT_FOUND", "the candidacy does not exist");
        return Ok(None);
    };
    v.check(
        found.status != CandidacyStatus::Registered,
        "candidacyId",
        "INVALID_STATE",
        "the candidacy was withdrawn or already assessed",
    );
    Ok(Some(found))
}

/// Loads an assessment the actor may take `step` on now, with its assessing organisation and
/// the organisation the actor acts for ([`rules::check`]).
pub(super) async fn for_step(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    step: Step,
) -> Result<(Model, organisation::Model, i64)> {
    let current = require(db, actor, id).await?;
    let org = assessing_organisation(db, &current).await?;
    let acting_for = rules::check(step, actor, &current, &org)?;
    Ok((current, org, acting_for))
}

/// Saves answers to a draft or returned assessment and recomputes its total and result. Each
/// answer replaces that criterion's answer; criteria not mentioned keep theirs.
pub async fn save_scores(
    db: &DatabaseConnection,
    sheets: &SheetCache,
    actor: &Actor,
    id: i64,
    version: i32,
    scores: &[ScoreInput],
) -> Result<Model> {
    let txn = begin_write(db).await?;
    let saved = save_scores_in(&txn, sheets, actor, id, version, scores).await?;
    txn.commit().await?;
    Ok(saved)
}

/// [`save_scores`] inside the write transaction `db`, which the caller commits.
pub(super) async fn save_scores_in(
    db: &impl ConnectionTrait,
    sheets: &SheetCache,
    actor: &Actor,
    id: i64,
    version: i32,
    scores: &[ScoreInput],
) -> Result<Model> {
    let (current, org, _) = for_step(db, actor, id, Step::SaveScores).await?;
    versioned::check_version("assessment", version, current.version)?;
    let sheet = sheets.get(db, current.checklist_id).await?;
    let answers = checked_answers(&sheet, scores)?;
    let criterion_ids: Vec<i64> = answers.iter().map(|a| a.criterion_id).collect();
    let before = assessment_score::Entity::find()
        .filter(assessment_score::Column::AssessmentId.eq(id))
        .filter(assessment_score::Column::CriterionId.is_in(criterion_ids.clone()))
        .all(db)
        .await?;
    assessment_score::Entity::delete_many()
        .filter(assessment_score::Column::AssessmentId.eq(id))
        .filter(assessment_score::Column::CriterionId.is_in(criterion_ids))
        .exec(db)
        .await?;
    let inserts: Vec<assessment_score::ActiveModel> = answers
        .iter()
        .filter(|a| !a.is_empty())
        .map(|a| a.row(id))
        .collect();
    if !inserts.is_empty() {
        assessment_score::Entity::insert_many(inserts)
            .exec_without_returning(db)
            .await?;
    }
    let saved = recompute(db, &sheet, &org, &current, version, |_| {}).await?;
    let mut changes = audit::diff(Some(&current), Some(&saved));
    changes["before"]["scores"] = json!(before);
    changes["after"]["scores"] = json!(answers);
    audit::write(db, actor, org.id, "Assessment", id, "save_scores", changes).await?;
    Ok(saved)
}

/// A validated answer to one criterion.
#[derive(Debug, Clone, serde::Serialize)]
struct CheckedAnswer {
    criterion_id: i64,
    points: Option<i32>,
    met: Option<bool>,
    evidence_note: Option<String>,
}

impl CheckedAnswer {
    /// Whether it clears the criterion's answer.
    fn is_empty(&self) -> bool {
        self.points.is_none() && self.met.is_none() && self.evidence_note.is_none()
    }

    fn answer(&self) -> scoring::Answer {
        scoring::Answer {
            points: self.points,
            met: self.met,
        }
    }

    fn row(&self, assessment_id: i64) -> assessment_score::ActiveModel {
        assessment_score::ActiveModel {
            id: NotSet,
            assessment_id: Set(assessment_id),
            criterion_id: Set(self.criterion_id),
            points: Set(self.points),
            met: Set(self.met),
            evidence_note: Set(self.evidence_note.clone()),
        }
    }
}

/// Validates `scores` against the checklist of `sheet`.
fn checked_answers(sheet: &ScoringSheet, scores: &[ScoreInput]) -> Result<Vec<CheckedAnswer>> {
    let by_code: HashMap<&str, &crate::entity::criterion::Model> = sheet
        .criteria
        .iter()
        .map(|c| (c.code.as_str(), c))
        .collect();
    let style = sheet.checklist.style;
    let mut v = Validator::new();
    let mut seen = HashSet::new();
    let mut answers = Vec::with_capacity(scores.len());
    for (i, score) in scores.iter().enumerate() {
        let field = format!("scores.{i}");
        let code = score.criterion_code.trim().to_uppercase();
        let Some(criterion) = by_code.get(code.as_str()) else {
            v.error(
                format!("{field}.criterionCode"),
                "NOT_FOUND",
                format!("the checklist has no criterion {code}"),
            );
            continue;
        };
        if !seen.insert(criterion.id) {
            v.error(
                format!("{field}.criterionCode"),
                "DUPLICATE",
                "one answer per criterion",
            );
            continue;
        }
        match style {
            ChecklistStyle::Points => {
                v.check(
                    score.met.is_some(),
                    &format!("{field}.met"),
                    "NOT_APPLICABLE",
                    "a points sheet is answered with points",
                );
                let max = criterion.max_points.unwrap_or(0);
                if let Some(points) = score.points
                    && !(0..=max).contains(&points)
                {
                    v.error(
                        format!("{field}.points"),
                        "OUT_OF_RANGE",
                        format!("criterion {code} gives 0 to {max} points"),
                    );
                }
            }
            ChecklistStyle::Indicators => v.check(
                score.points.is_some(),
                &format!("{field}.points"),
                "NOT_APPLICABLE",
                "an indicator sheet is answered with met or not met",
            ),
        }
        answers.push(CheckedAnswer {
            criterion_id: criterion.id,
            points: score.points,
            met: score.met,
            evidence_note: v.optional(
                &format!("{field}.evidenceNote"),
                score.evidence_note.as_deref(),
                MAX_LONG_TEXT,
            ),
        });
    }
    v.finish()?;
    Ok(answers)
}

/// Recomputes the total and result from the stored answers and saves them with the changes
/// `change` makes, if the version is still `expected`.
///
/// The statistics tally of `org` (the assessing organisation) moves with the change.
pub(super) async fn recompute(
    txn: &impl ConnectionTrait,
    sheet: &ScoringSheet,
    org: &organisation::Model,
    current: &Model,
    expected: i32,
    change: impl FnOnce(&mut assessment::ActiveModel),
) -> Result<Model> {
    let stored = assessment_score::Entity::find()
        .filter(assessment_score::Column::AssessmentId.eq(current.id))
        .all(txn)
        .await?;
    let outcome = scoring::score(
        sheet.checklist.style,
        &sheet.criteria,
        &sheet.levels,
        &answers(&stored),
    );
    let mut next: assessment::ActiveModel = current.clone().into();
    next.total_points = Set(Some(outcome.total_points));
    next.result_rank = Set(outcome.result_rank);
    next.result_code = Set(outcome.result_code);
    change(&mut next);
    let saved = versioned::save::<Entity>(txn, current.id, next, expected).await?;
    tally::record(txn, &org.path, Some(current), Some(&saved)).await?;
    Ok(saved)
}
