//! The parts of checklists, batched: one statement per relation for all checklists of a query.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::{checklist_result_level, criteria_group, criterion};
use khuyenhoc_core::service::checklist as service;

use super::Loaders;
use super::training::grouped_loader;
use crate::error::ApiError;

grouped_loader!(
    /// Key: the groups of a checklist, in order.
    GroupsOf => criteria_group::Model,
    |l, ids| service::groups(&l.db, &*l.actor()?, &ids).await?
);
grouped_loader!(
    /// Key: the criteria of a checklist, group by group, in order.
    CriteriaOf => criterion::Model,
    |l, ids| service::criteria(&l.db, &*l.actor()?, &ids).await?
);
grouped_loader!(
    /// Key: the result levels of a checklist, lowest first.
    LevelsOf => checklist_result_level::Model,
    |l, ids| service::levels(&l.db, &*l.actor()?, &ids).await?
);
