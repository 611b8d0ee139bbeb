//! Change events for live updates (the GraphQL subscriptions).
//!
//! A service that changes an assessment's status, a training session or a program report
//! *stages* an [`Event`] inside its write transaction and *announces* it after the commit:
//!
//! ```text
//! let pending = events.stage(&txn, event).await?;
//! txn.commit().await?;
//! pending.announce();
//! ```
//!
//! - **PostgreSQL**: staging runs `SELECT pg_notify('khuyenhoc_events', <json>)` in the
//!   transaction. PostgreSQL delivers a notification only when its transaction commits, so a
//!   rolled-back change is never announced. Every server process listens on the channel
//!   ([`spawn_listener`]) and feeds its own in-process bus, so a change written through one
//!   replica reaches the subscribers of every replica (the writer's own included). `announce`
//!   does nothing.
//! - **SQLite** (one process): staging does nothing; `announce`, called only after a successful
//!   commit, sends on the in-process bus.
//!
//! An event carries ids and the kind of change, never the object: every subscriber reads the
//! object again through its own scope before anything is delivered. Delivery is at most once:
//! a subscriber that lags far behind, or a listener that is reconnecting, misses events.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::entity::enums::AssessmentStatus;

/// The PostgreSQL `NOTIFY` channel all replicas share.
pub const CHANNEL: &str = "khuyenhoc_events";

/// How many events a slow subscriber may fall behind before it misses some.
const BUS_CAPACITY: usize = 1024;

/// What happened to a training session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SessionChange {
    /// Planned (created).
    Planned,
    /// Its details changed.
    Updated,
    /// Moved to new times.
    Rescheduled,
    /// Cancelled.
    Cancelled,
    /// Marked held.
    Held,
    /// Archived.
    Archived,
    /// A participant registered or a registration was cancelled.
    Registrations,
    /// Attendance was recorded.
    Attendance,
}

/// The change, with the ids of the object it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// An assessment was created (`previous` is `None`) or moved through its workflow.
    AssessmentStatus {
        /// The assessment.
        assessment_id: i64,
        /// Its status before, if it existed.
        previous: Option<AssessmentStatus>,
        /// Its status now.
        status: AssessmentStatus,
    },
    /// A training session changed.
    TrainingSession {
        /// The session.
        session_id: i64,
        /// What happened.
        change: SessionChange,
    },
    /// A program result report was submitted.
    ProgramReportSubmitted {
        /// The report.
        report_id: i64,
        /// The program it reports on.
        program_id: i64,
    },
}

/// One committed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// What changed.
    pub change: Change,
    /// The organisation the object belongs to: the assessing organisation, the session's
    /// organiser, the reporting organisation.
    pub organisation_id: i64,
    /// That organisation's ancestor path when the change happened, so subscribers can filter by
    /// subtree without a query. Access is still decided by reading the object.
    pub organisation_path: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
}

impl Event {
    /// An event about a change that happens now to an object of the organisation at
    /// `organisation_path`.
    pub fn now(change: Change, organisation_id: i64, organisation_path: &str) -> Self {
        Self {
            change,
            organisation_id,
            organisation_path: organisation_path.to_owned(),
            occurred_at: Utc::now(),
        }
    }
}

/// The in-process event bus of one server process. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Events {
    sender: broadcast::Sender<Event>,
    /// Whether events from other replicas reach this bus: always on SQLite; on PostgreSQL once
    /// the listener has issued `LISTEN`, and again after each reconnection.
    listening: Arc<AtomicBool>,
}

impl Default for Events {
    fn default() -> Self {
        Self::new()
    }
}

