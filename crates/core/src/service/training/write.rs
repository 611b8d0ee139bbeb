//! Planning, updating, rescheduling, cancelling, holding and archiving training sessions.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, Set,
};
use serde_json::json;

use super::require;
use super::rules::{self, Action};
use crate::access::{Actor, linkable_organisations};
use crate::audit;
use crate::db::begin_write;
use crate::entity::enums::{Audience, SessionMode, SessionStatus};
use crate::entity::training_session::{self, Entity, Model};
use crate::entity::{
    legal_document, organisation, session_co_organiser, session_connection_point, session_speaker,
    session_topic,
};
use crate::events::{Events, SessionChange};
use crate::service::statistics::tally;
use crate::service::validate::{MAX_LONG_TEXT, MAX_SHORT_TEXT, Validator};
use crate::service::versioned;
use crate::{Error, Result, search};

/// A topic of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInput {
    /// Title.
    pub title: String,
    /// The legal document it covers.
    pub legal_document_id: Option<i64>,
}

/// A speaker at a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerInput {
    /// Name.
    pub name: String,
    /// Title or position.
    pub title: Option<String>,
    /// Organisation or affiliation.
    pub affiliation: Option<String>,
}

/// A connection point of an online or hybrid session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionPointInput {
    /// Name, e.g. "Điểm cầu xã Sóc Sơn".
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// The organisation hosting it.
    pub organisation_id: Option<i64>,
    /// Expected participants there.
    pub expected_participants: Option<i32>,
}

/// The editable details of a session, shared by planning and updating.
#[derive(Debug, Clone, Default)]
pub struct SessionDetails {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Who it is for.
    pub audience: Option<Vec<Audience>>,
    /// How it is delivered.
    pub mode: Option<SessionMode>,
    /// Venue (in person or hybrid).
    pub venue: Option<String>,
    /// Online link (online or hybrid).
    pub online_url: Option<String>,
    /// Seats; `None` keeps, `Some(None)` removes the limit.
    pub capacity: Option<Option<i32>>,
    /// Planned participants.
    pub planned_participants: Option<i32>,
    /// Co-organising organisations (replaces the list).
    pub co_organiser_ids: Option<Vec<i64>>,
    /// Topics (replaces the list).
    pub topics: Option<Vec<TopicInput>>,
    /// Speakers (replaces the list).
    pub speakers: Option<Vec<SpeakerInput>>,
    /// Connection points (replaces the list).
    pub connection_points: Option<Vec<ConnectionPointInput>>,
}

/// A new session.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The organiser; the actor must edit for it.
    pub organiser_id: i64,
    /// The program it serves, if any (must be readable).
    pub program_id: Option<i64>,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Everything else.
    pub details: SessionDetails,
}

/// Changes to a planned session's details.
#[derive(Debug, Clone, Default)]
pub struct SessionChanges {
    /// The version the client read.
    pub version: i32,
    /// The details to change.
    pub details: SessionDetails,
}

/// Validated child lists, ready to write.
#[derive(Default)]
struct Parts {
    co_organisers: Option<Vec<i64>>,
    topics: Option<Vec<TopicInput>>,
    speakers: Option<Vec<SpeakerInput>>,
    connection_points: Option<Vec<ConnectionPointInput>>,
}

