//! Keyset (cursor) pagination, stable under inserts.
//!
//! A page is `first` rows after a cursor (or `last` rows before one) in an [`Ordering`]: one
//! sort column plus the id as tie-breaker, so every row has a unique position. The cursor holds
//! the ordering's name, the row's sort key and its id; the next page continues with
//! `(key, id) > (cursor key, cursor id)`, which uses the `(column, id)` indexes and never skips or
//! repeats a row when others are inserted between requests.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, SimpleExpr,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Value,
};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Rows in a page when the client does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// The value of a row's sort column, as held in a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SortKey {
    /// A text column (compared bytewise).
    Text(String),
    /// An integer column.
    Int(i64),
    /// A date column.
    Date(NaiveDate),
    /// An instant column.
    Time(DateTime<Utc>),
    /// Ordering by id alone.
    None,
}

impl SortKey {
    fn into_value(self) -> Option<Value> {
        match self {
            Self::Text(s) => Some(s.into()),
            Self::Int(i) => Some(i.into()),
            Self::Date(d) => Some(d.into()),
            Self::Time(t) => Some(t.into()),
            Self::None => None,
        }
    }
}

/// One way of ordering the rows of `E`.
#[derive(Debug)]
pub struct Ordering<E: EntityTrait> {
    /// Name of the sort field, carried in cursors (with the direction) so a cursor is only
    /// valid for the ordering that made it.
    pub name: &'static str,
    /// The sort column; `None` orders by id alone.
    pub column: Option<E::Column>,
    /// Newest/highest first.
    pub descending: bool,
    /// The row's value of `column`.
    pub key: fn(&E::Model) -> SortKey,
    /// The id column (tie-breaker).
    pub id: E::Column,
    /// The row's id.
    pub id_of: fn(&E::Model) -> i64,
}

/// Which page the client asks for (Relay arguments).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// Rows from the start (or after `after`).
    pub first: Option<u64>,
    /// Cursor to continue after.
    pub after: Option<String>,
    /// Rows from the end (or before `before`).
    pub last: Option<u64>,
    /// Cursor to continue before.
    pub before: Option<String>,
}

impl PageRequest {
    /// The first `n` rows.
    pub fn first(n: u64) -> Self {
        Self {
            first: Some(n),
            ..Self::default()
        }
    }

    /// Whether this asks for rows from the end.
    pub fn is_backward(&self) -> bool {
        self.last.is_some()
    }

    /// Rows asked for, checked against `max`.
    pub fn size(&self, max: u64) -> Result<u64> {
        if self.first.is_some() && self.last.is_some() {
            return Err(Error::invalid(
                "last",
                "INVALID_ARGUMENTS",
                "use either first/after or last/before, not both",
            ));
        }
        let (field, size) = match (self.first, self.last) {
            (_, Some(last)) => ("last", last),
            (Some(first), None) => ("first", first),
            (None, None) => ("first", std::cmp::min(DEFAULT_PAGE_SIZE, max)),
        };
        if size > max {
            return Err(Error::invalid(
                field,
                "OUT_OF_RANGE",
                format!("{field} may be at most {max}"),
            ));
        }
        Ok(size)
    }
}

/// One page of rows with their cursors.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// Rows in order, each with its cursor.
    pub edges: Vec<(String, T)>,
    /// Whether rows follow this page.
    pub has_next_page: bool,
    /// Whether rows precede this page.
    pub has_previous_page: bool,
}

impl<T> Page<T> {
    /// An empty page.
    pub fn empty() -> Self {
        Self {
            edges: Vec::new(),
            has_next_page: false,
            has_previous_page: false,
        }
    }

