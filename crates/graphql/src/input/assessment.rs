//! Inputs for listing assessments, candidacies and recognitions, and for the assessment cycle.

use async_graphql::{Enum, ID, InputObject};
use khuyenhoc_core::FieldError;
use khuyenhoc_core::service::assessment::{self as service, bulk, candidacy, subject};

use crate::enums::{AssessmentStatus, CandidacyStatus, LearningModel, OrderDirection, SubjectKind};
use crate::id::{NodeType, decode, decode_opt};
use crate::scalar::Date;

/// Narrows a list of assessments. Every filter narrows; none widens what the viewer may read.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AssessmentFilter {
    /// Only assessments in these states.
    pub statuses: Option<Vec<AssessmentStatus>>,
    /// Only assessments of these learning models.
    pub models: Option<Vec<LearningModel>>,
    /// Only assessments of this year.
    pub period_year: Option<i32>,
    /// Only assessments by organisations within this organisation's subtree.
    pub within_organisation: Option<ID>,
    /// Only assessments against this checklist version.
    pub checklist: Option<ID>,
    /// Text in the subject's name; case and diacritics ignored ("gia dinh an" finds
    /// "Gia đình ông Nguyễn Văn An").
    pub search: Option<String>,
    /// Only assessments with this result code, e.g. `MET`, `LEVEL_2`, or `NOT_MET`.
    pub result: Option<String>,
}

impl AssessmentFilter {
    /// The domain filter.
    pub fn to_domain(&self) -> Result<service::AssessmentFilter, khuyenhoc_core::Error> {
        Ok(service::AssessmentFilter {
            statuses: self
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|&s| s.into()).collect()),
            models: self
                .models
                .as_ref()
                .map(|m| m.iter().map(|&m| m.into()).collect()),
            period_year: self.period_year,
            within_organisation: decode_opt(
                self.within_organisation.as_ref(),
                NodeType::Organisation,
                "filter.withinOrganisation",
            )?,
            checklist_id: decode_opt(
                self.checklist.as_ref(),
                NodeType::CriteriaChecklist,
                "filter.checklist",
            )?,
            search: self.search.clone(),
            result: self.result.clone(),
        })
    }
}

/// Fields assessments can be sorted by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "service::AssessmentSort")]
pub enum AssessmentOrderField {
    /// When it was opened.
    #[default]
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Subject name, ignoring case and diacritics.
    SubjectName,
    /// Year assessed.
    PeriodYear,
}

/// How to sort assessments. Ties are broken by id.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct AssessmentOrder {
    /// The field to sort by.
    pub field: AssessmentOrderField,
    /// The direction. Default: `ASC`.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Narrows a list of candidacies.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CandidacyFilter {
    /// Only candidacies for this year.
    pub period_year: Option<i32>,
    /// Only candidacies for these learning models.
    pub models: Option<Vec<LearningModel>>,
    /// Only candidacies in these states.
    pub statuses: Option<Vec<CandidacyStatus>>,
    /// Only candidacies registered within this organisation's subtree.
    pub within_organisation: Option<ID>,
    /// Text in the subject's name; case and diacritics ignored.
    pub search: Option<String>,
}

impl CandidacyFilter {
    /// The domain filter.
    pub fn to_domain(&self) -> Result<candidacy::CandidacyFilter, khuyenhoc_core::Error> {
        Ok(candidacy::CandidacyFilter {
            period_year: self.period_year,
            models: self
                .models
                .as_ref()
                .map(|m| m.iter().map(|&m| m.into()).collect()),
            statuses: self
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|&s| s.into()).collect()),
            within_organisation: decode_opt(
                self.within_organisation.as_ref(),
                NodeType::Organisation,
                "filter.withinOrganisation",
            )?,
            search: self.search.clone(),
        })
    }
}

/// What is assessed or registered.
#[derive(InputObject, Debug, Clone)]
pub struct SubjectInput {
    /// The kind of subject; it must fit the learning model (a family for learning families, an
    /// organisation or a community for learning communities, …).
    pub kind: SubjectKind,
    /// For `ORGANISATION`: the organisation, within the assessing organisation's subtree.
    pub organisation_id: Option<ID>,
    /// For the other kinds: the name, e.g. "Gia đình ông Nguyễn Văn An".
    pub name: Option<String>,
}

impl SubjectInput {
    /// The domain input.
    pub fn to_domain(&self) -> Result<subject::SubjectInput, khuyenhoc_core::Error> {
        Ok(subject::SubjectInput {
            kind: self.kind.into(),
            organisation_id: decode_opt(
                self.organisation_id.as_ref(),
                NodeType::Organisation,
                "subject.organisationId",
            )?,
            name: self.name.clone(),
        })
    }
}

