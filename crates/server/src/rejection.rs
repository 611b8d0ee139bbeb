//! HTTP-level rejections as GraphQL-shaped JSON (`{"errors":[{"message","extensions":{"code"}}]}`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A request refused before GraphQL execution.
#[derive(Debug)]
pub struct Rejection {
    status: StatusCode,
    code: &'static str,
    message: String,
    request_id: Option<String>,
    retry_after: Option<u64>,
}

impl Rejection {
    /// A rejection with an HTTP status, a stable code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            request_id: None,
            retry_after: None,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Adds `extensions.requestId` (for internal errors, so users can quote it).
    pub fn with_request_id(mut self, request_id: &str) -> Self {
        self.request_id = Some(request_id.to_owned());
        self
    }

    /// Adds `Retry-After: seconds` (for refusals that pass with time: rate limits, capacity).
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let mut extensions = json!({ "code": self.code });
        if let Some(id) = self.request_id {
            extensions["requestId"] = json!(id);
        }
        let body = json!({ "errors": [{ "message": self.message, "extensions": extensions }] });
        let mut response = (self.status, axum::Json(body)).into_response();
        response.extensions_mut().insert(crate::metrics::Outcome {
            error_codes: vec![self.code.to_owned()],
            ..Default::default()
        });
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_that_passes_with_time_says_when_to_retry() {
        let later = Rejection::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "TOO_MANY_CONNECTIONS",
            "full",
        )
        .with_retry_after(5)
        .into_response();
        assert_eq!(
            later.headers().get(header::RETRY_AFTER),
            Some(&HeaderValue::from_static("5"))
        );
        let final_answer =
            Rejection::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", "no").into_response();
        assert!(final_answer.headers().get(header::RETRY_AFTER).is_none());
    }
}
