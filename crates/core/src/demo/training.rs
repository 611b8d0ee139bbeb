//! Inserts the training sessions of [`super::session_table`] with their co-organisers, topics,
//! speakers, connection points and registrations.
//!
//! Registrations follow the rules the registration service enforces: the dedup key is built the
//! same way, and the session's `registered_count` / `attended_count` equal the live and attended
//! registrations.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, NotSet, Set};
use serde_json::json;

use super::people::person;
use super::session_table::{SESSIONS, SessionSpec};
use super::{Seeder, at, at_day, count, date, position, shift};
use crate::entity::enums::{RegistrationStatus, SessionStatus};
use crate::entity::{
    registration, session_co_organiser, session_connection_point, session_speaker, session_topic,
    training_session,
};
use crate::{Error, Result, search};

/// Positions of registrants, cycled.
const POSITIONS: &[&str] = &[
    "Chủ tịch Hội Khuyến học",
    "Phó Chủ tịch Hội Khuyến học",
    "Chi hội trưởng",
    "Ủy viên Ban Thường vụ",
    "Cán bộ văn hóa – xã hội",
    "Giám đốc Trung tâm học tập cộng đồng",
];

/// Seeds every session.
pub(super) async fn seed(seeder: &mut Seeder<'_>) -> Result<()> {
    // Numbers the registrants across sessions, so each gets a distinct name and contact.
    let mut person_no = 0;
    for spec in SESSIONS {
        seed_session(seeder, spec, &mut person_no).await?;
    }
    Ok(())
}

