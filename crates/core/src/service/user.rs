//! Users and memberships: inviting, granting and revoking roles, disabling accounts, passwords.
//!
//! An administrator acts only within its subtree: it grants roles in organisations it
//! administers (so it can never grant more reach than it has), and disables or resets only users
//! whose every live membership lies within its reach (see [`rules`]).

pub mod rules;

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, Set,
};

use super::organisation;
use super::validate::{MAX_SHORT_TEXT, Validator};
use super::versioned;
use crate::access::{Actor, path, readable};
use crate::audit::{self, AuditEntry};
use crate::auth::password;
use crate::db::begin_write;
use crate::entity::enums::{Role, UserStatus};
use crate::entity::{app_user, membership, organisation as org_entity};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::{Error, Result, search};

/// The active user with this email (any case), if any. For the CLI's development tokens.
pub async fn find_active_by_email(
    db: &DatabaseConnection,
    email: &str,
) -> Result<Option<app_user::Model>> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.trim().to_lowercase()))
        .filter(app_user::Column::Status.eq(UserStatus::Active))
        .one(db)
        .await?)
}

/// The user `id`, if the actor may read it (itself, or a member of a subtree it administers or
/// audits).
pub async fn get(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<Option<app_user::Model>> {
    super::lookup::by_id::<app_user::Entity>(db, actor, id).await
}

/// Filters for listing users.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct UserFilter {
    /// Only users with a live membership in this organisation's subtree.
    pub within_organisation: Option<i64>,
    /// Only users in this status.
    pub status: Option<UserStatus>,
    /// Text contained in the name or email, diacritics ignored.
    pub search: Option<String>,
}

fn user_ordering() -> Ordering<app_user::Entity> {
    Ordering {
        name: "NAME",
        column: Some(app_user::Column::DisplayNameSearch),
        descending: false,
        key: |m| SortKey::Text(m.display_name_search.clone()),
        id: app_user::Column::Id,
        id_of: |m| m.id,
    }
}

