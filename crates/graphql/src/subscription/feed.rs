//! Turning the process's event bus into one subscriber's stream, and the per-connection state
//! a WebSocket connection carries (its subscription count, fresh loaders for every event).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::{Context, Data, Response};
use futures::Stream;
use khuyenhoc_core::access::Actor;
use khuyenhoc_core::events::Event;
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast::error::RecvError;

use crate::context::{RequestState, Services, actor, services};
use crate::error::coded;

/// The state of one subscription connection, put in its session data by the server when the
/// connection is initialised. Subscriptions are refused without it (they run only over
/// WebSocket).
#[derive(Debug, Clone)]
pub struct LiveConnection {
    active: Arc<AtomicUsize>,
    in_process: Arc<AtomicUsize>,
    max_subscriptions: usize,
}

impl LiveConnection {
    /// A connection allowed `max_subscriptions` subscriptions at once; `in_process` counts the
    /// subscriptions of every connection of the process (for metrics).
    pub fn new(max_subscriptions: usize, in_process: Arc<AtomicUsize>) -> Self {
        Self {
            active: Arc::default(),
            in_process,
            max_subscriptions,
        }
    }

    /// How many subscriptions are running on the connection.
    pub fn active(&self) -> usize {
        self.active.load(Ordering::SeqCst)
    }

    /// Takes one subscription slot, or `TOO_MANY_SUBSCRIPTIONS`.
    fn claim(&self) -> async_graphql::Result<Slot> {
        let max = self.max_subscriptions;
        self.active
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .map_err(|_| {
                coded(
                    "TOO_MANY_SUBSCRIPTIONS",
                    format!("at most {max} subscriptions run at once on one connection"),
                )
            })?;
        self.in_process.fetch_add(1, Ordering::SeqCst);
        Ok(Slot {
            connection: Arc::clone(&self.active),
            in_process: Arc::clone(&self.in_process),
        })
    }
}

/// A subscription's place on its connection, given back when the subscription's stream is
/// dropped (completed by the client, or the connection closed).
struct Slot {
    connection: Arc<AtomicUsize>,
    in_process: Arc<AtomicUsize>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connection.fetch_sub(1, Ordering::SeqCst);
        self.in_process.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The stream of events `admits` lets through and `read` can read as the subscriber.
///
/// `admits` is the cheap filter (kind, argument), run on every event without a query. For an
/// admitted event the subscriber's actor is reloaded (a disabled user's stream ends; a revoked
/// membership narrows the scope at once) and `read` loads the object through a scoped reader:
/// `None` (not readable) drops the event.
pub(super) fn feed<T, A, R, F>(
    ctx: &Context<'_>,
    admits: A,
    read: R,
) -> async_graphql::Result<impl Stream<Item = T> + use<T, A, R, F>>
where
    T: Send + 'static,
    A: Fn(&Event) -> bool + Send + Sync + 'static,
    R: Fn(DatabaseConnection, Arc<Actor>, Event) -> F + Send + Sync + 'static,
    F: Future<Output = khuyenhoc_core::Result<Option<T>>> + Send,
{
    let connection = ctx.data::<LiveConnection>().map_err(|_| {
        coded(
            "BAD_REQUEST",
            "subscriptions run over WebSocket (graphql-transport-ws) at /graphql",
        )
    })?;
    let user_id = actor(ctx)?.user_id;
    let cell = ctx.data::<RequestState>()?.actor.clone();
    let services = services(ctx)?;
    let state = Feed {
        receiver: services.events.subscribe(),
        db: services.db.clone(),
        _slot: connection.claim()?,
    };
    let admits = Arc::new(admits);
    let read = Arc::new(read);
    Ok(futures::stream::unfold(state, move |mut state| {
        let admits = Arc::clone(&admits);
        let read = Arc::clone(&read);
        let cell = cell.clone();
        async move {
            loop {
                let event = match state.receiver.recv().await {
                    Ok(event) => event,
                    Err(RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "a slow subscriber missed events");
                        continue;
                    }
                    Err(RecvError::Closed) => return None,
                };
                if !admits(&event) {
                    continue;
                }
                let actor = match Actor::load(&state.db, user_id).await {
                    Ok(actor) => Arc::new(actor),
                    Err(khuyenhoc_core::Error::Unauthenticated) => return None,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot reload a subscriber; event skipped");
                        continue;
                    }
                };
                cell.set(Arc::clone(&actor));
                match read(state.db.clone(), actor, event).await {
                    Ok(Some(item)) => return Some((item, state)),
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot read an event's object; skipped"),
                }
            }
        }
    }))
}

/// One subscriber's position on the bus.
struct Feed {
    receiver: tokio::sync::broadcast::Receiver<Event>,
    db: DatabaseConnection,
    _slot: Slot,
}

/// Gives every event a subscription delivers fresh loaders: loaders cache, and one connection's
/// events are read at different times, so a shared loader would hand out stale rows. Only the
/// WebSocket schema installs it (`crate::schema::Transport::Live`): requests over HTTP carry
/// their own loaders, and an installed extension slows the resolution of every field.
#[derive(Debug, Default)]
pub struct EventLoaders;

impl ExtensionFactory for EventLoaders {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(EventLoaders)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for EventLoaders {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let live = ctx.data_opt::<LiveConnection>().is_some();
        let state = ctx.data_opt::<RequestState>();
        let services = ctx.data_opt::<Services>();
        match (live, state, services) {
            (true, Some(state), Some(services)) => {
                let mut data = Data::default();
                data.insert(state.loader(services));
                next.run_with_data(ctx, operation_name, data).await
            }
            _ => next.run(ctx, operation_name).await,
        }
    }
}
