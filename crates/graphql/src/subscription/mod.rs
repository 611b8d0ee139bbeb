//! The subscription root: live change events over WebSocket.
//!
//! Every field follows the change events of [`khuyenhoc_core::events`]. An event is delivered
//! to a subscriber only after the object it names has been read again as that subscriber, with
//! the same scoped read the queries use: a subscriber never learns of an object it cannot read.
//! The optional argument filters first, without touching the database (the event carries its
//! organisation's path and the program id). The subscriber's identity is reloaded for every
//! event, so a revoked membership or a disabled account stops deliveries at once.

mod feed;
mod payload;

use async_graphql::{Context, ID, Subscription as SubscriptionRoot};
use futures::Stream;
use khuyenhoc_core::access::path;
use khuyenhoc_core::events::Change;
use khuyenhoc_core::service;

pub use feed::{EventLoaders, LiveConnection};
pub use payload::{
    AssessmentStatusChange, ProgramReportSubmission, TrainingSessionChange,
    TrainingSessionChangeKind,
};

use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::object::{Assessment, ProgramReport, TrainingSession};
use crate::scalar::DateTime;
use feed::feed;

/// The subscription root.
#[derive(Default)]
pub struct Subscription;

#[SubscriptionRoot]
/// Live updates, delivered over WebSocket (`graphql-transport-ws`) at `/graphql`. Each event
/// is delivered only to subscribers who may read the object it concerns.
impl Subscription {
    /// Status changes of assessments the viewer can read (creation, submit, resubmit, approve,
    /// return); optionally only those assessed within an organisation's subtree.
    async fn assessment_status_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only assessments of this organisation or its descendants.")]
        within_organisation: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = AssessmentStatusChange> + use<>> {
        let within = subtree(ctx, within_organisation.as_ref()).await?;
        feed(
            ctx,
            move |event| {
                matches!(event.change, Change::AssessmentStatus { .. })
                    && within
                        .as_deref()
                        .is_none_or(|root| path::is_within(&event.organisation_path, root))
            },
            |db, actor, event| async move {
                let Change::AssessmentStatus {
                    assessment_id,
                    previous,
                    status,
                } = event.change
                else {
                    return Ok(None);
                };
                let readable = service::assessment::get(&db, &actor, assessment_id).await?;
                Ok(readable.map(|model| AssessmentStatusChange {
                    assessment: Assessment(model),
                    previous_status: previous.map(Into::into),
                    status: status.into(),
                    occurred_at: DateTime(event.occurred_at),
                }))
            },
        )
    }

    /// Changes to training sessions the viewer can read (planned, updated, rescheduled,
    /// cancelled, held, archived, registrations, attendance); optionally only those organised
    /// within an organisation's subtree.
    async fn training_session_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only sessions organised by this organisation or its descendants.")]
        within_organisation: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = TrainingSessionChange> + use<>> {
        let within = subtree(ctx, within_organisation.as_ref()).await?;
        feed(
            ctx,
            move |event| {
                matches!(event.change, Change::TrainingSession { .. })
                    && within
                        .as_deref()
                        .is_none_or(|root| path::is_within(&event.organisation_path, root))
            },
            |db, actor, event| async move {
                let Change::TrainingSession { session_id, change } = event.change else {
                    return Ok(None);
                };
                let readable = service::training::get(&db, &actor, session_id).await?;
                Ok(readable.map(|model| TrainingSessionChange {
                    session: TrainingSession(model),
                    change: change.into(),
                    occurred_at: DateTime(event.occurred_at),
                }))
            },
        )
    }

    /// Program result reports submitted, for programs the viewer can read (and reports the
    /// viewer can read); optionally only one program.
    async fn program_report_submitted(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only reports on this program.")] program: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = ProgramReportSubmission> + use<>> {
        let only = match program {
            Some(id) => {
                let id = decode(&id, NodeType::Program, "program").api()?;
                let actor = crate::context::actor(ctx)?;
                let db = crate::context::db(ctx)?;
                Some(service::program::require(db, &actor, id).await.api()?.id)
            }
            None => None,
        };
        feed(
            ctx,
            move |event| match event.change {
                Change::ProgramReportSubmitted { program_id, .. } => {
                    only.is_none_or(|p| p == program_id)
                }
                _ => false,
            },
            |db, actor, event| async move {
                let Change::ProgramReportSubmitted { report_id, .. } = event.change else {
                    return Ok(None);
                };
                let readable = service::program::get_report(&db, &actor, report_id).await?;
                Ok(readable.map(|model| ProgramReportSubmission {
                    report: ProgramReport(model),
                    occurred_at: DateTime(event.occurred_at),
                }))
            },
        )
    }
}

/// The path of the organisation `id` names, read as the viewer (`NOT_FOUND` if it cannot).
async fn subtree(ctx: &Context<'_>, id: Option<&ID>) -> async_graphql::Result<Option<String>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let id = decode(id, NodeType::Organisation, "withinOrganisation").api()?;
    let actor = crate::context::actor(ctx)?;
    let db = crate::context::db(ctx)?;
    let org = service::organisation::require(db, &actor, id).await.api()?;
    Ok(Some(org.path))
}
