//! The aggregate statements behind a roll-up: one grouped statement per kind of row
//! (assessments, training sessions, programs) for every parent of a batch at once.
//!
//! Each statement counts the rows of a fact table `f` in *buckets*, keyed by
//! `(parent_id, bucket_id)`:
//!
//! * a parent's own rows: `bucket_id = parent_id`, found through `f.<owner> IN (parents)`;
//! * each child's subtree: `bucket_id = child.id`, found by walking the children `b` of the
//!   parents, the organisations `o` of each child's subtree (a range of the byte-ordered
//!   `organisation.path`, one scan of `organisation_path_key` per child) and the rows each `o`
//!   owns (one probe of the statistics index of migration `m20261129_000009` per organisation).
//!
//! On PostgreSQL the children's part is a `LATERAL` subquery per child (see
//! [`Fact::children_lateral`] for why); on SQLite a plain join, which it plans the same way:
//!
//! ```sql
//! SELECT f.organisation_id AS parent_id, f.organisation_id AS bucket_id, <dims>, <measures>
//!   FROM assessment f
//!  WHERE f.organisation_id IN (…) AND <conditions>
//!  GROUP BY f.organisation_id, <dims>
//! UNION ALL
//! SELECT b.parent_id, b.id, x.<dims>, x.<measures>
//!   FROM organisation b
//!   JOIN LATERAL (SELECT <dims>, <measures>
//!                   FROM organisation o JOIN assessment f ON f.organisation_id = o.id
//!                  WHERE o.path >= b.path AND o.path < SUBSTR(b.path, 1, LENGTH(b.path) - 1) || '0'
//!                    AND <conditions>
//!                  GROUP BY <dims>) x ON TRUE
//!  WHERE b.parent_id IN (…)
//! ```
//!
//! The conditions that match a partial index (`archived_at IS NULL`, `status = 'HELD'`, …) are
//! written as literals, never bound parameters: a planner can only use a partial index when it
//! can prove the query implies the index's predicate, which it cannot do through a parameter.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, JoinType, Query, SelectStatement, UnionType,
};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, FromQueryResult, Statement};

use super::StatisticsQuery;
use super::figures::{AssessmentCell, Figures, TrainingFigures};
use crate::entity::enums::{AssessmentStatus, LearningModel};
use crate::{Error, Result};

/// `(parent_id, bucket_id)`: `bucket_id == parent_id` for the parent's own rows.
pub(super) type BucketKey = (i64, i64);

/// Vietnam's offset from UTC (no daylight saving): a year of training runs from 1 January
/// 00:00 to 1 January 00:00 local time.
const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// The figures of every bucket of `parents` with rows, in three statements.
pub(super) async fn buckets(
    db: &DatabaseConnection,
    parents: &[i64],
    query: &StatisticsQuery,
) -> Result<HashMap<BucketKey, Figures>> {
    let mut out: HashMap<BucketKey, Figures> = HashMap::new();
    if parents.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    for row in fetch::<AssessmentRow>(db, &assessments(query).bucketed(backend, parents)).await? {
        let cell = AssessmentCell {
            model: row.model,
            status: row.status,
            result_rank: row.result_rank,
            result_code: row.result_code,
        };
        let figures = out.entry((row.parent_id, row.bucket_id)).or_default();
        figures.assessments.add(cell, row.n);
    }
    for row in fetch::<TrainingRow>(db, &training(query)?.bucketed(backend, parents)).await? {
        out.entry((row.parent_id, row.bucket_id))
            .or_default()
            .training
            .absorb(&TrainingFigures {
                held: row.held,
                registered: row.registered,
                attended: row.attended,
            });
    }
    for row in fetch::<ProgramRow>(db, &programs(query)?.bucketed(backend, parents)).await? {
        out.entry((row.parent_id, row.bucket_id))
            .or_default()
            .active_programs += row.active;
    }
    Ok(out)
}

/// The three statements of a roll-up of `parents`, as `backend` runs them.
pub(super) fn statements(
    backend: DatabaseBackend,
    parents: &[i64],
    query: &StatisticsQuery,
) -> Result<Vec<Statement>> {
    Ok(vec![
        backend.build(&assessments(query).bucketed(backend, parents)),
        backend.build(&training(query)?.bucketed(backend, parents)),
        backend.build(&programs(query)?.bucketed(backend, parents)),
    ])
}

async fn fetch<T: FromQueryResult>(
    db: &DatabaseConnection,
    statement: &SelectStatement,
) -> Result<Vec<T>> {
    db.query_all(statement)
        .await?
        .iter()
        .map(|row| T::from_query_result(row, "").map_err(Error::from))
        .collect()
}

