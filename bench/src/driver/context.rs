//! What the driver reads from the generated database before it starts: the actors' user ids
//! and organisations, id ranges for `node` lookups, and the checklist the commune assesses with.

use std::collections::HashMap;

use anyhow::{Context as _, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::actors::Actor;
use crate::load::scalar;

/// Ids the operations use.
#[derive(Debug, Clone)]
pub struct Context {
    /// Each actor's user id.
    pub users: HashMap<Actor, i64>,
    /// The central association.
    pub central: i64,
    /// The bench province (home of the province admin).
    pub province: i64,
    /// The bench commune (home of the commune editor).
    pub commune: i64,
    /// Highest ids, for random `node` lookups.
    pub max_assessment: i64,
    /// Highest training session id.
    pub max_session: i64,
    /// Highest program id.
    pub max_program: i64,
    /// Highest organisation id.
    pub max_organisation: i64,
    /// The family checklist the commune creates assessments with.
    pub family_checklist: i64,
    /// Its criterion codes, in order.
    pub family_criteria: Vec<String>,
}

impl Context {
    /// Reads the context; fails when the database was not made by `generate`.
    pub async fn load(db: &DatabaseConnection) -> Result<Self> {
        let mut users = HashMap::new();
        let mut homes = HashMap::new();
        for actor in Actor::ALL {
            let email = actor.email();
            let user = scalar(
                db,
                &format!("SELECT id FROM app_user WHERE email = '{email}'"),
            )
            .await
            .with_context(|| {
                format!("user {email} (was this database made by `khuyenhoc-bench generate`?)")
            })?;
            let user = i64::try_from(user)?;
            let home = scalar(
                db,
                &format!("SELECT organisation_id FROM membership WHERE user_id = {user} AND revoked_at IS NULL"),
            )
            .await?;
            users.insert(actor, user);
            homes.insert(actor, i64::try_from(home)?);
        }
        let max = |table: &'static str| async move {
            scalar(db, &format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
                .await
                .map(|v| i64::try_from(v).unwrap_or(0))
        };
        let family_checklist = i64::try_from(
            scalar(
                db,
                "SELECT id FROM criteria_checklist WHERE code = 'GDHT-BENCH' AND version_no = 1",
            )
            .await?,
        )?;
        let backend = db.get_database_backend();
        let family_criteria = db
            .query_all_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT code FROM criterion WHERE checklist_id = {family_checklist} ORDER BY id"
                ),
            ))
            .await?
            .iter()
            .map(|row| row.try_get_by_index::<String>(0))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            central: homes[&Actor::CentralAdmin],
            province: homes[&Actor::ProvinceAdmin],
            commune: homes[&Actor::CommuneEditor],
            users,
            max_assessment: max("assessment").await?,
            max_session: max("training_session").await?,
            max_program: max("program").await?,
            max_organisation: max("organisation").await?,
            family_checklist,
            family_criteria,
        })
    }
}

/// The Relay global id of row `id` of GraphQL type `type_name` (as `crates/graphql/src/id.rs`).
pub fn global_id(type_name: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}"))
}

/// The row id of a global id, if it is one.
pub fn row_id(global: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(global).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.split_once(':')?.1.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_round_trip() {
        let id = global_id("Assessment", 42);
        assert_eq!(row_id(&id), Some(42));
    }
}
