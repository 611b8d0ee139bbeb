//! Inputs for listing, writing and versioning criteria checklists.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use khuyenhoc_core::service::checklist::{
    self as service, ChecklistStructure, CriterionSpec, GroupSpec, LevelSpec,
};

use crate::enums::{ChecklistStatus, ChecklistStyle, LearningModel, OrderDirection};
use crate::id::{NodeType, decode, decode_opt};

/// Narrows a list of checklists. Every filter narrows; none widens what the viewer may read.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CriteriaChecklistFilter {
    /// Only checklists for these learning models.
    pub models: Option<Vec<LearningModel>>,
    /// Only checklists in these statuses.
    pub statuses: Option<Vec<ChecklistStatus>>,
    /// Only checklists of these styles.
    pub styles: Option<Vec<ChecklistStyle>>,
    /// Only checklists owned within this organisation's subtree.
    pub within_organisation: Option<ID>,
    /// Text in the title or code; case and diacritics ignored.
    pub search: Option<String>,
}

impl CriteriaChecklistFilter {
    /// The domain filter.
    pub fn to_domain(&self) -> Result<service::ChecklistFilter, khuyenhoc_core::Error> {
        Ok(service::ChecklistFilter {
            models: self
                .models
                .as_ref()
                .map(|m| m.iter().map(|&m| m.into()).collect()),
            statuses: self
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|&s| s.into()).collect()),
            styles: self
                .styles
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

/// Fields checklists can be sorted by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "service::ChecklistSort")]
pub enum CriteriaChecklistOrderField {
    /// Code.
    #[default]
    Code,
    /// Title, ignoring case and diacritics.
    Title,
    /// Creation time.
    CreatedAt,
    /// Last change.
    UpdatedAt,
}

/// How to sort checklists. Ties are broken by id.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct CriteriaChecklistOrder {
    /// The field to sort by.
    pub field: CriteriaChecklistOrderField,
    /// The direction. Default: `ASC`.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// A result level a checklist awards. Levels are listed lowest first; the first has rank 1.
#[derive(InputObject, Debug, Clone)]
pub struct ResultLevelInput {
    /// Code, e.g. `MET` or `LEVEL_2`.
    pub code: String,
    /// Label, e.g. "Mức độ 2 (Tốt)".
    pub label: String,
    /// Points sheets: the total needed (at most the sheet's total, rising with the level).
    /// Indicator sheets: leave out.
    pub min_points: Option<i32>,
}

/// A criterion with points, or an indicator met or not.
#[derive(InputObject, Debug, Clone)]
pub struct CriterionInput {
    /// Code, unique in the checklist, e.g. `1.2`.
    pub code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Points sheets: the most points it gives (1–1000). Indicator sheets: leave out.
    pub max_points: Option<i32>,
    /// Points sheets: the fewest points a passing result needs on it.
    pub min_points: Option<i32>,
    /// Must be answered before submitting. Default: false.
    #[graphql(default)]
    pub required: bool,
    /// An answer earning credit needs an evidence note. Default: false.
    #[graphql(default)]
    pub evidence_required: bool,
    /// Which evidence is expected (required when `evidenceRequired`).
    pub evidence_rule: Option<String>,
    /// Indicator sheets: the level (rank) from which it is demanded. Default: 1.
    pub required_from_level: Option<i32>,
}

/// A group of criteria (points sheets) or a criterion made of indicators (indicator sheets).
#[derive(InputObject, Debug, Clone)]
pub struct CriteriaGroupInput {
    /// Code, unique in the checklist, e.g. `1`.
    pub code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Points sheets: the group's maximum; when given it must equal the sum of its criteria's.
    pub max_points: Option<i32>,
    /// Its criteria or indicators, in order (at least one).
    pub criteria: Vec<CriterionInput>,
}

impl ResultLevelInput {
    fn to_domain(&self) -> LevelSpec {
        LevelSpec {
            code: self.code.clone(),
            label: self.label.clone(),
            min_points: self.min_points,
        }
    }
}

impl CriteriaGroupInput {
    fn to_domain(&self) -> GroupSpec {
        GroupSpec {
            code: self.code.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            max_points: self.max_points,
            criteria: self
                .criteria
                .iter()
                .map(|c| CriterionSpec {
                    code: c.code.clone(),
                    title: c.title.clone(),
                    description: c.description.clone(),
                    max_points: c.max_points,
                    min_points: c.min_points,
                    required: c.required,
                    evidence_required: c.evidence_required,
                    evidence_rule: c.evidence_rule.clone(),
                    required_from_level: c.required_from_level,
                })
                .collect(),
        }
    }
}

fn levels(list: &[ResultLevelInput]) -> Vec<LevelSpec> {
    list.iter().map(ResultLevelInput::to_domain).collect()
}

fn groups(list: &[CriteriaGroupInput]) -> Vec<GroupSpec> {
    list.iter().map(CriteriaGroupInput::to_domain).collect()
}

/// A new draft checklist with its whole structure.
#[derive(InputObject, Debug, Clone)]
pub struct CreateCriteriaChecklistInput {
    /// The owner: the central association (national) or a provincial branch (local variant).
    pub owner_id: ID,
    /// A new code, shared by the versions to come, e.g. `GDHT-2027`.
    pub code: String,
    /// The learning model assessed.
    pub model: LearningModel,
    /// Points sheet or indicator sheet.
    pub style: ChecklistStyle,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// The legal document it implements.
    pub legal_document_id: Option<ID>,
    /// Months a recognition stays valid. Default: 36.
    #[graphql(default = 36)]
    pub recognition_validity_months: i32,
    /// Months after a recognition before the next level may be sought. Default: 12.
    #[graphql(default = 12)]
    pub next_level_wait_months: i32,
    /// Result levels, lowest first.
    pub result_levels: Vec<ResultLevelInput>,
    /// Groups with their criteria, in order.
    pub groups: Vec<CriteriaGroupInput>,
}

impl CreateCriteriaChecklistInput {
    /// The domain input.
    pub fn to_domain(&self) -> Result<service::NewChecklist, khuyenhoc_core::Error> {
        Ok(service::NewChecklist {
            owner_id: decode(&self.owner_id, NodeType::Organisation, "ownerId")?,
            code: self.code.clone(),
            model: self.model.into(),
            style: self.style.into(),
            title: self.title.clone(),
            description: self.description.clone(),
            legal_document_id: decode_opt(
                self.legal_document_id.as_ref(),
                NodeType::LegalDocument,
                "legalDocumentId",
            )?,
            recognition_validity_months: self.recognition_validity_months,
            next_level_wait_months: self.next_level_wait_months,
            structure: ChecklistStructure {
                levels: levels(&self.result_levels),
                groups: groups(&self.groups),
            },
        })
    }
}

/// Changes to a draft checklist. Omitted fields keep their value; `resultLevels` and `groups`,
/// when given, each replace the whole list. Published and retired checklists refuse every change
/// (`IMMUTABLE`).
#[derive(InputObject, Debug, Clone)]
pub struct UpdateCriteriaChecklistInput {
    /// The draft.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New description (blank clears).
    pub description: Option<String>,
    /// New legal document; `null` clears.
    pub legal_document_id: MaybeUndefined<ID>,
    /// New learning model.
    pub model: Option<LearningModel>,
    /// New style; the structure must fit it.
    pub style: Option<ChecklistStyle>,
    /// New validity in months.
    pub recognition_validity_months: Option<i32>,
    /// New waiting time in months.
    pub next_level_wait_months: Option<i32>,
    /// New result levels, lowest first.
    pub result_levels: Option<Vec<ResultLevelInput>>,
    /// New groups with their criteria.
    pub groups: Option<Vec<CriteriaGroupInput>>,
}

impl UpdateCriteriaChecklistInput {
    /// The checklist's row id and the domain changes.
    pub fn to_domain(&self) -> Result<(i64, service::ChecklistChanges), khuyenhoc_core::Error> {
        let id = decode(&self.id, NodeType::CriteriaChecklist, "id")?;
        let legal_document_id = match &self.legal_document_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(doc) => Some(Some(decode(
                doc,
                NodeType::LegalDocument,
                "legalDocumentId",
            )?)),
        };
        Ok((
            id,
            service::ChecklistChanges {
                version: self.version,
                title: self.title.clone(),
                description: self.description.clone(),
                legal_document_id,
                model: self.model.map(Into::into),
                style: self.style.map(Into::into),
                recognition_validity_months: self.recognition_validity_months,
                next_level_wait_months: self.next_level_wait_months,
                levels: self.result_levels.as_deref().map(levels),
                groups: self.groups.as_deref().map(groups),
            },
        ))
    }
}

/// Starts a new draft copied from an existing version: the next version of its code, or —
/// with a new `code` — version 1 of a variant (e.g. a province's local variant of a national
/// checklist, with that province as `ownerId`).
#[derive(InputObject, Debug, Clone)]
pub struct NewChecklistVersionInput {
    /// The version to copy.
    pub from: ID,
    /// A new code, for a variant. Default: the source's code (the next version).
    pub code: Option<String>,
    /// The variant's owner. Default: the source's owner (required for a next version).
    pub owner_id: Option<ID>,
}

impl NewChecklistVersionInput {
    /// The domain input.
    pub fn to_domain(&self) -> Result<service::NewChecklistVersion, khuyenhoc_core::Error> {
        Ok(service::NewChecklistVersion {
            from: decode(&self.from, NodeType::CriteriaChecklist, "from")?,
            code: self.code.clone(),
            owner_id: decode_opt(self.owner_id.as_ref(), NodeType::Organisation, "ownerId")?,
        })
    }
}
