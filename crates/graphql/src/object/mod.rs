//! Output types: one GraphQL type (or a small family) per file.

pub mod assessment;
pub mod audit_event;
pub mod checklist;
pub mod legal_document;
pub mod node;
pub mod organisation;
pub mod payload;
pub mod program;
pub mod statistics;
pub mod training;
pub mod user;
pub mod viewer_can;

pub use assessment::{
    Assessment, AssessmentConnection, Candidacy, CandidacyConnection, RecognitionDecision,
    RecognitionDecisionConnection,
};
pub use audit_event::{AuditEvent, AuditEventConnection};
pub use checklist::{CriteriaChecklist, CriteriaChecklistConnection};
pub use legal_document::{LegalDocument, LegalDocumentConnection};
pub use node::Node;
pub use organisation::{Organisation, OrganisationConnection};
pub use payload::UserError;
pub use program::{
    Program, ProgramConnection, ProgramParty, ProgramReport, ProgramReportConnection,
};
pub use training::{Registration, TrainingSession, TrainingSessionConnection};
pub use user::{Membership, User, UserConnection, Viewer};
