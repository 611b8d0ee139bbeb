//! `audit_event`: one recorded write or login attempt.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_user_id: Option<i64>,
    pub actor_label: Option<String>,
    /// The organisation whose data changed; the audit log is scoped by it.
    pub organisation_id: Option<i64>,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub action: String,
    /// `{"before": {...}, "after": {...}}` with only the changed fields.
    pub changes: Json,
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