    /// The rows, transformed.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Page<U> {
        Page {
            edges: self.edges.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    o: String,
    k: SortKey,
    i: i64,
}

/// The tag a cursor carries: the ordering's name and direction.
fn ordering_tag<E: EntityTrait>(ordering: &Ordering<E>) -> String {
    format!(
        "{}{}",
        ordering.name,
        if ordering.descending { '-' } else { '+' }
    )
}

/// The opaque cursor of `model` in `ordering`.
pub fn cursor_of<E: EntityTrait>(ordering: &Ordering<E>, model: &E::Model) -> String {
    let data = CursorData {
        o: ordering_tag(ordering),
        k: (ordering.key)(model),
        i: (ordering.id_of)(model),
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&data).unwrap_or_default())
}

fn decode_cursor<E: EntityTrait>(
    ordering: &Ordering<E>,
    cursor: &str,
    field: &str,
) -> Result<(SortKey, i64)> {
    let invalid = || {
        Error::invalid(
            field,
            "INVALID_CURSOR",
            "the cursor is not valid for this list and order",
        )
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| invalid())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if data.o != ordering_tag(ordering) {
        return Err(invalid());
    }
    Ok((data.k, data.i))
}

/// `(column, id)` strictly after `(key, id)` when `ascending`, strictly before otherwise.
fn beyond<E: EntityTrait>(
    ordering: &Ordering<E>,
    key: SortKey,
    id: i64,
    ascending: bool,
) -> Condition {
    let id_col = Expr::col((E::default(), ordering.id));
    let past =
        |col: Expr, v: Value| -> SimpleExpr { if ascending { col.gt(v) } else { col.lt(v) } };
    match (ordering.column, key.into_value()) {
        (Some(column), Some(value)) => {
            let col = || Expr::col((E::default(), column));
            Condition::any().add(past(col(), value.clone())).add(
                Condition::all()
                    .add(col().eq(value))
                    .add(past(id_col, id.into())),
            )
        }
        _ => Condition::all().add(past(id_col, id.into())),
    }
}

/// Fetches one page of `select` in `ordering`. At most `max` rows may be asked for.
pub async fn fetch<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    ordering: &Ordering<E>,
    request: &PageRequest,
    max: u64,
) -> Result<Page<E::Model>> {
    let (page, _) = fetch_counting(db, select, ordering, request, max, Read::Rows).await?;
    Ok(page)
}

/// [`fetch`] that finds the page's ids first, reading only the columns the filter and the order
/// need, then reads those rows. For a filter no index can seek but a covering index can test (a
/// contains-search) the database then answers it from the index alone instead of reading every
/// candidate row.
///
/// On a first page (no cursor) the id subquery also carries `COUNT(*) OVER ()`: to sort the
/// matches of such a filter the database tests every candidate anyway, and the count comes from
/// that pass instead of a second one. Don't use it where an index delivers the rows in order:
/// the count would read past the page's `LIMIT`.
///
/// Returns the page and, when it was counted, the number of rows of `select`.
pub async fn fetch_by_ids_counted<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    ordering: &Ordering<E>,
    request: &PageRequest,
    max: u64,
) -> Result<(Page<E::Model>, Option<u64>)> {
    let read = if request.after.is_none() && request.before.is_none() {
        Read::IdsFirstCounted
    } else {
        // Past a cursor the window would count only what follows it.
        Read::IdsFirst
    };
    fetch_counting(db, select, ordering, request, max, read).await
}

/// How [`fetch_counting`] reads a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// The rows directly.
    Rows,
    /// The ids, then their rows.
    IdsFirst,
    /// The ids with the count of all rows, then their rows.
    IdsFirstCounted,
}

/// The column [`Read::IdsFirstCounted`] carries the count in.
const COUNTED_TOTAL: &str = "counted_total";

