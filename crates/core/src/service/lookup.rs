//! Reading rows by id through the scope: the shared path of `node(id:)` and of every
//! "belongs to" relation.

use sea_orm::{ColumnTrait, QueryFilter};

use crate::Result;
use crate::access::{Actor, Scoped, readable};
use crate::entity::WithId;

/// The rows among `ids` that `actor` may read (in no particular order; missing and unreadable
/// ids are simply absent).
///
/// For an entity with a [`Scoped::readable_row_test`] the rows are fetched by key first and only
/// those the test cannot prove readable are asked for again through the scope (usually none:
/// an organisation in the actor's own subtree needs no second statement).
pub async fn by_ids<E: Scoped + WithId>(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<E::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let Some(proves_readable) = E::readable_row_test(actor) else {
        return scoped_by_ids::<E>(db, actor, ids).await;
    };
    let rows = E::find()
        .filter(E::id_column().is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let (mut proved, unproved): (Vec<_>, Vec<_>) =
        rows.into_iter().partition(|row| proves_readable(row));
    if !unproved.is_empty() {
        let ids: Vec<i64> = unproved.iter().map(E::id_of).collect();
        proved.extend(scoped_by_ids::<E>(db, actor, &ids).await?);
    }
    Ok(proved)
}

/// The rows among `ids` (non-empty) that the scope condition lets `actor` read.
async fn scoped_by_ids<E: Scoped + WithId>(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<E::Model>> {
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
