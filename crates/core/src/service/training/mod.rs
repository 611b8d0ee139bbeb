//! Training sessions (tập huấn): reading, listing and derived counts. Writes live in [`write`];
//! registrations and attendance in [`registration`].

mod registration;
pub mod rules;
mod write;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Select,
};

pub use registration::{
    NewRegistration, RegistrationFilter, cancel_registration, mark_attendance, register,
    registrations_of_sessions,
};
pub use write::{
    ConnectionPointInput, NewSession, SessionChanges, SessionDetails, SpeakerInput, TopicInput,
    archive, cancel, create, mark_held, reschedule, update,
};

use crate::access::{Actor, readable};
use crate::entity::enums::{RegistrationStatus, SessionMode, SessionStatus};
use crate::entity::training_session::{Column, Entity, Model};
use crate::entity::{
    registration as reg, session_co_organiser, session_connection_point, session_speaker,
    session_topic,
};
use crate::events::{Change, Event, SessionChange};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::service::program::subtree_ids;
use crate::{Error, Result, search};

/// Filters for listing sessions. Every filter narrows; none widens the actor's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SessionFilter {
    /// Only these statuses.
    pub statuses: Option<Vec<SessionStatus>>,
    /// Only these modes.
    pub modes: Option<Vec<SessionMode>>,
    /// Only sessions organised (or co-organised) by an organisation in this subtree.
    pub within_organisation: Option<i64>,
    /// Only sessions of this program.
    pub program_id: Option<i64>,
    /// Only sessions of programs this organisation is a party to.
    pub partner: Option<i64>,
    /// Only sessions starting at or after this instant.
    pub starts_from: Option<DateTime<Utc>>,
    /// Only sessions starting before this instant.
    pub starts_before: Option<DateTime<Utc>>,
    /// Text in the title, diacritics ignored.
    pub search: Option<String>,
    /// Include archived sessions.
    pub include_archived: bool,
}

/// Fields sessions can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SessionSort {
    /// Start time.
    #[default]
    StartsAt,
    /// Title, diacritics ignored.
    Title,
    /// Creation time.
    CreatedAt,
}

