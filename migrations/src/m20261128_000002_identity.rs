//! Users and their memberships `(organisation, role)`.
//!
//! A membership is revoked, never deleted (`revoked_at`), so the audit trail keeps who could do
//! what and when. At most one live membership per user, organisation and role.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE app_user (
    id {id},
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_name_search TEXT NOT NULL,
    password_hash TEXT,
    status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED')),
    phone TEXT,
    last_login_at {ts},
    disabled_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (email = lower(email)),
    CHECK ((status = 'DISABLED') = (disabled_at IS NOT NULL))
);
CREATE UNIQUE INDEX app_user_email_key ON app_user (email);
CREATE INDEX app_user_name_idx ON app_user (display_name_search, id);
CREATE TABLE membership (
    id {id},
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    role TEXT NOT NULL CHECK (role IN ('ADMIN', 'EDITOR', 'VIEWER', 'AUDITOR')),
    granted_at {ts} NOT NULL,
    granted_by BIGINT REFERENCES app_user (id),
    revoked_at {ts},
    revoked_by BIGINT REFERENCES app_user (id)
);
CREATE UNIQUE INDEX membership_live_key ON membership (user_id, organisation_id, role)
    WHERE revoked_at IS NULL;
CREATE INDEX membership_organisation_idx ON membership (organisation_id, user_id);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::drop_tables(manager, &["membership", "app_user"]).await
    }
}
