//! What a subscription delivers: the object, read as the subscriber, and what happened.

use async_graphql::{Enum, SimpleObject};
use khuyenhoc_core::events::SessionChange;

use crate::enums::AssessmentStatus;
use crate::object::{Assessment, ProgramReport, TrainingSession};
use crate::scalar::DateTime;

/// An assessment was created or moved through its workflow.
#[derive(SimpleObject)]
pub struct AssessmentStatusChange {
    /// The assessment as it is now.
    pub assessment: Assessment,
    /// Its status before the change; `null` when it was just created.
    pub previous_status: Option<AssessmentStatus>,
    /// Its status after the change.
    pub status: AssessmentStatus,
    /// When the change was made.
    pub occurred_at: DateTime,
}

/// What happened to a training session.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "SessionChange")]
pub enum TrainingSessionChangeKind {
    /// It was planned (created).
    Planned,
    /// Its details were updated.
    Updated,
    /// It was moved to new times.
    Rescheduled,
    /// It was cancelled.
    Cancelled,
    /// It was marked held.
    Held,
    /// It was archived.
    Archived,
    /// A participant was registered, or a registration cancelled.
    Registrations,
    /// Attendance was recorded.
    Attendance,
}

/// A training session changed.
#[derive(SimpleObject)]
pub struct TrainingSessionChange {
    /// The session as it is now.
    pub session: TrainingSession,
    /// What happened.
    pub change: TrainingSessionChangeKind,
    /// When the change was made.
    pub occurred_at: DateTime,
}

/// A program result report was submitted to the program's owner.
#[derive(SimpleObject)]
pub struct ProgramReportSubmission {
    /// The report as it is now.
    pub report: ProgramReport,
    /// When it was submitted.
    pub occurred_at: DateTime,
}
