//! Domain errors. Mapped once, at the GraphQL edge, to `extensions.code`.
//!
//! Database errors are kept whole for logging but never shown to users: the edge turns them into
//! `INTERNAL` (or `UNAVAILABLE` when the database cannot be reached).

use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Result of a domain operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with one input field, reported back to the user in a mutation payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the offending input field, e.g. `input.endsOn` or `rows.3.scores.1.points`.
    pub field: String,
    /// Stable machine-readable code, e.g. `REQUIRED`, `OUT_OF_RANGE`, `DUPLICATE`.
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// Everything a domain operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid identity was presented.
    #[error("authentication required")]
    Unauthenticated,
    /// The object does not exist, or exists outside the actor's scope (indistinguishable).
    #[error("not found")]
    NotFound,
    /// The actor can see the object but may not do this to it.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The write conflicts with the current state (stale version, duplicate, illegal transition).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input is invalid; nothing was written.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The database cannot be reached right now.
    #[error("database unavailable")]
    Unavailable(#[source] DbErr),
    /// Any other database error; details are logged, never returned.
    #[error("database error: {0}")]
    Database(#[source] DbErr),
    /// A broken invariant; details are logged, never returned.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A single-field validation error.
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// The stable code the API reports for this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::NotFound => "NOT_FOUND",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::Conflict(_) => "CONFLICT",
            Self::Invalid(_) => "BAD_USER_INPUT",
            Self::Unavailable(_) => "UNAVAILABLE",
            Self::Database(_) | Self::Internal(_) => "INTERNAL",
        }
    }

    /// Whether the error is the server's fault (to be logged at error level).
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            Self::Database(_) | Self::Internal(_) | Self::Unavailable(_)
        )
    }
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if is_connection_error(&err) {
            return Self::Unavailable(err);
        }
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("a record with the same unique values already exists".into())
            }
            _ => Self::Database(err),
        }
    }
}

/// Whether `err` means the database could not be reached (as opposed to a failed statement).
pub fn is_connection_error(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            matches!(
                e.as_ref(),
                sea_orm::sqlx::Error::Io(_)
                    | sea_orm::sqlx::Error::PoolTimedOut
                    | sea_orm::sqlx::Error::PoolClosed
                    | sea_orm::sqlx::Error::WorkerCrashed
            )
        }
        _ => false,
    }
}

/// `err` and its sources on one line, for operator-facing messages (never for API responses).
pub fn one_line(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let next = inner.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = inner.source();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
