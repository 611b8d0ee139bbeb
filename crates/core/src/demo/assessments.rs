//! Inserts the assessments of [`super::assessment_table`]: scores for every criterion, the
//! result computed by [`crate::service::scoring::score`] (the code the server uses), the
//! workflow history, recognition decisions for approved results, and the year's candidacies.
//!
//! The assessing organisation's nearest ancestor with a demo ADMIN or EDITOR approves (or
//! returns); that user acts. The self-assessment of year Y is filed in January of Y + 1 (for
//! communes and units in February) and decided a month later.

use std::collections::HashMap;

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, NotSet, Set};

use super::assessment_table::{ASSESSMENTS, Answers, OPEN_CANDIDACIES, Subject};
use super::checklists::SeededChecklist;
use super::{Seeder, at, at_day, count, date, shift};
use crate::entity::enums::{
    AssessmentStatus as St, CandidacyStatus, ChecklistStyle, LearningModel, OrganisationKind,
    SubjectKind,
};
use crate::entity::{
    assessment, assessment_score, assessment_transition, candidacy, criterion, organisation,
    recognition_decision,
};
use crate::service::scoring::{self, Answer};
use crate::{Error, Result, search};

/// Seeds the assessments, then the candidacies that have none.
pub(super) async fn seed(
    seeder: &mut Seeder<'_>,
    checklists: &HashMap<&'static str, SeededChecklist>,
) -> Result<()> {
    for (n, (org, code, subject, year, status, answers, returned_before)) in
        ASSESSMENTS.iter().enumerate()
    {
        let checklist = checklists
            .get(code)
            .ok_or_else(|| Error::Internal(format!("demo checklist {code} missing")))?;
        let spec = Spec {
            n,
            org: seeder.org(org)?.clone(),
            checklist,
            subject: resolve(seeder, org, *subject)?,
            year: *year,
            status: *status,
            answers: *answers,
            returned_before: *returned_before,
        };
        seed_assessment(seeder, &spec).await?;
    }
    for (n, (org, model, subject, year, target, withdrawn)) in OPEN_CANDIDACIES.iter().enumerate() {
        let subject = resolve(seeder, org, *subject)?;
        let registered_on = date((*year, 1, 5 + u32::try_from(n % 20).unwrap_or(0)))?;
        let candidacy = NewCandidacy {
            organisation_id: seeder.org_id(org)?,
            model: *model,
            subject: &subject,
            year: *year,
            target_level: *target,
            registered_on,
            status: if *withdrawn {
                CandidacyStatus::Withdrawn
            } else {
                CandidacyStatus::Registered
            },
            changed_at: withdrawn.then(|| at((*year, 4, 1), 2)).transpose()?,
        };
        insert_candidacy(seeder, candidacy).await?;
    }
    Ok(())
}

/// A subject resolved against the seeded organisations.
struct ResolvedSubject {
    kind: SubjectKind,
    organisation_id: Option<i64>,
    name: String,
    key: String,
}

/// The kind, name and `subject_key` of `subject` as assessed by the organisation `org`.
fn resolve(seeder: &Seeder<'_>, org: &str, subject: Subject) -> Result<ResolvedSubject> {
    Ok(match subject {
        Subject::Organisation(code) => {
            let subject = seeder.org(code)?;
            ResolvedSubject {
                kind: SubjectKind::Organisation,
                organisation_id: Some(subject.id),
                name: subject.name.clone(),
                key: format!("org:{}", subject.id),
            }
        }
        Subject::Named(kind, name) => ResolvedSubject {
            kind,
            organisation_id: None,
            name: name.to_owned(),
            key: format!(
                "{}:{}:{}",
                seeder.org_id(org)?,
                kind.as_str(),
                search::normalize(name)
            ),
        },
    })
}

/// One assessment to write.
struct Spec<'a> {
    n: usize,
    org: organisation::Model,
    checklist: &'a SeededChecklist,
    subject: ResolvedSubject,
    year: i32,
    status: St,
    answers: Answers,
    returned_before: bool,
}

