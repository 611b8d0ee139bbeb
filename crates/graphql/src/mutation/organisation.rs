//! Creating, updating, archiving, moving and merging organisations.

use async_graphql::{Context, Object, SimpleObject};
use khuyenhoc_core::service::{self, organisation as org_service};

use crate::context::{actor, db};
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::organisation::{
    ArchiveOrganisationInput, CreateOrganisationInput, MergeOrganisationInput,
    MoveOrganisationInput, UpdateOrganisationInput,
};
use crate::object::payload::split;
use crate::object::{Organisation, UserError};

/// Result of a change to an organisation.
#[derive(SimpleObject)]
pub struct OrganisationPayload {
    /// The organisation after the change; `null` when `userErrors` is not empty.
    pub organisation: Option<Organisation>,
    /// Why the input was rejected; empty on success.
    pub user_errors: Vec<UserError>,
}

impl OrganisationPayload {
    fn from(
        result: khuyenhoc_core::Result<khuyenhoc_core::entity::organisation::Model>,
    ) -> async_graphql::Result<Self> {
        let (organisation, user_errors) = split(result)?;
        Ok(Self {
            organisation: organisation.map(Organisation),
            user_errors,
        })
    }
}

/// Organisation administration.
#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Adds an organisation under a parent the viewer administers.
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: CreateOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let actor = actor(ctx)?;
        let parent_id = decode(&input.parent_id, NodeType::Organisation, "parentId").api()?;
        let new = org_service::NewOrganisation {
            parent_id: Some(parent_id),
            code: input.code,
            name: input.name,
            short_name: input.short_name,
            kind: input.kind.into(),
            address: input.address,
            email: input.email,
            phone: input.phone,
        };
        OrganisationPayload::from(org_service::create(db(ctx)?, &actor, new).await)
    }

    /// Changes an organisation's own details (ADMIN of it or of an ancestor).
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: UpdateOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Organisation, "id").api()?;
        let changes = org_service::OrganisationChanges {
            version: input.version,
            name: input.name,
            short_name: input.short_name,
            address: input.address,
            email: input.email,
            phone: input.phone,
        };
        OrganisationPayload::from(org_service::update(db(ctx)?, &actor, id, changes).await)
    }

    /// Archives an organisation without active children (ADMIN of a strict ancestor).
    async fn archive_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: ArchiveOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Organisation, "id").api()?;
        OrganisationPayload::from(org_service::archive(db(ctx)?, &actor, id, input.version).await)
    }

    /// Moves an organisation and its whole subtree under a new parent, in one transaction.
    /// Access follows at once: the moved branch is read by its new ancestors only.
    async fn move_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: MoveOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Organisation, "id").api()?;
        let parent = decode(&input.new_parent_id, NodeType::Organisation, "newParentId").api()?;
        OrganisationPayload::from(
            service::move_organisation(db(ctx)?, &actor, id, parent, input.version).await,
        )
    }

    /// Merges one organisation into another of the same kind, in one transaction. Returns the
    /// merged (source) organisation, now `MERGED`, with `mergedInto` set.
    async fn merge_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: MergeOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let actor = actor(ctx)?;
        let source = decode(&input.source_id, NodeType::Organisation, "sourceId").api()?;
        let target = decode(&input.target_id, NodeType::Organisation, "targetId").api()?;
        OrganisationPayload::from(
            service::merge_organisation(db(ctx)?, &actor, source, target, input.version).await,
        )
    }
}
