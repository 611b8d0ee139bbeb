//! Prometheus metrics at `GET /metrics` (text exposition format): requests and latency by
//! operation, errors by code, rate-limit rejections, SQL statements, and database pool usage.
//!
//! The registry belongs to the application state (no global recorder). Operation names come
//! from clients, so only plain names are used as labels and at most [`MAX_OPERATIONS`] of them;
//! the rest are counted as `other`, which keeps the series count bounded.

use std::collections::HashSet;
use std::sync::Mutex;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::{DatabaseBackend, DatabaseConnection};

use crate::state::AppState;

/// Distinct operation names kept as labels.
pub const MAX_OPERATIONS: usize = 200;

/// What a finished request reports to the metrics (set by the GraphQL handler as a response
/// extension, read by the telemetry middleware).
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The operation's name, if it had one.
    pub operation: Option<String>,
    /// `query`, `mutation` or `subscription`.
    pub operation_type: Option<&'static str>,
    /// The `extensions.code` of each error.
    pub error_codes: Vec<String>,
    /// The signed-in user's id (for the trace span; not a metrics label).
    pub actor: Option<i64>,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    path: String,
    operation: String,
    operation_type: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LatencyLabels {
    path: String,
    operation: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    code: String,
}

/// The server's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<LatencyLabels, Histogram>,
    errors: Family<ErrorLabels, Counter>,
    rate_limited: Counter,
    statements: Counter,
    pool_connections: Gauge,
    pool_idle: Gauge,
    subscription_connections: Gauge,
    subscriptions: Gauge,
    operations_waiting: Gauge,
    operations_running: Gauge,
    known_operations: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry with every metric registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("khuyenhoc");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<LatencyLabels, Histogram>::new_with_constructor(|| {
            // 1 ms to ~16 s.
            Histogram::new(exponential_buckets(0.001, 2.0, 15))
        });
        let errors = Family::<ErrorLabels, Counter>::default();
        let rate_limited = Counter::default();
        let statements = Counter::default();
        let pool_connections = Gauge::default();
        let pool_idle = Gauge::default();
        let subscription_connections = Gauge::default();
        let subscriptions = Gauge::default();
        let operations_waiting = Gauge::default();
        let operations_running = Gauge::default();
        registry.register(
            "http_requests",
            "HTTP requests by path, operation, operation type and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by path and operation",
            latency.clone(),
        );
        registry.register(
            "graphql_errors",
            "Errors returned, by extensions.code",
            errors.clone(),
        );
        registry.register(
            "rate_limited",
            "Requests refused by a rate limit",
            rate_limited.clone(),
        );
        registry.register(
            "sql_statements",
            "SQL statements run for requests",
            statements.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_connections.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            pool_idle.clone(),
        );
        registry.register(
            "active_subscription_connections",
            "Open subscription (WebSocket) connections",
            subscription_connections.clone(),
        );
        registry.register(
            "active_subscriptions",
            "Subscriptions running on all subscription connections",
            subscriptions.clone(),
        );
        registry.register(
            "graphql_operations_waiting",
            "GraphQL operations waiting for their turn (limits.max_concurrent_requests)",
            operations_waiting.clone(),
        );
        registry.register(
            "graphql_operations_running",
            "GraphQL operations running",
            operations_running.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            errors,
            rate_limited,
            statements,
            pool_connections,
            pool_idle,
            subscription_connections,
            subscriptions,
            operations_waiting,
            operations_running,
            known_operations: Mutex::new(HashSet::new()),
        }
    }

    /// The gauge of open subscription connections (moved by [`crate::subscriptions`]).
    pub fn subscription_connections(&self) -> Gauge {
        self.subscription_connections.clone()
    }

    /// The gauges of waiting and running GraphQL operations (moved by [`crate::admission`]).
    pub fn admission_gauges(&self) -> (Gauge, Gauge) {
        (
            self.operations_waiting.clone(),
            self.operations_running.clone(),
        )
    }

    /// Records one finished request.
    pub fn record(
        &self,
        path: &str,
        status: StatusCode,
        seconds: f64,
        statements: u64,
        outcome: &Outcome,
    ) {
        let path = match path {
            "/graphql" | "/healthz" | "/readyz" | "/metrics" | "/" => path,
            _ => "other",
        }
        .to_owned();
        let operation = self.operation_label(outcome.operation.as_deref());
        self.requests
            .get_or_create(&RequestLabels {
                path: path.clone(),
                operation: operation.clone(),
                operation_type: outcome.operation_type.unwrap_or("-").to_owned(),
                status: status.as_u16(),
            })
            .inc();
        self.latency
            .get_or_create(&LatencyLabels { path, operation })
            .observe(seconds);
        self.statements.inc_by(statements);
        for code in &outcome.error_codes {
            if code == "RATE_LIMITED" {
                self.rate_limited.inc();
            }
            self.errors
                .get_or_create(&ErrorLabels {
                    code: code_label(code),
                })
                .inc();
        }
    }

    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name.filter(|n| {
            !n.is_empty()
                && n.len() <= 64
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }) else {
            return "-".to_owned();
        };
        let mut known = self
            .known_operations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if known.contains(name) || known.len() < MAX_OPERATIONS {
            known.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".to_owned()
        }
    }

    /// The text exposition, with the pool gauges and the subscription count read now.
    pub fn render(
        &self,
        db: &DatabaseConnection,
        subscriptions: usize,
    ) -> Result<String, std::fmt::Error> {
        self.subscriptions
            .set(i64::try_from(subscriptions).unwrap_or(i64::MAX));
        let (size, idle) = pool_usage(db);
        self.pool_connections.set(size);
        self.pool_idle.set(idle);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// Error codes are ours (upper-case words); anything else is counted as `OTHER`.
fn code_label(code: &str) -> String {
    if !code.is_empty()
        && code.len() <= 40
        && code.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    {
        code.to_owned()
    } else {
        "OTHER".to_owned()
    }
}

fn pool_usage(db: &DatabaseConnection) -> (i64, i64) {
    // Match on the backend before asking for its pool: the getters panic on the other one.
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                i64::from(pool.size()),
                i64::try_from(pool.num_idle()).unwrap_or(0),
            )
        }
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (
                i64::from(pool.size()),
                i64::try_from(pool.num_idle()).unwrap_or(0),
            )
        }
        _ => (0, 0),
    }
}

/// `GET /metrics`.
pub async fn endpoint(State(state): State<AppState>) -> Response {
    let subscriptions = state
        .connections
        .subscriptions
        .load(std::sync::atomic::Ordering::SeqCst);
    match state.metrics.render(&state.services.db, subscriptions) {
        Ok(text) => {
            let mut response = (StatusCode::OK, text).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            response
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_chosen_labels_stay_bounded() {
        let metrics = Metrics::new();
        for i in 0..(MAX_OPERATIONS + 50) {
            metrics.record(
                "/graphql",
                StatusCode::OK,
                0.01,
                3,
                &Outcome {
                    operation: Some(format!("Op{i}")),
                    operation_type: Some("query"),
                    error_codes: vec!["lower case code".to_owned()],
                    actor: None,
                },
            );
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &metrics.registry).unwrap();
        assert!(text.contains("operation=\"other\""));
        assert!(text.contains("code=\"OTHER\""));
        assert_eq!(
            metrics.known_operations.lock().unwrap().len(),
            MAX_OPERATIONS
        );
    }
}
