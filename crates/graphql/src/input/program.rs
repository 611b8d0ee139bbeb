//! Inputs for listing and changing programs, parties, commitments and reports.

use async_graphql::{Enum, ID, InputObject};
use khuyenhoc_core::service::program as service;

use crate::enums::{OrderDirection, PartyRole, ProgramStatus, ReportKind, ReportStatus};
use crate::id::{NodeType, decode, decode_opt};
use crate::scalar::Date;

/// Narrows a list of programs. Every filter narrows; none widens what the viewer may read.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ProgramFilter {
    /// Only programs in these statuses.
    pub statuses: Option<Vec<ProgramStatus>>,
    /// Only programs owned within this organisation's subtree.
    pub within_organisation: Option<ID>,
    /// Only programs this organisation is a party to.
    pub partner: Option<ID>,
    /// Only programs still running on or after this date.
    pub active_from: Option<Date>,
    /// Only programs started on or before this date.
    pub active_to: Option<Date>,
    /// Text in the title or code; case and diacritics ignored.
    pub search: Option<String>,
    /// Include archived programs. Default: false.
    #[graphql(default)]
    pub include_archived: bool,
}

impl ProgramFilter {
    /// The domain filter.
    pub fn to_domain(&self) -> Result<service::ProgramFilter, khuyenhoc_core::Error> {
        Ok(service::ProgramFilter {
            statuses: self
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|&s| s.into()).collect()),
            within_organisation: decode_opt(
                self.within_organisation.as_ref(),
                NodeType::Organisation,
                "filter.withinOrganisation",
            )?,
            partner: decode_opt(
                self.partner.as_ref(),
                NodeType::Organisation,
                "filter.partner",
            )?,
            active_from: self.active_from.map(|d| d.0),
            active_to: self.active_to.map(|d| d.0),
            search: self.search.clone(),
            include_archived: self.include_archived,
        })
    }
}

/// Fields programs can be sorted by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "service::ProgramSort")]
pub enum ProgramOrderField {
    /// Start date.
    #[default]
    StartsOn,
    /// End date.
    EndsOn,
    /// Title, ignoring case and diacritics.
    Title,
    /// Code.
    Code,
    /// Creation time.
    CreatedAt,
}

/// How to sort programs. Ties are broken by id.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct ProgramOrder {
    /// The field to sort by.
    pub field: ProgramOrderField,
    /// The direction. Default: `ASC`.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Narrows a list of reports.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ProgramReportFilter {
    /// Only reports on these programs.
    pub programs: Option<Vec<ID>>,
    /// Only reports by organisations in this subtree.
    pub within_organisation: Option<ID>,
    /// Only these kinds.
    pub kinds: Option<Vec<ReportKind>>,
    /// Only these statuses.
    pub statuses: Option<Vec<ReportStatus>>,
    /// Only reports for this year.
    pub period_year: Option<i32>,
}

impl ProgramReportFilter {
    /// The domain filter.
    pub fn to_domain(&self) -> Result<service::ReportFilter, khuyenhoc_core::Error> {
        Ok(service::ReportFilter {
            program_ids: self
                .programs
                .as_ref()
                .map(|ids| {
                    ids.iter()
                        .map(|id| decode(id, NodeType::Program, "filter.programs"))
                        .collect()
                })
                .transpose()?,
            within_organisation: decode_opt(
                self.within_organisation.as_ref(),
                NodeType::Organisation,
                "filter.withinOrganisation",
            )?,
            kinds: self
                .kinds
                .as_ref()
                .map(|k| k.iter().map(|&k| k.into()).collect()),
            statuses: self
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|&s| s.into()).collect()),
            period_year: self.period_year,
        })
    }
}

/// Fields reports can be sorted by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "service::ReportSort")]
pub enum ProgramReportOrderField {
    /// Creation time.
    #[default]
    CreatedAt,
    /// Last change.
    UpdatedAt,
}

/// How to sort reports. Ties are broken by id.
#[derive(InputObject, Debug, Clone, Copy)]
pub struct ProgramReportOrder {
    /// The field to sort by.
    pub field: ProgramReportOrderField,
    /// The direction. Default: `DESC` (newest first).
    #[graphql(default_with = "OrderDirection::Desc")]
    pub direction: OrderDirection,
}

impl Default for ProgramReportOrder {
    fn default() -> Self {
        Self {
            field: ProgramReportOrderField::CreatedAt,
            direction: OrderDirection::Desc,
        }
    }
}

/// A new coordination program, created as `DRAFT`.
#[derive(InputObject, Debug, Clone)]
pub struct CreateProgramInput {
    /// The owner (central association or a branch); you must edit for it.
    pub owner_id: ID,
    /// Unique code, e.g. `CTPH-MOET-2021`.
    pub code: String,
    /// Title.
    pub title: String,
    /// Number of the signed agreement.
    pub agreement_number: Option<String>,
    /// Signing date.
    pub signed_on: Option<Date>,
    /// Signing place.
    pub signed_place: Option<String>,
    /// First day.
    pub starts_on: Date,
    /// Last day (not before the first).
    pub ends_on: Date,
    /// Objectives.
    pub objectives: Option<String>,
    /// Content areas.
    #[graphql(default)]
    pub content_areas: Vec<String>,
}

