//! GraphQL mirrors of the domain's closed vocabularies (`khuyenhoc_core::entity::enums`),
//! converted both ways by async-graphql's `remote` enums.

use async_graphql::Enum;
use khuyenhoc_core::entity::enums as core;

/// What kind of body an organisation is, which fixes where it sits in its tree.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::OrganisationKind")]
pub enum OrganisationKind {
    /// Trung ương Hội: the root of the association tree.
    Central,
    /// Hội Khuyến học of a province or centrally-run city.
    Provincial,
    /// Hội Khuyến học of a commune, ward or special zone.
    Commune,
    /// Chi hội: a branch in a village, clan, school or religious group.
    LocalBranch,
    /// Ban Khuyến học: the learning-promotion board of an agency, school or enterprise.
    LearningBoard,
    /// A partner body (ministry, union, media body): the root of its own tree.
    PartnerBody,
    /// A department or unit of a partner body.
    PartnerUnit,
}

/// Lifecycle of an organisation.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::OrganisationStatus")]
pub enum OrganisationStatus {
    /// Operating.
    Active,
    /// Closed; kept for history.
    Archived,
    /// Merged into another organisation (``mergedInto``); kept so old references resolve.
    Merged,
}

/// A role held through a membership.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::Role")]
pub enum Role {
    /// Manages organisations, users and memberships in its subtree; edits records.
    Admin,
    /// Creates and edits records in its subtree.
    Editor,
    /// Reads.
    Viewer,
    /// Reads, including the audit log.
    Auditor,
}

/// Whether a user may sign in.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::UserStatus")]
pub enum UserStatus {
    /// May sign in.
    Active,
    /// May not sign in; existing tokens stop working at once.
    Disabled,
}

/// Type of a legal document.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::LegalDocumentType")]
pub enum LegalDocumentType {
    /// Chỉ thị.
    Directive,
    /// Kết luận.
    Conclusion,
    /// Nghị quyết.
    Resolution,
    /// Quyết định.
    Decision,
    /// Thông tư.
    Circular,
    /// Nghị định.
    Decree,
    /// Hướng dẫn.
    Guidance,
    /// Công văn.
    OfficialLetter,
}

/// Lifecycle of a coordination program.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::ProgramStatus")]
pub enum ProgramStatus {
    /// Being drafted; not yet signed.
    Draft,
    /// Signed and running.
    Active,
    /// Ran to its end.
    Completed,
    /// Ended early.
    Terminated,
}

/// The side a party takes in a program.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::PartyRole")]
pub enum PartyRole {
    /// The association side (central or a branch).
    Association,
    /// A partner body that signed the program.
    Partner,
    /// A body that coordinates without signing.
    Coordinator,
}

/// Kind of a program result report.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::ReportKind")]
pub enum ReportKind {
    /// Yearly report.
    Annual,
    /// Sơ kết: mid-term review.
    MidTerm,
    /// Tổng kết: final review.
    Final,
}

/// Workflow state of a program result report.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::ReportStatus")]
pub enum ReportStatus {
    /// Being written by the reporting organisation.
    Draft,
    /// Sent to the program owner.
    Submitted,
    /// Acknowledged by the program owner.
    Acknowledged,
}

/// How a training session is delivered.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::SessionMode")]
pub enum SessionMode {
    /// At a venue.
    InPerson,
    /// Online, possibly with many connection points.
    Online,
    /// Both.
    Hybrid,
}

/// Lifecycle of a training session.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::SessionStatus")]
pub enum SessionStatus {
    /// Scheduled.
    Planned,
    /// Took place.
    Held,
    /// Called off.
    Cancelled,
}

/// Who a training session is for.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::Audience")]
pub enum Audience {
    /// Key staff of all levels.
    KeyStaff,
    /// Commune-level staff.
    CommuneStaff,
    /// Heads of chi hội.
    BranchHeads,
    /// Members of Ban Khuyến học.
    BoardMembers,
    /// Staff of partner bodies.
    PartnerStaff,
    /// Members at large.
    Members,
}

/// State of a registration for a training session.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::RegistrationStatus")]
pub enum RegistrationStatus {
    /// Holds a place.
    Registered,
    /// Gave the place back.
    Cancelled,
}

/// The learning models of Quyết định 387/QĐ-TTg.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::LearningModel")]
pub enum LearningModel {
    /// Gia đình học tập.
    LearningFamily,
    /// Dòng họ học tập.
    LearningClan,
    /// Cộng đồng học tập.
    LearningCommunity,
    /// Đơn vị học tập.
    LearningUnit,
    /// Công dân học tập.
    LearningCitizen,
}

/// How a checklist is scored.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::ChecklistStyle")]
pub enum ChecklistStyle {
    /// Criteria with points; result levels by total.
    Points,
    /// Criteria made of indicators met or not; result levels by which indicators are met.
    Indicators,
}

/// Lifecycle of a checklist version.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::ChecklistStatus")]
pub enum ChecklistStatus {
    /// Editable.
    Draft,
    /// In force; immutable.
    Published,
    /// No longer used for new assessments.
    Retired,
}

/// What is being assessed.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::SubjectKind")]
pub enum SubjectKind {
    /// An organisation of the tree (a unit, a commune as a learning community, …).
    Organisation,
    /// A named family.
    Family,
    /// A named clan.
    Clan,
    /// A named community (village, residential group).
    Community,
    /// A named citizen.
    Citizen,
}

/// Workflow state of an assessment.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::AssessmentStatus")]
pub enum AssessmentStatus {
    /// Being filled in by the assessing organisation.
    Draft,
    /// Sent up for approval.
    Submitted,
    /// Approved by an ancestor organisation; locked.
    Approved,
    /// Sent back with a comment; editable again.
    Returned,
}

/// State of a candidacy registered at the start of the year.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(remote = "core::CandidacyStatus")]
pub enum CandidacyStatus {
    /// Registered as a candidate.
    Registered,
    /// Withdrawn by the organisation.
    Withdrawn,
    /// An assessment has been opened for it.
    Assessed,
}
/// Direction of a sort.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OrderDirection {
    /// Smallest, earliest or A first.
    #[default]
    Asc,
    /// Largest, latest or Z first.
    Desc,
}

impl OrderDirection {
    /// Whether this is descending.
    pub fn is_desc(self) -> bool {
        self == Self::Desc
    }
}
