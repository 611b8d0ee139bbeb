//! sea-orm entities: one module per table, plus the shared enums.
//!
//! Entities are plain row mappings. Nothing outside `crate::access` and the services may query
//! them for user-facing reads: reads go through the scoped constructors in
//! [`crate::access::scope`].

pub mod app_user;
pub mod assessment;
pub mod assessment_score;
pub mod assessment_transition;
pub mod audit_event;
pub mod candidacy;
pub mod checklist_result_level;
pub mod commitment;
pub mod criteria_checklist;
pub mod criteria_group;
pub mod criterion;
pub mod enums;
pub mod legal_document;
pub mod membership;
pub mod organisation;
pub mod program;
pub mod program_legal_basis;
pub mod program_party;
pub mod program_report;
pub mod recognition_decision;
pub mod registration;
pub mod report_indicator_value;
pub mod session_co_organiser;
pub mod session_connection_point;
pub mod session_speaker;
pub mod session_topic;
pub mod training_session;
