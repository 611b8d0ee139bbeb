//! Planning and running training sessions, and registering participants.

use async_graphql::{Context, Object, SimpleObject};
use khuyenhoc_core::service::training as service;

use crate::context::{actor, db, events};
use crate::error::IntoApi;
use crate::id::{NodeType, decode, decode_opt};
use crate::input::program::VersionedInput;
use crate::input::training::*;
use crate::object::payload::split;
use crate::object::{Registration, TrainingSession, UserError};

/// Result of a change to a training session.
#[derive(SimpleObject)]
pub struct TrainingSessionPayload {
    /// The session after the change; `null` when `userErrors` is not empty.
    pub session: Option<TrainingSession>,
    /// Why the input was rejected; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of a change to a registration.
#[derive(SimpleObject)]
pub struct RegistrationPayload {
    /// The registration after the change; `null` when `userErrors` is not empty.
    pub registration: Option<Registration>,
    /// Why the input was rejected (e.g. `FULL`, `DUPLICATE`); empty on success.
    pub user_errors: Vec<UserError>,
}

fn session_payload(
    r: khuyenhoc_core::Result<khuyenhoc_core::entity::training_session::Model>,
) -> async_graphql::Result<TrainingSessionPayload> {
    let (session, user_errors) = split(r)?;
    Ok(TrainingSessionPayload {
        session: session.map(TrainingSession),
        user_errors,
    })
}

fn registration_payload(
    r: khuyenhoc_core::Result<khuyenhoc_core::entity::registration::Model>,
) -> async_graphql::Result<RegistrationPayload> {
    let (registration, user_errors) = split(r)?;
    Ok(RegistrationPayload {
        registration: registration.map(Registration),
        user_errors,
    })
}

/// Training mutations.
#[derive(Default)]
pub struct TrainingMutation;

#[Object]
impl TrainingMutation {
    /// Plans a session organised by an organisation you edit for.
    async fn plan_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: PlanTrainingSessionInput,
    ) -> async_graphql::Result<TrainingSessionPayload> {
        let actor = actor(ctx)?;
        let new = service::NewSession {
            organiser_id: decode(&input.organiser_id, NodeType::Organisation, "organiserId")
                .api()?,
            program_id: decode_opt(input.program_id.as_ref(), NodeType::Program, "programId")
                .api()?,
            starts_at: input.starts_at.0,
            ends_at: input.ends_at.0,
            details: input.details.to_domain().api()?,
        };
        session_payload(service::create(db(ctx)?, events(ctx)?, &actor, new).await)
    }

    /// Changes a planned session's details.
    async fn update_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: UpdateTrainingSessionInput,
    ) -> async_graphql::Result<TrainingSessionPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::TrainingSession, "id").api()?;
        let changes = service::SessionChanges {
            version: input.version,
            details: input.details.to_domain().api()?,
        };
        session_payload(service::update(db(ctx)?, events(ctx)?, &actor, id, changes).await)
    }

    /// Moves a planned session to new times.
    async fn reschedule_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: RescheduleTrainingSessionInput,
    ) -> async_graphql::Result<TrainingSessionPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::TrainingSession, "id").api()?;
        session_payload(
            service::reschedule(
                db(ctx)?,
                events(ctx)?,
                &actor,
                id,
                input.starts_at.0,
                input.ends_at.0,
                input.version,
            )
            .await,
        )
    }

    /// Cancels a planned session.
    async fn cancel_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: CancelTrainingSessionInput,
    ) -> async_graphql::Result<TrainingSessionPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::TrainingSession, "id").api()?;
        session_payload(
            service::cancel(
                db(ctx)?,
                events(ctx)?,
                &actor,
                id,
                &input.reason,
                input.version,
            )
            .await,
        )
    }

    /// Marks a planned session that has started as held.
    async fn mark_training_session_held(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<TrainingSessionPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::TrainingSession, "id").api()?;
        session_payload(service::mark_held(db(ctx)?, events(ctx)?, &actor, id, input.version).await)
    }

    /// Archives a held or cancelled session.
    async fn archive_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<TrainingSessionPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::TrainingSession, "id").api()?;
        session_payload(service::archive(db(ctx)?, events(ctx)?, &actor, id, input.version).await)
    }

    /// Registers a person for a planned session; fails with `FULL` when no seat is left (checked
    /// atomically) and `DUPLICATE` when the person is already registered.
    async fn register_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: RegisterParticipantInput,
    ) -> async_graphql::Result<RegistrationPayload> {
        let actor = actor(ctx)?;
        let new = service::NewRegistration {
            session_id: decode(&input.session_id, NodeType::TrainingSession, "sessionId").api()?,
            person_name: input.person_name,
            organisation_id: decode_opt(
                input.organisation_id.as_ref(),
                NodeType::Organisation,
                "organisationId",
            )
            .api()?,
            organisation_name: input.organisation_name,
            position: input.position,
            contact: input.contact,
            connection_point_id: decode_opt(
                input.connection_point_id.as_ref(),
                NodeType::ConnectionPoint,
                "connectionPointId",
            )
            .api()?,
        };
        registration_payload(service::register(db(ctx)?, events(ctx)?, &actor, new).await)
    }

    /// Cancels a registration and frees its seat.
    async fn cancel_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<RegistrationPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Registration, "id").api()?;
        registration_payload(
            service::cancel_registration(db(ctx)?, events(ctx)?, &actor, id, input.version).await,
        )
    }

    /// Records whether a registered person attended; fails with `NOT_STARTED` before the session
    /// starts.
    async fn mark_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: MarkAttendanceInput,
    ) -> async_graphql::Result<RegistrationPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Registration, "id").api()?;
        registration_payload(
            service::mark_attendance(
                db(ctx)?,
                events(ctx)?,
                &actor,
                id,
                input.attended,
                input.version,
            )
            .await,
        )
    }
}