impl Events {
    /// An empty bus.
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(BUS_CAPACITY).0,
            listening: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Receives every event announced from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// Stages `event` in the write transaction `txn`; announce the returned [`Pending`] after
    /// the commit. On PostgreSQL the notification goes out with the commit, and not at all on a
    /// rollback.
    pub async fn stage(
        &self,
        txn: &impl ConnectionTrait,
        event: Event,
    ) -> Result<Pending, sea_orm::DbErr> {
        let backend = txn.get_database_backend();
        if backend == DatabaseBackend::Postgres {
            let payload = serde_json::to_string(&event)
                .map_err(|e| sea_orm::DbErr::Custom(format!("event payload: {e}")))?;
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ))
            .await?;
            return Ok(Pending { local: None });
        }
        Ok(Pending {
            local: Some((self.sender.clone(), event)),
        })
    }

    /// Whether changes made through other replicas currently reach this process (readiness:
    /// a replica that is not listening would let its subscribers miss them).
    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// Hands `event` to this process's subscribers (the PostgreSQL listener's entry point).
    pub fn deliver(&self, event: Event) {
        // An error only means nobody is subscribed right now.
        let _ = self.sender.send(event);
    }
}

/// An event staged in a transaction, to announce once the transaction has committed.
#[derive(Debug)]
#[must_use = "announce the event after the transaction commits"]
pub struct Pending {
    local: Option<(broadcast::Sender<Event>, Event)>,
}

impl Pending {
    /// Announces the event (SQLite: on the in-process bus; PostgreSQL: already sent by the
    /// commit). Call it only after the commit succeeded.
    pub fn announce(self) {
        if let Some((sender, event)) = self.local {
            let _ = sender.send(event);
        }
    }
}

/// On PostgreSQL, starts the task that `LISTEN`s on [`CHANNEL`] and feeds `events`; on SQLite
/// does nothing. The task uses one connection of its own (not one of the pool's), reconnects
/// after the connection is lost or the database restarts, and ends once every clone of `events`
/// is dropped. Must be called inside a Tokio runtime.
pub fn spawn_listener(db: &DatabaseConnection, events: &Events) {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let options = (*db.get_postgres_connection_pool().connect_options()).clone();
    let pool = sea_orm::sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(options);
    let bus = events.sender.downgrade();
    events.listening.store(false, Ordering::Release);
    tokio::spawn(listen(pool, bus, Arc::clone(&events.listening)));
}

async fn listen(
    pool: sea_orm::sqlx::PgPool,
    bus: broadcast::WeakSender<Event>,
    listening: Arc<AtomicBool>,
) {
    use sea_orm::sqlx::postgres::PgListener;

    let mut backoff = Duration::from_millis(100);
    while bus.strong_count() > 0 {
        let listener = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        let mut listener = match listener.await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::warn!(error = %e, "event listener cannot connect; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        tracing::debug!("event listener connected");
        listening.store(true, Ordering::Release);
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    backoff = Duration::from_millis(100);
                    let Some(sender) = bus.upgrade() else {
                        return;
                    };
                    match serde_json::from_str::<Event>(notification.payload()) {
                        Ok(event) => {
                            let _ = sender.send(event);
                        }
                        Err(e) => tracing::warn!(error = %e, "ignoring a malformed event"),
                    }
                }
                // The connection was lost and has been re-established (LISTEN included);
                // notifications sent meanwhile are lost.
                Ok(None) => tracing::warn!("event listener lost its connection; reconnected"),
                Err(e) => {
                    tracing::warn!(error = %e, "event listener failed; reconnecting");
                    listening.store(false, Ordering::Release);
                    break;
                }
            }
            if bus.strong_count() == 0 {
                return;
            }
        }
        drop(listener);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_json() {
        let event = Event::now(
            Change::AssessmentStatus {
                assessment_id: 7,
                previous: Some(AssessmentStatus::Draft),
                status: AssessmentStatus::Submitted,
            },
            3,
            "/1/3/",
        );
        let json = serde_json::to_string(&event).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Event>(&json).ok(), Some(event));
    }

    #[tokio::test]
    async fn pending_events_reach_subscribers_only_when_announced() {
        let events = Events::new();
        let mut receiver = events.subscribe();
        let event = Event::now(
            Change::TrainingSession {
                session_id: 1,
                change: SessionChange::Planned,
            },
            2,
            "/1/2/",
        );
        let pending = Pending {
            local: Some((events.sender.clone(), event.clone())),
        };
        assert!(receiver.try_recv().is_err());
        pending.announce();
        assert_eq!(receiver.try_recv().ok(), Some(event));
    }
}
