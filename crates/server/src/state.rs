//! State shared by all handlers.

use std::sync::Arc;

use khuyenhoc_core::auth::Tokens;
use khuyenhoc_graphql::{AppSchema, Services};

use crate::config::Config;

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The executable schema.
    pub schema: AppSchema,
    /// Database, tokens and limits.
    pub services: Services,
    /// Token verification.
    pub tokens: Arc<Tokens>,
    /// The effective configuration.
    pub config: Arc<Config>,
}