async fn fetch_counting<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    ordering: &Ordering<E>,
    request: &PageRequest,
    max: u64,
    read: Read,
) -> Result<(Page<E::Model>, Option<u64>)> {
    let size = request.size(max)?;
    let backward = request.is_backward();
    // Scan direction: the ordering's own, or its reverse for `last`.
    let ascending = ordering.descending == backward;
    let mut select = select;
    if let Some(after) = &request.after {
        let (key, id) = decode_cursor(ordering, after, "after")?;
        select = select.filter(beyond(ordering, key, id, !ordering.descending));
    }
    if let Some(before) = &request.before {
        let (key, id) = decode_cursor(ordering, before, "before")?;
        select = select.filter(beyond(ordering, key, id, ordering.descending));
    }
    let order = if ascending { Order::Asc } else { Order::Desc };
    let in_order = |select: Select<E>| {
        let select = match ordering.column {
            Some(column) => select.order_by(column, order.clone()),
            None => select,
        };
        select.order_by(ordering.id, order.clone())
    };
    let page = in_order(select).limit(size + 1);
    let (mut rows, total) = match read {
        Read::Rows => (page.all(db).await?, None),
        Read::IdsFirst => {
            let ids = page.select_only().column(ordering.id).into_query();
            let rows = in_order(E::find().filter(ordering.id.in_subquery(ids)))
                .all(db)
                .await?;
            (rows, None)
        }
        Read::IdsFirstCounted => {
            let counted = Alias::new("counted");
            let ids = page
                .select_only()
                .column(ordering.id)
                .expr_as(Expr::cust("COUNT(*) OVER ()"), COUNTED_TOTAL)
                .into_query();
            let mut statement = in_order(E::find()).into_query();
            statement
                .column((counted.clone(), Alias::new(COUNTED_TOTAL)))
                .join_subquery(
                    JoinType::InnerJoin,
                    ids,
                    counted.clone(),
                    Expr::col((E::default(), ordering.id))
                        .equals((counted, Alias::new(ordering.id.as_str()))),
                );
            let mut total = 0;
            let mut rows = Vec::new();
            for row in db.query_all(&statement).await? {
                total = row.try_get::<i64>("", COUNTED_TOTAL)?;
                rows.push(E::Model::from_query_result(&row, "")?);
            }
            (rows, Some(u64::try_from(total).unwrap_or(0)))
        }
    };
    let more = rows.len() as u64 > size;
    rows.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    if backward {
        rows.reverse();
    }
    let edges = rows
        .into_iter()
        .map(|m| (cursor_of(ordering, &m), m))
        .collect();
    let page = if backward {
        Page {
            edges,
            has_next_page: request.before.is_some(),
            has_previous_page: more,
        }
    } else {
        Page {
            edges,
            has_next_page: more,
            has_previous_page: request.after.is_some(),
        }
    };
    Ok((page, total))
}

/// A deferred `COUNT(*)` of a filtered list, run only when a client asks for `totalCount`, or a
/// count already known.
#[derive(Debug, Clone)]
pub struct TotalCount {
    source: CountSource,
}

#[derive(Debug, Clone)]
enum CountSource {
    /// Boxed: the statement is large, the known count small.
    Statement(Box<SelectStatement>),
    Known(u64),
}

impl TotalCount {
    /// The count of the rows `select` returns.
    pub fn of<E: EntityTrait>(select: Select<E>) -> Self {
        let inner = select.into_query();
        let statement = Query::select()
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from_subquery(inner, Alias::new("counted"))
            .to_owned();
        Self::from_statement(statement)
    }

    /// A count answered by `statement`, which returns one row with a `BIGINT` column `n` (for
    /// counts kept in a tally rather than counted row by row).
    pub fn from_statement(statement: SelectStatement) -> Self {
        Self {
            source: CountSource::Statement(Box::new(statement)),
        }
    }

    /// A count already made (with the page, [`fetch_by_ids_counted`]).
    pub fn known(n: u64) -> Self {
        Self {
            source: CountSource::Known(n),
        }
    }

