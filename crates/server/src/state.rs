//! State shared by all handlers.

use std::sync::Arc;

use khuyenhoc_core::auth::Tokens;
use khuyenhoc_graphql::{ServedSchema, Services};

use crate::config::Config;

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The executable schema of HTTP requests.
    pub schema: ServedSchema,
    /// The executable schema of WebSocket connections (see
    /// [`khuyenhoc_graphql::schema::Transport::Live`]).
    pub live_schema: ServedSchema,
    /// Database, tokens and limits.
    pub services: Services,
    /// Token verification.
    pub tokens: Arc<Tokens>,
    /// The effective configuration.
    pub config: Arc<Config>,
    /// Request and login rate limits.
    pub rate_limits: Arc<crate::rate_limit::RateLimits>,
    /// Prometheus metrics.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Persisted (APQ) and trusted documents.
    pub documents: Arc<crate::documents::Documents>,
    /// Open subscription connections, against their limits.
    pub connections: Arc<crate::subscriptions::Connections>,
    /// How many GraphQL operations run at once.
    pub admission: Arc<crate::admission::Admission>,
    /// OpenTelemetry trace export (inert when off).
    pub trace_export: crate::otel::TraceExport,
}

impl AppState {
    /// The document limits of the configuration.
    pub fn document_limits(&self) -> crate::document_guard::DocumentLimits {
        let limits = &self.config.limits;
        crate::document_guard::DocumentLimits {
            max_chars: limits.max_document_chars,
            max_aliases: limits.max_aliases,
            max_directives: limits.max_directives,
        }
    }
}
