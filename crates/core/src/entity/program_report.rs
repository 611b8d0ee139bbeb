//! `program_report`: an annual, mid-term or final result report on a program.

use sea_orm::entity::prelude::*;

use super::enums::{ReportKind, ReportStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "program_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub reporting_organisation_id: i64,
    pub kind: ReportKind,
    pub period_year: Option<i32>,
    pub title: String,
    pub achievements: Option<String>,
    pub shortcomings: Option<String>,
    pub proposals: Option<String>,
    pub status: ReportStatus,
    pub submitted_at: Option<DateTimeUtc>,
    pub submitted_by: Option<i64>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub acknowledged_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
