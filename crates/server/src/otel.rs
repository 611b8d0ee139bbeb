//! Optional OpenTelemetry trace export: one server span per HTTP request, sent in batches over
//! OTLP/HTTP (protobuf) to a collector, continuing the caller's W3C `traceparent`.
//!
//! Each server owns its tracer provider (none is installed globally), so export never touches
//! the process-wide `tracing` subscriber: the JSON logs are the same with export on or off, and
//! several servers in one process (the tests) each export to their own collector.
//!
//! Span attributes are technical only (method, route, status, operation name and type, actor
//! id, SQL statement count, error codes). Never add tokens, passwords, variables, client
//! addresses or other personal data here.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{Span as _, SpanKind, Status, Tracer as _, TracerProvider as _};
use opentelemetry::{KeyValue, StringValue, Value};
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{
    BatchConfigBuilder, BatchSpanProcessor, Sampler, SdkTracer, SdkTracerProvider,
};
use serde::{Deserialize, Serialize};

use crate::config::{ConfigError, humantime_serde_compat, invalid};
use crate::metrics::Outcome;

/// Routes polled by load balancers and Prometheus every few seconds: spans of them would bury
/// the requests worth looking at, so they get none.
const UNTRACED_ROUTES: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

/// Error codes that mean the server failed, not the caller: they mark the span as an error.
const SERVER_FAULTS: [&str; 4] = ["INTERNAL", "TIMEOUT", "UNAVAILABLE", "OVERLOADED"];

