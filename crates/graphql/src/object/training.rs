//! `TrainingSession` and its parts: topics, speakers, connection points, registrations.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::{
    legal_document, program, registration, session_connection_point, session_speaker,
    session_topic, training_session,
};
use khuyenhoc_core::page::Page;
use khuyenhoc_core::service::training::OrganisationCount;

use super::program::{Program, organisation};
use super::{LegalDocument, Organisation};
use crate::connection::{Total, page_request};
use crate::context::{loader, max_page};
use crate::enums::{Audience, RegistrationStatus, SessionMode, SessionStatus};
use crate::error::IntoApi;
use crate::id::{NodeType, encode};
use crate::input::training::{RegistrationFilter, TrainingSessionFilter, TrainingSessionOrder};
use crate::loader::ById;
use crate::loader::training::{
    CoOrganisersOf, ConnectionPointsOf, CountsByOrganisationOf, RegistrationListArgs,
    RegistrationsOf, SessionListArgs, SpeakersOf, TopicsOf,
};
use crate::scalar::DateTime;

/// A training session (tập huấn) organised by a branch, possibly for a program.
#[derive(Debug, Clone)]
pub struct TrainingSession(pub training_session::Model);

crate::connection!(
    TrainingSessionConnection,
    TrainingSessionEdge,
    TrainingSession,
    "A page of training sessions.",
    "A training session in a page, with its cursor."
);

/// A training session (tập huấn) organised by a branch, possibly for a program.
#[Object]
impl TrainingSession {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::TrainingSession, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::TrainingSessionViewerCan> {
        crate::object::viewer_can::training_session(ctx, &self.0).await
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Description.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The organising organisation.
    async fn organiser(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.organiser_id).await
    }

    /// Co-organising organisations the viewer may read.
    async fn co_organisers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let ids = loader(ctx)?
            .load_one(CoOrganisersOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        let keys = ids
            .iter()
            .map(|id| ById::<khuyenhoc_core::entity::organisation::Entity>::of(*id));
        let mut found = loader(ctx)?.load_many(keys).await.api()?;
        Ok(ids
            .iter()
            .filter_map(|id| found.remove(&ById::of(*id)))
            .map(Organisation)
            .collect())
    }

    /// The program it serves, if any (and readable).
    async fn program(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Program>> {
        let Some(id) = self.0.program_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<program::Entity>::of(id))
            .await
            .api()?
            .map(Program))
    }

    /// Who it is for.
    async fn audience(&self) -> Vec<Audience> {
        serde_json::from_value::<Vec<khuyenhoc_core::entity::enums::Audience>>(
            self.0.audience.clone(),
        )
        .unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect()
    }

    /// Delivery mode.
    async fn mode(&self) -> SessionMode {
        self.0.mode.into()
    }

    /// Venue.
    async fn venue(&self) -> Option<&str> {
        self.0.venue.as_deref()
    }

    /// Online link.
    async fn online_url(&self) -> Option<&str> {
        self.0.online_url.as_deref()
    }

    /// Start.
    async fn starts_at(&self) -> DateTime {
        self.0.starts_at.into()
    }

    /// End.
    async fn ends_at(&self) -> DateTime {
        self.0.ends_at.into()
    }

    /// Seats; `null` for no limit.
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }

    /// Seats left; `null` for no limit.
    async fn seats_left(&self) -> Option<i32> {
        self.0
            .capacity
            .map(|c| (c - self.0.registered_count).max(0))
    }

    /// Planned participants.
    async fn planned_participants(&self) -> Option<i32> {
        self.0.planned_participants
    }

    /// Lifecycle status.
    async fn status(&self) -> SessionStatus {
        self.0.status.into()
    }

    /// Why it was cancelled.
    async fn cancellation_reason(&self) -> Option<&str> {
        self.0.cancellation_reason.as_deref()
    }

    /// Live registrations.
    async fn registered_count(&self) -> i32 {
        self.0.registered_count
    }

    /// Registrations marked as attended.
    async fn attended_count(&self) -> i32 {
        self.0.attended_count
    }

    /// Registered and attended, by the participants' organisation.
    async fn participation_by_organisation(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<OrganisationParticipation>> {
        let rows = loader(ctx)?
            .load_one(CountsByOrganisationOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(OrganisationParticipation).collect())
    }

    /// Topics, in order.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SessionTopic>> {
        let rows = loader(ctx)?
            .load_one(TopicsOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(SessionTopic).collect())
    }

    /// Speakers, in order.
    async fn speakers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SessionSpeaker>> {
        let rows = loader(ctx)?
            .load_one(SpeakersOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(SessionSpeaker).collect())
    }

    /// Connection points, in order.
    async fn connection_points(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ConnectionPoint>> {
        let rows = loader(ctx)?
            .load_one(ConnectionPointsOf(self.0.id))
            .await
            .api()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(ConnectionPoint).collect())
    }

    /// Registrations, oldest first. Loaded for all sessions of a query at once.
    #[allow(clippy::too_many_arguments)]
    async fn registrations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<RegistrationFilter>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<RegistrationConnection> {
        let args = RegistrationListArgs {
            filter: filter.unwrap_or_default().to_domain(),
            page: page_request(first, after, last, before).api()?,
        };
        args.page.size(max_page(ctx)).api()?;
        let key = RegistrationsOf {
            parent: self.0.id,
            args: Arc::new(args),
        };
        let (page, total) = loader(ctx)?
            .load_one(key)
            .await
            .api()?
            .unwrap_or_else(|| (Page::empty(), 0));
        Ok(RegistrationConnection::new(
            page,
            Total::Known(total),
            Registration,
        ))
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }

    /// When it was archived, if it was.
    async fn archived_at(&self) -> Option<DateTime> {
        self.0.archived_at.map(Into::into)
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A topic of a session.
#[derive(Debug, Clone)]
pub struct SessionTopic(pub session_topic::Model);

/// A topic of a session.
#[Object]
impl SessionTopic {
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The legal document it covers.
    async fn legal_document(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<LegalDocument>> {
        let Some(id) = self.0.legal_document_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<legal_document::Entity>::of(id))
            .await
            .api()?
            .map(LegalDocument))
    }
}

