//! The aggregate statements behind a roll-up: one statement per kind of row (assessments,
//! training sessions, programs) for every parent of a batch at once.
//!
//! Each statement returns figures in *buckets*, keyed by `(parent_id, bucket_id)`. A parent's
//! own bucket (`bucket_id = parent_id`) holds, for a parent below a root, its **whole subtree**,
//! read from the parent's own rows of the tally the service keeps (migration
//! `m20261129_000011`, [`super::tally`]); roots have no tally rows (nothing is counted in them,
//! so no write contends for them), so a root's bucket holds its **own rows**, counted from the
//! fact table `f` through `f.<owner> IN (roots)` and the statistics indexes of migration
//! `m20261129_000009`, and its total is that plus its children's. Each child's bucket
//! (`bucket_id = child.id`) holds the child's whole subtree, read from the child's tally rows:
//! one index range per child, whatever the size of its subtree.
//!
//! ```sql
//! SELECT f.organisation_id AS parent_id, f.organisation_id AS bucket_id, <dims>, COUNT(*) AS n
//!   FROM assessment f                                                       -- roots' own rows
//!  WHERE f.organisation_id IN (…) AND f.archived_at IS NULL AND f.period_year = $1
//!  GROUP BY f.organisation_id, <dims>
//! UNION ALL
//! SELECT b.parent_id, b.id, t.<dims>, t.n                           -- roots' children, in full
//!   FROM organisation b JOIN assessment_tally t ON t.organisation_id = b.id
//!  WHERE b.parent_id IN (…) AND t.period_year = $2 AND t.n > 0
//! UNION ALL
//! SELECT t.organisation_id, t.organisation_id, t.<dims>, t.n       -- other parents' subtrees
//!   FROM assessment_tally t
//!  WHERE t.organisation_id IN (…) AND t.period_year = $3 AND t.n > 0
//! UNION ALL
//! SELECT b.parent_id, b.id, NULL, t.status, NULL, NULL, SUM(t.n)  -- their children, by state
//!   FROM organisation b JOIN assessment_tally t ON t.organisation_id = b.id
//!  WHERE b.parent_id IN (…) AND t.period_year = $4 AND t.n > 0
//!  GROUP BY b.parent_id, b.id, t.status
//! ```
//!
//! The children of a parent below a root are read per workflow state only when the query asks
//! no more of them ([`Breakdown::Status`]): a province lists about a hundred communes, whose
//! figures by model and result would be four times the rows. A root's children are always read
//! in full, since the root's total is made of them.
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

use super::figures::{AssessmentCell, Figures, TrainingFigures};
use super::{Breakdown, StatisticsQuery};
use crate::entity::enums::{AssessmentStatus, LearningModel};
use crate::{Error, Result};

/// `(parent_id, bucket_id)`: `bucket_id == parent_id` for the parent's own bucket (its own
/// rows for a root, its whole subtree for any other parent), a child's id for the child's
/// subtree.
pub(super) type BucketKey = (i64, i64);

/// The parents of a roll-up, by where their total comes from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Parents<'a> {
    /// Roots: their own rows are counted, their children read in full.
    pub roots: &'a [i64],
    /// Parents below a root: their subtree read from their own tally rows, their children as
    /// finely as the query asks.
    pub others: &'a [i64],
}

/// Vietnam's offset from UTC (no daylight saving): a year of training runs from 1 January
/// 00:00 to 1 January 00:00 local time.
const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// The figures of every bucket of `parents` with rows, in three statements.
pub(super) async fn buckets(
    db: &DatabaseConnection,
    parents: Parents<'_>,
    query: &StatisticsQuery,
) -> Result<HashMap<BucketKey, Figures>> {
    let mut out: HashMap<BucketKey, Figures> = HashMap::new();
    if parents.roots.is_empty() && parents.others.is_empty() {
        return Ok(out);
    }
    for row in fetch::<AssessmentRow>(db, &assessments(query).bucketed(parents, query)).await? {
        let figures = &mut out.entry((row.parent_id, row.bucket_id)).or_default();
        match (row.model, row.result_rank, row.result_code) {
            (Some(model), Some(result_rank), Some(result_code)) => {
                let cell = AssessmentCell {
                    model,
                    status: row.status,
                    result_rank,
                    result_code,
                };
                figures.assessments.add(cell, row.n);
            }
            _ => figures.assessments.add_status(row.status, row.n),
        }
    }
    for row in fetch::<TrainingRow>(db, &training(query)?.bucketed(parents, query)).await? {
        out.entry((row.parent_id, row.bucket_id))
            .or_default()
            .training
            .absorb(&TrainingFigures {
                held: row.held,
                registered: row.registered,
                attended: row.attended,
            });
    }
    for row in fetch::<ProgramRow>(db, &programs(query)?.bucketed(parents, query)).await? {
        out.entry((row.parent_id, row.bucket_id))
            .or_default()
            .active_programs += row.active;
    }
    Ok(out)
}