async fn seed_session(
    seeder: &mut Seeder<'_>,
    spec: &SessionSpec,
    person_no: &mut usize,
) -> Result<()> {
    let who = &spec.registrants;
    let live = who
        .count
        .checked_sub(who.cancelled)
        .filter(|live| *live >= who.attended);
    let Some(live) = live else {
        return Err(Error::Internal(format!(
            "demo session counts inconsistent: {}",
            spec.title
        )));
    };
    let starts_at = at(spec.day, 1)?;
    let ends_at = at(spec.day, 1 + spec.hours)?;
    let created_at = at_day(shift(date(spec.day)?, -45)?, 2)?;
    let mut audience = spec.audience.to_vec();
    audience.sort();
    let program_id = spec
        .program
        .map(|code| seeder.program_id(code))
        .transpose()?;
    let session = training_session::ActiveModel {
        id: NotSet,
        organiser_id: Set(seeder.org_id(spec.organiser)?),
        program_id: Set(program_id),
        title: Set(spec.title.to_owned()),
        title_search: Set(search::normalize(spec.title)),
        description: Set(Some(spec.description.to_owned())),
        audience: Set(json!(audience)),
        mode: Set(spec.mode),
        venue: Set(spec.venue.map(str::to_owned)),
        online_url: Set(spec.online_url.map(str::to_owned)),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        capacity: Set(spec.capacity),
        planned_participants: Set(Some(spec.planned)),
        status: Set(spec.status),
        cancellation_reason: Set(spec.cancellation_reason.map(str::to_owned)),
        registered_count: Set(count(live)?),
        attended_count: Set(count(who.attended)?),
        created_at: Set(created_at),
        updated_at: Set(if spec.status == SessionStatus::Planned {
            created_at
        } else {
            ends_at
        }),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(seeder.txn)
    .await?;
    seeder.report.training_sessions += 1;

    let co_organisers = spec
        .co_organisers
        .iter()
        .map(|code| {
            Ok(session_co_organiser::ActiveModel {
                session_id: Set(session.id),
                organisation_id: Set(seeder.org_id(code)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    session_co_organiser::Entity::insert_many(co_organisers)
        .exec_without_returning(seeder.txn)
        .await?;

    let topics = spec
        .topics
        .iter()
        .enumerate()
        .map(|(i, (title, document))| {
            Ok(session_topic::ActiveModel {
                id: NotSet,
                session_id: Set(session.id),
                position: Set(position(i)?),
                title: Set((*title).to_owned()),
                legal_document_id: Set(document.map(|n| seeder.document_id(n)).transpose()?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    session_topic::Entity::insert_many(topics)
        .exec_without_returning(seeder.txn)
        .await?;

    let speakers = spec
        .speakers
        .iter()
        .enumerate()
        .map(|(i, (name, title, affiliation))| {
            Ok(session_speaker::ActiveModel {
                id: NotSet,
                session_id: Set(session.id),
                position: Set(position(i)?),
                name: Set((*name).to_owned()),
                title: Set(Some((*title).to_owned())),
                affiliation: Set(Some((*affiliation).to_owned())),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    session_speaker::Entity::insert_many(speakers)
        .exec_without_returning(seeder.txn)
        .await?;

    // Connection points one by one: registrations refer to their ids.
    let mut points = Vec::new();
    for (i, (org, name, address, expected)) in spec.connection_points.iter().enumerate() {
        let organisation_id = seeder.org_id(org)?;
        let point = session_connection_point::ActiveModel {
            id: NotSet,
            session_id: Set(session.id),
            position: Set(position(i)?),
            name: Set((*name).to_owned()),
            address: Set(Some((*address).to_owned())),
            organisation_id: Set(Some(organisation_id)),
            expected_participants: Set(Some(*expected)),
        }
        .insert(seeder.txn)
        .await?;
        points.push((point.id, organisation_id));
    }

    let mut rows = Vec::with_capacity(who.count);
    for i in 0..who.count {
        *person_no += 1;
        let (point, organisation_id) = match (
            points.get(i % points.len().max(1)),
            who.from.get(i % who.from.len().max(1)),
        ) {
            (Some((point, org)), _) => (Some(*point), Some(*org)),
            (None, Some(code)) => (None, Some(seeder.org_id(code)?)),
            (None, None) => (None, None),
        };
        let free_name = (i % 4 == 3)
            .then(|| who.named.get(i / 4 % who.named.len().max(1)))
            .flatten();
        let (organisation_id, organisation_name) = match free_name {
            Some(name) => (None, Some((*name).to_owned())),
            None => (organisation_id, None),
        };
        let cancelled = i >= live;
        let attended = !cancelled && i < who.attended;
        let days_before = 30 - i64::from(count(i % 20)?);
        let registered_at = at_day(shift(date(spec.day)?, -days_before)?, 3)?;
        rows.push(registrant(Registrant {
            session_id: session.id,
            person_no: *person_no,
            organisation_id,
            organisation_name,
            position: POSITIONS[i % POSITIONS.len()],
            connection_point_id: point,
            cancelled,
            attended_at: attended.then_some(starts_at),
            registered_at,
        }));
    }
    seeder.report.registrations += rows.len();
    registration::Entity::insert_many(rows)
        .exec_without_returning(seeder.txn)
        .await?;
    Ok(())
}

/// One registration to write.
struct Registrant {
    session_id: i64,
    person_no: usize,
    organisation_id: Option<i64>,
    organisation_name: Option<String>,
    position: &'static str,
    connection_point_id: Option<i64>,
    cancelled: bool,
    attended_at: Option<DateTime<Utc>>,
    registered_at: DateTime<Utc>,
}

/// The registration row for `r`. Every fifth person gives no contact, so their dedup key is
/// their name and organisation.
fn registrant(r: Registrant) -> registration::ActiveModel {
    let name = person(r.person_no);
    let contact = (!r.person_no.is_multiple_of(5))
        .then(|| format!("09{:08}", r.person_no * 7_919 % 100_000_000));
    let dedup_key = dedup_key(
        &name,
        contact.as_deref(),
        r.organisation_id,
        r.organisation_name.as_deref(),
    );
    let updated_at = r.attended_at.unwrap_or(r.registered_at);
    registration::ActiveModel {
        id: NotSet,
        session_id: Set(r.session_id),
        person_search: Set(search::normalize(&name)),
        person_name: Set(name),
        organisation_id: Set(r.organisation_id),
        organisation_name: Set(r.organisation_name),
        position: Set(Some(r.position.to_owned())),
        contact: Set(contact),
        dedup_key: Set(dedup_key),
        connection_point_id: Set(r.connection_point_id),
        status: Set(if r.cancelled {
            RegistrationStatus::Cancelled
        } else {
            RegistrationStatus::Registered
        }),
        attended: Set(r.attended_at.is_some()),
        attended_at: Set(r.attended_at),
        created_at: Set(r.registered_at),
        updated_at: Set(updated_at),
        version: Set(1),
    }
}

/// The identity of a person within a session, built as the registration service builds it:
/// the normalised contact if given, else the normalised name and the organisation.
fn dedup_key(
    name: &str,
    contact: Option<&str>,
    organisation_id: Option<i64>,
    organisation_name: Option<&str>,
) -> String {
    match contact.map(str::trim).filter(|c| !c.is_empty()) {
        Some(contact) => format!("contact:{}", search::normalize(contact).replace(' ', "")),
        None => format!(
            "person:{}|{}",
            search::normalize(name),
            organisation_id
                .map(|id| id.to_string())
                .or_else(|| organisation_name.map(search::normalize))
                .unwrap_or_default()
        ),
    }
}
