//! Registrations for training sessions, with capacity enforced atomically, and attendance.
//!
//! A registration takes a seat with one guarded statement —
//! `UPDATE training_session SET registered_count = registered_count + 1 WHERE id = ? AND
//! status = 'PLANNED' AND (capacity IS NULL OR registered_count < capacity)` — in the same
//! transaction as the insert. Concurrent registrations serialise on that row (PostgreSQL row
//! lock, SQLite write lock), so a session is never over-booked; a CHECK constraint backs it up.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait, NotSet, QueryFilter,
    Set,
};

use super::require;
use super::rules::{self, RegistrationAction};
use crate::access::{Actor, readable};
use crate::audit;
use crate::db::begin_write;
use crate::entity::enums::{RegistrationStatus, SessionStatus};
use crate::entity::registration::{self, Column, Entity, Model};
use crate::entity::{organisation, session_connection_point, training_session};
use crate::events::{Events, SessionChange};
use crate::page::{self, Ordering, Page, PageRequest, SortKey};
use crate::service::statistics::tally;
use crate::service::validate::{MAX_SHORT_TEXT, Validator};
use crate::service::versioned;
use crate::{Error, Result, search};

/// A person to register.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    /// The session.
    pub session_id: i64,
    /// Full name.
    pub person_name: String,
    /// Their organisation, when it is in the system.
    pub organisation_id: Option<i64>,
    /// Their organisation's name, otherwise.
    pub organisation_name: Option<String>,
    /// Position (chức vụ).
    pub position: Option<String>,
    /// Phone or email.
    pub contact: Option<String>,
    /// Connection point they attend from.
    pub connection_point_id: Option<i64>,
}

/// Filters for a session's registrations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RegistrationFilter {
    /// Include cancelled registrations.
    pub include_cancelled: bool,
    /// Only those who attended (`true`) or did not (`false`).
    pub attended: Option<bool>,
    /// Text in the person's name, diacritics ignored.
    pub search: Option<String>,
}

fn by_id() -> Ordering<Entity> {
    Ordering {
        name: "ID",
        column: None,
        descending: false,
        key: |_| SortKey::None,
        id: Column::Id,
        id_of: |m| m.id,
    }
}

/// For each readable session among `session_ids`, one page of its registrations (one statement).
pub async fn registrations_of_sessions(
    db: &DatabaseConnection,
    actor: &Actor,
    session_ids: &[i64],
    filter: &RegistrationFilter,
    request: &PageRequest,
    max_page: u64,
) -> Result<HashMap<i64, (Page<Model>, u64)>> {
    use sea_orm::sea_query::LikeExpr;
    let mut select = readable::<Entity>(actor);
    if !filter.include_cancelled {
        select = select.filter(Column::Status.eq(RegistrationStatus::Registered));
    }
    if let Some(attended) = filter.attended {
        select = select.filter(Column::Attended.eq(attended));
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        select = select.filter(
            Expr::col((Entity, Column::PersonSearch)).like(LikeExpr::new(pattern).escape('\\')),
        );
    }
    page::fetch_grouped(
        db,
        select,
        Column::SessionId,
        session_ids,
        &by_id(),
        request,
        max_page,
    )
    .await
}

/// The identity of a person within a session: their contact if given, else name and
/// organisation. One live registration per identity.
fn dedup_key(input: &NewRegistration) -> String {
    match input
        .contact
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(contact) => format!("contact:{}", search::normalize(contact).replace(' ', "")),
        None => format!(
            "person:{}|{}",
            search::normalize(&input.person_name),
            input
                .organisation_id
                .map(|id| id.to_string())
                .or_else(|| input.organisation_name.as_deref().map(search::normalize))
                .unwrap_or_default()
        ),
    }
}

