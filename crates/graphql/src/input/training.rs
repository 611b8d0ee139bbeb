//! Inputs for listing and changing training sessions and registrations.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use khuyenhoc_core::service::training as service;

use crate::enums::{Audience, OrderDirection, SessionMode, SessionStatus};
use crate::id::{NodeType, decode, decode_opt};
use crate::scalar::DateTime;

/// Narrows a list of training sessions. Every filter narrows; none widens what the viewer may read.
#[derive(InputObject, Debug, Clone, Default)]
pub struct TrainingSessionFilter {
    /// Only sessions in these statuses.
    pub statuses: Option<Vec<SessionStatus>>,
    /// Only sessions delivered in these modes.
    pub modes: Option<Vec<SessionMode>>,
    /// Only sessions organised or co-organised within this organisation's subtree.
    pub within_organisation: Option<ID>,
    /// Only sessions of this program.
    pub program: Option<ID>,
    /// Only sessions of programs this organisation is a party to.
    pub partner: Option<ID>,
    /// Only sessions starting at or after this instant.
    pub starts_from: Option<DateTime>,
    /// Only sessions starting before this instant.
    pub starts_before: Option<DateTime>,
    /// Text in the title; case and diacritics ignored ("tap huan" finds "Tập huấn").
    pub search: Option<String>,
    /// Include archived sessions. Default: false.
    #[graphql(default)]
    pub include_archived: bool,
}

impl TrainingSessionFilter {
    /// The domain filter.
    pub fn to_domain(&self) -> Result<service::SessionFilter, khuyenhoc_core::Error> {
        Ok(service::SessionFilter {
            statuses: self
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|&s| s.into()).collect()),
            modes: self
                .modes
                .as_ref()
                .map(|m| m.iter().map(|&m| m.into()).collect()),
            within_organisation: decode_opt(
                self.within_organisation.as_ref(),
                NodeType::Organisation,
                "filter.withinOrganisation",
            )?,
            program_id: decode_opt(self.program.as_ref(), NodeType::Program, "filter.program")?,
            partner: decode_opt(
                self.partner.as_ref(),
                NodeType::Organisation,
                "filter.partner",
            )?,
            starts_from: self.starts_from.map(|t| t.0),
            starts_before: self.starts_before.map(|t| t.0),
            search: self.search.clone(),
            include_archived: self.include_archived,
        })
    }
}

/// Fields sessions can be sorted by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "service::SessionSort")]
pub enum TrainingSessionOrderField {
    /// Start time.
    #[default]
    StartsAt,
    /// Title, ignoring case and diacritics.
    Title,
    /// Creation time.
    CreatedAt,
}

/// How to sort sessions. Ties are broken by id.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct TrainingSessionOrder {
    /// The field to sort by.
    pub field: TrainingSessionOrderField,
    /// The direction. Default: `ASC`.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Narrows a session's registrations.
#[derive(InputObject, Debug, Clone, Default)]
pub struct RegistrationFilter {
    /// Include cancelled registrations. Default: false.
    #[graphql(default)]
    pub include_cancelled: bool,
    /// Only those who attended (`true`) or did not (`false`).
    pub attended: Option<bool>,
    /// Text in the person's name; case and diacritics ignored.
    pub search: Option<String>,
}

impl RegistrationFilter {
    /// The domain filter.
    pub fn to_domain(&self) -> service::RegistrationFilter {
        service::RegistrationFilter {
            include_cancelled: self.include_cancelled,
            attended: self.attended,
            search: self.search.clone(),
        }
    }
}

/// A topic of a session.
#[derive(InputObject, Debug, Clone)]
pub struct SessionTopicInput {
    /// Title, e.g. "Quán triệt Kết luận 49-KL/TW".
    pub title: String,
    /// The legal document it covers.
    pub legal_document_id: Option<ID>,
}

/// A speaker at a session.
#[derive(InputObject, Debug, Clone)]
pub struct SessionSpeakerInput {
    /// Name.
    pub name: String,
    /// Title or position.
    pub title: Option<String>,
    /// Organisation or affiliation.
    pub affiliation: Option<String>,
}

/// A connection point of an online or hybrid session.
#[derive(InputObject, Debug, Clone)]
pub struct ConnectionPointInput {
    /// Name, e.g. "Điểm cầu xã Sóc Sơn".
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Hosting organisation.
    pub organisation_id: Option<ID>,
    /// Expected participants there.
    pub expected_participants: Option<i32>,
}