/// The keyset ordering for `sort`.
pub fn ordering(sort: SessionSort, descending: bool) -> Ordering<Entity> {
    let (name, column, key): (_, _, fn(&Model) -> SortKey) = match sort {
        SessionSort::StartsAt => ("STARTS_AT", Column::StartsAt, |m| {
            SortKey::Time(m.starts_at)
        }),
        SessionSort::Title => ("TITLE", Column::TitleSearch, |m| {
            SortKey::Text(m.title_search.clone())
        }),
        SessionSort::CreatedAt => ("CREATED_AT", Column::CreatedAt, |m| {
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

/// The event announcing `change` to `session`, organised by `organiser`.
fn session_event(
    session: &Model,
    organiser: &crate::entity::organisation::Model,
    change: SessionChange,
) -> Event {
    Event::now(
        Change::TrainingSession {
            session_id: session.id,
            change,
        },
        organiser.id,
        &organiser.path,
    )
}

/// The session `id` if the actor may read it.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Option<Model>> {
    crate::service::lookup::by_id::<Entity>(db, actor, id).await
}

/// The session `id` or `NotFound`.
pub async fn require(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Model> {
    get(db, actor, id).await?.ok_or(Error::NotFound)
}

async fn filtered(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &SessionFilter,
) -> Result<Select<Entity>> {
    let mut select = readable::<Entity>(actor);
    if !filter.include_archived {
        select = select.filter(Column::ArchivedAt.is_null());
    }
    if let Some(statuses) = &filter.statuses {
        select = select.filter(Column::Status.is_in(statuses.clone()));
    }
    if let Some(modes) = &filter.modes {
        select = select.filter(Column::Mode.is_in(modes.clone()));
    }
    if let Some(root) = filter.within_organisation {
        let root = crate::service::organisation::require(db, actor, root).await?;
        let co = Query::select()
            .column(session_co_organiser::Column::SessionId)
            .from(session_co_organiser::Entity)
            .and_where(
                session_co_organiser::Column::OrganisationId.in_subquery(subtree_ids(&root.path)),
            )
            .to_owned();
        select = select.filter(
            Expr::col((Entity, Column::OrganiserId))
                .in_subquery(subtree_ids(&root.path))
                .or(Expr::col((Entity, Column::Id)).in_subquery(co)),
        );
    }
    if let Some(program) = filter.program_id {
        select = select.filter(Column::ProgramId.eq(program));
    }
    if let Some(partner) = filter.partner {
        crate::service::organisation::require(db, actor, partner).await?;
        let programs = Query::select()
            .column(crate::entity::program_party::Column::ProgramId)
            .from(crate::entity::program_party::Entity)
            .and_where(crate::entity::program_party::Column::OrganisationId.eq(partner))
            .and_where(crate::entity::program_party::Column::RemovedAt.is_null())
            .to_owned();
        select = select.filter(Column::ProgramId.in_subquery(programs));
    }
    if let Some(from) = filter.starts_from {
        select = select.filter(Column::StartsAt.gte(from));
    }
    if let Some(before) = filter.starts_before {
        select = select.filter(Column::StartsAt.lt(before));
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        select = select.filter(
            Expr::col((Entity, Column::TitleSearch)).like(LikeExpr::new(pattern).escape('\\')),
        );
    }
    Ok(select)
}

/// One page of the sessions the actor may read.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &SessionFilter,
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

/// For each parent (program or organiser), one page of its readable sessions, in one statement.
#[allow(clippy::too_many_arguments)]
pub async fn pages_by(
    db: &DatabaseConnection,
    actor: &Actor,
    group: Column,
    parent_ids: &[i64],
    filter: &SessionFilter,
    order: &Ordering<Entity>,
    request: &PageRequest,
    max_page: u64,
) -> Result<HashMap<i64, (Page<Model>, u64)>> {
    let select = filtered(db, actor, filter).await?;
    page::fetch_grouped(db, select, group, parent_ids, order, request, max_page).await
}

/// Co-organisers of the readable sessions among `ids`.
pub async fn co_organisers(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>> {
    let rows = readable::<session_co_organiser::Entity>(actor)
        .filter(session_co_organiser::Column::SessionId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in rows {
        out.entry(row.session_id)
            .or_default()
            .push(row.organisation_id);
    }
    Ok(out)
}

/// Topics of the readable sessions among `ids`.
pub async fn topics(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<session_topic::Model>>> {
    let rows = readable::<session_topic::Entity>(actor)
        .filter(session_topic::Column::SessionId.is_in(ids.iter().copied()))
        .order_by_asc(session_topic::Column::Position)
        .order_by_asc(session_topic::Column::Id)
        .all(db)
        .await?;
    Ok(group(rows, |r| r.session_id))
}

/// Speakers of the readable sessions among `ids`.
pub async fn speakers(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<session_speaker::Model>>> {
    let rows = readable::<session_speaker::Entity>(actor)
        .filter(session_speaker::Column::SessionId.is_in(ids.iter().copied()))
        .order_by_asc(session_speaker::Column::Position)
        .order_by_asc(session_speaker::Column::Id)
        .all(db)
        .await?;
    Ok(group(rows, |r| r.session_id))
}

/// Connection points of the readable sessions among `ids`.
pub async fn connection_points(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<session_connection_point::Model>>> {
    let rows = readable::<session_connection_point::Entity>(actor)
        .filter(session_connection_point::Column::SessionId.is_in(ids.iter().copied()))
        .order_by_asc(session_connection_point::Column::Position)
        .order_by_asc(session_connection_point::Column::Id)
        .all(db)
        .await?;
    Ok(group(rows, |r| r.session_id))
}

fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

/// Registrations and attendance of one organisation at one session.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct OrganisationCount {
    /// The session.
    pub session_id: i64,
    /// The participants' organisation, when registered by reference.
    pub organisation_id: Option<i64>,
    /// The participants' organisation name, when registered by name.
    pub organisation_name: Option<String>,
    /// Live registrations.
    pub registered: i64,
    /// Of which attended.
    pub attended: i64,
}

/// Registered and attended counts by organisation, for the readable sessions among `ids`
/// (one grouped statement).
pub async fn counts_by_organisation(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<OrganisationCount>>> {
    let backend = db.get_database_backend();
    let attended = match backend {
        sea_orm::DatabaseBackend::Postgres => "SUM(CASE WHEN attended THEN 1 ELSE 0 END)",
        _ => "SUM(CASE WHEN attended = 1 THEN 1 ELSE 0 END)",
    };
    let rows = readable::<reg::Entity>(actor)
        .filter(reg::Column::SessionId.is_in(ids.iter().copied()))
        .filter(reg::Column::Status.eq(RegistrationStatus::Registered))
        .select_only()
        .column(reg::Column::SessionId)
        .column(reg::Column::OrganisationId)
        .column(reg::Column::OrganisationName)
        .column_as(Expr::cust("COUNT(*)"), "registered")
        .column_as(
            Expr::cust(format!("CAST({attended} AS BIGINT)")),
            "attended",
        )
        .group_by(reg::Column::SessionId)
        .group_by(reg::Column::OrganisationId)
        .group_by(reg::Column::OrganisationName)
        .into_model::<OrganisationCount>()
        .all(db)
        .await?;
    Ok(group(rows, |r| r.session_id))
}
