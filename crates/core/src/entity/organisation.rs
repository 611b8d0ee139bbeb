//! `organisation`: a node of the association tree or of a partner body's tree.

use sea_orm::entity::prelude::*;

use super::enums::{OrganisationKind, OrganisationStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub name_search: String,
    pub kind: OrganisationKind,
    pub status: OrganisationStatus,
    pub parent_id: Option<i64>,
    /// Ids from the root down to this row, e.g. `/1/5/23/`.
    pub path: String,
    pub depth: i32,
    pub merged_into_id: Option<i64>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Ids of the ancestors of this organisation, root first, excluding itself.
    pub fn ancestor_ids(&self) -> Vec<i64> {
        let mut ids = crate::access::path::ids(&self.path);
        ids.pop();
        ids
    }
}
