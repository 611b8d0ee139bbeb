//! Idempotency keys for mutations: the first request with a key runs and its answer is stored;
//! a retry with the same key (also one racing the first) gets that answer and writes nothing.
//!
//! The unique index on (user, key) decides the race: exactly one request inserts the `PENDING`
//! row and runs. A key left `PENDING` longer than [`ABANDONED_AFTER`] (its request died) may be
//! taken over by a retry.

use chrono::{Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::Result;
use crate::entity::idempotency_key::{ActiveModel, Column, Entity};

/// A pending key older than this belongs to a request that died; a retry may run again.
pub const ABANDONED_AFTER: Duration = Duration::minutes(2);

const PENDING: &str = "PENDING";
const DONE: &str = "DONE";

/// What a request with a key should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Run it, then [`complete`] (or [`release`] if no answer was produced).
    Run,
    /// Answer with what the first request answered.
    Replay {
        /// HTTP status.
        status: u16,
        /// Response body.
        body: String,
    },
    /// The first request is still running.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// Claims `key` for `user_id`'s request with hash `request_hash`.
pub async fn claim(
    db: &DatabaseConnection,
    user_id: i64,
    key: &str,
    request_hash: &str,
) -> Result<Claim> {
    let now = Utc::now();
    let row = ActiveModel {
        user_id: Set(user_id),
        idempotency_key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        status: Set(PENDING.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    let inserted = Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::UserId, Column::IdempotencyKey])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        return Ok(Claim::Run);
    }
    let Some(existing) = Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    else {
        // Removed between the two statements (a released claim): the caller may retry.
        return Ok(Claim::InProgress);
    };
    if existing.request_hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    if existing.status == DONE {
        return Ok(Claim::Replay {
            status: existing
                .response_status
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(200),
            body: existing.response_body.unwrap_or_default(),
        });
    }
    // Take over a key whose request died, if no other retry did first.
    let taken = Entity::update_many()
        .col_expr(Column::CreatedAt, sea_orm::sea_query::Expr::val(now))
        .filter(Column::Id.eq(existing.id))
        .filter(Column::Status.eq(PENDING))
        .filter(Column::CreatedAt.lt(now - ABANDONED_AFTER))
        .exec(db)
        .await?;
    Ok(if taken.rows_affected == 1 {
        Claim::Run
    } else {
        Claim::InProgress
    })
}

/// Stores the answer of a claimed key.
pub async fn complete(
    db: &DatabaseConnection,
    user_id: i64,
    key: &str,
    status: u16,
    body: String,
) -> Result<()> {
    let Some(row) = Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let mut row: ActiveModel = row.into();
    row.status = Set(DONE.to_owned());
    row.response_status = Set(Some(i32::from(status)));
    row.response_body = Set(Some(body));
    row.completed_at = Set(Some(Utc::now()));
    row.update(db).await?;
    Ok(())
}

/// Forgets a claimed key whose request produced no answer (timed out, panicked), so a retry
/// runs.
pub async fn release(db: &DatabaseConnection, user_id: i64, key: &str) -> Result<()> {
    Entity::delete_many()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::IdempotencyKey.eq(key))
        .filter(Column::Status.eq(PENDING))
        .exec(db)
        .await?;
    Ok(())
}