/// When things happened to an assessment of `year`.
struct Timeline {
    created: DateTime<Utc>,
    submitted: DateTime<Utc>,
    returned: DateTime<Utc>,
    resubmitted: DateTime<Utc>,
    decided_on: NaiveDate,
}

impl Timeline {
    fn of(spec: &Spec<'_>) -> Result<Self> {
        // Families file by mid-January, communes and units by the end of February.
        let month = if spec.subject.kind == SubjectKind::Organisation {
            2
        } else {
            1
        };
        let day = 2 + u32::try_from(spec.n % 10).unwrap_or(0);
        let filed = date((spec.year + 1, month, day))?;
        Ok(Self {
            created: at_day(filed, 2)?,
            submitted: at_day(shift(filed, 7)?, 3)?,
            returned: at_day(shift(filed, 14)?, 4)?,
            resubmitted: at_day(shift(filed, 20)?, 3)?,
            decided_on: shift(filed, 35)?,
        })
    }

    fn approved(&self) -> Result<DateTime<Utc>> {
        at_day(self.decided_on, 2)
    }
}

async fn seed_assessment(seeder: &mut Seeder<'_>, spec: &Spec<'_>) -> Result<()> {
    let checklist = &spec.checklist.checklist;
    let answers = answers(spec.checklist, spec.answers);
    let outcome = scoring::score(
        checklist.style,
        &spec.checklist.criteria,
        &spec.checklist.levels,
        &answers,
    );
    let time = Timeline::of(spec)?;
    let creator = seeder
        .acting_user(&spec.org)
        .ok_or_else(|| Error::Internal(format!("no demo user writes for {}", spec.org.code)))?;
    let (approver_org, approver) = seeder.approver_of(&spec.org)?;
    let submitted = spec.status != St::Draft;
    let approved = spec.status == St::Approved;
    let return_comment = match checklist.style {
        ChecklistStyle::Points => {
            "Đề nghị bổ sung minh chứng cho tiêu chí 1.1 (sổ theo dõi học tập)."
        }
        ChecklistStyle::Indicators => {
            "Hồ sơ thiếu minh chứng cho chỉ tiêu 1.1; đề nghị bổ sung nghị quyết, kế hoạch năm."
        }
    };
    // Families register as candidates at the start of the year; assessing one marks it.
    let candidacy_id = if spec.subject.kind == SubjectKind::Family && spec.year >= 2024 {
        let candidacy = NewCandidacy {
            organisation_id: spec.org.id,
            model: checklist.model,
            subject: &spec.subject,
            year: spec.year,
            target_level: 1,
            registered_on: date((spec.year, 1, 10))?,
            status: CandidacyStatus::Assessed,
            changed_at: Some(time.created),
        };
        Some(insert_candidacy(seeder, candidacy).await?)
    } else {
        None
    };
    let updated_at = match spec.status {
        St::Draft => time.created,
        St::Submitted if spec.returned_before => time.resubmitted,
        St::Submitted => time.submitted,
        St::Returned => time.returned,
        St::Approved => time.approved()?,
    };
    let created = assessment::ActiveModel {
        id: NotSet,
        checklist_id: Set(checklist.id),
        checklist_code: Set(checklist.code.clone()),
        model: Set(checklist.model),
        organisation_id: Set(spec.org.id),
        candidacy_id: Set(candidacy_id),
        subject_kind: Set(spec.subject.kind),
        subject_organisation_id: Set(spec.subject.organisation_id),
        subject_name: Set(spec.subject.name.clone()),
        subject_search: Set(search::normalize(&spec.subject.name)),
        subject_key: Set(spec.subject.key.clone()),
        period_year: Set(spec.year),
        status: Set(spec.status),
        total_points: Set(Some(outcome.total_points)),
        result_rank: Set(outcome.result_rank),
        result_code: Set(outcome.result_code.clone()),
        submitted_at: Set(submitted.then_some(if spec.returned_before {
            time.resubmitted
        } else {
            time.submitted
        })),
        approved_at: Set(approved.then(|| time.approved()).transpose()?),
        approved_by: Set(approved.then_some(approver)),
        approver_organisation_id: Set(approved.then_some(approver_org.id)),
        return_comment: Set((spec.status == St::Returned).then(|| return_comment.to_owned())),
        created_by: Set(Some(creator)),
        created_at: Set(time.created),
        updated_at: Set(updated_at),
        archived_at: Set(None),
        version: Set(count(
            1 + usize::from(submitted)
                + 2 * usize::from(spec.returned_before)
                + usize::from(matches!(spec.status, St::Approved | St::Returned)),
        )?),
    }
    .insert(seeder.txn)
    .await?;
    seeder.report.assessments += 1;

    let scores = spec.checklist.criteria.iter().map(|c| {
        score_row(
            created.id,
            c,
            answers.get(&c.id).copied().unwrap_or_default(),
        )
    });
    assessment_score::Entity::insert_many(scores)
        .exec_without_returning(seeder.txn)
        .await?;

    // The workflow history: who moved it from which state to which, when.
    let mut steps = vec![(None, St::Draft, creator, spec.org.id, None, time.created)];
    if submitted {
        steps.push((
            Some(St::Draft),
            St::Submitted,
            creator,
            spec.org.id,
            None,
            time.submitted,
        ));
    }
    if spec.returned_before || spec.status == St::Returned {
        steps.push((
            Some(St::Submitted),
            St::Returned,
            approver,
            approver_org.id,
            Some(return_comment),
            time.returned,
        ));
    }
    if spec.returned_before {
        steps.push((
            Some(St::Returned),
            St::Submitted,
            creator,
            spec.org.id,
            None,
            time.resubmitted,
        ));
    }
    if approved {
        steps.push((
            Some(St::Submitted),
            St::Approved,
            approver,
            approver_org.id,
            None,
            time.approved()?,
        ));
    }
    let transitions = steps
        .into_iter()
        .map(
            |(from, to, user, org, comment, when)| assessment_transition::ActiveModel {
                id: NotSet,
                assessment_id: Set(created.id),
                from_status: Set(from),
                to_status: Set(to),
                actor_user_id: Set(Some(user)),
                actor_organisation_id: Set(Some(org)),
                comment: Set(comment.map(str::to_owned)),
                occurred_at: Set(when),
            },
        );
    assessment_transition::Entity::insert_many(transitions)
        .exec_without_returning(seeder.txn)
        .await?;

    if approved && outcome.result_rank >= 1 {
        let (authority_name, authority_id) = authority(seeder, spec, &approver_org)?;
        let valid_months = u32::try_from(checklist.recognition_validity_months).unwrap_or(36);
        let wait_months = u32::try_from(checklist.next_level_wait_months).unwrap_or(12);
        let after = |months: u32| {
            time.decided_on
                .checked_add_months(Months::new(months))
                .ok_or_else(|| Error::Internal("demo recognition date out of range".into()))
        };
        recognition_decision::ActiveModel {
            id: NotSet,
            assessment_id: Set(created.id),
            organisation_id: Set(spec.org.id),
            decision_number: Set(format!("{}/QĐ-KH", 101 + spec.n)),
            decided_on: Set(time.decided_on),
            authority_name: Set(authority_name),
            authority_organisation_id: Set(authority_id),
            result_code: Set(outcome.result_code.clone()),
            result_label: Set(outcome.result_label.clone()),
            result_rank: Set(outcome.result_rank),
            valid_until: Set(after(valid_months)?),
            next_level_eligible_on: Set(after(wait_months)?),
            created_by: Set(Some(approver)),
            created_at: Set(time.approved()?),
        }
        .insert(seeder.txn)
        .await?;
    }
    Ok(())
}

