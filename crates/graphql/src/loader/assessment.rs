//! What hangs under assessments, batched: one statement per relation for all assessments of a
//! query.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::{assessment_score, assessment_transition, recognition_decision};
use khuyenhoc_core::service::assessment::{self as service, recognition};

use super::Loaders;
use super::training::grouped_loader;
use crate::error::ApiError;

/// Groups `rows` by `parent`.
fn by_parent<T>(rows: Vec<T>, parent: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(parent(&row)).or_default().push(row);
    }
    out
}

grouped_loader!(
    /// Key: the stored answers of an assessment.
    ScoresOf => assessment_score::Model,
    |l, ids| by_parent(service::scores(&l.db, &*l.actor()?, &ids).await?, |r| r.assessment_id)
);
grouped_loader!(
    /// Key: the workflow history of an assessment, oldest first.
    TransitionsOf => assessment_transition::Model,
    |l, ids| by_parent(service::transitions(&l.db, &*l.actor()?, &ids).await?, |r| r.assessment_id)
);
grouped_loader!(
    /// Key: the recognition decision of an assessment (at most one).
    DecisionsOf => recognition_decision::Model,
    |l, ids| by_parent(recognition::of_assessments(&l.db, &*l.actor()?, &ids).await?, |r| r.assessment_id)
);
