//! khuyenhoc-server: the HTTP adapter.
//!
//! Serves `POST /graphql` (and `GET /graphql` for queries), GraphiQL at `/`, `/healthz` and
//! `/readyz`. It authenticates requests, attaches per-request state, enforces the HTTP-level
//! guards (content type, body size, no mutations over GET, time limit) and answers every
//! rejection as a GraphQL-shaped JSON error with a stable code. It holds no business rules.

mod admission;
mod auth;
pub mod config;
mod document_guard;
pub mod documents;
mod export;
pub mod graphiql;
mod graphql_http;
mod health;
mod idempotency;
pub mod metrics;
pub mod otel;
pub mod rate_limit;
mod rejection;
mod router;
mod shutdown;
mod state;
pub mod subscriptions;
pub mod telemetry;
mod websocket;

pub use config::{Config, ConfigError, Profile};
pub use router::{StartError, build_router, serve};
pub use state::AppState;
