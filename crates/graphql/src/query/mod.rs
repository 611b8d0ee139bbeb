//! Query roots, one area per file, merged into [`Query`].

mod assessment;
mod checklist;
mod entity;
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

// The roots of `Query` plus the Apollo Federation entity resolvers, for the subgraph schema
// (keep both lists in step). Kept apart because async-graphql adds `_entities` and `_service`
// to any schema with entity resolvers, and the plain schema must not have them.
/// Everything that can be read. Every field returns only what the viewer may read: an object
/// outside the viewer's scope is indistinguishable from a missing one.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct FederatedQuery(
    assessment::AssessmentQuery,
    checklist::ChecklistQuery,
    identity::IdentityQuery,
    node::NodeQuery,
    organisation::OrganisationQuery,
    program::ProgramQuery,
    training::TrainingQuery,
    entity::EntityQuery,
);