/// Registers a person for a planned session. Editors of the organiser, co-organisers'
/// editors and editors of the person's own organisation may register people.
pub async fn register(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    input: NewRegistration,
) -> Result<Model> {
    let session = require(db, actor, input.session_id).await?;
    let organiser = organisation::Entity::find_by_id(session.organiser_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let participant_org = match input.organisation_id {
        Some(id) => Some(crate::service::organisation::require(db, actor, id).await?),
        None => None,
    };
    let co_organiser_paths: Vec<String> = organisation::Entity::find()
        .filter(
            organisation::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(crate::entity::session_co_organiser::Column::OrganisationId)
                    .from(crate::entity::session_co_organiser::Entity)
                    .and_where(
                        crate::entity::session_co_organiser::Column::SessionId.eq(session.id),
                    )
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.path)
        .collect();
    let allowed = actor.can_edit_records_of(&organiser.path)
        || co_organiser_paths
            .iter()
            .any(|p| actor.can_edit_records_of(p))
        || participant_org
            .as_ref()
            .is_some_and(|o| actor.can_edit_records_of(&o.path));
    actor.require(allowed, "you cannot register people for this session")?;
    let mut v = Validator::new();
    let person_name = v.required("personName", &input.person_name, MAX_SHORT_TEXT);
    let organisation_name = v.optional(
        "organisationName",
        input.organisation_name.as_deref(),
        MAX_SHORT_TEXT,
    );
    let position = v.optional("position", input.position.as_deref(), MAX_SHORT_TEXT);
    let contact = v.optional("contact", input.contact.as_deref(), 200);
    if session.status != SessionStatus::Planned || session.archived_at.is_some() {
        v.error(
            "sessionId",
            "INVALID_STATE",
            "registration is open only for planned sessions",
        );
    }
    if let Some(point) = input.connection_point_id {
        let found = session_connection_point::Entity::find_by_id(point)
            .one(db)
            .await?;
        v.check(
            found.is_none_or(|p| p.session_id != session.id),
            "connectionPointId",
            "NOT_FOUND",
            "not a connection point of this session",
        );
    }
    let key = dedup_key(&input);
    let duplicate = Entity::find()
        .filter(Column::SessionId.eq(session.id))
        .filter(Column::DedupKey.eq(key.as_str()))
        .filter(Column::Status.eq(RegistrationStatus::Registered))
        .one(db)
        .await?;
    v.check(
        duplicate.is_some(),
        "personName",
        "DUPLICATE",
        "this person is already registered for the session",
    );
    v.finish()?;

    let txn = begin_write(db).await?;
    let seat = training_session::Entity::update_many()
        .col_expr(
            training_session::Column::RegisteredCount,
            Expr::col(training_session::Column::RegisteredCount).add(1),
        )
        .filter(training_session::Column::Id.eq(session.id))
        .filter(training_session::Column::Status.eq(SessionStatus::Planned))
        .filter(
            training_session::Column::Capacity
                .is_null()
                .or(Expr::col(training_session::Column::RegisteredCount)
                    .lt(Expr::col(training_session::Column::Capacity))),
        )
        .exec(&txn)
        .await?;
    if seat.rows_affected != 1 {
        return Err(Error::invalid("sessionId", "FULL", "the session is full"));
    }
    let now = Utc::now();
    let inserted = registration::ActiveModel {
        id: NotSet,
        session_id: Set(session.id),
        person_search: Set(search::normalize(&person_name)),
        person_name: Set(person_name),
        organisation_id: Set(participant_org.as_ref().map(|o| o.id)),
        organisation_name: Set(organisation_name),
        position: Set(position),
        contact: Set(contact),
        dedup_key: Set(key),
        connection_point_id: Set(input.connection_point_id),
        status: Set(RegistrationStatus::Registered),
        attended: Set(false),
        attended_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await
    .map_err(|e| match Error::from(e) {
        Error::Conflict(_) => Error::invalid(
            "personName",
            "DUPLICATE",
            "this person is already registered for the session",
        ),
        other => other,
    })?;
    audit::write(
        &txn,
        actor,
        session.organiser_id,
        "Registration",
        inserted.id,
        "create",
        audit::diff(None, Some(&inserted)),
    )
    .await?;
    let pending = events
        .stage(
            &txn,
            super::session_event(&session, &organiser, SessionChange::Registrations),
        )
        .await?;
    txn.commit().await?;
    pending.announce();
    Ok(inserted)
}

/// Loads a registration the actor may take `action` on now ([`rules::check_registration`]),
/// with its session and the session's organiser.
async fn for_action(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    action: RegistrationAction,
) -> Result<(Model, training_session::Model, organisation::Model)> {
    let current = readable::<Entity>(actor)
        .filter(Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let session = require(db, actor, current.session_id).await?;
    let organiser = organisation::Entity::find_by_id(session.organiser_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let participant_path = match current.organisation_id {
        Some(org) => organisation::Entity::find_by_id(org)
            .one(db)
            .await?
            .map(|o| o.path),
        None => None,
    };
    rules::check_registration(
        action,
        actor,
        &current,
        &session,
        &organiser.path,
        participant_path.as_deref(),
    )?;
    Ok((current, session, organiser))
}

/// Cancels a registration and frees its seat (planned sessions only).
pub async fn cancel_registration(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let (current, session, organiser) =
        for_action(db, actor, id, RegistrationAction::Cancel).await?;
    let txn = begin_write(db).await?;
    let mut next: registration::ActiveModel = current.clone().into();
    next.status = Set(RegistrationStatus::Cancelled);
    let saved = versioned::save::<Entity>(&txn, id, next, version).await?;
    training_session::Entity::update_many()
        .col_expr(
            training_session::Column::RegisteredCount,
            Expr::col(training_session::Column::RegisteredCount).sub(1),
        )
        .filter(training_session::Column::Id.eq(session.id))
        .exec(&txn)
        .await?;
    audit::write(
        &txn,
        actor,
        session.organiser_id,
        "Registration",
        id,
        "cancel",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    let pending = events
        .stage(
            &txn,
            super::session_event(&session, &organiser, SessionChange::Registrations),
        )
        .await?;
    txn.commit().await?;
    pending.announce();
    Ok(saved)
}

/// Records whether a registered person attended (planned or held sessions that have started).
pub async fn mark_attendance(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    attended: bool,
    version: i32,
) -> Result<Model> {
    let (current, session, organiser) =
        for_action(db, actor, id, RegistrationAction::MarkAttendance).await?;
    if session.starts_at > Utc::now() {
        return Err(Error::invalid(
            "id",
            "NOT_STARTED",
            "attendance can be recorded once the session has started",
        ));
    }
    if current.attended == attended {
        return Ok(current);
    }
    let txn = begin_write(db).await?;
    let mut next: registration::ActiveModel = current.clone().into();
    next.attended = Set(attended);
    next.attended_at = Set(attended.then(Utc::now));
    let saved = versioned::save::<Entity>(&txn, id, next, version).await?;
    let delta = if attended { 1 } else { -1 };
    training_session::Entity::update_many()
        .col_expr(
            training_session::Column::AttendedCount,
            Expr::col(training_session::Column::AttendedCount).add(delta),
        )
        .filter(training_session::Column::Id.eq(session.id))
        .exec(&txn)
        .await?;
    // A held session counts its attendance in the statistics: read it back under the row lock
    // the update took, so its status is current.
    let counted = training_session::Entity::find_by_id(session.id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let before = training_session::Model {
        attended_count: counted.attended_count - delta,
        ..counted.clone()
    };
    tally::record(&txn, &organiser.path, Some(&before), Some(&counted)).await?;
    audit::write(
        &txn,
        actor,
        session.organiser_id,
        "Registration",
        id,
        "attendance",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    let pending = events
        .stage(
            &txn,
            super::session_event(&session, &organiser, SessionChange::Attendance),
        )
        .await?;
    txn.commit().await?;
    pending.announce();
    Ok(saved)
}
