//! The GraphQL endpoint over HTTP (`POST` and `GET /graphql`).
//!
//! Guards applied before execution, each answered with a JSON error and a stable code:
//! `application/json` bodies only (415 — this also blocks cross-site "simple" form and
//! `text/plain` posts), body size (413), malformed JSON (400), batches (400), mutations over
//! `GET` (405), bad tokens (401), capacity (503 `OVERLOADED` with `Retry-After` when no turn
//! came within `limits.max_queue_wait`, see [`crate::admission`]), and the request time limit
//! (503, the work is cancelled).

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, ErrorExtensionValues, ServerError, Value};
use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use khuyenhoc_core::audit;
use khuyenhoc_core::db::StatementCounter;
use khuyenhoc_graphql::RequestState;
use serde::Deserialize;

use std::net::{IpAddr, SocketAddr};
use std::panic::AssertUnwindSafe;

use futures::FutureExt;

use crate::auth::authenticate;
use crate::document_guard;
use crate::idempotency;
use crate::metrics::Outcome;
use crate::rate_limit::Client;
use crate::rejection::Rejection;
use crate::state::AppState;
use crate::telemetry::RequestId;

/// What every GraphQL request carries besides its body.
struct Envelope {
    request_id: String,
    counter: StatementCounter,
    client_address: Option<IpAddr>,
}

/// `POST /graphql` with a JSON body.
pub async fn post(
    State(state): State<AppState>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Extension(counter): Extension<StatementCounter>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let envelope = Envelope {
        request_id,
        counter,
        client_address: client_address(&state, &headers, connection),
    };
    let batch = post_request(&state, &headers, body)
        .await
        .and_then(|batch| resolve_documents(&state, batch));
    match batch {
        Ok(batch) => run(&state, &headers, batch, envelope).await,
        Err(rejection) => rejection.into_response(),
    }
}

async fn post_request(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<BatchRequest, Rejection> {
    if !is_json(headers) {
        return Err(Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the GraphQL request as JSON with Content-Type: application/json",
        ));
    }
    let limit = state.config.limits.max_body_bytes;
    let bytes: Bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        Rejection::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("the request body exceeds {limit} bytes"),
        )
    })?;
    let bad = || {
        Rejection::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the body is not a GraphQL request: expected JSON like {\"query\": \"…\", \"variables\": {…}}",
        )
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    // A query, or a persisted-query hash standing for one.
    let is_request = |v: &serde_json::Value| {
        v.get("query").is_some_and(serde_json::Value::is_string)
            || v.pointer("/extensions/persistedQuery").is_some()
    };
    let shaped = match &value {
        serde_json::Value::Object(_) => is_request(&value),
        serde_json::Value::Array(items) => !items.is_empty() && items.iter().all(is_request),
        _ => false,
    };
    if !shaped {
        return Err(bad());
    }
    serde_json::from_value::<BatchRequest>(value).map_err(|_| bad())
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| {
            let essence = essence.trim();
            essence.eq_ignore_ascii_case("application/json")
                || essence.eq_ignore_ascii_case("application/graphql-response+json")
        })
}

/// The query-string form of a GraphQL request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// `GET /graphql?query=…`: queries only.
pub async fn get(
    State(state): State<AppState>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Extension(counter): Extension<StatementCounter>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let envelope = Envelope {
        request_id,
        counter,
        client_address: client_address(&state, &headers, connection),
    };
    let request = get_request(query.as_deref().unwrap_or_default()).and_then(|mut request| {
        state.documents.resolve(&mut request)?;
        refuse_mutation(&mut request)?;
        Ok(request)
    });
    match request {
        Ok(request) => run(&state, &headers, BatchRequest::Single(request), envelope).await,
        Err(rejection) => rejection.into_response(),
    }
}

