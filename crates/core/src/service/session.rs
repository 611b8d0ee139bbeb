//! Signing in: email and password for a token.
//!
//! Every failure — unknown email, wrong password, disabled account, account without a
//! password — gives the same `Unauthenticated` error after the same amount of work, so the
//! answer reveals nothing about which accounts exist. Attempts are recorded in the audit log.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::access::Actor;
use crate::audit::{self, AuditEntry};
use crate::auth::{IssuedToken, Tokens, password};
use crate::db::begin_write;
use crate::entity::app_user;
use crate::entity::enums::UserStatus;
use crate::{Error, Result};

/// Checks `email` and `password` and issues a token for the account.
pub async fn login(
    db: &DatabaseConnection,
    tokens: &Tokens,
    email: &str,
    password_text: &str,
) -> Result<(Actor, IssuedToken)> {
    let email = email.trim().to_lowercase();
    let too_long = email.len() > 254 || password_text.len() > password::MAX_PASSWORD_BYTES;
    let user = if too_long {
        None
    } else {
        app_user::Entity::find()
            .filter(app_user::Column::Email.eq(email.as_str()))
            .one(db)
            .await?
    };
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let password_ok = password::verify(password_text, stored).await;
    let user = user.filter(|u| password_ok && u.status == UserStatus::Active);
    let txn = begin_write(db).await?;
    let Some(user) = user else {
        audit::record(
            &txn,
            AuditEntry {
                actor: None,
                actor_label: Some(email.chars().take(254).collect()),
                organisation_id: None,
                entity_type: "Session",
                entity_id: None,
                action: "login_failed",
                changes: json!({}),
            },
        )
        .await?;
        txn.commit().await?;
        return Err(Error::Unauthenticated);
    };
    let mut next: app_user::ActiveModel = user.clone().into();
    next.last_login_at = Set(Some(Utc::now()));
    next.update(&txn).await?;
    let actor = Actor::load(&txn, user.id).await?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(&actor),
            actor_label: None,
            organisation_id: actor.grants.first().map(|g| g.organisation_id),
            entity_type: "Session",
            entity_id: Some(user.id),
            action: "login",
            changes: json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    let issued = tokens
        .issue(user.id, None)
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok((actor, issued))
}

/// A fresh token for an actor whose current token is still valid (the account is re-checked on
/// every request, so refreshing never outlives a disabled account).
pub fn refresh(tokens: &Tokens, actor: &Actor) -> Result<IssuedToken> {
    tokens
        .issue(actor.user_id, None)
        .map_err(|e| Error::Internal(e.to_string()))
}
