//! The `Idempotency-Key` header on mutations: a retried request with the same key (also a copy
//! racing the first) gets the first answer, marked `Idempotent-Replayed: true`, and nothing is
//! written twice. A key reused for a different request is refused with
//! `IDEMPOTENCY_KEY_REUSED` (422). Keys belong to the signed-in user; queries ignore them.

use std::time::{Duration, Instant};

use async_graphql::BatchRequest;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use khuyenhoc_core::service::idempotency::{self, Claim};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use crate::rejection::Rejection;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on answers replayed from an earlier request.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// A key this request holds: its answer must be stored (or the key released).
#[derive(Debug)]
pub struct Held {
    user_id: i64,
    key: String,
}

/// The `Idempotency-Key` header, if present: 1 to 128 visible ASCII characters.
pub fn key_of(headers: &HeaderMap) -> Result<Option<String>, Rejection> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 128 && k.chars().all(|c| c.is_ascii_graphic()))
        .map(|k| Some(k.to_owned()))
        .ok_or_else(|| {
            Rejection::new(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "Idempotency-Key must be 1 to 128 visible ASCII characters",
            )
        })
}

/// SHA-256 of what the request asks: document, operation name and variables.
fn request_hash(batch: &BatchRequest) -> String {
    let mut hasher = Sha256::new();
    for request in batch.iter() {
        hasher.update(request.query.as_bytes());
        hasher.update([0]);
        hasher.update(request.operation_name.as_deref().unwrap_or_default());
        hasher.update([0]);
        hasher.update(serde_json::to_vec(&request.variables).unwrap_or_default());
        hasher.update([0]);
    }
    hex::encode(hasher.finalize())
}

/// Claims `key` for the request, waiting (up to `wait`) while a copy of it is still running.
/// `Ok(Some(held))`: run the request; `Err(response)`: answer with it.
pub async fn claim(
    db: &DatabaseConnection,
    user_id: i64,
    key: String,
    batch: &BatchRequest,
    wait: Duration,
) -> Result<Held, Response> {
    let hash = request_hash(batch);
    let deadline = Instant::now() + wait;
    loop {
        let claim = idempotency::claim(db, user_id, &key, &hash)
            .await
            .map_err(|e| unavailable(&e))?;
        match claim {
            Claim::Run => return Ok(Held { user_id, key }),
            Claim::Replay { status, body } => return Err(replay(status, body)),
            Claim::Mismatch => {
                return Err(Rejection::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "IDEMPOTENCY_KEY_REUSED",
                    "this Idempotency-Key was used for a different request",
                )
                .into_response());
            }
            Claim::InProgress if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Claim::InProgress => {
                return Err(Rejection::new(
                    StatusCode::CONFLICT,
                    "IDEMPOTENCY_IN_PROGRESS",
                    "a request with this Idempotency-Key is still running; retry later",
                )
                .into_response());
            }
        }
    }
}

/// Stores the answer for the held key (releasing it when the request produced none), and
/// returns the answer.
pub async fn settle(db: &DatabaseConnection, held: Held, response: Response) -> Response {
    let status = response.status();
    if status.is_server_error() {
        // Timed out or failed inside: nothing to replay; a retry runs again.
        if let Err(e) = idempotency::release(db, held.user_id, &held.key).await {
            tracing::warn!(error = %e, "could not release an idempotency key");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (parts, Body::empty()).into_response();
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if let Err(e) = idempotency::complete(db, held.user_id, &held.key, status.as_u16(), text).await
    {
        tracing::warn!(error = %e, "could not store an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}

fn unavailable(error: &khuyenhoc_core::Error) -> Response {
    tracing::error!(error = %error, "idempotency key lookup failed");
    Rejection::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "UNAVAILABLE",
        "the service is temporarily unavailable; retry later",
    )
    .into_response()
}
