//! `checklist_result_level`: a result a checklist can award (Đạt; Mức độ 1 (Khá); Mức độ 2 (Tốt)).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "checklist_result_level")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub checklist_id: i64,
    /// 1 for the lowest passing level; higher is better.
    pub rank: i32,
    pub code: String,
    pub label: String,
    /// Points sheets: the total needed for this level.
    pub min_points: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