fn get_request(query: &str) -> Result<async_graphql::Request, Rejection> {
    let bad = |message: &str| Rejection::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message);
    let params: GetParams = serde_urlencoded::from_str(query)
        .map_err(|_| bad("the query string is not a GraphQL request"))?;
    if params.query.is_none() && params.extensions.is_none() {
        return Err(bad("missing the `query` parameter"));
    }
    let mut request = async_graphql::Request::new(params.query.unwrap_or_default());
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables.filter(|v| !v.is_empty()) {
        let value: serde_json::Value =
            serde_json::from_str(&variables).map_err(|_| bad("`variables` is not valid JSON"))?;
        request = request.variables(async_graphql::Variables::from_json(value));
    }
    if let Some(extensions) = params.extensions.filter(|v| !v.is_empty()) {
        request.extensions =
            serde_json::from_str(&extensions).map_err(|_| bad("`extensions` is not valid JSON"))?;
    }
    Ok(request)
}

/// `405` for a mutation (or subscription) sent with `GET`: a link or an image tag must never
/// change anything.
fn refuse_mutation(request: &mut async_graphql::Request) -> Result<(), Rejection> {
    if matches!(
        document_guard::operation_type(request),
        Some(OperationType::Mutation | OperationType::Subscription)
    ) {
        return Err(Rejection::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "mutations must be sent with POST",
        ));
    }
    Ok(())
}

