//! Programs and what hangs under them, batched per relation.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::{
    commitment, legal_document, program, program_party, program_report, report_indicator_value,
};
use khuyenhoc_core::page::{Page, PageRequest};
use khuyenhoc_core::service::program::{
    self as service, IndicatorProgress, ProgramFilter, ProgramSort, ReportFilter, ReportSort,
};

use super::Loaders;
use crate::error::ApiError;

/// Declares a key type for "all X of one parent" and its loader, from a service call returning
/// the rows of many parents and a function giving each row's parent.
macro_rules! children_loader {
    ($(#[$meta:meta])* $key:ident => $value:ty, |$loaders:ident, $ids:ident| $load:expr, |$row:ident| $parent:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for Loaders {
            type Value = Vec<$value>;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>, ApiError> {
                let $loaders = self;
                let $ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let rows: Vec<$value> = $load;
                let mut out: HashMap<$key, Vec<$value>> = keys.iter().map(|k| (*k, Vec::new())).collect();
                for $row in rows {
                    out.entry($key($parent)).or_default().push($row);
                }
                Ok(out)
            }
        }
    };
}

children_loader!(
    /// Key: the live parties of a program.
    PartiesOf => program_party::Model,
    |l, ids| service::parties(&l.db, &*l.actor()?, &ids).await?,
    |row| row.program_id
);

children_loader!(
    /// Key: the live commitments of a program.
    CommitmentsOf => commitment::Model,
    |l, ids| service::commitments(&l.db, &*l.actor()?, &ids).await?,
    |row| row.program_id
);

children_loader!(
    /// Key: the legal basis of a program.
    LegalBasisOf => (i64, legal_document::Model),
    |l, ids| service::legal_basis(&l.db, &*l.actor()?, &ids).await?,
    |row| row.0
);

children_loader!(
    /// Key: the indicator values of a report.
    IndicatorValuesOf => report_indicator_value::Model,
    |l, ids| service::indicator_values(&l.db, &*l.actor()?, &ids).await?,
    |row| row.report_id
);

/// Key: the indicator progress of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProgressOf(pub i64);

impl Loader<ProgressOf> for Loaders {
    type Value = Vec<IndicatorProgress>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ProgressOf],
    ) -> Result<HashMap<ProgressOf, Self::Value>, ApiError> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let mut found = service::indicator_progress(&self.db, &*self.actor()?, &ids).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

/// Declares a key type for "one page of X per parent, with shared arguments" and its loader.
macro_rules! page_loader {
    ($(#[$meta:meta])* $key:ident, $args:ty => $model:ty, |$loaders:ident, $ids:ident, $a:ident| $load:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $key {
            /// The parent row.
            pub parent: i64,
            /// The list arguments, shared by every parent of one field.
            pub args: Arc<$args>,
        }

        impl Loader<$key> for Loaders {
            type Value = (Page<$model>, u64);
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, ApiError> {
                let $loaders = self;
                let mut by_args: HashMap<&Arc<$args>, Vec<i64>> = HashMap::new();
                for key in keys {
                    by_args.entry(&key.args).or_default().push(key.parent);
                }
                let mut out = HashMap::with_capacity(keys.len());
                for ($a, $ids) in by_args {
                    let pages: HashMap<i64, (Page<$model>, u64)> = $load;
                    for (parent, value) in pages {
                        out.insert($key { parent, args: Arc::clone($a) }, value);
                    }
                }
                Ok(out)
            }
        }
    };
}
pub(crate) use page_loader;

/// Arguments of a nested program list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProgramListArgs {
    /// Filter.
    pub filter: ProgramFilter,
    /// Sort field.
    pub sort: ProgramSort,
    /// Descending.
    pub descending: bool,
    /// Page.
    pub page: PageRequest,
}

page_loader!(
    /// Key: one page of the programs an organisation owns.
    ProgramsOwnedBy, ProgramListArgs => program::Model,
    |l, ids, a| service::pages_by_owner(
        &l.db, &*l.actor()?, &ids, &a.filter, &service::ordering(a.sort, a.descending), &a.page, l.limits.max_page_size,
    ).await?
);

/// Arguments of a nested report list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReportListArgs {
    /// Filter.
    pub filter: ReportFilter,
    /// Sort field.
    pub sort: ReportSort,
    /// Descending.
    pub descending: bool,
    /// Page.
    pub page: PageRequest,
}

page_loader!(
    /// Key: one page of a program's reports.
    ReportsOf, ReportListArgs => program_report::Model,
    |l, ids, a| service::reports_of_programs(
        &l.db, &*l.actor()?, &ids, &a.filter, &service::report_ordering(a.sort, a.descending), &a.page, l.limits.max_page_size,
    ).await?
);
