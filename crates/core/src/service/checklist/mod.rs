//! Criteria checklists (bộ tiêu chí): versioned templates for one learning model, as points
//! sheets or indicator sheets with levels. This module reads and lists them; [`write`] creates,
//! edits, publishes, retires and versions them; [`structure`] holds the rules a structure obeys.
//!
//! Life cycle: `DRAFT` (editable) → `PUBLISHED` (immutable, used by assessments) → `RETIRED`
//! (kept for the assessments that used it, closed to new ones). A change to a published
//! checklist is a new version (`newChecklistVersion`), never an edit.

pub mod rules;
mod sheets;
pub mod structure;
mod write;

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Select,
};

pub use sheets::SheetCache;
pub use structure::{ChecklistStructure, CriterionSpec, GroupSpec, LevelSpec};
pub use write::{
    ChecklistChanges, NewChecklist, NewChecklistVersion, create, new_version, publish, retire,
    update,
};

use crate::access::{Actor, readable};
use crate::entity::criteria_checklist::{Column, Entity, Model};
use crate::entity::enums::{ChecklistStatus, ChecklistStyle, LearningModel};
use crate::entity::{checklist_result_level, criteria_group, criterion};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::service::program::subtree_ids;
use crate::{Error, Result, search};

/// Filters for listing checklists. Every filter narrows; none widens the actor's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ChecklistFilter {
    /// Only checklists for these learning models.
    pub models: Option<Vec<LearningModel>>,
    /// Only these statuses.
    pub statuses: Option<Vec<ChecklistStatus>>,
    /// Only these styles.
    pub styles: Option<Vec<ChecklistStyle>>,
    /// Only checklists owned by an organisation in this organisation's subtree.
    pub within_organisation: Option<i64>,
    /// Text in the title or code, diacritics ignored.
    pub search: Option<String>,
}

/// Fields checklists can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChecklistSort {
    /// Code (versions of one code in creation order).
    #[default]
    Code,
    /// Title, diacritics ignored.
    Title,
    /// Creation time.
    CreatedAt,
    /// Last change.
    UpdatedAt,
}

