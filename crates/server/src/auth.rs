//! Authentication: `Authorization: Bearer <JWT>` to an [`Actor`].
//!
//! No header means an anonymous request (only `login` and introspection work). A header with a
//! bad token — malformed, expired, wrongly signed, unexpected algorithm, unknown or disabled
//! user — is refused outright with `UNAUTHENTICATED`, always with the same message.

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode, header};
use khuyenhoc_core::Error;
use khuyenhoc_core::access::Actor;

use crate::rejection::Rejection;
use crate::state::AppState;

const REFUSED: &str = "invalid or expired token";

/// The actor behind the request's bearer token; `None` without an `Authorization` header.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Arc<Actor>>, Rejection> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let refused = || Rejection::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", REFUSED);
    let token = value
        .to_str()
        .ok()
        .and_then(bearer_token)
        .ok_or_else(refused)?;
    actor_for_token(state, token).await.map(Some)
}

/// The token in a `Bearer <token>` value, if it has that shape.
pub fn bearer_token(value: &str) -> Option<&str> {
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The actor behind `token`, or `UNAUTHENTICATED` (always with the same message).
pub async fn actor_for_token(state: &AppState, token: &str) -> Result<Arc<Actor>, Rejection> {
    let refused = || Rejection::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", REFUSED);
    let claims = state.tokens.verify(token).map_err(|_| refused())?;
    let user_id = claims.user_id().map_err(|_| refused())?;
    match Actor::load(&state.services.db, user_id).await {
        Ok(actor) => Ok(Arc::new(actor)),
        Err(Error::Unauthenticated) => Err(refused()),
        Err(err) => {
            let gql = khuyenhoc_graphql::error::to_graphql(&err);
            let code = if matches!(err, Error::Unavailable(_)) {
                "UNAVAILABLE"
            } else {
                "INTERNAL"
            };
            Err(Rejection::new(
                StatusCode::SERVICE_UNAVAILABLE,
                code,
                gql.message,
            ))
        }
    }
}
