//! `assessment_transition`: one step of an assessment's workflow history.

use sea_orm::entity::prelude::*;

use super::enums::AssessmentStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assessment_transition")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assessment_id: i64,
    pub from_status: Option<AssessmentStatus>,
    pub to_status: AssessmentStatus,
    pub actor_user_id: Option<i64>,
    pub actor_organisation_id: Option<i64>,
    pub comment: Option<String>,
    pub occurred_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
