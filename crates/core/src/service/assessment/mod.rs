//! Assessments: one subject against one published checklist version for one year, with
//! per-criterion answers, a total and result the server computes ([`crate::service::scoring`]),
//! a workflow and a recognition decision when approved. Also the candidacies registered at the
//! start of the year.
//!
//! * reading and listing (here), including the approval queue;
//! * [`write`]: opening an assessment and saving answers;
//! * [`bulk`]: up to a thousand of those in one all-or-nothing request;
//! * [`workflow`]: submit, resubmit, approve, return — every step recorded with its actor;
//! * [`recognition`]: decision dates and expiring recognitions;
//! * [`candidacy`]: registration at the start of the year;
//! * [`subject`]: what is assessed and how it is identified.
//!
//! Workflow: `DRAFT` → `SUBMITTED` → `APPROVED` (locked), or `SUBMITTED` → `RETURNED` (editable
//! again) → `SUBMITTED` …

pub mod bulk;
pub mod candidacy;
pub mod recognition;
pub mod rules;
pub mod subject;
mod workflow;
mod write;

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Select,
};

pub use workflow::{DecisionInput, StepRequest, approve, resubmit, return_assessment, submit};
pub use write::{NewAssessment, ScoreInput, create, save_scores};

use crate::access::{Actor, path, readable, reads_whole_subtree};
use crate::entity::assessment::{Column, Entity, Model};
use crate::entity::enums::{AssessmentStatus, LearningModel, Role};
use crate::entity::{assessment_score, assessment_transition, organisation};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::service::program::subtree_ids;
use crate::{Error, Result, search};

/// Filters for listing assessments. Every filter narrows; none widens the actor's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AssessmentFilter {
    /// Only these statuses.
    pub statuses: Option<Vec<AssessmentStatus>>,
    /// Only these learning models.
    pub models: Option<Vec<LearningModel>>,
    /// Only this year.
    pub period_year: Option<i32>,
    /// Only assessments by organisations in this organisation's subtree.
    pub within_organisation: Option<i64>,
    /// Only assessments against this checklist version.
    pub checklist_id: Option<i64>,
    /// Text in the subject's name, diacritics ignored.
    pub search: Option<String>,
    /// Only this result code (`NOT_MET` for none reached).
    pub result: Option<String>,
}

/// Fields assessments can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AssessmentSort {
    /// Creation time.
    #[default]
    CreatedAt,
    /// Last change (for submitted ones: when they were submitted).
    UpdatedAt,
    /// Subject name, diacritics ignored.
    SubjectName,
    /// Year assessed.
    PeriodYear,
}

/// The keyset ordering for `sort`.
pub fn ordering(sort: AssessmentSort, descending: bool) -> Ordering<Entity> {
    let (name, column, key): (_, _, fn(&Model) -> SortKey) = match sort {
        AssessmentSort::CreatedAt => ("CREATED_AT", Column::CreatedAt, |m| {
            SortKey::Time(m.created_at)
        }),
        AssessmentSort::UpdatedAt => ("UPDATED_AT", Column::UpdatedAt, |m| {
            SortKey::Time(m.updated_at)
        }),
        AssessmentSort::SubjectName => ("SUBJECT_NAME", Column::SubjectSearch, |m| {
            SortKey::Text(m.subject_search.clone())
        }),
        AssessmentSort::PeriodYear => ("PERIOD_YEAR", Column::PeriodYear, |m| {
            SortKey::Int(i64::from(m.period_year))
        }),
    };
    Ordering {
        name,
        column: Some(column),
        descending,
        key,
        id: Column::Id,
        id_of: |m| m.id,
    }
}

/// The assessment `id` if the actor may read it.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Option<Model>> {
    Ok(readable::<Entity>(actor)
        .filter(Column::Id.eq(id))
        .filter(Column::ArchivedAt.is_null())
        .one(db)
        .await?)
}