/// Validates `details` into `next`, returning the child lists to write.
async fn apply_details(
    db: &DatabaseConnection,
    actor: &Actor,
    v: &mut Validator,
    next: &mut training_session::ActiveModel,
    details: &SessionDetails,
    organiser_id: i64,
    registered: i32,
) -> Result<Parts> {
    if let Some(title) = &details.title {
        let title = v.required("title", title, MAX_SHORT_TEXT);
        next.title_search = Set(search::normalize(&title));
        next.title = Set(title);
    }
    if let Some(d) = &details.description {
        next.description = Set(v.optional("description", Some(d), MAX_LONG_TEXT));
    }
    if let Some(audience) = &details.audience {
        let mut list = audience.clone();
        list.sort();
        list.dedup();
        next.audience = Set(json!(list));
    }
    if let Some(mode) = details.mode {
        next.mode = Set(mode);
    }
    if let Some(venue) = &details.venue {
        next.venue = Set(v.optional("venue", Some(venue), MAX_SHORT_TEXT));
    }
    if let Some(url) = &details.online_url {
        let url = v.optional("onlineUrl", Some(url), 2000);
        v.check(
            url.as_deref()
                .is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))),
            "onlineUrl",
            "INVALID_FORMAT",
            "the online link must start with https://",
        );
        next.online_url = Set(url);
    }
    if let Some(capacity) = details.capacity {
        v.check(
            capacity.is_some_and(|c| c < 0),
            "capacity",
            "OUT_OF_RANGE",
            "capacity cannot be negative",
        );
        v.check(
            capacity.is_some_and(|c| c < registered),
            "capacity",
            "BELOW_REGISTERED",
            "capacity cannot be below the number already registered",
        );
        next.capacity = Set(capacity);
    }
    if let Some(planned) = details.planned_participants {
        v.check(
            planned < 0,
            "plannedParticipants",
            "OUT_OF_RANGE",
            "cannot be negative",
        );
        next.planned_participants = Set(Some(planned));
    }
    let mut parts = Parts::default();
    if let Some(ids) = &details.co_organiser_ids {
        let mut ids = ids.clone();
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|id| *id != organiser_id);
        let found = linkable_organisations(actor)
            .filter(organisation::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?;
        v.check(
            found.len() != ids.len(),
            "coOrganiserIds",
            "NOT_FOUND",
            "a co-organiser does not exist",
        );
        parts.co_organisers = Some(ids);
    }
    if let Some(topics) = &details.topics {
        let doc_ids: Vec<i64> = topics.iter().filter_map(|t| t.legal_document_id).collect();
        let found = legal_document::Entity::find()
            .filter(legal_document::Column::Id.is_in(doc_ids.clone()))
            .all(db)
            .await?;
        for (i, t) in topics.iter().enumerate() {
            v.required(&format!("topics.{i}.title"), &t.title, MAX_SHORT_TEXT);
            if let Some(doc) = t.legal_document_id {
                v.check(
                    !found.iter().any(|d| d.id == doc),
                    &format!("topics.{i}.legalDocumentId"),
                    "NOT_FOUND",
                    "no such legal document",
                );
            }
        }
        parts.topics = Some(topics.clone());
    }
    if let Some(speakers) = &details.speakers {
        for (i, s) in speakers.iter().enumerate() {
            v.required(&format!("speakers.{i}.name"), &s.name, MAX_SHORT_TEXT);
        }
        parts.speakers = Some(speakers.clone());
    }
    if let Some(points) = &details.connection_points {
        v.check(
            points.len() > 500,
            "connectionPoints",
            "TOO_LONG",
            "at most 500 connection points",
        );
        for (i, p) in points.iter().enumerate() {
            v.required(
                &format!("connectionPoints.{i}.name"),
                &p.name,
                MAX_SHORT_TEXT,
            );
            v.check(
                p.expected_participants.is_some_and(|n| n < 0),
                &format!("connectionPoints.{i}.expectedParticipants"),
                "OUT_OF_RANGE",
                "cannot be negative",
            );
        }
        parts.connection_points = Some(points.clone());
    }
    Ok(parts)
}

fn check_mode(v: &mut Validator, model: &training_session::ActiveModel) {
    let mode = model
        .mode
        .try_as_ref()
        .copied()
        .unwrap_or(SessionMode::InPerson);
    let venue = model.venue.try_as_ref().cloned().flatten();
    let url = model.online_url.try_as_ref().cloned().flatten();
    v.check(
        matches!(mode, SessionMode::InPerson | SessionMode::Hybrid) && venue.is_none(),
        "venue",
        "REQUIRED",
        "an in-person or hybrid session needs a venue",
    );
    v.check(
        matches!(mode, SessionMode::Online | SessionMode::Hybrid) && url.is_none(),
        "onlineUrl",
        "REQUIRED",
        "an online or hybrid session needs a link",
    );
}

fn check_times(v: &mut Validator, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) {
    v.check(
        ends_at <= starts_at,
        "endsAt",
        "DATE_ORDER",
        "a session must end after it starts",
    );
    v.check(
        ends_at - starts_at > chrono::Duration::days(31),
        "endsAt",
        "OUT_OF_RANGE",
        "a session lasts at most 31 days",
    );
}