/// Opens an assessment in `DRAFT`.
#[derive(InputObject, Debug, Clone)]
pub struct CreateAssessmentInput {
    /// A published checklist version that applies to the assessing organisation.
    pub checklist_id: ID,
    /// The assessing organisation; you must edit for it.
    pub organisation_id: ID,
    /// What is assessed. One live assessment per subject, checklist code and year.
    pub subject: SubjectInput,
    /// The year assessed.
    pub period_year: i32,
    /// The candidacy it answers (same organisation, subject, model and year); it becomes
    /// `ASSESSED`.
    pub candidacy_id: Option<ID>,
}

impl CreateAssessmentInput {
    /// The domain input.
    pub fn to_domain(&self) -> Result<service::NewAssessment, khuyenhoc_core::Error> {
        Ok(service::NewAssessment {
            checklist_id: decode(
                &self.checklist_id,
                NodeType::CriteriaChecklist,
                "checklistId",
            )?,
            organisation_id: decode(
                &self.organisation_id,
                NodeType::Organisation,
                "organisationId",
            )?,
            subject: self.subject.to_domain()?,
            period_year: self.period_year,
            candidacy_id: decode_opt(
                self.candidacy_id.as_ref(),
                NodeType::Candidacy,
                "candidacyId",
            )?,
        })
    }
}

/// The answer to one criterion. Leave `points` and `met` out to clear it.
#[derive(InputObject, Debug, Clone)]
pub struct ScoreInput {
    /// The criterion's code on the checklist, e.g. `1.2`.
    pub criterion_code: String,
    /// Points sheets: points given, 0 to the criterion's maximum.
    pub points: Option<i32>,
    /// Indicator sheets: whether the indicator is met.
    pub met: Option<bool>,
    /// What evidence was checked (needed before submitting when the criterion requires
    /// evidence and the answer earns credit).
    pub evidence_note: Option<String>,
}

/// Answers to save on a draft or returned assessment.
#[derive(InputObject, Debug, Clone)]
pub struct SaveAssessmentScoresInput {
    /// The assessment.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// Answers; each replaces that criterion's answer, others are kept.
    pub scores: Vec<ScoreInput>,
}

impl SaveAssessmentScoresInput {
    /// The domain answers.
    pub fn scores(&self) -> Vec<service::ScoreInput> {
        domain_scores(&self.scores)
    }
}

fn domain_scores(scores: &[ScoreInput]) -> Vec<service::ScoreInput> {
    scores
        .iter()
        .map(|s| service::ScoreInput {
            criterion_code: s.criterion_code.clone(),
            points: s.points,
            met: s.met,
            evidence_note: s.evidence_note.clone(),
        })
        .collect()
}

/// Up to 1,000 assessments to open or answer in one request, all or nothing.
#[derive(InputObject, Debug, Clone)]
pub struct SaveAssessmentsInput {
    /// The rows, each one assessment. Row indexes in errors count from 0.
    pub rows: Vec<AssessmentRowInput>,
}

/// One row of a bulk save: with `id`, answers for an existing draft or returned assessment;
/// without, a new assessment (the fields of `createAssessment`) and, optionally, its first
/// answers.
#[derive(InputObject, Debug, Clone)]
pub struct AssessmentRowInput {
    /// An existing assessment to answer; leave out to open a new one.
    pub id: Option<ID>,
    /// With `id`: the `version` you read.
    pub version: Option<i32>,
    /// New assessments: a published checklist version that applies to the assessing
    /// organisation.
    pub checklist_id: Option<ID>,
    /// New assessments: the assessing organisation; you must edit for it.
    pub organisation_id: Option<ID>,
    /// New assessments: what is assessed.
    pub subject: Option<SubjectInput>,
    /// New assessments: the year assessed.
    pub period_year: Option<i32>,
    /// New assessments: the candidacy it answers.
    pub candidacy_id: Option<ID>,
    /// Answers; each replaces that criterion's answer, others are kept.
    #[graphql(default)]
    pub scores: Vec<ScoreInput>,
}

