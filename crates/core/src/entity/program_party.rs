//! `program_party`: an organisation taking part in a program.

use sea_orm::entity::prelude::*;

use super::enums::PartyRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "program_party")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub organisation_id: i64,
    pub role: PartyRole,
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
    pub duties: Option<String>,
    pub added_at: DateTimeUtc,
    pub removed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
