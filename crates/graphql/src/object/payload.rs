//! Mutation payloads: the changed object, or the validation problems that stopped the change.

use async_graphql::SimpleObject;
use khuyenhoc_core::{Error, FieldError};

/// A problem with one input field. Nothing was written.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    /// The input field at fault, e.g. `name`, `endsOn` or `rows.3.scores.1.points`.
    pub field: String,
    /// Stable code, e.g. `REQUIRED`, `TOO_LONG`, `DUPLICATE`, `OUT_OF_RANGE`, `INVALID_STATE`.
    pub code: String,
    /// Explanation for people.
    pub message: String,
}

impl From<FieldError> for UserError {
    fn from(e: FieldError) -> Self {
        Self {
            field: e.field,
            code: e.code.to_owned(),
            message: e.message,
        }
    }
}

/// Splits a mutation's result into the payload's value and user errors: validation failures
/// become `userErrors`; every other error stays a GraphQL error with its code.
pub fn split<T>(result: Result<T, Error>) -> async_graphql::Result<(Option<T>, Vec<UserError>)> {
    match result {
        Ok(value) => Ok((Some(value), Vec::new())),
        Err(Error::Invalid(errors)) => {
            Ok((None, errors.into_iter().map(UserError::from).collect()))
        }
        Err(other) => Err(crate::error::to_graphql(&other)),
    }
}