/// Fills in persisted documents (APQ or the trusted manifest) before any other check.
fn resolve_documents(state: &AppState, batch: BatchRequest) -> Result<BatchRequest, Rejection> {
    Ok(match batch {
        BatchRequest::Single(mut request) => {
            state.documents.resolve(&mut request)?;
            BatchRequest::Single(request)
        }
        BatchRequest::Batch(requests) => BatchRequest::Batch(
            requests
                .into_iter()
                .map(|mut request| state.documents.resolve(&mut request).map(|()| request))
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// The client's address: the first `X-Forwarded-For` entry when configured to trust it, else
/// the peer of the connection.
pub(crate) fn client_address(
    state: &AppState,
    headers: &HeaderMap,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Option<IpAddr> {
    let forwarded = state
        .config
        .rate_limit
        .trust_forwarded_for
        .then(|| {
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    forwarded.or_else(|| connection.map(|Extension(ConnectInfo(peer))| peer.ip()))
}

async fn run(
    state: &AppState,
    headers: &HeaderMap,
    mut batch: BatchRequest,
    envelope: Envelope,
) -> Response {
    let (operation, operation_type) = describe(&mut batch, &state.document_limits());
    let mut response = execute(state, headers, batch, operation_type, envelope).await;
    let outcome = response.extensions_mut().get_or_insert_default::<Outcome>();
    outcome.operation = operation;
    outcome.operation_type = operation_type;
    response
}

async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    mut batch: BatchRequest,
    operation_type: Option<&'static str>,
    envelope: Envelope,
) -> Response {
    let Envelope {
        request_id,
        counter,
        client_address,
    } = envelope;
    if let BatchRequest::Batch(requests) = &batch
        && requests.len() != 1
    {
        return Rejection::new(
            StatusCode::BAD_REQUEST,
            "BATCH_NOT_ALLOWED",
            "batched requests are not accepted; send one operation per request",
        )
        .into_response();
    }
    // From here on the operation uses the database: it waits for its turn first.
    let _turn = match state.admission.admit().await {
        Ok(turn) => turn,
        Err(overloaded) => return overloaded.into_response(),
    };
    let actor = match authenticate(state, headers).await {
        Ok(actor) => actor,
        Err(rejection) => return rejection.into_response(),
    };
    let client = match (&actor, client_address) {
        (Some(actor), _) => Some(Client::User(actor.user_id)),
        (None, Some(address)) => Some(Client::Address(address)),
        (None, None) => None,
    };
    if let Some(client) = client
        && let Err(wait) = state.rate_limits.check_request(&client)
    {
        return rate_limited(wait);
    }
    if let BatchRequest::Single(request) = &mut batch
        && let Err(rejection) = document_guard::check(request, &state.document_limits())
    {
        return rejection.into_response();
    }
    if let Some(actor) = &actor {
        tracing::Span::current().record("actor", actor.user_id);
    }
    let key = match idempotency::key_of(headers) {
        Ok(key) => key,
        Err(rejection) => return rejection.into_response(),
    };
    let held = match (key, &actor, operation_type) {
        (Some(key), Some(actor), Some("mutation")) => {
            let wait = state.config.limits.request_timeout;
            match idempotency::claim(&state.services.db, actor.user_id, key, &batch, wait).await {
                Ok(held) => Some(held),
                Err(answer) => return answer,
            }
        }
        _ => None,
    };
    let actor_id = actor.as_ref().map(|actor| actor.user_id);
    let response = run_operation(state, batch, actor, counter, client_address, request_id).await;
    let mut response = match held {
        Some(held) => idempotency::settle(&state.services.db, held, response).await,
        None => response,
    };
    response
        .extensions_mut()
        .get_or_insert_default::<Outcome>()
        .actor = actor_id;
    response
}

/// Executes the (single) operation as `actor`, within the request time limit.
async fn run_operation(
    state: &AppState,
    batch: BatchRequest,
    actor: Option<std::sync::Arc<khuyenhoc_core::access::Actor>>,
    counter: StatementCounter,
    client_address: Option<IpAddr>,
    request_id: String,
) -> Response {
    let batching = khuyenhoc_graphql::BatchGate::new();
    let attach = |request| {
        RequestState {
            actor: khuyenhoc_graphql::ActorCell::new(actor.clone()),
            counter: counter.clone(),
            batching: batching.clone(),
            client_address,
        }
        .attach(request, &state.services)
    };
    let batch = match batch {
        BatchRequest::Single(request) => BatchRequest::Single(attach(request)),
        BatchRequest::Batch(requests) => {
            BatchRequest::Batch(requests.into_iter().map(attach).collect())
        }
    };
    let execution = audit::with_request_id(
        request_id.clone(),
        batching.drive(async_graphql::Executor::execute_batch(&state.schema, batch)),
    );
    let limit = state.config.limits.request_timeout;
    match tokio::time::timeout(limit, catching_panics(execution, &request_id)).await {
        Ok(Ok(response)) => respond(response),
        Ok(Err(internal)) => internal,
        Err(_) => Rejection::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "TIMEOUT",
            format!(
                "the request ran longer than {} and was cancelled",
                humantime::format_duration(limit)
            ),
        )
        .into_response(),
    }
}

/// Runs `execution`; a panic in it (a resolver bug) becomes an INTERNAL answer carrying the
/// request id (the log has the panic message), never a dropped connection.
async fn catching_panics<F: std::future::Future>(
    execution: F,
    request_id: &str,
) -> Result<F::Output, Response> {
    AssertUnwindSafe(execution)
        .catch_unwind()
        .await
        .map_err(|panic| internal_after_panic(request_id, panic.as_ref()))
}

fn internal_after_panic(request_id: &str, panic: &(dyn std::any::Any + Send)) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(request_id, panic = %message, "a resolver panicked");
    Rejection::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL",
        format!("internal error; quote request id {request_id} to the operators"),
    )
    .with_request_id(request_id)
    .into_response()
}

/// The operation's name and type, for logs and metrics. The document is parsed here (once, and
/// kept for execution) only when its length passes the guard's limit.
fn describe(
    batch: &mut BatchRequest,
    limits: &document_guard::DocumentLimits,
) -> (Option<String>, Option<&'static str>) {
    let BatchRequest::Single(request) = batch else {
        return (None, None);
    };
    let operation_type = (request.query.chars().count() <= limits.max_chars)
        .then(|| document_guard::operation_type(request))
        .flatten()
        .map(|ty| match ty {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        });
    (request.operation_name.clone(), operation_type)
}

fn respond(response: BatchResponse) -> Response {
    let response = match response {
        BatchResponse::Single(r) => BatchResponse::Single(with_codes(r)),
        BatchResponse::Batch(rs) => BatchResponse::Batch(rs.into_iter().map(with_codes).collect()),
    };
    let codes: Vec<String> = match &response {
        BatchResponse::Single(r) => r.errors.iter().filter_map(code_of).collect(),
        BatchResponse::Batch(rs) => rs
            .iter()
            .flat_map(|r| r.errors.iter().filter_map(code_of))
            .collect(),
    };

    let retry_after = retry_after(&response);
    let body = serde_json::to_vec(&response).unwrap_or_else(|_| b"{\"errors\":[{\"message\":\"internal error\",\"extensions\":{\"code\":\"INTERNAL\"}}]}".to_vec());
    let status = if retry_after.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::OK
    };
    let mut http = (status, body).into_response();
    http.extensions_mut().insert(Outcome {
        error_codes: codes,
        ..Outcome::default()
    });
    http.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(seconds) = retry_after {
        http.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    http
}

/// The `retryAfter` of a `RATE_LIMITED` error in the response, if any.
fn retry_after(response: &BatchResponse) -> Option<u64> {
    let errors: Vec<&ServerError> = match response {
        BatchResponse::Single(r) => r.errors.iter().collect(),
        BatchResponse::Batch(rs) => rs.iter().flat_map(|r| r.errors.iter()).collect(),
    };
    errors.into_iter().find_map(|error| {
        let extensions = error.extensions.as_ref()?;
        if !matches!(extensions.get("code"), Some(Value::String(code)) if code == "RATE_LIMITED") {
            return None;
        }
        match extensions.get("retryAfter") {
            Some(Value::Number(n)) => n.as_u64(),
            _ => Some(1),
        }
    })
}

/// `429` with `Retry-After`, before execution.
fn rate_limited(wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs().max(1);
    Rejection::new(
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMITED",
        format!("too many requests; try again in {seconds} s"),
    )
    .with_retry_after(seconds)
    .into_response()
}

fn code_of(error: &ServerError) -> Option<String> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(code) => Some(code.clone()),
        _ => None,
    }
}

/// Gives every error a code: request-level errors (parse, validation, limits) get
/// `GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`, `QUERY_TOO_DEEP` or `QUERY_TOO_COMPLEX`;
/// field errors without one (bad argument values) get `BAD_USER_INPUT`.
pub(crate) fn with_codes(mut response: async_graphql::Response) -> async_graphql::Response {
    for error in &mut response.errors {
        if code_of(error).is_some() {
            continue;
        }
        let code = if !error.path.is_empty() {
            "BAD_USER_INPUT"
        } else if error.message.contains("nested too deep") {
            "QUERY_TOO_DEEP"
        } else if error.message.contains("too complex") {
            "QUERY_TOO_COMPLEX"
        } else if error.message.to_ascii_lowercase().contains("parse error")
            || error.message.contains("expected")
        {
            "GRAPHQL_PARSE_FAILED"
        } else {
            "GRAPHQL_VALIDATION_FAILED"
        };
        error
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("code", code);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_execution_answers_internal_with_the_request_id() {
        let answer = catching_panics(
            async {
                if true {
                    panic!("resolver bug at /secret/path.rs");
                }
            },
            "req-42",
        )
        .await;
        let response = answer.expect_err("the panic is caught");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], "INTERNAL");
        assert_eq!(body["errors"][0]["extensions"]["requestId"], "req-42");
        assert!(!body.to_string().contains("secret"), "no internals: {body}");
    }

    #[tokio::test]
    async fn a_normal_execution_passes_through() {
        assert_eq!(catching_panics(async { 7 }, "r").await.ok(), Some(7));
    }
}