    /// Runs the count (no statement when it is known).
    pub async fn get(&self, db: &impl ConnectionTrait) -> Result<u64> {
        let statement = match &self.source {
            CountSource::Known(n) => return Ok(*n),
            CountSource::Statement(statement) => statement,
        };
        let row = db.query_one(statement.as_ref()).await?;
        let n: i64 = match row {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// The `select` narrowed to rows whose id is in `ids` (helper for `nodes`).
pub fn with_ids<E: EntityTrait, C: ColumnTrait>(
    select: Select<E>,
    column: C,
    ids: &[i64],
) -> Select<E> {
    select.filter(column.is_in(ids.iter().copied()))
}

/// One page per group (e.g. the first children of each of many parents) in **one** statement:
/// the rows of all groups are ranked with `ROW_NUMBER() OVER (PARTITION BY group …)` and cut at
/// the page size, and `COUNT(*) OVER (PARTITION BY group)` gives each group's total. This is how
/// nested lists stay one query per level however many parents there are.
///
/// Returns, for each group id present in `groups`, its page and total (groups without rows get an
/// empty page and 0).
pub async fn fetch_grouped<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    group: E::Column,
    groups: &[i64],
    ordering: &Ordering<E>,
    request: &PageRequest,
    max: u64,
) -> Result<std::collections::HashMap<i64, (Page<E::Model>, u64)>>
where
    E::Model: sea_orm::FromQueryResult,
{
    use sea_orm::sea_query::Asterisk;

    let size = request.size(max)?;
    let backward = request.is_backward();
    let ascending = ordering.descending == backward;
    let table = E::default().to_string();
    let quoted = |column: &str| format!("\"{table}\".\"{column}\"");
    let group_col = quoted(group.as_str());
    let direction = if ascending { "ASC" } else { "DESC" };
    let mut order_sql = String::new();
    if let Some(column) = ordering.column {
        order_sql.push_str(&format!("{} {direction}, ", quoted(column.as_str())));
    }
    order_sql.push_str(&format!("{} {direction}", quoted(ordering.id.as_str())));

    let inner = select
        .filter(group.is_in(groups.iter().copied()))
        .expr_as(
            Expr::cust(format!("COUNT(*) OVER (PARTITION BY {group_col})")),
            "group_total",
        )
        .into_query();
    let mut ranked = Query::select()
        .column(Asterisk)
        .expr_as(
            Expr::cust(format!(
                "ROW_NUMBER() OVER (PARTITION BY {group_col} ORDER BY {order_sql})"
            )),
            Alias::new("group_rank"),
        )
        .from_subquery(inner, Alias::new(table.as_str()))
        .to_owned();
    if let Some(after) = &request.after {
        let (key, id) = decode_cursor(ordering, after, "after")?;
        ranked.cond_where(beyond(ordering, key, id, !ordering.descending));
    }
    if let Some(before) = &request.before {
        let (key, id) = decode_cursor(ordering, before, "before")?;
        ranked.cond_where(beyond(ordering, key, id, ordering.descending));
    }
    let limit = i64::try_from(size + 1).unwrap_or(i64::MAX);
    let statement = Query::select()
        .column(Asterisk)
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new("group_rank")).lte(limit))
        .order_by(Alias::new("group_rank"), Order::Asc)
        .to_owned();

    let mut grouped: std::collections::HashMap<i64, (Vec<E::Model>, u64)> =
        groups.iter().map(|g| (*g, (Vec::new(), 0))).collect();
    for row in db.query_all(&statement).await? {
        let Some(group_id) = row.try_get::<Option<i64>>("", group.as_str())? else {
            continue;
        };
        let total: i64 = row.try_get("", "group_total")?;
        let model = E::Model::from_query_result(&row, "")?;
        let entry = grouped.entry(group_id).or_default();
        entry.0.push(model);
        entry.1 = u64::try_from(total).unwrap_or(0);
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(grouped
        .into_iter()
        .map(|(group_id, (mut rows, total))| {
            let more = rows.len() > size;
            rows.truncate(size);
            if backward {
                rows.reverse();
            }
            let edges = rows
                .into_iter()
                .map(|m| (cursor_of(ordering, &m), m))
                .collect();
            let page = if backward {
                Page {
                    edges,
                    has_next_page: request.before.is_some(),
                    has_previous_page: more,
                }
            } else {
                Page {
                    edges,
                    has_next_page: more,
                    has_previous_page: request.after.is_some(),
                }
            };
            (group_id, (page, total))
        })
        .collect())
}