async fn write_parts(txn: &impl ConnectionTrait, session_id: i64, parts: &Parts) -> Result<()> {
    if let Some(ids) = &parts.co_organisers {
        session_co_organiser::Entity::delete_many()
            .filter(session_co_organiser::Column::SessionId.eq(session_id))
            .exec(txn)
            .await?;
        for id in ids {
            session_co_organiser::ActiveModel {
                session_id: Set(session_id),
                organisation_id: Set(*id),
            }
            .insert(txn)
            .await?;
        }
    }
    if let Some(topics) = &parts.topics {
        session_topic::Entity::delete_many()
            .filter(session_topic::Column::SessionId.eq(session_id))
            .exec(txn)
            .await?;
        for (i, t) in topics.iter().enumerate() {
            session_topic::ActiveModel {
                id: NotSet,
                session_id: Set(session_id),
                position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                title: Set(t.title.trim().to_owned()),
                legal_document_id: Set(t.legal_document_id),
            }
            .insert(txn)
            .await?;
        }
    }
    if let Some(speakers) = &parts.speakers {
        session_speaker::Entity::delete_many()
            .filter(session_speaker::Column::SessionId.eq(session_id))
            .exec(txn)
            .await?;
        for (i, s) in speakers.iter().enumerate() {
            session_speaker::ActiveModel {
                id: NotSet,
                session_id: Set(session_id),
                position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                name: Set(s.name.trim().to_owned()),
                title: Set(s.title.clone()),
                affiliation: Set(s.affiliation.clone()),
            }
            .insert(txn)
            .await?;
        }
    }
    if let Some(points) = &parts.connection_points {
        // Registrations keep their connection point only while it still exists.
        crate::entity::registration::Entity::update_many()
            .set(crate::entity::registration::ActiveModel {
                connection_point_id: Set(None),
                ..Default::default()
            })
            .filter(crate::entity::registration::Column::SessionId.eq(session_id))
            .exec(txn)
            .await?;
        session_connection_point::Entity::delete_many()
            .filter(session_connection_point::Column::SessionId.eq(session_id))
            .exec(txn)
            .await?;
        for (i, p) in points.iter().enumerate() {
            session_connection_point::ActiveModel {
                id: NotSet,
                session_id: Set(session_id),
                position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                name: Set(p.name.trim().to_owned()),
                address: Set(p.address.clone()),
                organisation_id: Set(p.organisation_id),
                expected_participants: Set(p.expected_participants),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// Plans a session organised by an organisation the actor edits for.
pub async fn create(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    input: NewSession,
) -> Result<Model> {
    let organiser = crate::service::organisation::require(db, actor, input.organiser_id).await?;
    actor.require(
        actor.can_edit_records_of(&organiser.path),
        "you cannot plan sessions for this organisation",
    )?;
    if let Some(program) = input.program_id {
        crate::service::program::require(db, actor, program).await?;
    }
    let now = Utc::now();
    let mut next = training_session::ActiveModel {
        id: NotSet,
        organiser_id: Set(organiser.id),
        program_id: Set(input.program_id),
        title: Set(String::new()),
        title_search: Set(String::new()),
        description: Set(None),
        audience: Set(json!([])),
        mode: Set(SessionMode::InPerson),
        venue: Set(None),
        online_url: Set(None),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        capacity: Set(None),
        planned_participants: Set(None),
        status: Set(SessionStatus::Planned),
        cancellation_reason: Set(None),
        registered_count: Set(0),
        attended_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    };
    let mut v = Validator::new();
    let mut details = input.details.clone();
    details.title.get_or_insert_with(String::new);
    let parts = apply_details(db, actor, &mut v, &mut next, &details, organiser.id, 0).await?;
    check_times(&mut v, input.starts_at, input.ends_at);
    check_mode(&mut v, &next);
    v.finish()?;
    let txn = begin_write(db).await?;
    let created = next.insert(&txn).await?;
    write_parts(&txn, created.id, &parts).await?;
    audit::write(
        &txn,
        actor,
        organiser.id,
        "TrainingSession",
        created.id,
        "create",
        audit::diff(None, Some(&created)),
    )
    .await?;
    let pending = events
        .stage(
            &txn,
            super::session_event(&created, &organiser, SessionChange::Planned),
        )
        .await?;
    txn.commit().await?;
    pending.announce();
    Ok(created)
}

/// A session loaded for a change, with its organiser.
struct Loaded {
    current: Model,
    organiser: organisation::Model,
}

impl Loaded {
    /// Where a change to this session is written and announced to.
    fn target<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        events: &'a Events,
        actor: &'a Actor,
    ) -> Target<'a> {
        Target {
            db,
            events,
            actor,
            current: &self.current,
            organiser: &self.organiser,
        }
    }

    /// The session's row, to be changed.
    fn next(&self) -> training_session::ActiveModel {
        self.current.clone().into()
    }
}

/// Loads a session the actor may take `action` on now ([`rules::check`]), with its organiser.
async fn for_action(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    action: Action,
) -> Result<Loaded> {
    let current = require(db, actor, id).await?;
    let organiser = organisation::Entity::find_by_id(current.organiser_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    rules::check(action, actor, &current, &organiser.path)?;
    Ok(Loaded { current, organiser })
}

/// What a change to a session is recorded and announced as.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// The audit action.
    action: &'static str,
    /// The announced change.
    change: SessionChange,
}

/// Where a change to a session is written and announced to.
struct Target<'a> {
    db: &'a DatabaseConnection,
    events: &'a Events,
    actor: &'a Actor,
    current: &'a Model,
    organiser: &'a organisation::Model,
}

impl Target<'_> {
    /// Saves a change of the session's own fields only (no topics, speakers or links).
    async fn save_fields(
        self,
        next: training_session::ActiveModel,
        expected: i32,
        action: &'static str,
        change: SessionChange,
    ) -> Result<Model> {
        save(
            self,
            next,
            expected,
            &Parts::default(),
            Step { action, change },
        )
        .await
    }
}