/// The assessment `id` or `NotFound`.
pub async fn require(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Model> {
    get(db, actor, id).await?.ok_or(Error::NotFound)
}

/// The assessing organisation of `assessment` (readable or not: policy needs its path).
pub(crate) async fn assessing_organisation(
    db: &impl sea_orm::ConnectionTrait,
    assessment: &Model,
) -> Result<organisation::Model> {
    use sea_orm::EntityTrait;
    organisation::Entity::find_by_id(assessment.organisation_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal(format!("assessment {} has no organisation", assessment.id)))
}

/// The assessments matching `filter` that `actor` may read.
///
/// The read scope (`organisation_id` or `subject_organisation_id` in the actor's subtrees) is an
/// `OR` no index serves, so it is left out where the query already implies it: when
/// `withinOrganisation` names an organisation whose whole subtree the actor reads, or when the
/// caller passes `scope_implied` because its own condition keeps to such subtrees. Then the
/// query is driven by the organisation index instead of a scan of every assessment.
async fn filtered(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &AssessmentFilter,
    scope_implied: bool,
) -> Result<Filtered> {
    let root = match filter.within_organisation {
        Some(id) => Some(crate::service::organisation::require(db, actor, id).await?),
        None => None,
    };
    let implied = scope_implied
        || root
            .as_ref()
            .is_some_and(|root| reads_whole_subtree(actor, &root.path));
    let tallied = match &root {
        Some(root) if implied => counted_in_tally(filter, root),
        _ => None,
    };
    let mut select = if implied {
        Entity::find()
    } else {
        readable::<Entity>(actor)
    }
    .filter(Column::ArchivedAt.is_null());
    if let Some(statuses) = &filter.statuses {
        select = select.filter(Column::Status.is_in(statuses.clone()));
    }
    if let Some(models) = &filter.models {
        select = select.filter(Column::Model.is_in(models.clone()));
    }
    if let Some(year) = filter.period_year {
        select = select.filter(Column::PeriodYear.eq(year));
    }
    if let Some(root) = root {
        select = select.filter(Column::OrganisationId.in_subquery(subtree_ids(&root.path)));
    }
    if let Some(checklist) = filter.checklist_id {
        select = select.filter(Column::ChecklistId.eq(checklist));
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        select = select.filter(
            Expr::col((Entity, Column::SubjectSearch)).like(LikeExpr::new(pattern).escape('\\')),
        );
    }
    if let Some(result) = &filter.result {
        select = select.filter(Column::ResultCode.eq(result.trim().to_uppercase()));
    }
    let total = tallied.map_or_else(
        || TotalCount::of(select.clone()),
        TotalCount::from_statement,
    );
    Ok(Filtered { select, total })
}

/// A filtered query and how to count its rows.
struct Filtered {
    select: Select<Entity>,
    total: TotalCount,
}

/// The count of `filter`'s assessments read from the statistics tally of `root`, when the
/// filter only narrows what the tally is keyed by (statuses, models, year, result) and `root`
/// has a tally (is not a root of the tree). The tally counts exactly the assessments of
/// `root`'s subtree that are not archived (`service::statistics::tally`), so a province's
/// `totalCount` costs one index range instead of a count of its assessments.
fn counted_in_tally(
    filter: &AssessmentFilter,
    root: &organisation::Model,
) -> Option<SelectStatement> {
    if root.parent_id.is_none() || !tally_shaped(filter) {
        return None;
    }
    Some(tally_count(
        filter,
        Expr::col(tally_column("organisation_id")).eq(root.id),
    ))
}

/// The approval queue's count read from the tallies of the writer roots' children, when that
/// is exactly the queue: a tally-shaped filter without `withinOrganisation`, and no grant of the
/// actor strictly inside a writer root (the queue leaves out a grant organisation's own
/// assessments, which its parent's tally includes; nested writer roots would be counted twice).
fn queue_counted_in_tally(
    actor: &Actor,
    filter: &AssessmentFilter,
    writer_roots: &[&str],
) -> Option<SelectStatement> {
    if writer_roots.is_empty() || filter.within_organisation.is_some() || !tally_shaped(filter) {
        return None;
    }
    let nested = actor.grants.iter().any(|g| {
        writer_roots
            .iter()
            .any(|root| g.organisation_path != *root && path::is_within(&g.organisation_path, root))
    });
    if nested {
        return None;
    }
    let mut roots: Vec<i64> = writer_roots
        .iter()
        .filter_map(|root| path::ids(root).last().copied())
        .collect();
    roots.sort_unstable();
    roots.dedup();
    let children = Query::select()
        .column(organisation::Column::Id)
        .from(organisation::Entity)
        .and_where(organisation::Column::ParentId.is_in(roots))
        .to_owned();
    let mut statement = tally_count(
        filter,
        Expr::col(tally_column("organisation_id")).in_subquery(children),
    );
    statement.and_where(Expr::col(tally_column("status")).eq(AssessmentStatus::Submitted.as_str()));
    Some(statement)
}

/// Whether `filter` narrows only by what the assessment tally is keyed by (organisation,
/// statuses, models, year, result).
fn tally_shaped(filter: &AssessmentFilter) -> bool {
    filter.checklist_id.is_none() && filter.search.is_none()
}

/// `assessment_tally.<name>`.
fn tally_column(name: &str) -> (Alias, Alias) {
    (Alias::new("assessment_tally"), Alias::new(name))
}

/// `SELECT SUM(n) AS n FROM assessment_tally WHERE <organisations> AND <filter's keys>`.
fn tally_count(filter: &AssessmentFilter, organisations: Expr) -> SelectStatement {
    let column = |name: &str| Expr::col(tally_column(name));
    let mut statement = Query::select();
    statement
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(n), 0) AS BIGINT)"),
            Alias::new("n"),
        )
        .from(Alias::new("assessment_tally"))
        .and_where(organisations);
    if let Some(year) = filter.period_year {
        statement.and_where(column("period_year").eq(year));
    }
    if let Some(statuses) = &filter.statuses {
        statement.and_where(column("status").is_in(statuses.iter().map(|s| s.as_str())));
    }
    if let Some(models) = &filter.models {
        statement.and_where(column("model").is_in(models.iter().map(|m| m.as_str())));
    }
    if let Some(result) = &filter.result {
        statement.and_where(column("result_code").eq(result.trim().to_uppercase()));
    }
    statement
}

