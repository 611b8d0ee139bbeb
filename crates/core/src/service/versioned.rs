//! Optimistic concurrency: updates carry the version the client read.

use crate::{Error, Result};

/// `Conflict` unless the client's `expected` version is the stored `current` one.
pub fn check_version(entity: &str, expected: i32, current: i32) -> Result<()> {
    if expected == current {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "the {entity} was changed by someone else (version {current}, you sent {expected}); \
             reload it and try again"
        )))
    }
}

/// `Conflict` unless a guarded `UPDATE … WHERE version = expected` touched a row.
pub fn check_updated(entity: &str, rows_affected: u64) -> Result<()> {
    if rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "the {entity} was changed by someone else; reload it and try again"
        )))
    }
}