/// The keyset ordering for `sort`.
pub fn ordering(sort: ChecklistSort, descending: bool) -> Ordering<Entity> {
    let (name, column, key): (_, _, fn(&Model) -> SortKey) = match sort {
        ChecklistSort::Code => ("CODE", Column::Code, |m| SortKey::Text(m.code.clone())),
        ChecklistSort::Title => ("TITLE", Column::TitleSearch, |m| {
            SortKey::Text(m.title_search.clone())
        }),
        ChecklistSort::CreatedAt => ("CREATED_AT", Column::CreatedAt, |m| {
            SortKey::Time(m.created_at)
        }),
        ChecklistSort::UpdatedAt => ("UPDATED_AT", Column::UpdatedAt, |m| {
            SortKey::Time(m.updated_at)
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

/// The checklist `id` if the actor may read it.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Option<Model>> {
    crate::service::lookup::by_id::<Entity>(db, actor, id).await
}

/// The checklist `id` or `NotFound`.
pub async fn require(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Model> {
    get(db, actor, id).await?.ok_or(Error::NotFound)
}

async fn filtered(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ChecklistFilter,
) -> Result<Select<Entity>> {
    let mut select = readable::<Entity>(actor);
    if let Some(models) = &filter.models {
        select = select.filter(Column::Model.is_in(models.clone()));
    }
    if let Some(statuses) = &filter.statuses {
        select = select.filter(Column::Status.is_in(statuses.clone()));
    }
    if let Some(styles) = &filter.styles {
        select = select.filter(Column::Style.is_in(styles.clone()));
    }
    if let Some(root) = filter.within_organisation {
        let root = crate::service::organisation::require(db, actor, root).await?;
        select = select.filter(Column::OwnerId.in_subquery(subtree_ids(&root.path)));
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        select = select.filter(
            Expr::col((Entity, Column::TitleSearch))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(Expr::col((Entity, Column::Code))
                    .like(LikeExpr::new(pattern.to_uppercase()).escape('\\'))),
        );
    }
    Ok(select)
}

/// One page of the checklists the actor may read: those owned in its subtrees, and published or
/// retired ones of its ancestors.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ChecklistFilter,
    order: &Ordering<Entity>,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<Model>, TotalCount)> {
    let select = filtered(db, actor, filter).await?;
    let total = TotalCount::of(select.clone());
    Ok((
        page::fetch(db, select, order, request, max_page).await?,
        total,
    ))
}

fn by_checklist<T>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

/// The groups of the readable checklists among `ids`, in order (one statement).
pub async fn groups(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<criteria_group::Model>>> {
    let rows = readable::<criteria_group::Entity>(actor)
        .filter(criteria_group::Column::ChecklistId.is_in(ids.iter().copied()))
        .order_by_asc(criteria_group::Column::Position)
        .order_by_asc(criteria_group::Column::Id)
        .all(db)
        .await?;
    Ok(by_checklist(rows, |r| r.checklist_id))
}

/// The criteria of the readable checklists among `ids`, group by group, in order (one
/// statement).
pub async fn criteria(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<criterion::Model>>> {
    let rows = readable::<criterion::Entity>(actor)
        .filter(criterion::Column::ChecklistId.is_in(ids.iter().copied()))
        .order_by_asc(Expr::cust(
            "(SELECT g.position FROM criteria_group g WHERE g.id = criterion.group_id)",
        ))
        .order_by_asc(criterion::Column::Position)
        .order_by_asc(criterion::Column::Id)
        .all(db)
        .await?;
    Ok(by_checklist(rows, |r| r.checklist_id))
}

/// The result levels of the readable checklists among `ids`, lowest first (one statement).
pub async fn levels(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<checklist_result_level::Model>>> {
    let rows = readable::<checklist_result_level::Entity>(actor)
        .filter(checklist_result_level::Column::ChecklistId.is_in(ids.iter().copied()))
        .order_by_asc(checklist_result_level::Column::Rank)
        .all(db)
        .await?;
    Ok(by_checklist(rows, |r| r.checklist_id))
}

/// What scoring needs of one checklist: its criteria and result levels. Not scoped: callers
/// have already read the checklist (or the assessment using it) through the scope.
#[derive(Debug, Clone)]
pub struct ScoringSheet {
    /// The checklist.
    pub checklist: Model,
    /// Its groups, in order.
    pub groups: Vec<criteria_group::Model>,
    /// Its criteria, in group order then position.
    pub criteria: Vec<criterion::Model>,
    /// Its levels, lowest first.
    pub levels: Vec<checklist_result_level::Model>,
}

impl ScoringSheet {
    /// Loads checklist `id` with its parts.
    pub async fn load(db: &impl ConnectionTrait, id: i64) -> Result<Self> {
        let checklist = Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(Error::NotFound)?;
        let groups = criteria_group::Entity::find()
            .filter(criteria_group::Column::ChecklistId.eq(id))
            .order_by_asc(criteria_group::Column::Position)
            .all(db)
            .await?;
        let mut criteria = criterion::Entity::find()
            .filter(criterion::Column::ChecklistId.eq(id))
            .all(db)
            .await?;
        let group_position: HashMap<i64, i32> = groups.iter().map(|g| (g.id, g.position)).collect();
        criteria.sort_by_key(|c| {
            (
                group_position.get(&c.group_id).copied().unwrap_or(i32::MAX),
                c.position,
                c.id,
            )
        });
        let levels = checklist_result_level::Entity::find()
            .filter(checklist_result_level::Column::ChecklistId.eq(id))
            .order_by_asc(checklist_result_level::Column::Rank)
            .all(db)
            .await?;
        Ok(Self {
            checklist,
            groups,
            criteria,
            levels,
        })
    }

    /// The structure as validated and copied.
    pub fn structure(&self) -> ChecklistStructure {
        ChecklistStructure::from_rows(&self.levels, &self.groups, &self.criteria)
    }
}
