//! Services: one module per aggregate. Each public function takes the database, the acting
//! [`Actor`](crate::access::Actor) and its input, reads through the scope, checks the write
//! policy, validates, writes in one transaction with its audit event, and returns domain values.

pub mod assessment;
pub mod audit_log;
pub mod checklist;
pub mod export;
pub mod idempotency;
pub mod legal_document;
pub mod lookup;
pub mod organisation;
pub mod program;
mod restructure;
pub mod scoring;
pub mod session;
pub mod statistics;
pub mod training;
pub mod user;
pub mod validate;
mod versioned;

pub use restructure::{merge_organisation, move_organisation};
