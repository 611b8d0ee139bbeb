//! The closed vocabularies of the domain, stored as upper-case text (see the CHECK constraints in
//! the migrations). GraphQL mirrors them one to one.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares a text-backed enum whose variants are stored as their SCREAMING_SNAKE_CASE names.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($(#[$vmeta])* #[sea_orm(string_value = $text)] $variant),+
        }

        impl $name {
            /// The stored text of this value.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }
    };
}

text_enum! {
    /// What kind of body an organisation is, which fixes where it sits in its tree.
    OrganisationKind {
        /// Trung ương Hội: the root of the association tree.
        Central = "CENTRAL",
        /// Hội Khuyến học of a province or centrally-run city.
        Provincial = "PROVINCIAL",
        /// Hội Khuyến học of a commune, ward or special zone.
        Commune = "COMMUNE",
        /// Chi hội: a branch in a village, clan, school or religious group.
        LocalBranch = "LOCAL_BRANCH",
        /// Ban Khuyến học: the learning-promotion board of an agency, school or enterprise.
        LearningBoard = "LEARNING_BOARD",
        /// A partner body (ministry, union, media body): the root of its own tree.
        PartnerBody = "PARTNER_BODY",
        /// A department or unit of a partner body.
        PartnerUnit = "PARTNER_UNIT",
    }
}

impl OrganisationKind {
    /// Whether this kind belongs to a partner body's tree rather than the association's.
    pub fn is_partner(self) -> bool {
        matches!(self, Self::PartnerBody | Self::PartnerUnit)
    }

    /// Whether this kind is a root of a tree (has no parent).
    pub fn is_root(self) -> bool {
        matches!(self, Self::Central | Self::PartnerBody)
    }

    /// Whether an organisation of this kind may sit directly under one of `parent` kind.
    pub fn may_sit_under(self, parent: Self) -> bool {
        use OrganisationKind::*;
        match self {
            Central | PartnerBody => false,
            Provincial => parent == Central,
            Commune => parent == Provincial,
            LocalBranch | LearningBoard => matches!(parent, Central | Provincial | Commune),
            PartnerUnit => matches!(parent, PartnerBody | PartnerUnit),
        }
    }
}

text_enum! {
    /// Lifecycle of an organisation.
    OrganisationStatus {
        /// Operating.
        Active = "ACTIVE",
        /// Closed; kept for history.
        Archived = "ARCHIVED",
        /// Merged into another organisation (`merged_into_id`); kept so old references resolve.
        Merged = "MERGED",
    }
}

text_enum! {
    /// A role held through a membership.
    Role {
        /// Manages organisations, users and memberships in its subtree; edits records.
        Admin = "ADMIN",
        /// Creates and edits records in its subtree.
        Editor = "EDITOR",
        /// Reads.
        Viewer = "VIEWER",
        /// Reads, including the audit log.
        Auditor = "AUDITOR",
    }
}

text_enum! {
    /// Whether a user may sign in.
    UserStatus {
        /// May sign in.
        Active = "ACTIVE",
        /// May not sign in; existing tokens stop working at once.
        Disabled = "DISABLED",
    }
}

text_enum! {
    /// Type of a legal document.
    LegalDocumentType {
        /// Chỉ thị.
        Directive = "DIRECTIVE",
        /// Kết luận.
        Conclusion = "CONCLUSION",
        /// Nghị quyết.
        Resolution = "RESOLUTION",
        /// Quyết định.
        Decision = "DECISION",
        /// Thông tư.
        Circular = "CIRCULAR",
        /// Nghị định.
        Decree = "DECREE",
        /// Hướng dẫn.
        Guidance = "GUIDANCE",
        /// Công văn.
        OfficialLetter = "OFFICIAL_LETTER",
    }
}

text_enum! {
    /// Lifecycle of a coordination program.
    ProgramStatus {
        /// Being drafted; not yet signed.
        Draft = "DRAFT",
        /// Signed and running.
        Active = "ACTIVE",
        /// Ran to its end.
        Completed = "COMPLETED",
        /// Ended early.
        Terminated = "TERMINATED",
    }
}

text_enum! {
    /// The side a party takes in a program.
    PartyRole {
        /// The association side (central or a branch).
        Association = "ASSOCIATION",
        /// A partner body that signed the program.
        Partner = "PARTNER",
        /// A body that coordinates without signing.
        Coordinator = "COORDINATOR",
    }
}

