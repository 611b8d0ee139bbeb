//! Keeping the statistics tallies in step with the rows they count.
//!
//! Three tables (migration `m20261129_000011`) hold, for every organisation below a root, the
//! figures of its **whole subtree**: `assessment_tally` (assessments by year, model, status and
//! result), `training_tally` (sessions held, registered and attended participants, by Vietnamese
//! calendar year) and `program_tally` (active programs, by each year of their period). A roll-up
//! reads each child's figures from one short index range instead of aggregating the child's
//! subtree (see [`super::aggregate`]). Every write that changes what is counted updates them in
//! its own transaction:
//!
//! * a row created or changed ([`record`]): its old contribution leaves, and its new one joins,
//!   the tallies of its organisation and of that organisation's ancestors;
//! * a subtree moved, or an organisation merged into another ([`shift_subtree`]): the subtree's
//!   contributions move from the old line of ancestors to the new one;
//! * a bulk load, or a repair ([`rebuild`]): the tables are recomputed from the rows, with the
//!   migration's own statements.
//!
//! Roots are never counted (nothing reads them as a child), so no write in the country contends
//! for one row. Counts may reach zero; readers skip those rows. [`drift`] compares the tables with
//! a recount (every API test ends with it).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement, TransactionSession,
    TransactionTrait, Value,
};

use crate::access::path;
use crate::entity::enums::{ProgramStatus, SessionStatus};
use crate::entity::{assessment, program, training_session};
use crate::service::program::subtree_ids;
use crate::{Error, Result};

/// Vietnam's offset from UTC: sessions count in the local calendar year of their start.
const VIETNAM_OFFSET_HOURS: i64 = 7;

/// What one row adds to a tally: the key (after `organisation_id`) and the summed measures.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Contribution {
    key: Vec<Value>,
    measures: Vec<i64>,
}

/// A kind of row counted in a tally table.
pub(crate) trait Counted: Sized + Send + Sync + 'static {
    /// The entity whose rows are counted.
    type Entity: EntityTrait<Model = Self>;
    /// The tally table.
    const TABLE: &'static str;
    /// Its key columns after `organisation_id`.
    const KEYS: &'static [&'static str];
    /// Its summed columns.
    const MEASURES: &'static [&'static str];
    /// The column naming the organisation a row counts for.
    fn owner() -> <Self::Entity as EntityTrait>::Column;
    /// What the row adds to the tallies (nothing when it is not counted).
    fn contributions(&self) -> Vec<Contribution>;
}

impl Counted for assessment::Model {
    type Entity = assessment::Entity;
    const TABLE: &'static str = "assessment_tally";
    const KEYS: &'static [&'static str] = &[
        "period_year",
        "model",
        "status",
        "result_rank",
        "result_code",
    ];
    const MEASURES: &'static [&'static str] = &["n"];

    fn owner() -> assessment::Column {
        assessment::Column::OrganisationId
    }

    fn contributions(&self) -> Vec<Contribution> {
        if self.archived_at.is_some() {
            return Vec::new();
        }
        vec![Contribution {
            key: vec![
                self.period_year.into(),
                self.model.as_str().into(),
                self.status.as_str().into(),
                self.result_rank.into(),
                self.result_code.clone().into(),
            ],
            measures: vec![1],
        }]
    }
}

impl Counted for training_session::Model {
    type Entity = training_session::Entity;
    const TABLE: &'static str = "training_tally";
    const KEYS: &'static [&'static str] = &["year"];
    const MEASURES: &'static [&'static str] = &["held", "registered", "attended"];

    fn owner() -> training_session::Column {
        training_session::Column::OrganiserId
    }

    fn contributions(&self) -> Vec<Contribution> {
        if self.status != SessionStatus::Held || self.archived_at.is_some() {
            return Vec::new();
        }
        let local_year = (self.starts_at + Duration::hours(VIETNAM_OFFSET_HOURS)).year();
        vec![Contribution {
            key: vec![local_year.into()],
            measures: vec![
                1,
                i64::from(self.registered_count),
                i64::from(self.attended_count),
            ],
        }]
    }
}

impl Counted for program::Model {
    type Entity = program::Entity;
    const TABLE: &'static str = "program_tally";
    const KEYS: &'static [&'static str] = &["year"];
    const MEASURES: &'static [&'static str] = &["active"];

    fn owner() -> program::Column {
        program::Column::OwnerId
    }

    fn contributions(&self) -> Vec<Contribution> {
        if self.status != ProgramStatus::Active || self.archived_at.is_some() {
            return Vec::new();
        }
        (self.starts_on.year()..=self.ends_on.year())
            .map(|year| Contribution {
                key: vec![year.into()],
                measures: vec![1],
            })
            .collect()
    }
}