/// Details of a session, shared by planning and updating. Omitted fields keep their value
/// (lists, when given, replace the current list).
#[derive(InputObject, Debug, Clone, Default)]
pub struct TrainingSessionDetailsInput {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Who it is for.
    pub audience: Option<Vec<Audience>>,
    /// Delivery mode.
    pub mode: Option<SessionMode>,
    /// Venue (needed in person or hybrid).
    pub venue: Option<String>,
    /// Online link (needed online or hybrid).
    pub online_url: Option<String>,
    /// Seats; `null` removes the limit. Cannot go below the number registered.
    pub capacity: MaybeUndefined<i32>,
    /// Planned participants.
    pub planned_participants: Option<i32>,
    /// Co-organising organisations.
    pub co_organiser_ids: Option<Vec<ID>>,
    /// Topics.
    pub topics: Option<Vec<SessionTopicInput>>,
    /// Speakers.
    pub speakers: Option<Vec<SessionSpeakerInput>>,
    /// Connection points.
    pub connection_points: Option<Vec<ConnectionPointInput>>,
}

impl TrainingSessionDetailsInput {
    /// The domain details.
    pub fn to_domain(&self) -> Result<service::SessionDetails, khuyenhoc_core::Error> {
        use service::{ConnectionPointInput as Cp, SpeakerInput as Sp, TopicInput as Tp};
        Ok(service::SessionDetails {
            title: self.title.clone(),
            description: self.description.clone(),
            audience: self
                .audience
                .as_ref()
                .map(|a| a.iter().map(|&a| a.into()).collect()),
            mode: self.mode.map(Into::into),
            venue: self.venue.clone(),
            online_url: self.online_url.clone(),
            capacity: match &self.capacity {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(c) => Some(Some(*c)),
            },
            planned_participants: self.planned_participants,
            co_organiser_ids: self
                .co_organiser_ids
                .as_ref()
                .map(|ids| {
                    ids.iter()
                        .map(|id| decode(id, NodeType::Organisation, "coOrganiserIds"))
                        .collect()
                })
                .transpose()?,
            topics: self
                .topics
                .as_ref()
                .map(|topics| {
                    topics
                        .iter()
                        .enumerate()
                        .map(|(i, t)| {
                            Ok(Tp {
                                title: t.title.clone(),
                                legal_document_id: decode_opt(
                                    t.legal_document_id.as_ref(),
                                    NodeType::LegalDocument,
                                    &format!("topics.{i}.legalDocumentId"),
                                )?,
                            })
                        })
                        .collect::<Result<Vec<_>, khuyenhoc_core::Error>>()
                })
                .transpose()?,
            speakers: self.speakers.as_ref().map(|list| {
                list.iter()
                    .map(|s| Sp {
                        name: s.name.clone(),
                        title: s.title.clone(),
                        affiliation: s.affiliation.clone(),
                    })
                    .collect()
            }),
            connection_points: self
                .connection_points
                .as_ref()
                .map(|points| {
                    points
                        .iter()
                        .enumerate()
                        .map(|(i, p)| {
                            Ok(Cp {
                                name: p.name.clone(),
                                address: p.address.clone(),
                                organisation_id: decode_opt(
                                    p.organisation_id.as_ref(),
                                    NodeType::Organisation,
                                    &format!("connectionPoints.{i}.organisationId"),
                                )?,
                                expected_participants: p.expected_participants,
                            })
                        })
                        .collect::<Result<Vec<_>, khuyenhoc_core::Error>>()
                })
                .transpose()?,
        })
    }
}

/// Plans a session.
#[derive(InputObject, Debug, Clone)]
pub struct PlanTrainingSessionInput {
    /// The organiser; you must edit for it.
    pub organiser_id: ID,
    /// The program it serves, if any.
    pub program_id: Option<ID>,
    /// Start.
    pub starts_at: DateTime,
    /// End (after the start).
    pub ends_at: DateTime,
    /// Title, mode, audience and the rest. `title` is required.
    pub details: TrainingSessionDetailsInput,
}

/// Changes to a planned session.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateTrainingSessionInput {
    /// The session.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// What to change.
    pub details: TrainingSessionDetailsInput,
}

/// New times for a planned session.
#[derive(InputObject, Debug, Clone)]
pub struct RescheduleTrainingSessionInput {
    /// The session.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// New start.
    pub starts_at: DateTime,
    /// New end.
    pub ends_at: DateTime,
}

/// Cancels a planned session.
#[derive(InputObject, Debug, Clone)]
pub struct CancelTrainingSessionInput {
    /// The session.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// Why.
    pub reason: String,
}

/// Registers a person for a planned session.
#[derive(InputObject, Debug, Clone)]
pub struct RegisterParticipantInput {
    /// The session.
    pub session_id: ID,
    /// Full name.
    pub person_name: String,
    /// Their organisation, when it is in the system.
    pub organisation_id: Option<ID>,
    /// Their organisation's name otherwise.
    pub organisation_name: Option<String>,
    /// Position (chức vụ).
    pub position: Option<String>,
    /// Phone or email; one registration per contact and session.
    pub contact: Option<String>,
    /// The connection point they attend from.
    pub connection_point_id: Option<ID>,
}

/// Records attendance.
#[derive(InputObject, Debug, Clone)]
pub struct MarkAttendanceInput {
    /// The registration.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
    /// Whether the person attended.
    pub attended: bool,
}
