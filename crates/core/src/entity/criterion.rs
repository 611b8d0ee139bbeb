//! `criterion`: a scored item: a criterion with points, or an indicator met or not.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "criterion")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub checklist_id: i64,
    pub group_id: i64,
    pub position: i32,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub max_points: Option<i32>,
    pub min_points: Option<i32>,
    pub required: bool,
    pub evidence_required: bool,
    pub evidence_rule: Option<String>,
    pub required_from_level: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
