//! Building the schema and exporting its SDL (the contract in `schema/schema.graphql`, and the
//! federation subgraph SDL in `schema/subgraph.graphql`).

use std::sync::Arc;

use async_graphql::{
    BatchRequest, BatchResponse, Data, Executor, ObjectType, Request, Response, SDLExportOptions,
    Schema, SchemaBuilder,
};
use futures::stream::BoxStream;

use crate::context::Services;
use crate::mutation::Mutation;
use crate::query::{FederatedQuery, Query};
use crate::subscription::{EventLoaders, Subscription};

/// The khuyenhoc schema.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// The khuyenhoc schema as an Apollo Federation v2 subgraph (with `_service` and `_entities`).
pub type FederatedSchema = Schema<FederatedQuery, Mutation, Subscription>;

/// Query shape limits applied to every operation.
#[derive(Debug, Clone)]
pub struct ShapeLimits {
    /// Deepest selection nesting.
    pub max_depth: usize,
    /// Highest complexity (fields, with lists weighted by their page size).
    pub max_complexity: usize,
}

impl Default for ShapeLimits {
    fn default() -> Self {
        // Sized so GraphiQL's introspection query (depth ~13) still runs.
        Self {
            max_depth: 15,
            max_complexity: 5_000,
        }
    }
}

/// Where a schema's operations arrive from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Transport {
    /// HTTP requests: each carries its own loaders.
    #[default]
    Http,
    /// WebSocket connections: every event a subscription delivers gets fresh loaders
    /// ([`EventLoaders`]).
    ///
    /// That takes a schema extension, and with any extension installed async-graphql resolves
    /// every field through the extension chain (a registry lookup, type names formatted, a
    /// boxed future per field and per list item). HTTP requests need none of it, so they run
    /// on a schema without extensions: a province's statistics list ~100 communes of ~10
    /// fields each.
    Live,
}

/// How the server serves the schema.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Query shape limits.
    pub limits: ShapeLimits,
    /// Serve as a federation subgraph.
    pub federation: bool,
    /// HTTP or WebSocket.
    pub transport: Transport,
    /// Answer introspection and suggest field names.
    pub introspection: bool,
}

/// The schema the server executes: the plain one, or the federation subgraph.
#[derive(Clone)]
pub enum ServedSchema {
    /// Without federation (the default).
    Plain(AppSchema),
    /// As a federation subgraph.
    Federated(FederatedSchema),
}

fn configure<Q: ObjectType + 'static>(
    builder: SchemaBuilder<Q, Mutation, Subscription>,
    services: Services,
    options: &ServeOptions,
) -> SchemaBuilder<Q, Mutation, Subscription> {
    let mut builder = builder
        .data(services)
        .limit_depth(options.limits.max_depth)
        .limit_complexity(options.limits.max_complexity);
    if options.transport == Transport::Live {
        builder = builder.extension(EventLoaders);
    }
    if options.introspection {
        builder
    } else {
        builder.disable_introspection().disable_suggestions()
    }
}

/// The schema with `services` as schema data, as `options` say.
pub fn serve(services: Services, options: &ServeOptions) -> ServedSchema {
    if options.federation {
        let builder = Schema::build(FederatedQuery::default(), Mutation::default(), Subscription)
            .enable_federation();
        ServedSchema::Federated(configure(builder, services, options).finish())
    } else {
        let builder = Schema::build(Query::default(), Mutation::default(), Subscription);
        ServedSchema::Plain(configure(builder, services, options).finish())
    }
}

/// Builds the plain schema for HTTP with `services` as schema data.
pub fn build_schema(services: Services, limits: &ShapeLimits) -> AppSchema {
    let builder = Schema::build(Query::default(), Mutation::default(), Subscription);
    let options = ServeOptions {
        limits: limits.clone(),
        federation: false,
        introspection: true,
        transport: Transport::Http,
    };
    configure(builder, services, &options).finish()
}

impl Executor for ServedSchema {
    async fn execute(&self, request: Request) -> Response {
        match self {
            Self::Plain(schema) => schema.execute(request).await,
            Self::Federated(schema) => schema.execute(request).await,
        }
    }

    async fn execute_batch(&self, batch: BatchRequest) -> BatchResponse {
        match self {
            Self::Plain(schema) => schema.execute_batch(batch).await,
            Self::Federated(schema) => schema.execute_batch(batch).await,
        }
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        match self {
            Self::Plain(schema) => Executor::execute_stream(schema, request, session_data),
            Self::Federated(schema) => Executor::execute_stream(schema, request, session_data),
        }
    }
}

/// The validation errors of `document` against the schema (empty when it is valid). The
/// document runs on a schema without services: validation comes first, and every resolver stops
/// at the missing services, so nothing is read or written. Errors with a path are such resolver
/// stops, not validation errors, and are left out.
pub async fn validation_errors(document: &str) -> Vec<String> {
    let schema = Schema::build(Query::default(), Mutation::default(), Subscription).finish();
    schema
        .execute(document)
        .await
        .errors
        .into_iter()
        .filter(|e| e.path.is_empty())
        .map(|e| e.message)
        .collect()
}

/// The SDL of the schema, sorted so the committed file diffs cleanly.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_enum_items())
}

/// The SDL of the federation subgraph (`@link` to federation v2, `@key` on the entities),
/// sorted like [`sdl`].
pub fn subgraph_sdl() -> String {
    Schema::build(FederatedQuery::default(), Mutation::default(), Subscription)
        .enable_federation()
        .finish()
        .sdl_with_options(
            SDLExportOptions::new()
                .federation()
                .sorted_fields()
                .sorted_enum_items(),
        )
}
