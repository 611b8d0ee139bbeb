//! OpenTelemetry export: a fake OTLP/HTTP collector in the test receives the protobuf batches;
//! the spans continue the caller's `traceparent`, carry the operation and never a secret; the
//! last spans are sent on SIGTERM; with no endpoint nothing is sent.
//!
//! Export does not depend on the database, so these run on SQLite only.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use opentelemetry_proto::tonic::common::v1::{AnyValue as Any, KeyValue};
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::helpers::{Backend, CENTRAL_ADMIN, TestApp};

/// Bodies POSTed to `/v1/traces`, with their content type.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(String, Bytes)>>>);

impl Received {
    fn bodies(&self) -> Vec<(String, Bytes)> {
        self.0.lock().unwrap().clone()
    }

    /// Every span received so far, decoded, with the `service.name` of its resource.
    fn spans(&self) -> Vec<(String, Span)> {
        let mut spans = Vec::new();
        for (content_type, body) in self.bodies() {
            assert_eq!(content_type, "application/x-protobuf");
            let request = ExportTraceServiceRequest::decode(body).expect("an OTLP protobuf body");
            for resource_spans in request.resource_spans {
                let service = resource_spans
                    .resource
                    .as_ref()
                    .and_then(|r| r.attributes.iter().find(|kv| kv.key == "service.name"))
                    .and_then(|kv| text(kv.value.as_ref()))
                    .unwrap_or_default();
                for scope in resource_spans.scope_spans {
                    for span in scope.spans {
                        spans.push((service.clone(), span));
                    }
                }
            }
        }
        spans
    }
}

/// A stand-in OTLP/HTTP collector on a random local port.
async fn fake_collector() -> (String, Received) {
    async fn traces(
        State(received): State<Received>,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        received.0.lock().unwrap().push((content_type, body));
        // An empty ExportTraceServiceResponse is an empty protobuf message.
        StatusCode::OK
    }
    let received = Received::default();
    let router = axum::Router::new()
        .route("/v1/traces", post(traces))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), received)
}

