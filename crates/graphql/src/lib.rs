//! khuyenhoc-graphql: the GraphQL schema of khuyenhoc.
//!
//! Types here are thin views over `khuyenhoc-core` models; every read and write goes through a
//! core service with the request's actor, so access is decided in core, never in a resolver.
//! Relations load through the per-request [`loader::Loaders`], so the number of SQL statements
//! grows with the depth of a query, not with the number of rows it returns.
//!
//! This crate knows nothing of HTTP: the server crate builds a [`schema::AppSchema`] once and,
//! for every request, attaches the per-request state with [`context::RequestState::attach`].

pub mod batching;
pub mod connection;
pub mod context;
pub mod enums;
pub mod error;
pub mod id;
pub mod input;
pub mod loader;
pub mod mutation;
pub mod object;
pub mod query;
pub mod scalar;
pub mod schema;
pub mod subscription;

pub use batching::BatchGate;
pub use context::{ActorCell, Limits, LoginGuard, NoLoginGuard, RequestState, Services};
pub use schema::{AppSchema, ServedSchema, build_schema, sdl, subgraph_sdl};
