//! The stored ancestor path of an organisation: `/root/…/parent/self/` (ids).

use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};

use crate::entity::organisation;

/// The ids on `path`, root first.
pub fn ids(path: &str) -> Vec<i64> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// The path of a child with id `id` under a parent at `parent_path` (or a root when `None`).
pub fn child(parent_path: Option<&str>, id: i64) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

/// Half-open range `[low, high)` of paths inside the subtree rooted at `path` (itself included).
///
/// `high` is `path` with its final `/` replaced by `0`, the next byte, so the range is one index
/// scan under byte-order collation.
pub fn subtree_range(path: &str) -> (String, String) {
    let mut high = path.strip_suffix('/').unwrap_or(path).to_owned();
    high.push('0');
    (path.to_owned(), high)
}

/// `path` (an `organisation.path` expression) lies in the subtree rooted at `root`.
///
/// The bounds are written into the statement as literals, not bound parameters. A prepared
/// statement's generic plan cannot see a parameter, so it would plan the whole country's range
/// and a commune's alike, typically by hashing every organisation of the range to check a
/// handful of rows (23 ms instead of 4.7 ms for a dashboard statement on the national data set,
/// `bench/BASELINE.md`). With literals every plan knows the range. Each subtree then has its own
/// statement text, which the driver prepares once per connection and keeps in its cache.
pub fn in_subtree(path: Expr, root: &str) -> Condition {
    let (low, high) = subtree_range(root);
    Condition::all()
        .add(path.clone().gte(Expr::Constant(low.into())))
        .add(path.lt(Expr::Constant(high.into())))
}

/// `organisation.path` lies in the subtree rooted at `root` ([`in_subtree`] on the table's own
/// column).
pub fn organisation_in_subtree(root: &str) -> Condition {
    in_subtree(Expr::col(organisation::Column::Path.as_column_ref()), root)
}

/// Whether `path` lies in the subtree rooted at `root` (itself included).
pub fn is_within(path: &str, root: &str) -> bool {
    path.starts_with(root)
}

/// Whether `path` lies strictly below `root`.
pub fn is_strictly_within(path: &str, root: &str) -> bool {
    path.len() > root.len() && path.starts_with(root)
}

/// The path of the parent of the organisation at `path` (`None` for a root).
pub fn parent(path: &str) -> Option<&str> {
    let trimmed = path.strip_suffix('/')?;
    let cut = trimmed.rfind('/')?;
    (cut > 0).then(|| &path[..=cut])
}

/// Depth of the organisation at `path` (0 for a root).
pub fn depth(path: &str) -> i32 {
    i32::try_from(ids(path).len())
        .unwrap_or(i32::MAX)
        .saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_bounds_are_literals_not_parameters() {
        use sea_orm::sea_query::{Alias, PostgresQueryBuilder, Query, SqliteQueryBuilder};
        let query = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("organisation"))
            .cond_where(in_subtree(Expr::col(Alias::new("path")), "/1/2/"))
            .to_owned();
        for (sql, values) in [
            query.build(PostgresQueryBuilder),
            query.build(SqliteQueryBuilder),
        ] {
            assert!(
                sql.contains(r#""path" >= '/1/2/' AND "path" < '/1/20'"#),
                "{sql}"
            );
            assert!(values.0.is_empty(), "bounds were bound: {sql}");
        }
    }

    #[test]
    fn parent_drops_the_last_id() {
        assert_eq!(parent("/1/2/57/"), Some("/1/2/"));
        assert_eq!(parent("/1/2/"), Some("/1/"));
        assert_eq!(parent("/1/"), None);
    }

    #[test]
    fn subtree_range_contains_exactly_descendants() {
        let (low, high) = subtree_range("/1/5/");
        let inside = |p: &str| p >= low.as_str() && p < high.as_str();
        assert!(inside("/1/5/"));
        assert!(inside("/1/5/23/"));
        assert!(inside("/1/5/9/99/"));
        assert!(!inside("/1/50/"));
        assert!(!inside("/1/51/"));
        assert!(!inside("/1/"));
        assert!(!inside("/1/4/"));
        assert!(!inside("/1/6/"));
    }

    #[test]
    fn reads_ids_and_depth() {
        assert_eq!(ids("/1/5/23/"), vec![1, 5, 23]);
        assert_eq!(depth("/1/"), 0);
        assert_eq!(depth("/1/5/23/"), 2);
        assert_eq!(child(Some("/1/5/"), 7), "/1/5/7/");
        assert_eq!(child(None, 7), "/7/");
        assert!(is_strictly_within("/1/5/", "/1/"));
        assert!(!is_strictly_within("/1/", "/1/"));
        assert!(!is_within("/10/", "/1/"));
    }
}