/// The organisations whose tallies count the rows of the organisation at `org_path`: itself
/// and its ancestors, roots left out.
fn counted_lineage(org_path: &str) -> Vec<i64> {
    path::ids(org_path).into_iter().skip(1).collect()
}

/// `after`'s contributions minus `before`'s, merged by key, zeros dropped.
fn difference(before: &[Contribution], after: &[Contribution]) -> Vec<Contribution> {
    let mut out: Vec<Contribution> = Vec::new();
    let signed = before
        .iter()
        .map(|c| (c, -1))
        .chain(after.iter().map(|c| (c, 1)));
    for (contribution, sign) in signed {
        let scaled = contribution.measures.iter().map(|m| m * sign);
        match out.iter_mut().find(|c| c.key == contribution.key) {
            Some(existing) => {
                for (total, m) in existing.measures.iter_mut().zip(scaled) {
                    *total += m;
                }
            }
            None => out.push(Contribution {
                key: contribution.key.clone(),
                measures: scaled.collect(),
            }),
        }
    }
    out.retain(|c| c.measures.iter().any(|m| *m != 0));
    out
}

/// Records that a row of the organisation at `org_path` went from `before` (`None`: it did not
/// exist) to `after` (`None`: it no longer exists).
pub(crate) async fn record<C: Counted>(
    txn: &impl ConnectionTrait,
    org_path: &str,
    before: Option<&C>,
    after: Option<&C>,
) -> Result<()> {
    let change = difference(
        &before.map(C::contributions).unwrap_or_default(),
        &after.map(C::contributions).unwrap_or_default(),
    );
    add::<C>(txn, &counted_lineage(org_path), &change).await
}

/// [`record`] for a row of the organisation `owner_id`, whose path is read only when the
/// change touches a tally.
pub(crate) async fn record_for_owner<C: Counted>(
    txn: &impl ConnectionTrait,
    owner_id: i64,
    before: Option<&C>,
    after: Option<&C>,
) -> Result<()> {
    let change = difference(
        &before.map(C::contributions).unwrap_or_default(),
        &after.map(C::contributions).unwrap_or_default(),
    );
    if change.is_empty() {
        return Ok(());
    }
    let owner = crate::entity::organisation::Entity::find_by_id(owner_id)
        .one(txn)
        .await?
        .ok_or_else(|| Error::Internal(format!("organisation {owner_id} is missing")))?;
    add::<C>(txn, &counted_lineage(&owner.path), &change).await
}

/// Moves every tally of the subtree at `subtree_path` (read before its paths are rewritten)
/// from the counted lineage of `from_path` to that of `to_path`; ancestors on both lines are
/// left alone. The subtree's rows are read once per kind: a reorganisation is rare, and this
/// keeps the tallies exact whatever they held before.
pub(crate) async fn shift_subtree(
    txn: &impl ConnectionTrait,
    subtree_path: &str,
    from_path: &str,
    to_path: &str,
) -> Result<()> {
    let old = counted_lineage(from_path);
    let new = counted_lineage(to_path);
    let losing: Vec<i64> = old.iter().copied().filter(|id| !new.contains(id)).collect();
    let gaining: Vec<i64> = new.iter().copied().filter(|id| !old.contains(id)).collect();
    if losing.is_empty() && gaining.is_empty() {
        return Ok(());
    }
    shift::<assessment::Model>(txn, subtree_path, &losing, &gaining).await?;
    shift::<training_session::Model>(txn, subtree_path, &losing, &gaining).await?;
    shift::<program::Model>(txn, subtree_path, &losing, &gaining).await
}

async fn shift<C: Counted>(
    txn: &impl ConnectionTrait,
    subtree_path: &str,
    losing: &[i64],
    gaining: &[i64],
) -> Result<()> {
    let rows = C::Entity::find()
        .filter(C::owner().in_subquery(subtree_ids(subtree_path)))
        .all(txn)
        .await?;
    let total = difference(
        &[],
        &rows.iter().flat_map(C::contributions).collect::<Vec<_>>(),
    );
    let negated = difference(&total, &[]);
    add::<C>(txn, losing, &negated).await?;
    add::<C>(txn, gaining, &total).await
}

