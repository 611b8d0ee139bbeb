//! Organisations: reading the tree, creating, updating and archiving branches.
//! Moving and merging live in [`super::restructure`].

pub mod rules;

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, ExprTrait,
    NotSet, QueryFilter, Set,
};

use self::rules::Action;
use super::validate::{MAX_SHORT_TEXT, Validator};
use crate::access::{Actor, path, readable, reads_whole_subtree};
use crate::audit::{self, AuditEntry};
use crate::db::begin_write;
use crate::entity::enums::{OrganisationKind, OrganisationStatus};
use crate::entity::organisation::{self, Column, Entity, Model};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::{Error, Result, search};

/// Filters for listing organisations. Every filter narrows; none widens the actor's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct OrganisationFilter {
    /// Only these kinds.
    pub kinds: Option<Vec<OrganisationKind>>,
    /// Only these statuses (default: active ones).
    pub statuses: Option<Vec<OrganisationStatus>>,
    /// Only direct children of this organisation.
    pub parent_id: Option<i64>,
    /// Only organisations in the subtree of this one (itself included).
    pub within_organisation: Option<i64>,
    /// Diacritic-insensitive text contained in the name or code.
    pub search: Option<String>,
}

/// Fields a UI can sort organisations by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OrganisationSort {
    /// By name, diacritics ignored.
    #[default]
    Name,
    /// By code.
    Code,
    /// By creation time.
    CreatedAt,
}

