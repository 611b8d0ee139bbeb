//! `candidacy`: a subject registered at the start of the year as a candidate for a learning model.

use sea_orm::entity::prelude::*;

use super::enums::{CandidacyStatus, LearningModel, SubjectKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "candidacy")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: i64,
    pub model: LearningModel,
    pub subject_kind: SubjectKind,
    pub subject_organisation_id: Option<i64>,
    pub subject_name: String,
    pub subject_search: String,
    pub subject_key: String,
    pub period_year: i32,
    pub target_level: Option<i32>,
    pub registered_on: Date,
    pub status: CandidacyStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