fn text(value: Option<&Any>) -> Option<String> {
    match value?.value.as_ref()? {
        AnyValue::StringValue(s) => Some(s.clone()),
        AnyValue::IntValue(i) => Some(i.to_string()),
        AnyValue::ArrayValue(a) => Some(
            a.values
                .iter()
                .filter_map(|v| text(Some(v)))
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => None,
    }
}

fn attribute(span: &Span, key: &str) -> Option<String> {
    span.attributes
        .iter()
        .find(|kv: &&KeyValue| kv.key == key)
        .and_then(|kv| text(kv.value.as_ref()))
}

/// Random W3C ids: 16 bytes of trace id, 8 of parent span id.
fn random_ids() -> ([u8; 16], [u8; 8]) {
    (rand::random(), rand::random())
}

fn traceparent(trace: &[u8; 16], parent: &[u8; 8], sampled: bool) -> String {
    format!(
        "00-{}-{}-{}",
        hex(trace),
        hex(parent),
        if sampled { "01" } else { "00" }
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn post_traced(
    app: &TestApp,
    traceparent: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .header("traceparent", traceparent)
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// Waits until a received span satisfies `found`, for up to 20 seconds.
async fn wait_for(received: &Received, found: impl Fn(&Span) -> bool) -> Vec<(String, Span)> {
    for _ in 0..200 {
        let spans = received.spans();
        if spans.iter().any(|(_, span)| found(span)) {
            return spans;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no such span arrived; received {} span(s)",
        received.spans().len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_spans_continue_the_callers_trace_and_carry_no_secret() {
    let (endpoint, received) = fake_collector().await;
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.telemetry.otlp_endpoint = Some(endpoint);
        config.telemetry.service_name = "khuyenhoc-under-test".to_owned();
        config.telemetry.export_interval = Duration::from_millis(100);
    })
    .await;

    // Not sampled by the caller: continued, but not recorded.
    let (unsampled_trace, unsampled_parent) = random_ids();
    let (status, _) = post_traced(
        &app,
        &traceparent(&unsampled_trace, &unsampled_parent, false),
        None,
        json!({ "query": "query Unsampled { __typename }", "operationName": "Unsampled" }),
    )
    .await;
    assert_eq!(status, 200);

    // Sampled: a login (with a password in the variables) and a query with the token.
    let (trace, parent) = random_ids();
    let parent_header = traceparent(&trace, &parent, true);
    let (status, login) = post_traced(
        &app,
        &parent_header,
        None,
        json!({
            "query": "mutation SignIn($input: LoginInput!) { login(input: $input) { token } }",
            "variables": { "input": { "email": CENTRAL_ADMIN, "password": "demo-password" } },
            "operationName": "SignIn",
        }),
    )
    .await;
    assert_eq!(status, 200, "{login}");
    let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let (status, viewer) = post_traced(
        &app,
        &parent_header,
        Some(&token),
        json!({ "query": "query Dashboard { viewer { user { email } } }", "operationName": "Dashboard" }),
    )
    .await;
    assert_eq!(status, 200, "{viewer}");
    assert_eq!(viewer["data"]["viewer"]["user"]["email"], CENTRAL_ADMIN);

    let dashboard =
        |span: &Span| attribute(span, "graphql.operation.name").as_deref() == Some("Dashboard");
    let spans = wait_for(&received, dashboard).await;
    let (service, span) = spans.iter().find(|(_, s)| dashboard(s)).unwrap();
    assert_eq!(service, "khuyenhoc-under-test");
    assert_eq!(span.trace_id, trace, "continues the caller's trace");
    assert_eq!(span.parent_span_id, parent, "child of the caller's span");
    assert_eq!(span.kind, 2, "a SERVER span");
    assert_eq!(span.name, "POST /graphql");
    assert_eq!(
        attribute(span, "http.request.method").as_deref(),
        Some("POST")
    );
    assert_eq!(attribute(span, "http.route").as_deref(), Some("/graphql"));
    assert_eq!(
        attribute(span, "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_eq!(
        attribute(span, "graphql.operation.type").as_deref(),
        Some("query")
    );
    let admin_id = app
        .strings(&format!(
            "SELECT CAST(id AS TEXT) AS s FROM app_user WHERE email = '{CENTRAL_ADMIN}'"
        ))
        .await;
    assert_eq!(attribute(span, "enduser.id"), admin_id.into_iter().next());
    let statements: i64 = attribute(span, "khuyenhoc.sql.statements")
        .unwrap()
        .parse()
        .unwrap();
    assert!(statements >= 1, "the viewer query reads the database");

    let sign_in = spans
        .iter()
        .map(|(_, s)| s)
        .find(|s| attribute(s, "graphql.operation.name").as_deref() == Some("SignIn"))
        .expect("the login span");
    assert_eq!(sign_in.trace_id, trace);
    assert_eq!(
        attribute(sign_in, "graphql.operation.type").as_deref(),
        Some("mutation")
    );
    assert_eq!(
        attribute(sign_in, "enduser.id"),
        None,
        "login runs without an actor"
    );
    // Spans are exported in the order they end: the unsampled request came first.
    assert!(
        spans.iter().all(|(_, s)| s.trace_id != unsampled_trace),
        "a trace the caller did not sample is not exported"
    );

    // No secret or personal data in any byte sent to the collector.
    let everything: Vec<u8> = received
        .bodies()
        .iter()
        .flat_map(|(_, b)| b.to_vec())
        .collect();
    let everything = String::from_utf8_lossy(&everything);
    for secret in [token.as_str(), "demo-password", CENTRAL_ADMIN, "Bearer"] {
        assert!(!everything.contains(secret), "{secret:?} was exported");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_mark_the_span_with_their_codes_and_probes_get_no_span() {
    let (endpoint, received) = fake_collector().await;
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.telemetry.otlp_endpoint = Some(endpoint);
        config.telemetry.export_interval = Duration::from_millis(100);
    })
    .await;
    let (probe_trace, probe_parent) = random_ids();
    let probe = app
        .client
        .get(app.url("/healthz"))
        .header(
            "traceparent",
            traceparent(&probe_trace, &probe_parent, true),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(probe.status().as_u16(), 200);
    let (trace, parent) = random_ids();
    let (status, body) = post_traced(
        &app,
        &traceparent(&trace, &parent, true),
        Some("not-a-token"),
        json!({ "query": "query Broken { viewer { user { email } } }" }),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    let spans = wait_for(&received, |s| s.trace_id == trace).await;
    let span = &spans.iter().find(|(_, s)| s.trace_id == trace).unwrap().1;
    assert_eq!(
        attribute(span, "http.response.status_code").as_deref(),
        Some("401")
    );
    assert_eq!(
        attribute(span, "khuyenhoc.error.codes").as_deref(),
        Some("UNAUTHENTICATED")
    );
    // A caller's mistake is not a server fault: the span status stays unset.
    assert_eq!(span.status.as_ref().map_or(0, |s| s.code), 0);
    // The probe ended first, so it would be in this or an earlier batch.
    assert!(
        spans.iter().all(|(_, s)| s.trace_id != probe_trace),
        "health probes are not traced"
    );
    assert!(!String::from_utf8_lossy(&received.bodies()[0].1).contains("not-a-token"));
    app.finish().await;
}

/// Starts the binary on a fresh SQLite file with `env`, returns it with its address and a
/// channel of its JSON log lines.
async fn start_binary(
    env: &[(&str, &str)],
) -> (
    tokio::process::Child,
    String,
    tokio::sync::mpsc::UnboundedReceiver<Value>,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/k.db", dir.path().display());
    let mut command = Command::new(env!("CARGO_BIN_EXE_khuyenhoc"));
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &url])
        .env_remove("DATABASE_URL")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .env_remove("OTEL_SERVICE_NAME")
        .env("RUST_LOG", "info")
        .env("KHUYENHOC_LOG__FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    for (key, value) in env {
        command.env(key, value);
    }
    let mut server = command.spawn().unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let (sender, logs) = tokio::sync::mpsc::unbounded_channel();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let log: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
            if line.contains("listening") {
                return log["address"].as_str().unwrap().to_owned();
            }
        }
        panic!("the server exited before listening");
    })
    .await
    .expect("the server starts");
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            let _ = sender.send(serde_json::from_str(&line).unwrap_or(Value::Null));
        }
    });
    (server, address, logs, dir)
}

