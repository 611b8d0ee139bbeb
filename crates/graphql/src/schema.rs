//! Building the schema and exporting its SDL (the contract in `schema/schema.graphql`).

use async_graphql::{SDLExportOptions, Schema, SchemaBuilder};

use crate::context::Services;
use crate::mutation::Mutation;
use crate::query::Query;
use crate::subscription::{EventLoaders, Subscription};

/// The khuyenhoc schema.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

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

/// A schema builder with `services` as schema data and the shape limits applied, for the
/// server to finish (it may still turn off introspection and suggestions).
pub fn builder(
    services: Services,
    limits: &ShapeLimits,
) -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(services)
        .extension(EventLoaders)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
}

/// Builds the schema with `services` as schema data.
pub fn build_schema(services: Services, limits: &ShapeLimits) -> AppSchema {
    builder(services, limits).finish()
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