#[derive(Debug, FromQueryResult)]
struct AssessmentRow {
    parent_id: i64,
    bucket_id: i64,
    model: LearningModel,
    status: AssessmentStatus,
    result_rank: i32,
    result_code: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct TrainingRow {
    parent_id: i64,
    bucket_id: i64,
    held: i64,
    registered: i64,
    attended: i64,
}

#[derive(Debug, FromQueryResult)]
struct ProgramRow {
    parent_id: i64,
    bucket_id: i64,
    active: i64,
}

/// Assessments of the year (and model), not archived, by model, status and result.
fn assessments(query: &StatisticsQuery) -> Fact {
    let mut condition = Condition::all()
        .add(Expr::cust("f.archived_at IS NULL"))
        .add(Expr::col((f(), Alias::new("period_year"))).eq(query.year));
    if let Some(model) = query.model {
        condition = condition.add(Expr::col((f(), Alias::new("model"))).eq(model.as_str()));
    }
    Fact {
        table: "assessment",
        owner: "organisation_id",
        dims: &["model", "status", "result_rank", "result_code"],
        measures: &[("COUNT(*)", "n")],
        condition,
    }
}

/// Training sessions held, not archived, starting in the year (Vietnam time).
fn training(query: &StatisticsQuery) -> Result<Fact> {
    let (from, to) = year_instants(query.year)?;
    Ok(Fact {
        table: "training_session",
        owner: "organiser_id",
        dims: &[],
        measures: &[
            ("COUNT(*)", "held"),
            ("COALESCE(SUM(f.registered_count), 0)", "registered"),
            ("COALESCE(SUM(f.attended_count), 0)", "attended"),
        ],
        condition: Condition::all()
            .add(Expr::cust("f.status = 'HELD'"))
            .add(Expr::cust("f.archived_at IS NULL"))
            .add(Expr::col((f(), Alias::new("starts_at"))).gte(from))
            .add(Expr::col((f(), Alias::new("starts_at"))).lt(to)),
    })
}

/// Programs with status `ACTIVE`, not archived, whose period overlaps the year.
fn programs(query: &StatisticsQuery) -> Result<Fact> {
    let first = date(query.year, 1, 1)?;
    let last = date(query.year, 12, 31)?;
    Ok(Fact {
        table: "program",
        owner: "owner_id",
        dims: &[],
        measures: &[("COUNT(*)", "active")],
        condition: Condition::all()
            .add(Expr::cust("f.status = 'ACTIVE'"))
            .add(Expr::cust("f.archived_at IS NULL"))
            .add(Expr::col((f(), Alias::new("starts_on"))).lte(last))
            .add(Expr::col((f(), Alias::new("ends_on"))).gte(first)),
    })
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| Error::Internal(format!("no date {year}-{month}-{day}")))
}

/// `[1 January of year, 1 January of year + 1)` in Vietnam time, as UTC instants.
pub(super) fn year_instants(year: i32) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let offset = FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS)
        .ok_or_else(|| Error::Internal("bad UTC offset".into()))?;
    let start = |y: i32| -> Result<DateTime<Utc>> {
        let midnight = date(y, 1, 1)?
            .and_hms_opt(0, 0, 0)
            .ok_or_else(|| Error::Internal("bad midnight".into()))?;
        offset
            .from_local_datetime(&midnight)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| Error::Internal("ambiguous local time".into()))
    };
    Ok((start(year)?, start(year + 1)?))
}

/// The fact table's alias.
fn f() -> Alias {
    Alias::new("f")
}

/// `table.name`.
fn col(table: &Alias, name: &str) -> Expr {
    Expr::col((table.clone(), Alias::new(name)))
}

/// `o` lies in the subtree of `b`: one range of the byte-ordered `organisation.path`.
fn subtree_of_b() -> Condition {
    let (b, o) = (Alias::new("b"), Alias::new("o"));
    Condition::all()
        .add(col(&o, "path").gte(col(&b, "path")))
        .add(col(&o, "path").lt(Expr::cust("SUBSTR(b.path, 1, LENGTH(b.path) - 1) || '0'")))
}

/// A fact table counted per bucket.
struct Fact {
    /// Table name.
    table: &'static str,
    /// Column holding the owning organisation.
    owner: &'static str,
    /// Columns grouped by (besides the bucket).
    dims: &'static [&'static str],
    /// Aggregate expressions over `f`, with their output names.
    measures: &'static [(&'static str, &'static str)],
    /// Which rows count.
    condition: Condition,
}

