//! `criteria_group`: a group of criteria (points sheets) or a criterion made of indicators
//! (indicator sheets).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "criteria_group")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub checklist_id: i64,
    pub position: i32,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub max_points: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
