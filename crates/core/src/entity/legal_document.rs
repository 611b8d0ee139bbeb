//! `legal_document`: a directive, decision, circular, … that other records refer to.

use sea_orm::entity::prelude::*;

use super::enums::LegalDocumentType;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "legal_document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_id: i64,
    pub number: String,
    pub doc_type: LegalDocumentType,
    pub title: String,
    pub title_search: String,
    pub issuer: String,
    pub issued_on: Date,
    pub effective_on: Option<Date>,
    pub superseded_by_id: Option<i64>,
    pub summary: Option<String>,
    pub url: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