/// The keyset ordering for `sort` in the given direction.
pub fn ordering(sort: OrganisationSort, descending: bool) -> Ordering<Entity> {
    let (name, column, key): (_, _, fn(&Model) -> SortKey) = match sort {
        OrganisationSort::Name => ("NAME", Column::NameSearch, |m| {
            SortKey::Text(m.name_search.clone())
        }),
        OrganisationSort::Code => ("CODE", Column::Code, |m| SortKey::Text(m.code.clone())),
        OrganisationSort::CreatedAt => ("CREATED_AT", Column::CreatedAt, |m| {
            SortKey::Time(m.created_at)
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

/// The organisation `id`, if the actor may read it.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Option<Model>> {
    super::lookup::by_id::<Entity>(db, actor, id).await
}

/// The organisations among `ids` the actor may read (in no particular order).
pub async fn get_many(db: &DatabaseConnection, actor: &Actor, ids: &[i64]) -> Result<Vec<Model>> {
    super::lookup::by_ids::<Entity>(db, actor, ids).await
}

/// The organisation `id` or `NotFound`.
pub async fn require(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Model> {
    get(db, actor, id).await?.ok_or(Error::NotFound)
}

/// The readable query narrowed by `filter`.
async fn filtered(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &OrganisationFilter,
) -> Result<sea_orm::Select<Entity>> {
    narrowed(db, actor, readable::<Entity>(actor), filter).await
}

/// `select` narrowed by `filter`.
async fn narrowed(
    db: &DatabaseConnection,
    actor: &Actor,
    mut select: sea_orm::Select<Entity>,
    filter: &OrganisationFilter,
) -> Result<sea_orm::Select<Entity>> {
    let statuses = filter
        .statuses
        .clone()
        .unwrap_or_else(|| vec![OrganisationStatus::Active]);
    select = select.filter(Column::Status.is_in(statuses));
    if let Some(kinds) = &filter.kinds {
        select = select.filter(Column::Kind.is_in(kinds.clone()));
    }
    if let Some(parent) = filter.parent_id {
        select = select.filter(Column::ParentId.eq(parent));
    }
    if let Some(root) = filter.within_organisation {
        let root = require(db, actor, root).await?;
        select = select.filter(path::organisation_in_subtree(&root.path));
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        let code_pattern = pattern.to_uppercase();
        select = select.filter(
            Expr::col((Entity, Column::NameSearch))
                .like(LikeExpr::new(pattern).escape('\\'))
                .or(Expr::col((Entity, Column::Code))
                    .like(LikeExpr::new(code_pattern).escape('\\'))),
        );
    }
    Ok(select)
}

/// One page of the organisations the actor may read, filtered and ordered.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &OrganisationFilter,
    order: &Ordering<Entity>,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<Model>, TotalCount)> {
    let select = filtered(db, actor, filter).await?;
    let total = TotalCount::of(select.clone());
    let page = page::fetch(db, select, order, request, max_page).await?;
    Ok((page, total))
}

/// A parent whose children are listed: its id and stored path.
#[derive(Debug, Clone, Copy)]
pub struct Parent<'a> {
    /// The parent's id.
    pub id: i64,
    /// The parent's stored path.
    pub path: &'a str,
}

/// For each of `parents`, one page of its readable children (one statement for all parents),
/// with each parent's total.
///
/// When the actor reads the whole subtree of every parent ([`reads_whole_subtree`]), every child
/// is readable and the statement carries no scope condition, which would only cost its planning
/// (about 2 ms for the nested program arms).
pub async fn children_pages(
    db: &DatabaseConnection,
    actor: &Actor,
    parents: &[Parent<'_>],
    filter: &OrganisationFilter,
    order: &Ordering<Entity>,
    request: &PageRequest,
    max_page: u64,
) -> Result<HashMap<i64, (Page<Model>, u64)>> {
    let whole_subtrees = parents
        .iter()
        .all(|parent| reads_whole_subtree(actor, parent.path));
    let base = if whole_subtrees {
        Entity::find()
    } else {
        readable::<Entity>(actor)
    };
    let select = narrowed(db, actor, base, filter).await?;
    let parent_ids: Vec<i64> = parents.iter().map(|parent| parent.id).collect();
    page::fetch_grouped(
        db,
        select,
        Column::ParentId,
        &parent_ids,
        order,
        request,
        max_page,
    )
    .await
}

/// The readable ancestors of `org`, root first.
pub async fn ancestors(db: &DatabaseConnection, actor: &Actor, org: &Model) -> Result<Vec<Model>> {
    let ids = org.ancestor_ids();
    let mut found = get_many(db, actor, &ids).await?;
    found.sort_by_key(|m| m.depth);
    Ok(found)
}

/// Input for a new organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    /// The parent; required for every kind but the roots.
    pub parent_id: Option<i64>,
    /// Unique code.
    pub code: String,
    /// Full name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Kind.
    pub kind: OrganisationKind,
    /// Postal address.
    pub address: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
}

/// Changes to an organisation's own details; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct OrganisationChanges {
    /// The version the client read.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New short name (blank clears).
    pub short_name: Option<String>,
    /// New address (blank clears).
    pub address: Option<String>,
    /// New email (blank clears).
    pub email: Option<String>,
    /// New phone (blank clears).
    pub phone: Option<String>,
}

/// Creates an organisation under a parent the actor administers.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewOrganisation,
) -> Result<Model> {
    let mut v = Validator::new();
    let code = v.code("code", &input.code);
    let name = v.required("name", &input.name, MAX_SHORT_TEXT);
    let short_name = v.optional("shortName", input.short_name.as_deref(), MAX_SHORT_TEXT);
    let address = v.optional("address", input.address.as_deref(), MAX_SHORT_TEXT);
    let email = v.email("email", input.email.as_deref());
    let phone = v.optional("phone", input.phone.as_deref(), 40);
    let Some(parent_id) = input.parent_id else {
        v.error("parentId", "REQUIRED", "a new organisation needs a parent");
        v.finish()?;
        return Err(Error::NotFound);
    };
    let parent = require(db, actor, parent_id).await?;
    match rules::check(Action::CreateChild, actor, &parent) {
        Err(Error::Invalid(fields)) => v.extend(fields),
        other => other?,
    }
    v.check(
        !input.kind.may_sit_under(parent.kind),
        "kind",
        "INVALID_PARENT",
        "an organisation of this kind cannot sit under the chosen parent",
    );
    if Entity::find()
        .filter(Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        v.error("code", "DUPLICATE", "another organisation has this code");
    }
    v.finish()?;

    let txn = begin_write(db).await?;
    let now = Utc::now();
    let inserted = organisation::ActiveModel {
        id: NotSet,
        code: Set(code),
        name_search: Set(search::normalize(&name)),
        name: Set(name),
        short_name: Set(short_name),
        kind: Set(input.kind),
        status: Set(OrganisationStatus::Active),
        parent_id: Set(Some(parent.id)),
        // Placeholder: the path ends with the row's own id, known only after the insert.
        path: Set(parent.path.clone()),
        depth: Set(parent.depth + 1),
        merged_into_id: Set(None),
        address: Set(address),
        email: Set(email),
        phone: Set(phone),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    let own_path = path::child(Some(&parent.path), inserted.id);
    let mut with_path: organisation::ActiveModel = inserted.into();
    with_path.path = Set(own_path);
    let created = with_path.update(&txn).await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(actor),
            actor_label: None,
            organisation_id: Some(created.id),
            entity_type: "Organisation",
            entity_id: Some(created.id),
            action: "create",
            changes: audit::diff(None, Some(&created)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Updates an organisation's own details (ADMIN of it or an ancestor).
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: OrganisationChanges,
) -> Result<Model> {
    let current = require(db, actor, id).await?;
    rules::check(Action::Update, actor, &current)?;
    let mut v = Validator::new();
    let mut next: organisation::ActiveModel = current.clone().into();
    if let Some(name) = &changes.name {
        let name = v.required("name", name, MAX_SHORT_TEXT);
        next.name_search = Set(search::normalize(&name));
        next.name = Set(name);
    }
    if let Some(short) = &changes.short_name {
        next.short_name = Set(v.optional("shortName", Some(short), MAX_SHORT_TEXT));
    }
    if let Some(address) = &changes.address {
        next.address = Set(v.optional("address", Some(address), MAX_SHORT_TEXT));
    }
    if let Some(email) = &changes.email {
        next.email = Set(v.email("email", Some(email)));
    }
    if let Some(phone) = &changes.phone {
        next.phone = Set(v.optional("phone", Some(phone), 40));
    }
    v.finish()?;
    save_guarded(db, actor, &current, next, changes.version, "update").await
}

/// Archives an organisation with no active children (ADMIN of a strict ancestor).
pub async fn archive(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let current = require(db, actor, id).await?;
    rules::check(Action::Archive, actor, &current)?;
    let active_child = Entity::find()
        .filter(Column::ParentId.eq(current.id))
        .filter(Column::Status.eq(OrganisationStatus::Active))
        .one(db)
        .await?;
    if active_child.is_some() {
        return Err(Error::Conflict(
            "the organisation still has active child organisations; move, merge or archive them first"
                .into(),
        ));
    }
    let mut next: organisation::ActiveModel = current.clone().into();
    next.status = Set(OrganisationStatus::Archived);
    next.archived_at = Set(Some(Utc::now()));
    save_guarded(db, actor, &current, next, version, "archive").await
}

/// Writes `next` if the stored version is still `expected`, with its audit event.
async fn save_guarded(
    db: &DatabaseConnection,
    actor: &Actor,
    current: &Model,
    next: organisation::ActiveModel,
    expected: i32,
    action: &'static str,
) -> Result<Model> {
    let txn = begin_write(db).await?;
    let saved = super::versioned::save::<Entity>(&txn, current.id, next, expected).await?;
    let changes = audit::diff(Some(current), Some(&saved));
    audit::write(
        &txn,
        actor,
        saved.id,
        "Organisation",
        saved.id,
        action,
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