text_enum! {
    /// Kind of a program result report.
    ReportKind {
        /// Yearly report.
        Annual = "ANNUAL",
        /// Sơ kết: mid-term review.
        MidTerm = "MID_TERM",
        /// Tổng kết: final review.
        Final = "FINAL",
    }
}

text_enum! {
    /// Workflow state of a program result report.
    ReportStatus {
        /// Being written by the reporting organisation.
        Draft = "DRAFT",
        /// Sent to the program owner.
        Submitted = "SUBMITTED",
        /// Acknowledged by the program owner.
        Acknowledged = "ACKNOWLEDGED",
    }
}

text_enum! {
    /// How a training session is delivered.
    SessionMode {
        /// At a venue.
        InPerson = "IN_PERSON",
        /// Online, possibly with many connection points.
        Online = "ONLINE",
        /// Both.
        Hybrid = "HYBRID",
    }
}

text_enum! {
    /// Lifecycle of a training session.
    SessionStatus {
        /// Scheduled.
        Planned = "PLANNED",
        /// Took place.
        Held = "HELD",
        /// Called off.
        Cancelled = "CANCELLED",
    }
}

text_enum! {
    /// Who a training session is for.
    Audience {
        /// Key staff of all levels.
        KeyStaff = "KEY_STAFF",
        /// Commune-level staff.
        CommuneStaff = "COMMUNE_STAFF",
        /// Heads of chi hội.
        BranchHeads = "BRANCH_HEADS",
        /// Members of Ban Khuyến học.
        BoardMembers = "BOARD_MEMBERS",
        /// Staff of partner bodies.
        PartnerStaff = "PARTNER_STAFF",
        /// Members at large.
        Members = "MEMBERS",
    }
}

text_enum! {
    /// State of a registration for a training session.
    RegistrationStatus {
        /// Holds a place.
        Registered = "REGISTERED",
        /// Gave the place back.
        Cancelled = "CANCELLED",
    }
}

text_enum! {
    /// The learning models of Quyết định 387/QĐ-TTg.
    LearningModel {
        /// Gia đình học tập.
        LearningFamily = "LEARNING_FAMILY",
        /// Dòng họ học tập.
        LearningClan = "LEARNING_CLAN",
        /// Cộng đồng học tập.
        LearningCommunity = "LEARNING_COMMUNITY",
        /// Đơn vị học tập.
        LearningUnit = "LEARNING_UNIT",
        /// Công dân học tập.
        LearningCitizen = "LEARNING_CITIZEN",
    }
}

text_enum! {
    /// How a checklist is scored.
    ChecklistStyle {
        /// Criteria with points; result levels by total.
        Points = "POINTS",
        /// Criteria made of indicators met or not; result levels by which indicators are met.
        Indicators = "INDICATORS",
    }
}

text_enum! {
    /// Lifecycle of a checklist version.
    ChecklistStatus {
        /// Editable.
        Draft = "DRAFT",
        /// In force; immutable.
        Published = "PUBLISHED",
        /// No longer used for new assessments.
        Retired = "RETIRED",
    }
}

text_enum! {
    /// What is being assessed.
    SubjectKind {
        /// An organisation of the tree (a unit, a commune as a learning community, …).
        Organisation = "ORGANISATION",
        /// A named family.
        Family = "FAMILY",
        /// A named clan.
        Clan = "CLAN",
        /// A named community (village, residential group).
        Community = "COMMUNITY",
        /// A named citizen.
        Citizen = "CITIZEN",
    }
}

text_enum! {
    /// Workflow state of an assessment.
    AssessmentStatus {
        /// Being filled in by the assessing organisation.
        Draft = "DRAFT",
        /// Sent up for approval.
        Submitted = "SUBMITTED",
        /// Approved by an ancestor organisation; locked.
        Approved = "APPROVED",
        /// Sent back with a comment; editable again.
        Returned = "RETURNED",
    }
}

text_enum! {
    /// State of a candidacy registered at the start of the year.
    CandidacyStatus {
        /// Registered as a candidate.
        Registered = "REGISTERED",
        /// Withdrawn by the organisation.
        Withdrawn = "WITHDRAWN",
        /// An assessment has been opened for it.
        Assessed = "ASSESSED",
    }
}
