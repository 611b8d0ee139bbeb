//! Mutation roots, one area per file, merged into [`Mutation`].
//!
//! Every mutation takes one `input` and returns a payload with the changed object and
//! `userErrors`; authentication, authorisation, not-found and conflicts are GraphQL errors
//! with `extensions.code`.

mod assessment;
mod checklist;
mod identity;
mod organisation;
mod program;
mod training;

use async_graphql::MergedObject;

/// Everything that can be changed. Each change is checked against the viewer's roles, written
/// in one transaction, and recorded in the audit log.
#[derive(MergedObject, Default)]
pub struct Mutation(
    assessment::AssessmentMutation,
    checklist::ChecklistMutation,
    identity::IdentityMutation,
    organisation::OrganisationMutation,
    program::ProgramMutation,
    training::TrainingMutation,
);
