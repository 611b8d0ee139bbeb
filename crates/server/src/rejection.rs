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
}

impl Rejection {
    /// A rejection with an HTTP status, a stable code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            request_id: None,
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
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
