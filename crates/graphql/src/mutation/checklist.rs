//! Writing, publishing, retiring and versioning criteria checklists.

use async_graphql::{Context, Object, SimpleObject};
use khuyenhoc_core::service::checklist as service;

use crate::context::{actor, db};
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::checklist::{
    CreateCriteriaChecklistInput, NewChecklistVersionInput, UpdateCriteriaChecklistInput,
};
use crate::input::program::VersionedInput;
use crate::object::payload::split;
use crate::object::{CriteriaChecklist, UserError};

/// Result of a change to a checklist.
#[derive(SimpleObject)]
pub struct CriteriaChecklistPayload {
    /// The checklist after the change; `null` when `userErrors` is not empty.
    pub checklist: Option<CriteriaChecklist>,
    /// Why the input was rejected (e.g. `THRESHOLD_ABOVE_TOTAL`, `IMMUTABLE`); empty on success.
    pub user_errors: Vec<UserError>,
}

fn payload(
    r: khuyenhoc_core::Result<khuyenhoc_core::entity::criteria_checklist::Model>,
) -> async_graphql::Result<CriteriaChecklistPayload> {
    let (checklist, user_errors) = split(r)?;
    Ok(CriteriaChecklistPayload {
        checklist: checklist.map(CriteriaChecklist),
        user_errors,
    })
}

/// Checklist mutations.
#[derive(Default)]
pub struct ChecklistMutation;

#[Object]
impl ChecklistMutation {
    /// Creates a draft checklist with its whole structure, owned by the central association or
    /// a provincial branch you edit for.
    async fn create_criteria_checklist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: CreateCriteriaChecklistInput,
    ) -> async_graphql::Result<CriteriaChecklistPayload> {
        let actor = actor(ctx)?;
        let new = input.to_domain().api()?;
        payload(service::create(db(ctx)?, &actor, new).await)
    }

    /// Changes a draft checklist; published and retired ones refuse every change (`IMMUTABLE`).
    async fn update_criteria_checklist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: UpdateCriteriaChecklistInput,
    ) -> async_graphql::Result<CriteriaChecklistPayload> {
        let actor = actor(ctx)?;
        let (id, changes) = input.to_domain().api()?;
        payload(service::update(db(ctx)?, &actor, id, changes).await)
    }

    /// Publishes a draft: it becomes immutable and assessments may use it.
    async fn publish_criteria_checklist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<CriteriaChecklistPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::CriteriaChecklist, "id").api()?;
        payload(service::publish(db(ctx)?, &actor, id, input.version).await)
    }

    /// Retires a published checklist: kept for its assessments, closed to new ones.
    async fn retire_criteria_checklist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<CriteriaChecklistPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::CriteriaChecklist, "id").api()?;
        payload(service::retire(db(ctx)?, &actor, id, input.version).await)
    }

    /// Copies a checklist version into a new draft derived from it: the next version of its
    /// code, or version 1 of a variant with a new code.
    async fn new_checklist_version(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: NewChecklistVersionInput,
    ) -> async_graphql::Result<CriteriaChecklistPayload> {
        let actor = actor(ctx)?;
        let new = input.to_domain().api()?;
        payload(service::new_version(db(ctx)?, &actor, new).await)
    }
}