/// One page of the assessments the actor may read: those of organisations in its subtrees, and
/// those whose subject is an organisation in its subtrees.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &AssessmentFilter,
    order: &Ordering<Entity>,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<Model>, TotalCount)> {
    let Filtered { select, total } = filtered(db, actor, filter, false).await?;
    // A name search tests every assessment of the subtree's year; `assessment_search_idx`
    // answers that from the index when only the page's ids are asked for, and the same pass
    // counts the matches.
    if filter.search.is_some() {
        let (page, counted) =
            page::fetch_by_ids_counted(db, select, order, request, max_page).await?;
        return Ok((page, counted.map_or(total, TotalCount::known)));
    }
    let page = page::fetch(db, select, order, request, max_page).await?;
    Ok((page, total))
}

/// The submitted assessments the actor may approve or return, longest waiting first.
///
/// This is the SQL form of the rule [`approve`] enforces row by row
/// ([`Actor::approving_organisation_for`]): assessed by an organisation strictly below one where
/// the actor is EDITOR or ADMIN, and in which the actor holds no role itself.
pub async fn approval_queue(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &AssessmentFilter,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<Model>, TotalCount)> {
    let writer_roots: Vec<&str> = actor
        .grants_with(&[Role::Admin, Role::Editor])
        .map(|g| g.organisation_path.as_str())
        .collect();
    // Below the actor's own writer grants: inside subtrees it reads whole.
    let mut select = filtered(db, actor, filter, !writer_roots.is_empty())
        .await?
        .select
        .filter(Column::Status.eq(AssessmentStatus::Submitted));
    let below_writers = writer_roots
        .iter()
        .fold(sea_orm::Condition::any(), |any, root| {
            any.add(path::organisation_in_subtree(root).add(organisation::Column::Path.ne(*root)))
        });
    let own: Vec<i64> = actor.grants.iter().map(|g| g.organisation_id).collect();
    select = if writer_roots.is_empty() {
        select.filter(Expr::cust("1 = 0"))
    } else {
        select
            .filter(
                Column::OrganisationId.in_subquery(
                    Query::select()
                        .column(organisation::Column::Id)
                        .from(organisation::Entity)
                        .cond_where(below_writers)
                        .to_owned(),
                ),
            )
            .filter(Column::OrganisationId.is_not_in(own))
    };
    let total = match queue_counted_in_tally(actor, filter, &writer_roots) {
        Some(statement) => TotalCount::from_statement(statement),
        None => TotalCount::of(select.clone()),
    };
    let ordering = ordering(AssessmentSort::UpdatedAt, false);
    Ok((
        page::fetch(db, select, &ordering, request, max_page).await?,
        total,
    ))
}

/// The stored answers of the readable assessments among `ids`.
pub async fn scores(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<assessment_score::Model>> {
    Ok(readable::<assessment_score::Entity>(actor)
        .filter(assessment_score::Column::AssessmentId.is_in(ids.iter().copied()))
        .order_by_asc(assessment_score::Column::Id)
        .all(db)
        .await?)
}

/// The workflow history of the readable assessments among `ids`, oldest step first.
pub async fn transitions(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<assessment_transition::Model>> {
    Ok(readable::<assessment_transition::Entity>(actor)
        .filter(assessment_transition::Column::AssessmentId.is_in(ids.iter().copied()))
        .order_by_asc(assessment_transition::Column::Id)
        .all(db)
        .await?)
}

/// The answers of `scores` by criterion id, as scoring reads them.
pub(crate) fn answers(
    scores: &[assessment_score::Model],
) -> HashMap<i64, crate::service::scoring::Answer> {
    scores
        .iter()
        .map(|s| {
            (
                s.criterion_id,
                crate::service::scoring::Answer {
                    points: s.points,
                    met: s.met,
                },
            )
        })
        .collect()
}
