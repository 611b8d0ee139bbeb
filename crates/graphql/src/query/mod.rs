//! Query roots, one area per file, merged into [`Query`].

mod assessment;
mod checklist;
mod identity;
mod node;
mod organisation;
mod program;
mod training;

use async_graphql::MergedObject;

/// Everything that can be read. Every field returns only what the viewer may read: an object
/// outside the viewer's scope is indistinguishable from a missing one.
#[derive(MergedObject, Default)]
pub struct Query(
    assessment::AssessmentQuery,
    checklist::ChecklistQuery,
    identity::IdentityQuery,
    node::NodeQuery,
    organisation::OrganisationQuery,
    program::ProgramQuery,
    training::TrainingQuery,
);
