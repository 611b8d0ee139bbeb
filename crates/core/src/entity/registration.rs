//! `registration`: a participant registered for a training session, with attendance.

use sea_orm::entity::prelude::*;

use super::enums::RegistrationStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "registration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    pub person_name: String,
    pub person_search: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub position: Option<String>,
    pub contact: Option<String>,
    /// Normalised identity of the person within the session; unique among live registrations.
    pub dedup_key: String,
    pub connection_point_id: Option<i64>,
    pub status: RegistrationStatus,
    pub attended: bool,
    pub attended_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
