//! Candidacies: subjects registered at the start of the year as candidates for a learning model
//! (families register to be assessed as learning families, a commune aims at level 2, …).
//! Opening an assessment for a candidacy marks it `ASSESSED`; one not yet assessed can be
//! withdrawn.
//!
//! | refusal | field | code |
//! |---|---|---|
//! | the subject already has a live candidacy for this model and year | `subject` | `DUPLICATE` |
//! | the year is outside 1990–2100 | `periodYear` | `OUT_OF_RANGE` |
//! | a target level below 1 or above 10 | `targetLevel` | `OUT_OF_RANGE` |
//! | the organisation is not active | `organisationId` | `INVALID_STATE` |
//! | withdrawing what is not `REGISTERED` | `status` | `INVALID_TRANSITION` |
//!
//! plus the subject rules of [`super::subject`].

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, Select, Set,
};

use super::subject::{self, SubjectInput};
use super::write::YEARS;
use crate::access::{Actor, readable};
use crate::audit;
use crate::db::begin_write;
use crate::entity::candidacy::{self, Column, Entity, Model};
use crate::entity::enums::{CandidacyStatus, LearningModel, OrganisationStatus};
use crate::entity::organisation;
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::service::program::subtree_ids;
use crate::service::validate::Validator;
use crate::service::versioned;
use crate::{Error, Result, search};

/// A new candidacy.
#[derive(Debug, Clone)]
pub struct NewCandidacy {
    /// The organisation registering it; the actor must edit for it.
    pub organisation_id: i64,
    /// The learning model aimed at.
    pub model: LearningModel,
    /// Who registers.
    pub subject: SubjectInput,
    /// The year.
    pub period_year: i32,
    /// The level aimed at (1 when absent).
    pub target_level: Option<i32>,
}

/// Filters for listing candidacies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CandidacyFilter {
    /// Only this year.
    pub period_year: Option<i32>,
    /// Only these models.
    pub models: Option<Vec<LearningModel>>,
    /// Only these statuses.
    pub statuses: Option<Vec<CandidacyStatus>>,
    /// Only candidacies registered by organisations in this organisation's subtree.
    pub within_organisation: Option<i64>,
    /// Text in the subject's name, diacritics ignored.
    pub search: Option<String>,
}

/// Candidacies by subject name, then id.
pub fn ordering() -> Ordering<Entity> {
    Ordering {
        name: "SUBJECT_NAME",
        column: Some(Column::SubjectSearch),
        descending: false,
        key: |m| SortKey::Text(m.subject_search.clone()),
        id: Column::Id,
        id_of: |m| m.id,
    }
}

/// The candidacy `id` if the actor may read it.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<Option<Model>> {
    crate::service::lookup::by_id::<Entity>(db, actor, id).await
}

async fn filtered(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &CandidacyFilter,
) -> Result<Select<Entity>> {
    let mut select = readable::<Entity>(actor);
    if let Some(year) = filter.period_year {
        select = select.filter(Column::PeriodYear.eq(year));
    }
    if let Some(models) = &filter.models {
        select = select.filter(Column::Model.is_in(models.clone()));
    }
    if let Some(statuses) = &filter.statuses {
        select = select.filter(Column::Status.is_in(statuses.clone()));
    }
    if let Some(root) = filter.within_organisation {
        let root = crate::service::organisation::require(db, actor, root).await?;
        select = select.filter(Column::OrganisationId.in_subquery(subtree_ids(&root.path)));
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        select = select.filter(
            Expr::col((Entity, Column::SubjectSearch)).like(LikeExpr::new(pattern).escape('\\')),
        );
    }
    Ok(select)
}

/// One page of the candidacies the actor may read, by subject name.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &CandidacyFilter,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<Model>, TotalCount)> {
    let select = filtered(db, actor, filter).await?;
    let total = TotalCount::of(select.clone());
    Ok((
        page::fetch(db, select, &ordering(), request, max_page).await?,
        total,
    ))
}

/// Registers a subject as a candidate for a learning model in a year.
pub async fn register(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewCandidacy,
) -> Result<Model> {
    let org = crate::service::organisation::require(db, actor, input.organisation_id).await?;
    actor.require(
        actor.can_edit_records_of(&org.path),
        "you cannot register candidates for this organisation",
    )?;
    let mut v = Validator::new();
    v.check(
        org.status != OrganisationStatus::Active,
        "organisationId",
        "INVALID_STATE",
        "the organisation is not active",
    );
    v.check(
        !YEARS.contains(&input.period_year),
        "periodYear",
        "OUT_OF_RANGE",
        "the year must be within 1990–2100",
    );
    v.check(
        input.target_level.is_some_and(|l| !(1..=10).contains(&l)),
        "targetLevel",
        "OUT_OF_RANGE",
        "the target level is 1 to 10",
    );
    let subject = subject::resolve(db, actor, &mut v, &org, input.model, &input.subject).await?;
    if let Some(s) = &subject {
        let live = Entity::find()
            .filter(Column::SubjectKey.eq(s.key.as_str()))
            .filter(Column::Model.eq(input.model))
            .filter(Column::PeriodYear.eq(input.period_year))
            .filter(Column::Status.ne(CandidacyStatus::Withdrawn))
            .one(db)
            .await?;
        v.check(
            live.is_some(),
            "subject",
            "DUPLICATE",
            "this subject is already a candidate for this model and year",
        );
    }
    v.finish()?;
    let subject =
        subject.ok_or_else(|| Error::Internal("subject resolved without a value".into()))?;
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let created = candidacy::ActiveModel {
        id: NotSet,
        organisation_id: Set(org.id),
        model: Set(input.model),
        subject_kind: Set(subject.kind),
        subject_organisation_id: Set(subject.organisation_id),
        subject_search: Set(search::normalize(&subject.name)),
        subject_name: Set(subject.name),
        subject_key: Set(subject.key),
        period_year: Set(input.period_year),
        target_level: Set(Some(input.target_level.unwrap_or(1))),
        registered_on: Set(now.date_naive()),
        status: Set(CandidacyStatus::Registered),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::write(
        &txn,
        actor,
        org.id,
        "Candidacy",
        created.id,
        "register",
        audit::diff(None, Some(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Withdraws a registered candidacy (one already assessed stays).
pub async fn withdraw(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let current = get(db, actor, id).await?.ok_or(Error::NotFound)?;
    let org = organisation::Entity::find_by_id(current.organisation_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal(format!("candidacy {id} has no organisation")))?;
    super::rules::check_withdraw(actor, &current, &org)?;
    let mut next: candidacy::ActiveModel = current.clone().into();
    next.status = Set(CandidacyStatus::Withdrawn);
    let txn = begin_write(db).await?;
    let saved = versioned::save::<Entity>(&txn, id, next, version).await?;
    audit::write(
        &txn,
        actor,
        org.id,
        "Candidacy",
        id,
        "withdraw",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