impl AssessmentRowInput {
    /// The domain row; a row that cannot be read becomes [`bulk::BulkRow::Invalid`] with all
    /// of its problems, so they are reported with the other rows'.
    pub fn to_domain(&self) -> bulk::BulkRow {
        let mut problems = Vec::new();
        let scores = domain_scores(&self.scores);
        if let Some(id) = &self.id {
            for (field, given) in [
                ("checklistId", self.checklist_id.is_some()),
                ("organisationId", self.organisation_id.is_some()),
                ("subject", self.subject.is_some()),
                ("periodYear", self.period_year.is_some()),
                ("candidacyId", self.candidacy_id.is_some()),
            ] {
                if given {
                    problems.push(not_applicable(field));
                }
            }
            let id = absorb(&mut problems, decode(id, NodeType::Assessment, "id"));
            if self.version.is_none() {
                problems.push(required("version", "give the version you read"));
            }
            return match (id, self.version) {
                (Some(id), Some(version)) if problems.is_empty() => bulk::BulkRow::Update {
                    id,
                    version,
                    scores,
                },
                _ => bulk::BulkRow::Invalid(problems),
            };
        }
        if self.version.is_some() {
            problems.push(not_applicable("version"));
        }
        let (Some(checklist_id), Some(organisation_id), Some(subject), Some(period_year)) = (
            self.checklist_id.as_ref(),
            self.organisation_id.as_ref(),
            self.subject.as_ref(),
            self.period_year,
        ) else {
            for (field, given) in [
                ("checklistId", self.checklist_id.is_some()),
                ("organisationId", self.organisation_id.is_some()),
                ("subject", self.subject.is_some()),
                ("periodYear", self.period_year.is_some()),
            ] {
                if !given {
                    problems.push(required(field, "a new assessment needs it (or give `id`)"));
                }
            }
            return bulk::BulkRow::Invalid(problems);
        };
        let create = CreateAssessmentInput {
            checklist_id: checklist_id.clone(),
            organisation_id: organisation_id.clone(),
            subject: subject.clone(),
            period_year,
            candidacy_id: self.candidacy_id.clone(),
        };
        match absorb(&mut problems, create.to_domain()) {
            Some(new) if problems.is_empty() => bulk::BulkRow::Create { new, scores },
            _ => bulk::BulkRow::Invalid(problems),
        }
    }
}

/// The value of `result`, or `None` with its field errors added to `problems`.
fn absorb<T>(
    problems: &mut Vec<FieldError>,
    result: Result<T, khuyenhoc_core::Error>,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(khuyenhoc_core::Error::Invalid(fields)) => {
            problems.extend(fields);
            None
        }
        Err(other) => {
            problems.push(FieldError::new("", other.code(), "this row cannot be read"));
            None
        }
    }
}

fn not_applicable(field: &str) -> FieldError {
    FieldError::new(
        field,
        "NOT_APPLICABLE",
        "a row with `id` only carries `version` and `scores`",
    )
}

fn required(field: &str, message: &str) -> FieldError {
    FieldError::new(field, "REQUIRED", message)
}

/// Moves an assessment one step with an optional comment.
#[derive(InputObject, Debug, Clone)]
pub struct AssessmentStepInput {
    /// The assessment.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// A comment kept in the workflow history.
    pub comment: Option<String>,
}

/// Returns a submitted assessment to its organisation.
#[derive(InputObject, Debug, Clone)]
pub struct ReturnAssessmentInput {
    /// The assessment.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// What must change (mandatory).
    pub comment: String,
}

/// The recognition decision an approver records, as written on the decision.
#[derive(InputObject, Debug, Clone)]
pub struct RecognitionDecisionInput {
    /// Its number, e.g. "15/QĐ-UBND".
    pub decision_number: String,
    /// Its date; validity and next-level dates follow from it.
    pub decided_on: Date,
    /// The recognising authority as written, e.g. "Ủy ban nhân dân phường Ba Đình".
    pub authority_name: String,
    /// The authority, when it is an organisation of the tree.
    pub authority_organisation_id: Option<ID>,
}

/// Approves a submitted assessment.
#[derive(InputObject, Debug, Clone)]
pub struct ApproveAssessmentInput {
    /// The assessment.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// A comment kept in the workflow history.
    pub comment: Option<String>,
    /// The recognition decision: required when the result is a passing level, refused when it
    /// is `NOT_MET`.
    pub decision: Option<RecognitionDecisionInput>,
}

impl ApproveAssessmentInput {
    /// The domain decision.
    pub fn decision(&self) -> Result<Option<service::DecisionInput>, khuyenhoc_core::Error> {
        self.decision
            .as_ref()
            .map(|d| {
                Ok(service::DecisionInput {
                    decision_number: d.decision_number.clone(),
                    decided_on: d.decided_on.0,
                    authority_name: d.authority_name.clone(),
                    authority_organisation_id: decode_opt(
                        d.authority_organisation_id.as_ref(),
                        NodeType::Organisation,
                        "decision.authorityOrganisationId",
                    )?,
                })
            })
            .transpose()
    }
}

/// Registers a candidate at the start of a year.
#[derive(InputObject, Debug, Clone)]
pub struct RegisterCandidacyInput {
    /// The registering organisation; you must edit for it.
    pub organisation_id: ID,
    /// The learning model aimed at.
    pub model: LearningModel,
    /// Who registers. One live candidacy per subject, model and year.
    pub subject: SubjectInput,
    /// The year.
    pub period_year: i32,
    /// The level aimed at (1–10). Default: 1.
    pub target_level: Option<i32>,
}

impl RegisterCandidacyInput {
    /// The domain input.
    pub fn to_domain(&self) -> Result<candidacy::NewCandidacy, khuyenhoc_core::Error> {
        Ok(candidacy::NewCandidacy {
            organisation_id: decode(
                &self.organisation_id,
                NodeType::Organisation,
                "organisationId",
            )?,
            model: self.model.into(),
            subject: self.subject.to_domain()?,
            period_year: self.period_year,
            target_level: self.target_level,
        })
    }
}
