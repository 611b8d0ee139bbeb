//! Relay cursor connections.
//!
//! Each list type gets its own `XConnection`/`XEdge` pair (declared with [`connection!`]) so
//! every type in the schema has its own description. `totalCount` is either known already (nested
//! lists compute it in the same windowed statement) or a deferred `COUNT(*)` run only when asked.

use async_graphql::{Context, SimpleObject};
use khuyenhoc_core::page::{Page, TotalCount};

use crate::error::IntoApi;

/// Where a page sits in its list.
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// Whether more rows follow this page (continue with `after: endCursor`).
    pub has_next_page: bool,
    /// Whether rows precede this page (continue with `before: startCursor`).
    pub has_previous_page: bool,
    /// Cursor of the first row of this page.
    pub start_cursor: Option<String>,
    /// Cursor of the last row of this page.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    /// The page info of `page`.
    pub fn of<T>(page: &Page<T>) -> Self {
        Self {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: page.edges.first().map(|(c, _)| c.clone()),
            end_cursor: page.edges.last().map(|(c, _)| c.clone()),
        }
    }
}

/// How a connection answers `totalCount`.
#[derive(Debug, Clone)]
pub enum Total {
    /// Already known.
    Known(u64),
    /// Counted on demand (boxed: the query it holds is large).
    Deferred(Box<TotalCount>),
}

impl Total {
    /// A total counted only if the client asks for it.
    pub fn deferred(count: TotalCount) -> Self {
        Self::Deferred(Box::new(count))
    }

    /// The total, counting if needed.
    pub async fn resolve(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let n = match self {
            Self::Known(n) => *n,
            Self::Deferred(count) => count.get(crate::context::db(ctx)?).await.api()?,
        };
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Declares a connection and edge type for a node type.
#[macro_export]
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty, $connection_doc:literal, $edge_doc:literal) => {
        #[doc = $connection_doc]
        #[derive(Debug, Clone)]
        pub struct $connection {
            edges: Vec<$edge>,
            page_info: $crate::connection::PageInfo,
            total: $crate::connection::Total,
        }

        impl $connection {
            /// Builds the connection from a page of domain rows.
            pub fn new<T>(
                page: khuyenhoc_core::page::Page<T>,
                total: $crate::connection::Total,
                node: impl Fn(T) -> $node,
            ) -> Self {
                let page_info = $crate::connection::PageInfo::of(&page);
                let edges = page
                    .edges
                    .into_iter()
                    .map(|(cursor, row)| $edge {
                        cursor,
                        node: node(row),
                    })
                    .collect();
                Self {
                    edges,
                    page_info,
                    total,
                }
            }
        }

        #[doc = $connection_doc]
        #[async_graphql::Object]
        impl $connection {
            /// The rows of this page, each with its cursor.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// The rows of this page, without cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|e| &e.node).collect()
            }

            /// Where this page sits in the whole list.
            async fn page_info(&self) -> &$crate::connection::PageInfo {
                &self.page_info
            }

            /// Number of rows in the whole filtered list, across all pages.
            async fn total_count(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<i64> {
                self.total.resolve(ctx).await
            }
        }

        #[doc = $edge_doc]
        #[derive(Debug, Clone, async_graphql::SimpleObject)]
        pub struct $edge {
            /// Opaque position of this row; pass it as `after` or `before` to page on.
            pub cursor: String,
            /// The row.
            pub node: $node,
        }
    };
}

/// The Relay paging arguments as a domain page request; negative sizes are rejected.
pub fn page_request(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<khuyenhoc_core::page::PageRequest, khuyenhoc_core::Error> {
    let size = |name: &str, n: Option<i32>| {
        n.map(|n| {
            u64::try_from(n).map_err(|_| {
                khuyenhoc_core::Error::invalid(
                    name,
                    "OUT_OF_RANGE",
                    format!("{name} cannot be negative"),
                )
            })
        })
        .transpose()
    };
    Ok(khuyenhoc_core::page::PageRequest {
        first: size("first", first)?,
        after,
        last: size("last", last)?,
        before,
    })
}
