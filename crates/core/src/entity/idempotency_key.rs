//! `idempotency_key`: the first answer to a mutation sent with an `Idempotency-Key` header.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub idempotency_key: String,
    /// SHA-256 of the request (document, operation name, variables): a key reused for a
    /// different request is refused.
    pub request_hash: String,
    /// `PENDING` while the first request runs, `DONE` once its answer is stored.
    pub status: String,
    pub response_status: Option<i32>,
    pub response_body: Option<String>,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
