//! `training_session`: a training session (tập huấn).

use sea_orm::entity::prelude::*;

use super::enums::{SessionMode, SessionStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "training_session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organiser_id: i64,
    pub program_id: Option<i64>,
    pub title: String,
    pub title_search: String,
    pub description: Option<String>,
    /// JSON array of `Audience` values.
    pub audience: Json,
    pub mode: SessionMode,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: Option<i32>,
    pub planned_participants: Option<i32>,
    pub status: SessionStatus,
    pub cancellation_reason: Option<String>,
    pub registered_count: i32,
    pub attended_count: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