async fn sigterm(server: &mut tokio::process::Child) {
    let pid = server.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(20), server.wait())
        .await
        .expect("exits after draining")
        .unwrap();
    assert!(status.success(), "{status:?}");
}

/// The "request finished" log line of the request to `/graphql` (the request span's fields are
/// under `span`).
async fn request_log(logs: &mut tokio::sync::mpsc::UnboundedReceiver<Value>) -> Value {
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(log) = logs.recv().await {
            if log["message"] == "request finished" && log["span"]["path"] == "/graphql" {
                return log;
            }
        }
        panic!("no request log line");
    })
    .await
    .expect("the request is logged")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_sends_the_last_spans_and_logs_carry_the_trace_id() {
    let (endpoint, received) = fake_collector().await;
    // The standard variables; the batch interval is an hour, so only the shutdown flush can
    // deliver the span.
    let (mut server, address, mut logs, _dir) = start_binary(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
        ("OTEL_SERVICE_NAME", "khuyenhoc-from-env"),
        ("KHUYENHOC_TELEMETRY__EXPORT_INTERVAL", "1h"),
    ])
    .await;
    let (trace, parent) = random_ids();
    let response = reqwest::Client::new()
        .post(format!("http://{address}/graphql"))
        .header("traceparent", traceparent(&trace, &parent, true))
        .json(&json!({ "query": "query LastWords { __typename }", "operationName": "LastWords" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let log = request_log(&mut logs).await;
    assert_eq!(log["span"]["trace_id"], hex(&trace), "{log}");
    assert_eq!(log["span"]["operation"], "LastWords", "{log}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(received.bodies().is_empty(), "nothing before the flush");

    sigterm(&mut server).await;
    let spans = received.spans();
    let (service, span) = spans
        .iter()
        .find(|(_, s)| s.trace_id == trace)
        .expect("the last span is sent on shutdown");
    assert_eq!(service, "khuyenhoc-from-env");
    assert_eq!(
        attribute(span, "graphql.operation.name").as_deref(),
        Some("LastWords")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_endpoint_nothing_is_sent_and_logs_are_unchanged() {
    let (endpoint, received) = fake_collector().await;
    // The SDK's own per-signal variable points at the collector: it must not switch export on.
    let traces_url = format!("{endpoint}/v1/traces");
    let (mut server, address, mut logs, _dir) = start_binary(&[
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces_url.as_str()),
        ("KHUYENHOC_TELEMETRY__EXPORT_INTERVAL", "10ms"),
    ])
    .await;
    let (trace, parent) = random_ids();
    let response = reqwest::Client::new()
        .post(format!("http://{address}/graphql"))
        .header("traceparent", traceparent(&trace, &parent, true))
        .json(&json!({ "query": "query Quiet { __typename }", "operationName": "Quiet" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let log = request_log(&mut logs).await;
    assert_eq!(log["span"]["operation"], "Quiet", "{log}");
    assert!(log["span"].get("trace_id").is_none(), "{log}");
    sigterm(&mut server).await;
    assert!(received.bodies().is_empty(), "nothing is exported");
}

#[test]
fn config_check_shows_the_telemetry_section_and_names_wrong_values() {
    let check = |env: &[(&str, &str)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_khuyenhoc"));
        command
            .args(["config", "check"])
            .env_remove("DATABASE_URL")
            .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
            .env_remove("OTEL_SERVICE_NAME");
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().unwrap()
    };
    let out = check(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4318"),
        ("KHUYENHOC_TELEMETRY__SAMPLE_RATIO", "0.25"),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let section = stdout
        .split("[telemetry]")
        .nth(1)
        .expect("a [telemetry] section");
    assert!(
        section.contains(r#"otlp_endpoint = "http://otel-collector:4318""#),
        "{stdout}"
    );
    assert!(section.contains("sample_ratio = 0.25"), "{stdout}");
    assert!(
        section.contains(r#"service_name = "khuyenhoc""#),
        "{stdout}"
    );

    for (key, value, setting) in [
        (
            "KHUYENHOC_TELEMETRY__SAMPLE_RATIO",
            "1.5",
            "telemetry.sample_ratio",
        ),
        (
            "KHUYENHOC_TELEMETRY__OTLP_ENDPOINT",
            "collector:4318",
            "telemetry.otlp_endpoint",
        ),
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "https://collector:4318",
            "telemetry.otlp_endpoint",
        ),
        (
            "KHUYENHOC_TELEMETRY__EXPORT_TIMEOUT",
            "0s",
            "telemetry.export_timeout",
        ),
    ] {
        let out = check(&[(key, value)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{key}={value} is refused");
        assert!(
            stderr.starts_with("error: configuration: ") && stderr.contains(setting),
            "{key}={value}: {stderr}"
        );
    }
}