/// Recomputes every tally from the rows, in one transaction.
pub async fn rebuild(db: &impl TransactionTrait) -> Result<()> {
    let txn = db.begin().await?;
    khuyenhoc_migrations::rebuild::statistics_tallies(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The differences between the stored tallies and a recount from the rows, one line each
/// (empty when they agree). The recount runs in a transaction that is rolled back.
pub async fn drift(db: &impl TransactionTrait) -> Result<Vec<String>> {
    let txn = db.begin().await?;
    let stored = stored_rows(&txn).await?;
    khuyenhoc_migrations::rebuild::statistics_tallies(&txn).await?;
    let recounted = stored_rows(&txn).await?;
    txn.rollback().await?;
    let mut lines = Vec::new();
    for (key, values) in &recounted {
        if stored.get(key) != Some(values) {
            lines.push(format!(
                "{key}: stored {:?}, recounted {values:?}",
                stored.get(key)
            ));
        }
    }
    for (key, values) in &stored {
        if !recounted.contains_key(key) {
            lines.push(format!("{key}: stored {values:?}, recounted nothing"));
        }
    }
    Ok(lines)
}

/// The rows of every tally with a non-zero measure, keyed by a rendering of table and key.
async fn stored_rows(txn: &impl ConnectionTrait) -> Result<BTreeMap<String, Vec<i64>>> {
    let mut out = BTreeMap::new();
    stored_rows_of::<assessment::Model>(txn, &mut out).await?;
    stored_rows_of::<training_session::Model>(txn, &mut out).await?;
    stored_rows_of::<program::Model>(txn, &mut out).await?;
    Ok(out)
}

async fn stored_rows_of<C: Counted>(
    txn: &impl ConnectionTrait,
    out: &mut BTreeMap<String, Vec<i64>>,
) -> Result<()> {
    let keys = C::KEYS
        .iter()
        .map(|k| format!("CAST({k} AS TEXT)"))
        .collect::<Vec<_>>()
        .join(", ");
    let nonzero = C::MEASURES
        .iter()
        .map(|m| format!("{m} <> 0"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "SELECT organisation_id, {keys}, {} FROM {} WHERE {nonzero}",
        C::MEASURES.join(", "),
        C::TABLE
    );
    let rows = txn
        .query_all_raw(Statement::from_string(txn.get_database_backend(), sql))
        .await?;
    for row in rows {
        let mut key = format!(
            "{} organisation {}",
            C::TABLE,
            row.try_get_by_index::<i64>(0)?
        );
        for i in 0..C::KEYS.len() {
            key.push(' ');
            key.push_str(&row.try_get_by_index::<String>(1 + i)?);
        }
        let measures = (0..C::MEASURES.len())
            .map(|i| row.try_get_by_index::<i64>(1 + C::KEYS.len() + i))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        out.insert(key, measures);
    }
    Ok(())
}

/// Adds every contribution to the tally of every organisation of `organisations`.
async fn add<C: Counted>(
    txn: &impl ConnectionTrait,
    organisations: &[i64],
    contributions: &[Contribution],
) -> Result<()> {
    const ROWS_PER_STATEMENT: usize = 500;
    let table = Alias::new(C::TABLE);
    let keys: Vec<Alias> = std::iter::once("organisation_id")
        .chain(C::KEYS.iter().copied())
        .map(Alias::new)
        .collect();
    let measures: Vec<Alias> = C::MEASURES.iter().copied().map(Alias::new).collect();
    let rows: Vec<(i64, &Contribution)> = organisations
        .iter()
        .flat_map(|&id| contributions.iter().map(move |c| (id, c)))
        .collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Query::insert();
        insert
            .into_table(table.clone())
            .columns(keys.iter().chain(&measures).cloned());
        for (organisation_id, contribution) in chunk {
            let values = std::iter::once(Value::from(*organisation_id))
                .chain(contribution.key.iter().cloned())
                .chain(contribution.measures.iter().map(|m| Value::from(*m)))
                .map(Expr::val);
            insert
                .values(values)
                .map_err(|e| Error::Internal(format!("tally row: {e}")))?;
        }
        let mut on_conflict = OnConflict::columns(keys.iter().cloned());
        for measure in &measures {
            on_conflict.value(
                measure.clone(),
                Expr::col((table.clone(), measure.clone()))
                    .add(Expr::col((Alias::new("excluded"), measure.clone()))),
            );
        }
        insert.on_conflict(on_conflict);
        txn.execute(&insert).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_not_counted() {
        assert_eq!(counted_lineage("/1/"), Vec::<i64>::new());
        assert_eq!(counted_lineage("/1/2/57/"), vec![2, 57]);
    }

    #[test]
    fn a_change_moves_one_count_between_keys() {
        let key = |k: i32| vec![Value::from(k)];
        let before = [Contribution {
            key: key(2024),
            measures: vec![1, 5],
        }];
        let after = [
            Contribution {
                key: key(2024),
                measures: vec![1, 7],
            },
            Contribution {
                key: key(2025),
                measures: vec![1, 0],
            },
        ];
        assert_eq!(
            difference(&before, &after),
            vec![
                Contribution {
                    key: key(2024),
                    measures: vec![0, 2],
                },
                Contribution {
                    key: key(2025),
                    measures: vec![1, 0],
                },
            ]
        );
        assert_eq!(difference(&before, &before), Vec::new());
    }
}
