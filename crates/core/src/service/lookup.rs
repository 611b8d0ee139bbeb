//! Reading rows by id through the scope: the shared path of `node(id:)` and of every
//! "belongs to" relation.

use sea_orm::{ColumnTrait, QueryFilter};

use crate::Result;
use crate::access::{Actor, Scoped, readable};
use crate::entity::WithId;

/// The rows among `ids` that `actor` may read (in no particular order; missing and unreadable
/// ids are simply absent).
pub async fn by_ids<E: Scoped + WithId>(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<E::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(readable::<E>(actor)
        .filter(E::id_column().is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The row `id` if `actor` may read it.
pub async fn by_id<E: Scoped + WithId>(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<Option<E::Model>> {
    Ok(by_ids::<E>(db, actor, &[id]).await?.into_iter().next())
}