/// The `[telemetry]` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelemetryConfig {
    /// Base URL of an OTLP/HTTP collector, e.g. `http://collector:4318`; spans are POSTed to
    /// `{otlp_endpoint}/v1/traces`. Unset (the default): nothing is exported.
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` is honoured too.
    pub otlp_endpoint: Option<String>,
    /// `service.name` of the exported spans (`OTEL_SERVICE_NAME` is honoured too).
    pub service_name: String,
    /// Share of new traces recorded, 0.0 to 1.0. A request continuing a caller's trace follows
    /// the caller's sampling decision instead.
    pub sample_ratio: f64,
    /// How long one export to the collector may take.
    #[serde(with = "humantime_serde_compat")]
    pub export_timeout: Duration,
    /// How often finished spans are sent.
    #[serde(with = "humantime_serde_compat")]
    pub export_interval: Duration,
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        Self {
            otlp_endpoint: None,
            service_name: "khuyenhoc".to_owned(),
            sample_ratio: 1.0,
            export_timeout: Duration::from_secs(10),
            export_interval: Duration::from_secs(5),
        }
    }
}

impl TelemetryConfig {
    /// The collector's base URL; an empty value counts as unset, as the OTLP specification says.
    pub fn endpoint(&self) -> Option<&str> {
        self.otlp_endpoint
            .as_deref()
            .filter(|e| !e.trim().is_empty())
    }

    /// Checks every value, naming the first wrong one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(endpoint) = self.endpoint() {
            traces_url(endpoint)?;
        }
        if self.service_name.trim().is_empty() {
            return Err(invalid("telemetry.service_name", "must not be empty"));
        }
        if !(0.0..=1.0).contains(&self.sample_ratio) {
            return Err(invalid(
                "telemetry.sample_ratio",
                "must be between 0.0 and 1.0",
            ));
        }
        if self.export_timeout.is_zero() {
            return Err(invalid("telemetry.export_timeout", "must be positive"));
        }
        if self.export_interval < Duration::from_millis(10) {
            return Err(invalid(
                "telemetry.export_interval",
                "must be at least 10ms",
            ));
        }
        Ok(())
    }
}

/// The OTLP/HTTP traces URL for a collector's base URL (the rule of the OTLP specification for
/// `OTEL_EXPORTER_OTLP_ENDPOINT`: append `/v1/traces`).
fn traces_url(endpoint: &str) -> Result<String, ConfigError> {
    const SETTING: &str = "telemetry.otlp_endpoint";
    let endpoint = endpoint.trim().trim_end_matches('/');
    let uri: Uri = endpoint.parse().map_err(|_| {
        invalid(
            SETTING,
            format!("{endpoint:?} is not a URL like http://collector:4318"),
        )
    })?;
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => {
            return Err(invalid(
                SETTING,
                "https is not built in (no TLS stack for export); send to a collector or agent next to the server over http",
            ));
        }
        _ => {
            return Err(invalid(
                SETTING,
                format!("{endpoint:?} is not a URL like http://collector:4318"),
            ));
        }
    }
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        // `config check` prints the endpoint: credentials in it would be shown.
        return Err(invalid(
            SETTING,
            "put no credentials in the URL; send them as OTEL_EXPORTER_OTLP_HEADERS",
        ));
    }
    if uri.host().is_none_or(str::is_empty) || uri.query().is_some() {
        return Err(invalid(
            SETTING,
            format!("{endpoint:?} is not a URL like http://collector:4318 (host, no query)"),
        ));
    }
    Ok(format!("{endpoint}/v1/traces"))
}

/// Why the exporter could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("telemetry: cannot set up the OTLP exporter: {0}")]
pub struct ExportSetupError(String);

/// The trace export of one server; does nothing when no endpoint is configured. Cheap to clone.
#[derive(Clone, Default)]
pub struct TraceExport {
    inner: Option<Arc<Exporter>>,
}

struct Exporter {
    provider: SdkTracerProvider,
    tracer: SdkTracer,
    timeout: Duration,
}

impl TraceExport {
    /// Sets up batch export to the configured collector, or nothing when it is unset.
    pub fn start(config: &TelemetryConfig) -> Result<Self, ExportSetupError> {
        let Some(endpoint) = config.endpoint() else {
            return Ok(Self::default());
        };
        let url = traces_url(endpoint).map_err(|e| ExportSetupError(e.to_string()))?;
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(url)
            .with_timeout(config.export_timeout)
            .build()
            .map_err(|e| ExportSetupError(e.to_string()))?;
        // The batch processor exports from its own thread, so a slow collector never holds a
        // request; when its queue is full, new spans are dropped rather than buffered.
        let processor = BatchSpanProcessor::builder(exporter)
            .with_batch_config(
                BatchConfigBuilder::default()
                    .with_scheduled_delay(config.export_interval)
                    .build(),
            )
            .build();
        let provider = SdkTracerProvider::builder()
            .with_span_processor(processor)
            .with_sampler(Sampler::parent_based(Sampler::TraceIdRatioBased(
                config.sample_ratio,
            )))
            .with_resource(
                Resource::builder()
                    .with_service_name(config.service_name.trim().to_owned())
                    .with_attribute(KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
                    .build(),
            )
            .build();
        let tracer = provider.tracer("khuyenhoc-server");
        Ok(Self {
            inner: Some(Arc::new(Exporter {
                provider,
                tracer,
                timeout: config.export_timeout,
            })),
        })
    }

    /// Whether spans are exported.
    pub fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// Starts the server span of a request, as a child of the caller's `traceparent` if it sent
    /// a valid one. `None` when export is off, and for the probe routes.
    pub fn start_request(
        &self,
        method: &Method,
        route: Option<&str>,
        path: &str,
        headers: &HeaderMap,
    ) -> Option<RequestSpan> {
        let exporter = self.inner.as_ref()?;
        if route.is_some_and(|r| UNTRACED_ROUTES.contains(&r)) {
            return None;
        }
        let parent = TraceContextPropagator::new().extract(&Headers(headers));
        let method = semconv_method(method);
        let name = match route {
            Some(route) => format!("{method} {route}"),
            None => method.to_owned(),
        };
        let mut attributes = vec![
            KeyValue::new("http.request.method", method),
            KeyValue::new("url.path", path.to_owned()),
        ];
        if let Some(route) = route {
            attributes.push(KeyValue::new("http.route", route.to_owned()));
        }
        let span = exporter
            .tracer
            .span_builder(name)
            .with_kind(SpanKind::Server)
            .with_attributes(attributes)
            .start_with_context(&exporter.tracer, &parent);
        Some(RequestSpan(span))
    }

    /// Sends the spans still queued and stops the exporter (at shutdown, after the drain).
    /// Waits at most the export timeout and a second.
    pub async fn shutdown(&self) {
        let Some(exporter) = self.inner.clone() else {
            return;
        };
        let limit = exporter.timeout + Duration::from_secs(1);
        // `shutdown` blocks until the export thread is done: keep it off the async workers.
        let flushed =
            tokio::task::spawn_blocking(move || exporter.provider.shutdown_with_timeout(limit))
                .await;
        match flushed {
            Ok(Ok(())) => tracing::info!("trace export flushed"),
            Ok(Err(e)) => tracing::warn!(error = %e, "trace export not flushed"),
            Err(e) => tracing::warn!(error = %e, "trace export not flushed"),
        }
    }
}

/// The server span of one request, ended by [`finish`](Self::finish).
pub struct RequestSpan(opentelemetry_sdk::trace::Span);

impl RequestSpan {
    /// The trace id (32 hex digits), for the log line; `None` when it is invalid.
    pub fn trace_id(&self) -> Option<String> {
        let context = self.0.span_context();
        context.is_valid().then(|| context.trace_id().to_string())
    }

    /// Records what the request did and ends the span.
    pub fn finish(mut self, status: StatusCode, statements: u64, outcome: &Outcome) {
        let span = &mut self.0;
        span.set_attribute(KeyValue::new(
            "http.response.status_code",
            i64::from(status.as_u16()),
        ));
        span.set_attribute(KeyValue::new(
            "khuyenhoc.sql.statements",
            i64::try_from(statements).unwrap_or(i64::MAX),
        ));
        if let Some(name) = &outcome.operation {
            span.set_attribute(KeyValue::new("graphql.operation.name", name.clone()));
        }
        if let Some(kind) = outcome.operation_type {
            span.set_attribute(KeyValue::new("graphql.operation.type", kind));
        }
        if let Some(actor) = outcome.actor {
            span.set_attribute(KeyValue::new("enduser.id", actor.to_string()));
        }
        if !outcome.error_codes.is_empty() {
            let codes: Vec<StringValue> = outcome
                .error_codes
                .iter()
                .map(|c| StringValue::from(c.clone()))
                .collect();
            span.set_attribute(KeyValue::new(
                "khuyenhoc.error.codes",
                Value::Array(codes.into()),
            ));
        }
        let fault = outcome
            .error_codes
            .iter()
            .find(|c| SERVER_FAULTS.contains(&c.as_str()));
        if let Some(code) = fault {
            span.set_attribute(KeyValue::new("error.type", code.clone()));
            span.set_status(Status::error(code.clone()));
        } else if status.is_server_error() {
            span.set_attribute(KeyValue::new("error.type", status.as_u16().to_string()));
            span.set_status(Status::error(status.as_u16().to_string()));
        }
        span.end();
    }
}

/// The request method as the HTTP semantic conventions spell it (`_OTHER` for unknown ones,
/// which keeps client-chosen text out of span names).
fn semconv_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "_OTHER",
    }
}

/// Request headers as the propagator reads them.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(axum::http::HeaderName::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_get_the_traces_path_and_bad_ones_are_named() {
        assert_eq!(
            traces_url("http://collector:4318/").ok().as_deref(),
            Some("http://collector:4318/v1/traces")
        );
        assert_eq!(
            traces_url("http://gw.internal/otlp").ok().as_deref(),
            Some("http://gw.internal/otlp/v1/traces")
        );
        for bad in [
            "collector:4318",
            "ftp://x",
            "https://collector:4318",
            "http://x?a=1",
            "http://user:secret@collector:4318",
        ] {
            assert!(
                matches!(
                    traces_url(bad),
                    Err(ConfigError::Invalid {
                        setting: "telemetry.otlp_endpoint",
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn ratio_outside_zero_to_one_is_refused() {
        for ratio in [-0.1, 1.5, f64::NAN] {
            let config = TelemetryConfig {
                sample_ratio: ratio,
                ..TelemetryConfig::default()
            };
            assert!(
                matches!(
                    config.validate(),
                    Err(ConfigError::Invalid {
                        setting: "telemetry.sample_ratio",
                        ..
                    })
                ),
                "{ratio}"
            );
        }
        assert!(TelemetryConfig::default().validate().is_ok());
    }
}
