//! `criteria_checklist`: one version of a criteria checklist (bộ tiêu chí).

use sea_orm::entity::prelude::*;

use super::enums::{ChecklistStatus, ChecklistStyle, LearningModel};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "criteria_checklist")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub version_no: i32,
    pub model: LearningModel,
    pub style: ChecklistStyle,
    pub title: String,
    pub title_search: String,
    pub description: Option<String>,
    pub owner_id: i64,
    pub legal_document_id: Option<i64>,
    pub status: ChecklistStatus,
    pub derived_from_id: Option<i64>,
    pub recognition_validity_months: i32,
    pub next_level_wait_months: i32,
    pub published_at: Option<DateTimeUtc>,
    pub retired_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