/// One page of the users the actor may read.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &UserFilter,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<app_user::Model>, TotalCount)> {
    use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
    let mut select = readable::<app_user::Entity>(actor);
    if let Some(status) = filter.status {
        select = select.filter(app_user::Column::Status.eq(status));
    }
    if let Some(root) = filter.within_organisation {
        let root = organisation::require(db, actor, root).await?;
        let members = Query::select()
            .column(membership::Column::UserId)
            .from(membership::Entity)
            .inner_join(
                org_entity::Entity,
                Expr::col((org_entity::Entity, org_entity::Column::Id))
                    .equals((membership::Entity, membership::Column::OrganisationId)),
            )
            .and_where(membership::Column::RevokedAt.is_null())
            .cond_where(path::organisation_in_subtree(&root.path))
            .to_owned();
        select = select.filter(app_user::Column::Id.in_subquery(members));
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        select = select.filter(
            Expr::col((app_user::Entity, app_user::Column::DisplayNameSearch))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(Expr::col((app_user::Entity, app_user::Column::Email))
                    .like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    let total = TotalCount::of(select.clone());
    Ok((
        page::fetch(db, select, &user_ordering(), request, max_page).await?,
        total,
    ))
}

/// The readable memberships of `user_id` (live ones unless `include_revoked`).
pub async fn memberships(
    db: &DatabaseConnection,
    actor: &Actor,
    user_ids: &[i64],
    include_revoked: bool,
) -> Result<Vec<membership::Model>> {
    let mut select = readable::<membership::Entity>(actor)
        .filter(membership::Column::UserId.is_in(user_ids.iter().copied()));
    if !include_revoked {
        select = select.filter(membership::Column::RevokedAt.is_null());
    }
    Ok(select.order_by_asc(membership::Column::Id).all(db).await?)
}

/// Input to invite a person into an organisation with a role.
#[derive(Debug, Clone)]
pub struct Invitation {
    /// Their email; an existing account with this email gets the role.
    pub email: String,
    /// Their name (for a new account).
    pub display_name: String,
    /// Initial password for a new account; without one the account cannot sign in until a
    /// password is set by an administrator.
    pub password: Option<String>,
    /// The organisation.
    pub organisation_id: i64,
    /// The role.
    pub role: Role,
}

/// Invites a person: creates the account if needed and grants the role. The actor must
/// administer the organisation.
pub async fn invite(
    db: &DatabaseConnection,
    actor: &Actor,
    input: Invitation,
) -> Result<membership::Model> {
    let org = organisation::require(db, actor, input.organisation_id).await?;
    organisation::rules::check(organisation::rules::Action::ManageMembers, actor, &org)?;
    let mut v = Validator::new();
    let email = v.email("email", Some(&input.email));
    if email.is_none() {
        v.error("email", "REQUIRED", "an email is required");
    }
    let display_name = v.required("displayName", &input.display_name, MAX_SHORT_TEXT);
    if let Some(p) = &input.password
        && let Err(Error::Invalid(errors)) = password::validate_new(p, "password")
    {
        for e in errors {
            v.error(e.field, e.code, e.message);
        }
    }
    v.finish()?;
    let email = email.unwrap_or_default();
    let hash = match &input.password {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };
    let txn = begin_write(db).await?;
    let existing = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?;
    let now = Utc::now();
    let user = match existing {
        Some(user) => user,
        None => {
            let user = app_user::ActiveModel {
                id: NotSet,
                email: Set(email.clone()),
                display_name_search: Set(search::normalize(&display_name)),
                display_name: Set(display_name),
                password_hash: Set(hash),
                status: Set(UserStatus::Active),
                phone: Set(None),
                last_login_at: Set(None),
                disabled_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            }
            .insert(&txn)
            .await?;
            record(
                &txn,
                actor,
                Some(org.id),
                "User",
                user.id,
                "create",
                audit::diff(None, Some(&user)),
            )
            .await?;
            user
        }
    };
    let duplicate = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .filter(membership::Column::OrganisationId.eq(org.id))
        .filter(membership::Column::Role.eq(input.role))
        .filter(membership::Column::RevokedAt.is_null())
        .one(&txn)
        .await?;
    if duplicate.is_some() {
        return Err(Error::invalid(
            "role",
            "DUPLICATE",
            "this person already holds this role here",
        ));
    }
    let granted = membership::ActiveModel {
        id: NotSet,
        user_id: Set(user.id),
        organisation_id: Set(org.id),
        role: Set(input.role),
        granted_at: Set(now),
        granted_by: Set(Some(actor.user_id)),
        revoked_at: Set(None),
        revoked_by: Set(None),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        actor,
        Some(org.id),
        "Membership",
        granted.id,
        "grant",
        audit::diff(None, Some(&granted)),
    )
    .await?;
    txn.commit().await?;
    Ok(granted)
}

/// Revokes a membership the actor administers ([`rules::check_revoke`]), recording `reason`
/// (optional, at most [`MAX_SHORT_TEXT`] characters) in the audit event. Nobody revokes their
/// own.
pub async fn revoke(
    db: &DatabaseConnection,
    actor: &Actor,
    membership_id: i64,
    reason: Option<&str>,
) -> Result<membership::Model> {
    let current = readable::<membership::Entity>(actor)
        .filter(membership::Column::Id.eq(membership_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let org = org_entity::Entity::find_by_id(current.organisation_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    rules::check_revoke(actor, &current, &org)?;
    let mut v = Validator::new();
    let reason = v.optional("reason", reason, MAX_SHORT_TEXT);
    v.finish()?;
    let txn = begin_write(db).await?;
    let mut next: membership::ActiveModel = current.clone().into();
    next.revoked_at = Set(Some(Utc::now()));
    next.revoked_by = Set(Some(actor.user_id));
    let revoked = next.update(&txn).await?;
    let mut changes = audit::diff(Some(&current), Some(&revoked));
    if let (Some(reason), Some(map)) = (reason, changes.as_object_mut()) {
        map.insert("reason".into(), serde_json::Value::String(reason));
    }
    record(
        &txn,
        actor,
        Some(org.id),
        "Membership",
        revoked.id,
        "revoke",
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(revoked)
}

/// The organisation paths of the live memberships of each of `user_ids`, readable or not: the
/// policy on administering an account ([`rules::check_administer`]) needs all of them. Users
/// without a live membership are absent.
pub async fn membership_paths(
    db: &impl ConnectionTrait,
    user_ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(membership::Column::RevokedAt.is_null())
        .find_also_related(org_entity::Entity)
        .all(db)
        .await?;
    let mut paths: HashMap<i64, Vec<String>> = HashMap::new();
    for (membership, org) in rows {
        if let Some(org) = org {
            paths.entry(membership.user_id).or_default().push(org.path);
        }
    }
    Ok(paths)
}

/// Loads a user the actor may administer ([`rules::check_administer`]): readable, not the
/// actor, and with every live membership inside the actor's administrative reach; and, when the
/// client sent the `version` it read, still at that version.
async fn administered_user(
    db: &DatabaseConnection,
    actor: &Actor,
    user_id: i64,
    version: Option<i32>,
) -> Result<app_user::Model> {
    let user = get(db, actor, user_id).await?.ok_or(Error::NotFound)?;
    let paths = membership_paths(db, &[user.id])
        .await?
        .remove(&user.id)
        .unwrap_or_default();
    rules::check_administer(actor, &user, &paths)?;
    if let Some(expected) = version {
        versioned::check_version("user", expected, user.version)?;
    }
    Ok(user)
}

/// Disables (or re-enables) an account the actor administers. A disabled account's tokens
/// stop working at once: every request reloads the account. With `version`, a change since the
/// client read the account is a `Conflict`.
pub async fn set_disabled(
    db: &DatabaseConnection,
    actor: &Actor,
    user_id: i64,
    disabled: bool,
    version: Option<i32>,
) -> Result<app_user::Model> {
    let current = administered_user(db, actor, user_id, version).await?;
    let txn = begin_write(db).await?;
    let mut next: app_user::ActiveModel = current.clone().into();
    next.status = Set(if disabled {
        UserStatus::Disabled
    } else {
        UserStatus::Active
    });
    next.disabled_at = Set(disabled.then(Utc::now));
    let saved =
        versioned::save::<app_user::Entity>(&txn, current.id, next, current.version).await?;
    let action = if disabled { "disable" } else { "enable" };
    record(
        &txn,
        actor,
        None,
        "User",
        saved.id,
        action,
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Sets the password of an account the actor administers. With `version`, a change since the
/// client read the account is a `Conflict`.
pub async fn set_password(
    db: &DatabaseConnection,
    actor: &Actor,
    user_id: i64,
    new_password: &str,
    version: Option<i32>,
) -> Result<app_user::Model> {
    password::validate_new(new_password, "password")?;
    let current = administered_user(db, actor, user_id, version).await?;
    store_password(db, actor, current, new_password).await
}

/// Changes the actor's own password, given the current one.
pub async fn change_own_password(
    db: &DatabaseConnection,
    actor: &Actor,
    current_password: &str,
    new_password: &str,
) -> Result<app_user::Model> {
    password::validate_new(new_password, "newPassword")?;
    let current = app_user::Entity::find_by_id(actor.user_id)
        .one(db)
        .await?
        .ok_or(Error::Unauthenticated)?;
    if !password::verify(current_password, current.password_hash.clone()).await {
        return Err(Error::invalid(
            "currentPassword",
            "WRONG_PASSWORD",
            "the current password is not correct",
        ));
    }
    store_password(db, actor, current, new_password).await
}

async fn store_password(
    db: &DatabaseConnection,
    actor: &Actor,
    current: app_user::Model,
    new_password: &str,
) -> Result<app_user::Model> {
    let hash = password::hash(new_password).await?;
    let txn = begin_write(db).await?;
    let mut next: app_user::ActiveModel = current.clone().into();
    next.password_hash = Set(Some(hash));
    let saved =
        versioned::save::<app_user::Entity>(&txn, current.id, next, current.version).await?;
    record(
        &txn,
        actor,
        None,
        "User",
        saved.id,
        "set_password",
        serde_json::json!({ "after": { "password": "<changed>" } }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

async fn record(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    organisation_id: Option<i64>,
    entity_type: &'static str,
    entity_id: i64,
    action: &'static str,
    changes: serde_json::Value,
) -> Result<()> {
    audit::record(
        txn,
        AuditEntry {
            actor: Some(actor),
            actor_label: None,
            organisation_id,
            entity_type,
            entity_id: Some(entity_id),
            action,
            changes,
        },
    )
    .await
}
