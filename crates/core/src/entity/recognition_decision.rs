//! `recognition_decision`: the decision (quyết định công nhận) that recognises an approved
//! assessment's result.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "recognition_decision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assessment_id: i64,
    /// The assessing organisation of the assessment (for scoping).
    pub organisation_id: i64,
    pub decision_number: String,
    pub decided_on: Date,
    /// The recognising authority as written on the decision (data, not code).
    pub authority_name: String,
    pub authority_organisation_id: Option<i64>,
    pub result_code: String,
    pub result_label: String,
    pub result_rank: i32,
    pub valid_until: Date,
    pub next_level_eligible_on: Date,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
