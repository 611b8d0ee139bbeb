//! Logging and per-request bookkeeping: request ids, one structured log line per request, and
//! the request's metrics.
//!
//! Logged per request: request id, method, path, status, duration, SQL statement count, and —
//! recorded by the GraphQL handler — operation name and type, actor id and error codes. Never
//! tokens, passwords, variables or other personal data.
//!
//! When trace export is on ([`crate::otel`]), the same facts become the attributes of one
//! OpenTelemetry server span per request, and the log line carries its `trace_id`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use khuyenhoc_core::db::StatementCounter;
use tracing::Instrument;
use tracing::field::Empty;
use tracing_subscriber::EnvFilter;

use crate::config::{LogConfig, LogFormat};
use crate::metrics::Outcome;
use crate::otel;
use crate::state::AppState;

/// Header carrying the request id in and out.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Response header with the number of SQL statements the request ran.
pub const STATEMENTS_HEADER: &str = "x-sql-statements";

/// The id of the current request.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Installs the global subscriber (once; later calls are ignored, e.g. in tests).
pub fn init(config: &LogConfig) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match config.format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Accepts a client's request id if it is short and plain, otherwise makes one.
fn request_id_of(request: &Request) -> String {
    request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map_or_else(|| format!("{:016x}", rand::random::<u64>()), str::to_owned)
}

/// Middleware: request id, statement counter, span and the per-request log line.
pub async fn track(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id_of(&request);
    let counter = StatementCounter::new();
    request.extensions_mut().insert(RequestId(id.clone()));
    request.extensions_mut().insert(counter.clone());
    let path = request.uri().path().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let trace = state.trace_export.start_request(
        request.method(),
        route.as_deref(),
        &path,
        request.headers(),
    );
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
        operation = Empty,
        operation_type = Empty,
        actor = Empty,
        error_codes = Empty,
        trace_id = Empty,
    );
    if let Some(trace_id) = trace.as_ref().and_then(otel::RequestSpan::trace_id) {
        span.record("trace_id", trace_id.as_str());
    }
    let mut response = counter
        .scope(next.run(request))
        .instrument(span.clone())
        .await;
    let statements = counter.get();
    let outcome = response
        .extensions()
        .get::<Outcome>()
        .cloned()
        .unwrap_or_default();
    if let Some(name) = &outcome.operation {
        span.record("operation", name.as_str());
    }
    if let Some(kind) = outcome.operation_type {
        span.record("operation_type", kind);
    }
    if !outcome.error_codes.is_empty() {
        span.record("error_codes", outcome.error_codes.join(",").as_str());
    }
    if let Some(trace) = trace {
        trace.finish(response.status(), statements, &outcome);
    }
    state.metrics.record(
        &path,
        response.status(),
        started.elapsed().as_secs_f64(),
        statements,
        &outcome,
    );
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            statements,
            "request finished"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
        .headers_mut()
        .insert(STATEMENTS_HEADER, HeaderValue::from(statements));
    response
}
