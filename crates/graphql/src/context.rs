//! What resolvers read from the context: schema-wide services and per-request state.

use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::{Context, Request};
use khuyenhoc_core::access::Actor;
use khuyenhoc_core::auth::Tokens;
use khuyenhoc_core::db::StatementCounter;
use khuyenhoc_core::events::Events;
use khuyenhoc_core::service::checklist::SheetCache;
use sea_orm::DatabaseConnection;

use crate::batching::BatchGate;
use crate::loader::Loaders;

/// Limits that shape responses.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest `first`/`last` a list accepts.
    pub max_page_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_page_size: 100 }
    }
}

/// Throttles login attempts (implemented by the server with its rate limiters).
pub trait LoginGuard: Send + Sync + std::fmt::Debug {
    /// Counts one attempt for `email` from `address`; `Err` holds how long to wait.
    fn check_login(&self, email: &str, address: Option<IpAddr>) -> Result<(), Duration>;
}

/// A guard that never refuses (for tools and tests that build a schema without a server).
#[derive(Debug, Default)]
pub struct NoLoginGuard;

impl LoginGuard for NoLoginGuard {
    fn check_login(&self, _email: &str, _address: Option<IpAddr>) -> Result<(), Duration> {
        Ok(())
    }
}

/// Schema-wide data, shared by every request.
#[derive(Debug, Clone)]
pub struct Services {
    /// The database pool.
    pub db: DatabaseConnection,
    /// Token issuing and verification.
    pub tokens: Arc<Tokens>,
    /// Response limits.
    pub limits: Limits,
    /// Login throttling.
    pub login_guard: Arc<dyn LoginGuard>,
    /// Change events: services announce on it, subscriptions listen to it.
    pub events: Events,
    /// Published checklists' scoring sheets, kept between requests.
    pub sheets: Arc<SheetCache>,
}

/// Who is asking, for the rest of the request. Set from the bearer token before execution, and
/// by `login` during it, so the login payload's nested fields are read as the signed-in user.
#[derive(Debug, Clone, Default)]
pub struct ActorCell(Arc<RwLock<Option<Arc<Actor>>>>);

impl ActorCell {
    /// A cell holding `actor`.
    pub fn new(actor: Option<Arc<Actor>>) -> Self {
        Self(Arc::new(RwLock::new(actor)))
    }

    /// The current actor.
    pub fn get(&self) -> Option<Arc<Actor>> {
        self.0.read().map(|a| a.clone()).unwrap_or_default()
    }

    /// Replaces the actor.
    pub fn set(&self, actor: Arc<Actor>) {
        if let Ok(mut slot) = self.0.write() {
            *slot = Some(actor);
        }
    }
}

/// Per-request data: who is asking, and the request's loaders and statement counter.
#[derive(Debug, Clone)]
pub struct RequestState {
    /// The authenticated actor, if any.
    pub actor: ActorCell,
    /// Counts this request's SQL statements.
    pub counter: StatementCounter,
    /// Holds loader batches until the request has asked for every key it can.
    pub batching: BatchGate,
    /// The client's network address, when known (for login throttling).
    pub client_address: Option<IpAddr>,
}

impl RequestState {
    /// Attaches this state and fresh per-request loaders to `request`. Loaders must be per
    /// request: their results depend on the actor and they cache.
    pub fn attach(self, request: Request, services: &Services) -> Request {
        let loader = self.loader(services);
        request.data(self).data(loader)
    }

    /// Fresh loaders reading as this state's actor, counted by its statement counter.
    pub fn loader(&self, services: &Services) -> DataLoader<Loaders, HashMapCache> {
        let counter = self.counter.clone();
        let gate = self.batching.clone();
        let loaders = Loaders::new(
            services.db.clone(),
            self.actor.clone(),
            services.limits.clone(),
        );
        DataLoader::with_cache(
            loaders,
            move |future| tokio::spawn(counter.scope(gate.batch(future))),
            HashMapCache::default(),
        )
    }
}

/// The schema-wide services.
pub fn services<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Services> {
    ctx.data::<Services>()
}

/// The database pool.
pub fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    Ok(&services(ctx)?.db)
}

/// The change-event bus services announce on.
pub fn events<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Events> {
    Ok(&services(ctx)?.events)
}

/// The scoring sheets kept between requests.
pub fn sheets<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a SheetCache> {
    Ok(&services(ctx)?.sheets)
}

/// The authenticated actor, or `UNAUTHENTICATED`.
pub fn actor(ctx: &Context<'_>) -> async_graphql::Result<Arc<Actor>> {
    ctx.data::<RequestState>()
        .ok()
        .and_then(|state| state.actor.get())
        .ok_or_else(|| crate::error::to_graphql(&khuyenhoc_core::Error::Unauthenticated))
}

/// The request's loaders.
pub fn loader<'a>(
    ctx: &Context<'a>,
) -> async_graphql::Result<&'a DataLoader<Loaders, HashMapCache>> {
    ctx.data::<DataLoader<Loaders, HashMapCache>>()
}

/// The largest page a list accepts.
pub fn max_page(ctx: &Context<'_>) -> u64 {
    services(ctx).map_or(100, |s| s.limits.max_page_size)
}
