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

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, IntoActiveModel, QueryFilter};

use crate::entity::Versioned;

/// Writes the changed fields of `next` to row `id` if its stored version is still `expected`,
/// bumping the version and `updated_at`; `Conflict` otherwise. Returns the saved row.
pub async fn save<E>(
    db: &impl ConnectionTrait,
    id: i64,
    mut next: E::ActiveModel,
    expected: i32,
) -> Result<E::Model>
where
    E: Versioned,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    next.set(E::version_column(), (expected + 1).into());
    next.set(E::updated_at_column(), Utc::now().into());
    let result = E::update_many()
        .set(next)
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(expected))
        .exec(db)
        .await?;
    check_updated(E::LABEL, result.rows_affected)?;
    E::find_by_id_i64(db, id).await
}