async fn save(
    target: Target<'_>,
    next: training_session::ActiveModel,
    expected: i32,
    parts: &Parts,
    step: Step,
) -> Result<Model> {
    let Target {
        db,
        events,
        actor,
        current,
        organiser,
    } = target;
    let txn = begin_write(db).await?;
    let saved = versioned::save::<Entity>(&txn, current.id, next, expected).await?;
    // No step changes the participant counts, which registrations move outside the version:
    // what the session counted before is its old state with today's counts.
    let before = Model {
        registered_count: saved.registered_count,
        attended_count: saved.attended_count,
        ..current.clone()
    };
    tally::record(&txn, &organiser.path, Some(&before), Some(&saved)).await?;
    write_parts(&txn, current.id, parts).await?;
    audit::write(
        &txn,
        actor,
        current.organiser_id,
        "TrainingSession",
        current.id,
        step.action,
        audit::diff(Some(current), Some(&saved)),
    )
    .await?;
    let pending = events
        .stage(&txn, super::session_event(&saved, organiser, step.change))
        .await?;
    txn.commit().await?;
    pending.announce();
    Ok(saved)
}

/// Updates a planned session's details.
pub async fn update(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    changes: SessionChanges,
) -> Result<Model> {
    let loaded = for_action(db, actor, id, Action::Update).await?;
    let mut v = Validator::new();
    let mut next = loaded.next();
    let parts = apply_details(
        db,
        actor,
        &mut v,
        &mut next,
        &changes.details,
        loaded.current.organiser_id,
        loaded.current.registered_count,
    )
    .await?;
    check_mode(&mut v, &next);
    v.finish()?;
    let target = loaded.target(db, events, actor);
    save(
        target,
        next,
        changes.version,
        &parts,
        Step {
            action: "update",
            change: SessionChange::Updated,
        },
    )
    .await
}

/// Moves a planned session to new times.
pub async fn reschedule(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    version: i32,
) -> Result<Model> {
    let loaded = for_action(db, actor, id, Action::Reschedule).await?;
    let mut v = Validator::new();
    check_times(&mut v, starts_at, ends_at);
    v.finish()?;
    let mut next = loaded.next();
    next.starts_at = Set(starts_at);
    next.ends_at = Set(ends_at);
    loaded
        .target(db, events, actor)
        .save_fields(next, version, "reschedule", SessionChange::Rescheduled)
        .await
}

/// Cancels a planned session, with a reason.
pub async fn cancel(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    reason: &str,
    version: i32,
) -> Result<Model> {
    let loaded = for_action(db, actor, id, Action::Cancel).await?;
    let mut v = Validator::new();
    let reason = v.required("reason", reason, MAX_LONG_TEXT);
    v.finish()?;
    let mut next = loaded.next();
    next.status = Set(SessionStatus::Cancelled);
    next.cancellation_reason = Set(Some(reason));
    loaded
        .target(db, events, actor)
        .save_fields(next, version, "cancel", SessionChange::Cancelled)
        .await
}

/// Marks a planned session as held (once it has started).
pub async fn mark_held(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let loaded = for_action(db, actor, id, Action::MarkHeld).await?;
    if loaded.current.starts_at > Utc::now() {
        return Err(Error::invalid(
            "status",
            "NOT_STARTED",
            "a session can be marked held once it has started",
        ));
    }
    let mut next = loaded.next();
    next.status = Set(SessionStatus::Held);
    loaded
        .target(db, events, actor)
        .save_fields(next, version, "mark_held", SessionChange::Held)
        .await
}

/// Archives a session that is not planned any more (held or cancelled).
pub async fn archive(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let loaded = for_action(db, actor, id, Action::Archive).await?;
    let mut next = loaded.next();
    next.archived_at = Set(Some(Utc::now()));
    loaded
        .target(db, events, actor)
        .save_fields(next, version, "archive", SessionChange::Archived)
        .await
}