/// Who signs the recognition (data, not code): the commune's People's Committee for families
/// and clans, the commune's Hội Khuyến học for citizens, the province's People's Committee for
/// communes and units.
fn authority(
    seeder: &Seeder<'_>,
    spec: &Spec<'_>,
    approver: &organisation::Model,
) -> Result<(String, Option<i64>)> {
    let locality = |org: &organisation::Model| {
        org.name
            .strip_prefix("Hội Khuyến học ")
            .unwrap_or(&org.name)
            .to_owned()
    };
    let commune = if spec.org.kind == OrganisationKind::Commune {
        spec.org.clone()
    } else {
        let parent = spec
            .org
            .parent_id
            .ok_or_else(|| Error::Internal(format!("{} has no parent", spec.org.code)))?;
        seeder.org_by_id(parent)?.clone()
    };
    Ok(match spec.subject.kind {
        SubjectKind::Organisation => (format!("Ủy ban nhân dân {}", locality(approver)), None),
        SubjectKind::Citizen => (commune.name.clone(), Some(commune.id)),
        _ => (format!("Ủy ban nhân dân {}", locality(&commune)), None),
    })
}

/// The answers for `how` against a checklist: points lost or indicators missed spread over the
/// criteria so each profile lands on a different result.
fn answers(checklist: &SeededChecklist, how: Answers) -> HashMap<i64, Answer> {
    let total = checklist.criteria.len();
    checklist
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let unanswered = how == Answers::Partial && i >= total - total / 3;
            let answer = match (checklist.checklist.style, unanswered) {
                (_, true) => Answer::default(),
                (ChecklistStyle::Points, false) => {
                    // Percent of the criterion's points lost, by profile and position.
                    let lost = match how {
                        Answers::Strong => [0, 0, 0, 0],
                        Answers::Good | Answers::Partial => [20, 10, 0, 30],
                        Answers::Weak => [40, 20, 30, 50],
                    }[i % 4];
                    let max = c.max_points.unwrap_or(0);
                    Answer {
                        points: Some(max - max * lost / 100),
                        met: None,
                    }
                }
                (ChecklistStyle::Indicators, false) => {
                    let level = c.required_from_level.unwrap_or(1);
                    let met = match how {
                        Answers::Strong => true,
                        Answers::Good | Answers::Partial => level < 2,
                        Answers::Weak => i != 0 && level < 2,
                    };
                    Answer {
                        points: None,
                        met: Some(met),
                    }
                }
            };
            (c.id, answer)
        })
        .collect()
}

