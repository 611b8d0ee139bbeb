//! `program`: a coordination program (chương trình phối hợp).

use sea_orm::entity::prelude::*;

use super::enums::ProgramStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "program")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub owner_id: i64,
    pub title: String,
    pub title_search: String,
    pub agreement_number: Option<String>,
    pub signed_on: Option<Date>,
    pub signed_place: Option<String>,
    pub starts_on: Date,
    pub ends_on: Date,
    pub status: ProgramStatus,
    pub objectives: Option<String>,
    /// JSON array of strings.
    pub content_areas: Json,
    pub termination_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