/// The three statements of a roll-up of `parents`, as `backend` runs them.
pub(super) fn statements(
    backend: DatabaseBackend,
    parents: Parents<'_>,
    query: &StatisticsQuery,
) -> Result<Vec<Statement>> {
    if parents.roots.is_empty() && parents.others.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![
        backend.build(&assessments(query).bucketed(parents, query)),
        backend.build(&training(query)?.bucketed(parents, query)),
        backend.build(&programs(query)?.bucketed(parents, query)),
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

/// A bucket's assessments of one cell; model and result are `NULL` in rows read per workflow
/// state only.
#[derive(Debug, FromQueryResult)]
struct AssessmentRow {
    parent_id: i64,
    bucket_id: i64,
    model: Option<LearningModel>,
    status: AssessmentStatus,
    result_rank: Option<i32>,
    result_code: Option<String>,
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
    let mut tally_condition = Condition::all()
        .add(col(&t(), "period_year").eq(query.year))
        .add(Expr::cust("t.n > 0"));
    if let Some(model) = query.model {
        tally_condition = tally_condition.add(col(&t(), "model").eq(model.as_str()));
    }
    Fact {
        table: "assessment",
        owner: "organisation_id",
        dims: &["model", "status", "result_rank", "result_code"],
        status_dims: &["status"],
        measures: &[("COUNT(*)", "n")],
        condition,
        tally: "assessment_tally",
        tally_condition,
    }
}

/// Training sessions held, not archived, starting in the year (Vietnam time).
fn training(query: &StatisticsQuery) -> Result<Fact> {
    let (from, to) = year_instants(query.year)?;
    Ok(Fact {
        table: "training_session",
        owner: "organiser_id",
        dims: &[],
        status_dims: &[],
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
        tally: "training_tally",
        tally_condition: in_year_counted(query.year, "held"),
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
        status_dims: &[],
        measures: &[("COUNT(*)", "active")],
        condition: Condition::all()
            .add(Expr::cust("f.status = 'ACTIVE'"))
            .add(Expr::cust("f.archived_at IS NULL"))
            .add(Expr::col((f(), Alias::new("starts_on"))).lte(last))
            .add(Expr::col((f(), Alias::new("ends_on"))).gte(first)),
        tally: "program_tally",
        tally_condition: in_year_counted(query.year, "active"),
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

/// The tally table's alias.
fn t() -> Alias {
    Alias::new("t")
}

/// `table.name`.
fn col(table: &Alias, name: &str) -> Expr {
    Expr::col((table.clone(), Alias::new(name)))
}

/// Tally rows of `year` where `measure` is not zero.
fn in_year_counted(year: i32, measure: &str) -> Condition {
    Condition::all()
        .add(col(&t(), "year").eq(year))
        .add(col(&t(), measure).gt(0))
}

/// A fact table counted per bucket.
struct Fact {
    /// Table name.
    table: &'static str,
    /// Column holding the owning organisation.
    owner: &'static str,
    /// Columns grouped by (besides the bucket).
    dims: &'static [&'static str],
    /// The columns of `dims` kept when children are read per workflow state only.
    status_dims: &'static [&'static str],
    /// Aggregate expressions over `f`, with their output names (the tally's column names).
    measures: &'static [(&'static str, &'static str)],
    /// Which rows count.
    condition: Condition,
    /// The tally holding each organisation's subtree figures.
    tally: &'static str,
    /// Which tally rows answer the query (alias `t`).
    tally_condition: Condition,
}

impl Fact {
    /// The statement returning every bucket of `parents` (see the module documentation).
    fn bucketed(&self, parents: Parents<'_>, query: &StatisticsQuery) -> SelectStatement {
        let mut branches = Vec::new();
        if !parents.roots.is_empty() {
            branches.push(self.own_rows(parents.roots));
            branches.push(self.children(parents.roots, self.dims));
        }
        if !parents.others.is_empty() {
            branches.push(self.subtrees(parents.others));
            let kept = match query.children {
                Breakdown::Full => self.dims,
                Breakdown::Status => self.status_dims,
            };
            branches.push(self.children(parents.others, kept));
        }
        let mut branches = branches.into_iter();
        // `buckets` asks for no statement without parents; an empty select answers no rows.
        let mut statement = branches.next().unwrap_or_else(Query::select);
        for branch in branches {
            statement.union(UnionType::All, branch);
        }
        statement
    }

    /// The rows owned by `roots` themselves, counted from the fact table.
    fn own_rows(&self, roots: &[i64]) -> SelectStatement {
        let owner = || (f(), Alias::new(self.owner));
        let mut own = Query::select();
        own.expr_as(Expr::col(owner()), Alias::new("parent_id"))
            .expr_as(Expr::col(owner()), Alias::new("bucket_id"))
            .from_as(Alias::new(self.table), f())
            .and_where(Expr::col(owner()).is_in(roots.iter().copied()))
            .group_by_col(owner())
            .cond_where(self.condition.clone());
        for dim in self.dims {
            own.expr_as(Expr::col((f(), Alias::new(*dim))), Alias::new(*dim))
                .group_by_col((f(), Alias::new(*dim)));
        }
        for (expr, name) in self.measures {
            own.expr_as(Expr::cust(*expr), Alias::new(*name));
        }
        own
    }

    /// The whole subtree of each of `parents`, from their own tally rows.
    fn subtrees(&self, parents: &[i64]) -> SelectStatement {
        let mut subtree = Query::select();
        subtree
            .expr_as(col(&t(), "organisation_id"), Alias::new("parent_id"))
            .expr_as(col(&t(), "organisation_id"), Alias::new("bucket_id"));
        self.tally_outputs(&mut subtree, self.dims);
        subtree
            .from_as(Alias::new(self.tally), t())
            .and_where(col(&t(), "organisation_id").is_in(parents.iter().copied()))
            .cond_where(self.tally_condition.clone());
        subtree
    }

    /// The whole subtree of each child of `parents`, from the child's tally rows, broken down
    /// by the `kept` dimensions only (the others are `NULL`).
    fn children(&self, parents: &[i64], kept: &[&str]) -> SelectStatement {
        let b = Alias::new("b");
        let mut children = Query::select();
        children
            .expr_as(col(&b, "parent_id"), Alias::new("parent_id"))
            .expr_as(col(&b, "id"), Alias::new("bucket_id"));
        self.tally_outputs(&mut children, kept);
        children
            .from_as(Alias::new("organisation"), b.clone())
            .join_as(
                JoinType::InnerJoin,
                Alias::new(self.tally),
                t(),
                col(&t(), "organisation_id").equals((b.clone(), Alias::new("id"))),
            )
            .and_where(col(&b, "parent_id").is_in(parents.iter().copied()))
            .cond_where(self.tally_condition.clone());
        if kept.len() < self.dims.len() {
            children
                .group_by_col((b.clone(), Alias::new("parent_id")))
                .group_by_col((b, Alias::new("id")));
            for dim in kept {
                children.group_by_col((t(), Alias::new(*dim)));
            }
        }
        children
    }

    /// The tally's columns as the statement's outputs: the `kept` dimensions (the others
    /// `NULL`), then the measures, summed when some dimension is dropped.
    fn tally_outputs(&self, select: &mut SelectStatement, kept: &[&str]) {
        for dim in self.dims {
            if kept.contains(dim) {
                select.expr_as(col(&t(), dim), Alias::new(*dim));
            } else {
                select.expr_as(Expr::cust("NULL"), Alias::new(*dim));
            }
        }
        for (_, name) in self.measures {
            if kept.len() < self.dims.len() {
                let summed = format!("CAST(SUM(t.{name}) AS BIGINT)");
                select.expr_as(Expr::cust(summed), Alias::new(*name));
            } else {
                select.expr_as(col(&t(), name), Alias::new(*name));
            }
        }
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

    fn query(children: Breakdown) -> StatisticsQuery {
        StatisticsQuery {
            year: 2025,
            model: Some(LearningModel::LearningFamily),
            children,
        }
    }

    /// The assessment statement of a roll-up of `roots` and `others`, for PostgreSQL.
    fn assessment_sql(children: Breakdown, roots: &[i64], others: &[i64]) -> String {
        let query = query(children);
        assessments(&query)
            .bucketed(Parents { roots, others }, &query)
            .to_string(PostgresQueryBuilder)
    }

    #[test]
    fn partial_index_predicates_are_literals() {
        let query = query(Breakdown::Full);
        let parents = Parents {
            roots: &[1],
            others: &[2],
        };
        let sql = assessment_sql(Breakdown::Full, parents.roots, parents.others);
        assert!(sql.contains("f.archived_at IS NULL"), "{sql}");
        assert!(sql.contains("UNION ALL"), "{sql}");
        assert!(sql.contains("assessment_tally"), "{sql}");
        let sql = training(&query)
            .expect("fact")
            .bucketed(parents, &query)
            .to_string(SqliteQueryBuilder);
        assert!(sql.contains("f.status = 'HELD'"), "{sql}");
        assert!(sql.contains("training_tally"), "{sql}");
        assert!(
            !sql.contains("UNION ALL ("),
            "SQLite takes no parentheses: {sql}"
        );
    }

    #[test]
    fn parents_below_a_root_read_their_subtree_from_the_tally() {
        let sql = assessment_sql(Breakdown::Full, &[], &[2, 3]);
        assert!(!sql.contains("FROM \"assessment\""), "no fact rows: {sql}");
        assert!(!sql.contains("SUM("), "children in full: {sql}");
    }

    #[test]
    fn children_by_state_are_summed_over_the_other_dimensions() {
        let sql = assessment_sql(Breakdown::Status, &[1], &[2]);
        assert_eq!(sql.matches("SUM(t.n)").count(), 1, "{sql}");
        assert!(
            sql.contains("GROUP BY \"b\".\"parent_id\", \"b\".\"id\", \"t\".\"status\""),
            "{sql}"
        );
        // Sessions and programs have no dimension to drop.
        let query = query(Breakdown::Status);
        let parents = Parents {
            roots: &[1],
            others: &[2],
        };
        let sql = training(&query)
            .expect("fact")
            .bucketed(parents, &query)
            .to_string(PostgresQueryBuilder);
        assert!(!sql.contains("SUM(t."), "{sql}");
    }
}
