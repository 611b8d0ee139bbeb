//! Signing in, tokens, passwords, and managing users and memberships.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use khuyenhoc_core::service::{session, user};

use crate::context::{actor, db, services};
use crate::enums::Role;
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::object::payload::split;
use crate::object::{Membership, User, UserError, Viewer};
use crate::scalar::DateTime;

/// Email and password.
#[derive(InputObject)]
pub struct LoginInput {
    /// The account's email.
    pub email: String,
    /// The account's password.
    pub password: String,
}

/// A signed access token.
#[derive(SimpleObject)]
pub struct TokenPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the token stops working; call `refreshToken` before then to keep the session.
    pub expires_at: DateTime,
    /// The signed-in user.
    pub viewer: Viewer,
}

/// Changing one's own password.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The current password.
    pub current_password: String,
    /// The new password (at least 10 characters).
    pub new_password: String,
}

/// Adding a person to an organisation with a role.
#[derive(InputObject)]
pub struct InviteUserInput {
    /// Their email; an existing account with it gets the role.
    pub email: String,
    /// Their name, for a new account.
    pub display_name: String,
    /// Initial password for a new account (at least 10 characters). Without one the account
    /// cannot sign in until an administrator sets a password.
    pub password: Option<String>,
    /// The organisation; you must administer it.
    pub organisation_id: ID,
    /// The role to grant.
    pub role: Role,
}

/// A membership to revoke.
#[derive(InputObject)]
pub struct RevokeMembershipInput {
    /// The membership.
    pub id: ID,
    /// Why it is revoked (at most 300 characters), kept in the audit log.
    pub reason: Option<String>,
}

/// A user account to act on.
#[derive(InputObject)]
pub struct UserInput {
    /// The user.
    pub id: ID,
    /// The `version` you read; when given, a change since then is refused with `CONFLICT`.
    pub version: Option<i32>,
}

/// A new password for an account you administer.
#[derive(InputObject)]
pub struct SetUserPasswordInput {
    /// The user.
    pub id: ID,
    /// The new password (at least 10 characters).
    pub password: String,
    /// The `version` you read; when given, a change since then is refused with `CONFLICT`.
    pub version: Option<i32>,
}

/// Result of a change to a membership.
#[derive(SimpleObject)]
pub struct MembershipPayload {
    /// The membership after the change; `null` when `userErrors` is not empty.
    pub membership: Option<Membership>,
    /// Why the input was rejected; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of a change to a user account.
#[derive(SimpleObject)]
pub struct UserPayload {
    /// The account after the change; `null` when `userErrors` is not empty.
    pub user: Option<User>,
    /// Why the input was rejected; empty on success.
    pub user_errors: Vec<UserError>,
}

fn user_payload(
    result: khuyenhoc_core::Result<khuyenhoc_core::entity::app_user::Model>,
) -> async_graphql::Result<UserPayload> {
    let (user, user_errors) = split(result)?;
    Ok(UserPayload {
        user: user.map(User),
        user_errors,
    })
}

fn membership_payload(
    result: khuyenhoc_core::Result<khuyenhoc_core::entity::membership::Model>,
) -> async_graphql::Result<MembershipPayload> {
    let (membership, user_errors) = split(result)?;
    Ok(MembershipPayload {
        membership: membership.map(Membership),
        user_errors,
    })
}

/// Identity mutations.
#[derive(Default)]
pub struct IdentityMutation;

#[Object]
impl IdentityMutation {
    /// Signs in with email and password. Any failure is `UNAUTHENTICATED` with the same message,
    /// whether or not the email exists. Too many attempts for one account or from one address
    /// give `RATE_LIMITED` (HTTP 429 with `Retry-After`).
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: LoginInput,
    ) -> async_graphql::Result<TokenPayload> {
        let services = services(ctx)?;
        let address = ctx
            .data::<crate::RequestState>()
            .ok()
            .and_then(|state| state.client_address);
        if let Err(wait) = services.login_guard.check_login(&input.email, address) {
            return Err(crate::error::rate_limited(wait));
        }
        let (actor, issued) = session::login(
            &services.db,
            &services.tokens,
            &input.email,
            &input.password,
        )
        .await
        .map_err(|e| {
            if matches!(e, khuyenhoc_core::Error::Unauthenticated) {
                crate::error::coded("UNAUTHENTICATED", "invalid email or password")
            } else {
                crate::error::to_graphql(&e)
            }
        })?;
        // The rest of this request (the payload's nested fields) reads as the signed-in user.
        let actor = std::sync::Arc::new(actor);
        if let Ok(state) = ctx.data::<crate::RequestState>() {
            state.actor.set(std::sync::Arc::clone(&actor));
        }
        Ok(TokenPayload {
            token: issued.token,
            expires_at: issued.expires_at.into(),
            viewer: Viewer(actor),
        })
    }

    /// A fresh token for the signed-in user (send the current, still valid token).
    async fn refresh_token(&self, ctx: &Context<'_>) -> async_graphql::Result<TokenPayload> {
        let actor = actor(ctx)?;
        let issued = session::refresh(&services(ctx)?.tokens, &actor).api()?;
        Ok(TokenPayload {
            token: issued.token,
            expires_at: issued.expires_at.into(),
            viewer: Viewer(actor),
        })
    }

    /// Changes the signed-in user's password.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: ChangePasswordInput,
    ) -> async_graphql::Result<UserPayload> {
        let actor = actor(ctx)?;
        user_payload(
            user::change_own_password(
                db(ctx)?,
                &actor,
                &input.current_password,
                &input.new_password,
            )
            .await,
        )
    }

    /// Adds a person to an organisation you administer with a role, creating the account if
    /// needed. You can grant roles only within your own reach.
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: InviteUserInput,
    ) -> async_graphql::Result<MembershipPayload> {
        let actor = actor(ctx)?;
        let organisation_id = decode(
            &input.organisation_id,
            NodeType::Organisation,
            "organisationId",
        )
        .api()?;
        let invitation = user::Invitation {
            email: input.email,
            display_name: input.display_name,
            password: input.password,
            organisation_id,
            role: input.role.into(),
        };
        membership_payload(user::invite(db(ctx)?, &actor, invitation).await)
    }

    /// Revokes a membership in an organisation you administer (never your own). It stops
    /// working at once.
    async fn revoke_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: RevokeMembershipInput,
    ) -> async_graphql::Result<MembershipPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Membership, "id").api()?;
        membership_payload(user::revoke(db(ctx)?, &actor, id, input.reason.as_deref()).await)
    }

    /// Disables an account whose roles all lie within your reach. Its tokens stop working at once.
    async fn disable_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: UserInput,
    ) -> async_graphql::Result<UserPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::User, "id").api()?;
        user_payload(user::set_disabled(db(ctx)?, &actor, id, true, input.version).await)
    }

    /// Re-enables an account whose roles all lie within your reach.
    async fn enable_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: UserInput,
    ) -> async_graphql::Result<UserPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::User, "id").api()?;
        user_payload(user::set_disabled(db(ctx)?, &actor, id, false, input.version).await)
    }

    /// Sets the password of an account whose roles all lie within your reach.
    async fn set_user_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: SetUserPasswordInput,
    ) -> async_graphql::Result<UserPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::User, "id").api()?;
        user_payload(user::set_password(db(ctx)?, &actor, id, &input.password, input.version).await)
    }
}
