//! `assessment`: one subject against one checklist version for one year.

use sea_orm::entity::prelude::*;

use super::enums::{AssessmentStatus, LearningModel, SubjectKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assessment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub checklist_id: i64,
    pub checklist_code: String,
    pub model: LearningModel,
    /// The assessing organisation, which owns the record.
    pub organisation_id: i64,
    pub candidacy_id: Option<i64>,
    pub subject_kind: SubjectKind,
    pub subject_organisation_id: Option<i64>,
    pub subject_name: String,
    pub subject_search: String,
    pub subject_key: String,
    pub period_year: i32,
    pub status: AssessmentStatus,
    pub total_points: Option<i32>,
    pub result_rank: i32,
    pub result_code: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub approved_at: Option<DateTimeUtc>,
    pub approved_by: Option<i64>,
    pub approver_organisation_id: Option<i64>,
    pub return_comment: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