/// A speaker at a session.
#[derive(Debug, Clone)]
pub struct SessionSpeaker(pub session_speaker::Model);

/// A speaker at a session.
#[Object]
impl SessionSpeaker {
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Title or position.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    /// Organisation or affiliation.
    async fn affiliation(&self) -> Option<&str> {
        self.0.affiliation.as_deref()
    }
}

/// A place connected to an online or hybrid session (điểm cầu).
#[derive(Debug, Clone)]
pub struct ConnectionPoint(pub session_connection_point::Model);

/// A place connected to an online or hybrid session (điểm cầu).
#[Object]
impl ConnectionPoint {
    /// Opaque id (use it when registering someone at this point).
    async fn id(&self) -> ID {
        encode(NodeType::ConnectionPoint, self.0.id)
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }

    /// Hosting organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        organisation(ctx, id).await
    }

    /// Expected participants there.
    async fn expected_participants(&self) -> Option<i32> {
        self.0.expected_participants
    }
}

/// Registered and attended participants of one organisation at one session.
#[derive(Debug, Clone)]
pub struct OrganisationParticipation(pub OrganisationCount);

/// Registered and attended participants of one organisation at one session.
#[Object]
impl OrganisationParticipation {
    /// The organisation, when participants registered with one in the system.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        organisation(ctx, id).await
    }

    /// The organisation's name as written, otherwise.
    async fn organisation_name(&self) -> Option<&str> {
        self.0.organisation_name.as_deref()
    }

    /// Live registrations.
    async fn registered(&self) -> i64 {
        self.0.registered
    }

    /// Of which attended.
    async fn attended(&self) -> i64 {
        self.0.attended
    }
}

/// A person registered for a session.
#[derive(Debug, Clone)]
pub struct Registration(pub registration::Model);

crate::connection!(
    RegistrationConnection,
    RegistrationEdge,
    Registration,
    "A page of registrations.",
    "A registration in a page, with its cursor."
);

/// A person registered for a session.
#[Object]
impl Registration {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::Registration, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::RegistrationViewerCan> {
        crate::object::viewer_can::registration(ctx, &self.0).await
    }

    /// Full name.
    async fn person_name(&self) -> &str {
        &self.0.person_name
    }

    /// Their organisation, when in the system and readable.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        organisation(ctx, id).await
    }

    /// Their organisation's name as written.
    async fn organisation_name(&self) -> Option<&str> {
        self.0.organisation_name.as_deref()
    }

    /// Position (chức vụ).
    async fn position(&self) -> Option<&str> {
        self.0.position.as_deref()
    }

    /// Phone or email.
    async fn contact(&self) -> Option<&str> {
        self.0.contact.as_deref()
    }

    /// Live or cancelled.
    async fn status(&self) -> RegistrationStatus {
        self.0.status.into()
    }

    /// Whether they attended.
    async fn attended(&self) -> bool {
        self.0.attended
    }

    /// When attendance was recorded.
    async fn attended_at(&self) -> Option<DateTime> {
        self.0.attended_at.map(Into::into)
    }

    /// The session.
    async fn session(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TrainingSession>> {
        Ok(loader(ctx)?
            .load_one(ById::<training_session::Entity>::of(self.0.session_id))
            .await
            .api()?
            .map(TrainingSession))
    }

    /// When they registered.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// The arguments of a nested session list (`Organisation.trainingSessions`,
/// `Program.trainingSessions`), checked against the page limit.
pub(crate) fn session_list_args(
    ctx: &Context<'_>,
    filter: Option<TrainingSessionFilter>,
    order_by: Option<TrainingSessionOrder>,
    page: khuyenhoc_core::page::PageRequest,
) -> async_graphql::Result<Arc<SessionListArgs>> {
    let order = order_by.unwrap_or_default();
    page.size(max_page(ctx)).api()?;
    Ok(Arc::new(SessionListArgs {
        filter: filter.unwrap_or_default().to_domain().api()?,
        sort: order.field.into(),
        descending: order.direction.is_desc(),
        page,
    }))
}

/// One parent's page of sessions through the request's loader, as a connection.
pub(crate) async fn nested_sessions<K>(
    ctx: &Context<'_>,
    key: K,
) -> async_graphql::Result<TrainingSessionConnection>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    crate::loader::Loaders: async_graphql::dataloader::Loader<
            K,
            Value = (Page<training_session::Model>, u64),
            Error = crate::error::ApiError,
        >,
{
    let (page, total) = loader(ctx)?
        .load_one(key)
        .await
        .api()?
        .unwrap_or_else(|| (Page::empty(), 0));
    Ok(TrainingSessionConnection::new(
        page,
        Total::Known(total),
        TrainingSession,
    ))
}