/// Changes to a program. Omitted fields keep their value.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateProgramInput {
    /// The program.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New agreement number.
    pub agreement_number: Option<String>,
    /// New signing date.
    pub signed_on: Option<Date>,
    /// New signing place.
    pub signed_place: Option<String>,
    /// New first day.
    pub starts_on: Option<Date>,
    /// New last day.
    pub ends_on: Option<Date>,
    /// New objectives.
    pub objectives: Option<String>,
    /// New content areas (replaces the list).
    pub content_areas: Option<Vec<String>>,
}

/// A status change: DRAFT → ACTIVE → COMPLETED, or DRAFT/ACTIVE → TERMINATED.
#[derive(InputObject, Debug, Clone)]
pub struct ChangeProgramStatusInput {
    /// The program.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// The new status.
    pub status: ProgramStatus,
    /// Why, when terminating (required then).
    pub reason: Option<String>,
}

/// Identifies a versioned object to act on.
#[derive(InputObject, Debug, Clone)]
pub struct VersionedInput {
    /// The object.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
}

/// Replaces the legal documents a program is based on.
#[derive(InputObject, Debug, Clone)]
pub struct SetProgramLegalBasisInput {
    /// The program.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// The legal documents.
    pub legal_document_ids: Vec<ID>,
}

/// Adds a party to a program.
#[derive(InputObject, Debug, Clone)]
pub struct AddProgramPartyInput {
    /// The program.
    pub program_id: ID,
    /// The program's `version` you read.
    pub version: i32,
    /// The organisation joining.
    pub organisation_id: ID,
    /// Its role (a `PARTNER` must be a partner body).
    pub role: PartyRole,
    /// Who signs for it.
    pub signatory_name: Option<String>,
    /// The signatory's title.
    pub signatory_title: Option<String>,
    /// Its duties.
    pub duties: Option<String>,
}

/// Removes a party (its commitments are archived).
#[derive(InputObject, Debug, Clone)]
pub struct RemoveProgramPartyInput {
    /// The party.
    pub party_id: ID,
    /// The program's `version` you read.
    pub version: i32,
}

/// A new commitment of a party.
#[derive(InputObject, Debug, Clone)]
pub struct CreateCommitmentInput {
    /// The committing party.
    pub party_id: ID,
    /// What is committed.
    pub description: String,
    /// The indicator measuring it.
    pub indicator: String,
    /// Unit, e.g. "người" or "%".
    pub unit: Option<String>,
    /// Target value (not negative).
    pub target_value: Option<f64>,
    /// Due date, within the program's period.
    pub due_on: Option<Date>,
}

/// Changes to a commitment.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateCommitmentInput {
    /// The commitment.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// New description.
    pub description: Option<String>,
    /// New indicator.
    pub indicator: Option<String>,
    /// New unit.
    pub unit: Option<String>,
    /// New target.
    pub target_value: Option<f64>,
    /// New due date.
    pub due_on: Option<Date>,
}

/// A value reported for one commitment's indicator.
#[derive(InputObject, Debug, Clone)]
pub struct IndicatorValueInput {
    /// The commitment.
    pub commitment_id: ID,
    /// The value reached.
    pub value: f64,
    /// A note.
    pub note: Option<String>,
}

impl IndicatorValueInput {
    fn to_domain(&self, i: usize) -> Result<service::IndicatorValueInput, khuyenhoc_core::Error> {
        Ok(service::IndicatorValueInput {
            commitment_id: decode(
                &self.commitment_id,
                NodeType::Commitment,
                &format!("indicatorValues.{i}.commitmentId"),
            )?,
            value: self.value,
            note: self.note.clone(),
        })
    }
}

/// Decodes a list of indicator values.
pub fn indicator_values(
    values: &[IndicatorValueInput],
) -> Result<Vec<service::IndicatorValueInput>, khuyenhoc_core::Error> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| v.to_domain(i))
        .collect()
}

/// A new draft report.
#[derive(InputObject, Debug, Clone)]
pub struct CreateProgramReportInput {
    /// The program reported on.
    pub program_id: ID,
    /// The reporting organisation: a party, or a branch within the owner's subtree.
    pub reporting_organisation_id: ID,
    /// Annual, mid-term or final.
    pub kind: ReportKind,
    /// The year (required for annual reports).
    pub period_year: Option<i32>,
    /// Title.
    pub title: String,
    /// Kết quả đạt được.
    pub achievements: Option<String>,
    /// Tồn tại, hạn chế.
    pub shortcomings: Option<String>,
    /// Đề xuất, kiến nghị.
    pub proposals: Option<String>,
    /// Values reached, per commitment.
    #[graphql(default)]
    pub indicator_values: Vec<IndicatorValueInput>,
}

/// Changes to a draft report.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateProgramReportInput {
    /// The report.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New achievements.
    pub achievements: Option<String>,
    /// New shortcomings.
    pub shortcomings: Option<String>,
    /// New proposals.
    pub proposals: Option<String>,
    /// New indicator values (replaces all).
    pub indicator_values: Option<Vec<IndicatorValueInput>>,
}