impl Fact {
    /// The statement counting the rows of every bucket of `parents` on `backend`.
    fn bucketed(&self, backend: DatabaseBackend, parents: &[i64]) -> SelectStatement {
        let owner = || (f(), Alias::new(self.owner));
        let mut own = Query::select();
        own.expr_as(Expr::col(owner()), Alias::new("parent_id"))
            .expr_as(Expr::col(owner()), Alias::new("bucket_id"))
            .from_as(Alias::new(self.table), f())
            .and_where(Expr::col(owner()).is_in(parents.iter().copied()))
            .group_by_col(owner());
        self.measure(&mut own);
        let children = match backend {
            DatabaseBackend::Postgres => self.children_lateral(parents),
            _ => self.children_joined(parents),
        };
        own.union(UnionType::All, children);
        own
    }

    /// The children's buckets as one join, grouped by child. SQLite plans it as nested loops:
    /// children, then each child's organisations, then each organisation's index entries.
    fn children_joined(&self, parents: &[i64]) -> SelectStatement {
        let (b, o) = (Alias::new("b"), Alias::new("o"));
        let mut children = Query::select();
        children
            .expr_as(col(&b, "parent_id"), Alias::new("parent_id"))
            .expr_as(col(&b, "id"), Alias::new("bucket_id"))
            .from_as(Alias::new("organisation"), b.clone())
            .join_as(
                JoinType::InnerJoin,
                Alias::new("organisation"),
                o,
                subtree_of_b(),
            )
            .join_as(
                JoinType::InnerJoin,
                Alias::new(self.table),
                f(),
                self.owned_by_o(),
            )
            .and_where(col(&b, "parent_id").is_in(parents.iter().copied()))
            .group_by_col((b.clone(), Alias::new("parent_id")))
            .group_by_col((b, Alias::new("id")));
        self.measure(&mut children);
        children
    }

    /// The children's buckets as a `LATERAL` subquery per child. PostgreSQL cannot estimate
    /// how many organisations a path range holds and, given the plain join, hashes a scan of
    /// the whole fact table even for a province; `LATERAL` makes it walk each child's range of
    /// `organisation_path_key` and probe the statistics index per organisation instead.
    fn children_lateral(&self, parents: &[i64]) -> SelectStatement {
        let (b, x) = (Alias::new("b"), Alias::new("x"));
        let mut per_child = Query::select();
        per_child
            .from_as(Alias::new("organisation"), Alias::new("o"))
            .join_as(
                JoinType::InnerJoin,
                Alias::new(self.table),
                f(),
                self.owned_by_o(),
            )
            .cond_where(subtree_of_b());
        self.measure(&mut per_child);
        let mut children = Query::select();
        children
            .expr_as(col(&b, "parent_id"), Alias::new("parent_id"))
            .expr_as(col(&b, "id"), Alias::new("bucket_id"));
        let outputs = self
            .dims
            .iter()
            .chain(self.measures.iter().map(|(_, name)| name));
        for name in outputs {
            children.expr_as(col(&x, name), Alias::new(*name));
        }
        children
            .from_as(Alias::new("organisation"), b.clone())
            .join_lateral(JoinType::InnerJoin, per_child, x, Expr::cust("TRUE"))
            .and_where(col(&b, "parent_id").is_in(parents.iter().copied()));
        children
    }

    /// `f` is owned by `o`.
    fn owned_by_o(&self) -> Condition {
        Condition::all().add(
            Expr::col((f(), Alias::new(self.owner))).equals((Alias::new("o"), Alias::new("id"))),
        )
    }

    /// Adds the dimensions, measures and conditions to `select`.
    fn measure(&self, select: &mut SelectStatement) {
        for dim in self.dims {
            select
                .expr_as(Expr::col((f(), Alias::new(*dim))), Alias::new(*dim))
                .group_by_col((f(), Alias::new(*dim)));
        }
        for (expr, name) in self.measures {
            select.expr_as(Expr::cust(*expr), Alias::new(*name));
        }
        select.cond_where(self.condition.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    #[test]
    fn the_year_of_training_is_vietnamese() {
        let (from, to) = year_instants(2025).expect("instants");
        assert_eq!(from.to_rfc3339(), "2024-12-31T17:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2025-12-31T17:00:00+00:00");
    }

    #[test]
    fn partial_index_predicates_are_literals() {
        let query = StatisticsQuery {
            year: 2025,
            model: Some(LearningModel::LearningFamily),
        };
        let sql = assessments(&query)
            .bucketed(DatabaseBackend::Postgres, &[1, 2])
            .to_string(PostgresQueryBuilder);
        assert!(sql.contains("f.archived_at IS NULL"), "{sql}");
        assert!(sql.contains("UNION ALL"), "{sql}");
        assert!(sql.contains("LATERAL"), "{sql}");
        let sql = training(&query)
            .expect("fact")
            .bucketed(DatabaseBackend::Sqlite, &[1])
            .to_string(SqliteQueryBuilder);
        assert!(sql.contains("f.status = 'HELD'"), "{sql}");
        assert!(
            !sql.contains("UNION ALL ("),
            "SQLite takes no parentheses: {sql}"
        );
    }
}
