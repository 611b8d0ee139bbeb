//! The one mapping from domain errors to GraphQL errors with a stable `extensions.code`.
//!
//! Codes: `UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`, `CONFLICT`,
//! `UNAVAILABLE`, `INTERNAL`. Internal errors are logged with the request id and reach the
//! client only as "internal error" plus that id — never SQL, paths or driver messages.
//!
//! The crate enables async-graphql's `custom-error-conversion`, so a domain error cannot be
//! turned into a GraphQL error by accident through `Display`: it must go through [`ApiError`].

use std::sync::Arc;

use async_graphql::{ErrorExtensions, Value};
use khuyenhoc_core::Error;

/// A domain error on its way to the client.
#[derive(Debug, Clone)]
pub struct ApiError(pub Arc<Error>);

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        Self(Arc::new(err))
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        to_graphql(&err.0)
    }
}

/// Converts a domain error, logging it if it is the server's fault.
pub fn to_graphql(err: &Error) -> async_graphql::Error {
    let code = err.code();
    let message = match err {
        Error::Unauthenticated => "authentication required: send a valid bearer token".to_owned(),
        Error::NotFound => "not found".to_owned(),
        Error::Forbidden(reason) => format!("forbidden: {reason}"),
        Error::Conflict(reason) => reason.clone(),
        Error::Invalid(errors) => match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => "the input is invalid".to_owned(),
        },
        Error::Unavailable(_) => {
            "the database is unavailable right now; try again shortly".to_owned()
        }
        Error::Database(_) | Error::Internal(_) => "internal error".to_owned(),
    };
    let request_id = khuyenhoc_core::audit::current_request_id();
    if err.is_internal() {
        tracing::error!(
            code,
            request_id = request_id.as_deref().unwrap_or("-"),
            error = %khuyenhoc_core::error::one_line(err),
            "request failed"
        );
    }
    let mut gql = async_graphql::Error::new(message).extend_with(|_, ext| {
        ext.set("code", code);
        if let Error::Invalid(errors) = err {
            ext.set(
                "fields",
                Value::List(
                    errors
                        .iter()
                        .map(|e| {
                            let mut obj = async_graphql::indexmap::IndexMap::new();
                            obj.insert(
                                async_graphql::Name::new("field"),
                                Value::from(e.field.clone()),
                            );
                            obj.insert(async_graphql::Name::new("code"), Value::from(e.code));
                            obj.insert(
                                async_graphql::Name::new("message"),
                                Value::from(e.message.clone()),
                            );
                            Value::Object(obj)
                        })
                        .collect(),
                ),
            );
        }
    });
    if err.is_internal()
        && let Some(id) = request_id
    {
        gql = gql.extend_with(|_, ext| ext.set("requestId", id));
    }
    gql
}

/// `RATE_LIMITED`, with `extensions.retryAfter` in whole seconds (the server answers 429 with a
/// `Retry-After` header when it sees this code).
pub fn rate_limited(wait: std::time::Duration) -> async_graphql::Error {
    let seconds = wait.as_secs().max(1);
    async_graphql::Error::new(format!("too many attempts; try again in {seconds} s")).extend_with(
        |_, ext| {
            ext.set("code", "RATE_LIMITED");
            ext.set("retryAfter", seconds);
        },
    )
}

/// A GraphQL error with `code` and `message` (for errors that never were domain errors).
pub fn coded(code: &'static str, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code))
}

/// `.api()?` turns a domain result into a GraphQL result.
pub trait IntoApi<T> {
    /// Maps the error through [`to_graphql`].
    fn api(self) -> async_graphql::Result<T>;
}

impl<T> IntoApi<T> for Result<T, Error> {
    fn api(self) -> async_graphql::Result<T> {
        self.map_err(|e| to_graphql(&e))
    }
}

impl<T> IntoApi<T> for Result<T, ApiError> {
    fn api(self) -> async_graphql::Result<T> {
        self.map_err(|e| to_graphql(&e.0))
    }
}