/// The stored score of one criterion.
fn score_row(
    assessment_id: i64,
    criterion: &criterion::Model,
    answer: Answer,
) -> assessment_score::ActiveModel {
    let answered = answer.points.is_some() || answer.met.is_some();
    assessment_score::ActiveModel {
        id: NotSet,
        assessment_id: Set(assessment_id),
        criterion_id: Set(criterion.id),
        points: Set(answer.points),
        met: Set(answer.met),
        evidence_note: Set(criterion
            .evidence_rule
            .as_deref()
            .filter(|_| answered)
            .map(|rule| format!("Đã đối chiếu: {rule}"))),
    }
}

/// A candidacy to write.
struct NewCandidacy<'a> {
    organisation_id: i64,
    model: LearningModel,
    subject: &'a ResolvedSubject,
    year: i32,
    target_level: i32,
    registered_on: NaiveDate,
    status: CandidacyStatus,
    /// When its status last changed (withdrawn, or assessed).
    changed_at: Option<DateTime<Utc>>,
}

/// Inserts a candidacy; returns its id.
async fn insert_candidacy(seeder: &Seeder<'_>, new: NewCandidacy<'_>) -> Result<i64> {
    let created_at = at_day(new.registered_on, 2)?;
    let inserted = candidacy::ActiveModel {
        id: NotSet,
        organisation_id: Set(new.organisation_id),
        model: Set(new.model),
        subject_kind: Set(new.subject.kind),
        subject_organisation_id: Set(new.subject.organisation_id),
        subject_name: Set(new.subject.name.clone()),
        subject_search: Set(search::normalize(&new.subject.name)),
        subject_key: Set(new.subject.key.clone()),
        period_year: Set(new.year),
        target_level: Set(Some(new.target_level)),
        registered_on: Set(new.registered_on),
        status: Set(new.status),
        created_at: Set(created_at),
        updated_at: Set(new.changed_at.unwrap_or(created_at)),
        version: Set(if new.changed_at.is_some() { 2 } else { 1 }),
    }
    .insert(seeder.txn)
    .await?;
    Ok(inserted.id)
}
