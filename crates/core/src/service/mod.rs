//! Services: one module per aggregate. Each public function takes the database, the acting
//! [`Actor`](crate::access::Actor) and its input, reads through the scope, checks the write
//! policy, validates, writes in one transaction with its audit event, and returns domain values.

pub mod organisation;
mod restructure;
pub mod validate;
mod versioned;

pub use restructure::{merge_organisation, move_organisation};
