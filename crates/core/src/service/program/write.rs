//! Creating, updating, changing the status of and archiving programs.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, Set,
};
use serde_json::json;

use super::rules::{self, ProgramAction};
use super::{owner_of, require};
use crate::access::Actor;
use crate::audit;
use crate::db::begin_write;
use crate::entity::enums::{PartyRole, ProgramStatus};
use crate::entity::program::{self, Column, Entity, Model};
use crate::entity::{legal_document, program_legal_basis, program_party};
use crate::service::statistics::tally;
use crate::service::validate::{MAX_LONG_TEXT, MAX_SHORT_TEXT, Validator};
use crate::service::versioned;
use crate::{Error, Result, search};

/// A new program, owned by an organisation the actor edits for.
#[derive(Debug, Clone)]
pub struct NewProgram {
    /// The owner (central or a branch).
    pub owner_id: i64,
    /// Unique code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Number of the signed agreement.
    pub agreement_number: Option<String>,
    /// Signing date.
    pub signed_on: Option<NaiveDate>,
    /// Signing place.
    pub signed_place: Option<String>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Objectives.
    pub objectives: Option<String>,
    /// Content areas.
    pub content_areas: Vec<String>,
}

/// Changes to a program; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct ProgramChanges {
    /// The version the client read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New agreement number (blank clears).
    pub agreement_number: Option<String>,
    /// New signing date.
    pub signed_on: Option<NaiveDate>,
    /// New signing place (blank clears).
    pub signed_place: Option<String>,
    /// New first day.
    pub starts_on: Option<NaiveDate>,
    /// New last day.
    pub ends_on: Option<NaiveDate>,
    /// New objectives (blank clears).
    pub objectives: Option<String>,
    /// New content areas.
    pub content_areas: Option<Vec<String>>,
}

fn content_areas(v: &mut Validator, areas: &[String]) -> serde_json::Value {
    v.check(
        areas.len() > 50,
        "contentAreas",
        "TOO_LONG",
        "at most 50 content areas",
    );
    let cleaned: Vec<String> = areas
        .iter()
        .enumerate()
        .filter_map(|(i, a)| v.optional(&format!("contentAreas.{i}"), Some(a), MAX_SHORT_TEXT))
        .collect();
    json!(cleaned)
}

fn check_dates(
    v: &mut Validator,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    signed_on: Option<NaiveDate>,
) {
    v.check(
        ends_on < starts_on,
        "endsOn",
        "DATE_ORDER",
        "the program cannot end before it starts",
    );
    v.check(
        signed_on.is_some_and(|s| s > ends_on),
        "signedOn",
        "DATE_ORDER",
        "the program cannot be signed after it ends",
    );
}

/// Creates a program in `DRAFT`, owned by an organisation the actor edits for. The owner is
/// recorded as the association-side party.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewProgram) -> Result<Model> {
    let owner = crate::service::organisation::require(db, actor, input.owner_id).await?;
    actor.require(
        actor.can_edit_records_of(&owner.path),
        "you cannot create programs for this organisation",
    )?;
    let mut v = Validator::new();
    let code = v.code("code", &input.code);
    let title = v.required("title", &input.title, MAX_SHORT_TEXT);
    let agreement_number = v.optional("agreementNumber", input.agreement_number.as_deref(), 100);
    let signed_place = v.optional("signedPlace", input.signed_place.as_deref(), MAX_SHORT_TEXT);
    let objectives = v.optional("objectives", input.objectives.as_deref(), MAX_LONG_TEXT);
    let areas = content_areas(&mut v, &input.content_areas);
    check_dates(&mut v, input.starts_on, input.ends_on, input.signed_on);
    v.check(
        owner.kind.is_partner(),
        "ownerId",
        "INVALID_OWNER",
        "programs are owned by the association side",
    );
    if Entity::find()
        .filter(Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        v.error("code", "DUPLICATE", "another program has this code");
    }
    v.finish()?;
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let created = program::ActiveModel {
        id: NotSet,
        code: Set(code),
        owner_id: Set(owner.id),
        title_search: Set(search::normalize(&title)),
        title: Set(title),
        agreement_number: Set(agreement_number),
        signed_on: Set(input.signed_on),
        signed_place: Set(signed_place),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        status: Set(ProgramStatus::Draft),
        objectives: Set(objectives),
        content_areas: Set(areas),
        termination_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    program_party::ActiveModel {
        id: NotSet,
        program_id: Set(created.id),
        organisation_id: Set(owner.id),
        role: Set(PartyRole::Association),
        signatory_name: Set(None),
        signatory_title: Set(None),
        duties: Set(None),
        added_at: Set(now),
        removed_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::write(
        &txn,
        actor,
        owner.id,
        "Program",
        created.id,
        "create",
        audit::diff(None, Some(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Loads a program the actor may edit (EDITOR or ADMIN of its owner), and the owner's path.
pub(crate) async fn editable(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<(Model, String)> {
    let current = require(db, actor, id).await?;
    let owner = owner_of(db, &current).await?;
    actor.require(
        actor.can_edit_records_of(&owner.path),
        "only editors of the program's owner can change it",
    )?;
    Ok((current, owner.path))
}

/// Loads a program the actor may take `action` on now ([`rules::check_program`]).
async fn for_action(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    action: ProgramAction,
) -> Result<Model> {
    let current = require(db, actor, id).await?;
    let owner = owner_of(db, &current).await?;
    rules::check_program(action, actor, &current, &owner.path)?;
    Ok(current)
}

/// Updates a program's details. Completed, terminated and archived programs are read-only.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: ProgramChanges,
) -> Result<Model> {
    let current = for_action(db, actor, id, ProgramAction::Update).await?;
    let mut v = Validator::new();
    let mut next: program::ActiveModel = current.clone().into();
    if let Some(title) = &changes.title {
        let title = v.required("title", title, MAX_SHORT_TEXT);
        next.title_search = Set(search::normalize(&title));
        next.title = Set(title);
    }
    if let Some(n) = &changes.agreement_number {
        next.agreement_number = Set(v.optional("agreementNumber", Some(n), 100));
    }
    if let Some(p) = &changes.signed_place {
        next.signed_place = Set(v.optional("signedPlace", Some(p), MAX_SHORT_TEXT));
    }
    if let Some(o) = &changes.objectives {
        next.objectives = Set(v.optional("objectives", Some(o), MAX_LONG_TEXT));
    }
    if let Some(areas) = &changes.content_areas {
        next.content_areas = Set(content_areas(&mut v, areas));
    }
    let starts_on = changes.starts_on.unwrap_or(current.starts_on);
    let ends_on = changes.ends_on.unwrap_or(current.ends_on);
    let signed_on = changes.signed_on.or(current.signed_on);
    check_dates(&mut v, starts_on, ends_on, signed_on);
    next.starts_on = Set(starts_on);
    next.ends_on = Set(ends_on);
    next.signed_on = Set(signed_on);
    v.finish()?;
    save(db, actor, &current, next, changes.version, "update").await
}

/// Whether a program may go from `from` to `to`: DRAFT → ACTIVE → COMPLETED, and DRAFT or
/// ACTIVE → TERMINATED.
pub fn transition_allowed(from: ProgramStatus, to: ProgramStatus) -> bool {
    use ProgramStatus::*;
    matches!(
        (from, to),
        (Draft, Active) | (Active, Completed) | (Draft | Active, Terminated)
    )
}

/// Moves a program along its lifecycle. Activating needs a signing date and at least one
/// partner party; terminating needs a reason.
pub async fn change_status(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    to: ProgramStatus,
    reason: Option<String>,
    version: i32,
) -> Result<Model> {
    let current = for_action(db, actor, id, ProgramAction::ChangeStatus).await?;
    if !transition_allowed(current.status, to) {
        return Err(Error::invalid(
            "status",
            "INVALID_TRANSITION",
            format!(
                "a program cannot go from {} to {}",
                current.status.as_str(),
                to.as_str()
            ),
        ));
    }
    let mut v = Validator::new();
    let mut next: program::ActiveModel = current.clone().into();
    if to == ProgramStatus::Active {
        v.check(
            current.signed_on.is_none(),
            "signedOn",
            "REQUIRED",
            "set the signing date before activating",
        );
        let partners = program_party::Entity::find()
            .filter(program_party::Column::ProgramId.eq(current.id))
            .filter(program_party::Column::RemovedAt.is_null())
            .filter(program_party::Column::Role.eq(PartyRole::Partner))
            .one(db)
            .await?;
        v.check(
            partners.is_none(),
            "parties",
            "REQUIRED",
            "add at least one partner before activating",
        );
    }
    if to == ProgramStatus::Terminated {
        let reason = v.optional("reason", reason.as_deref(), MAX_LONG_TEXT);
        v.check(
            reason.is_none(),
            "reason",
            "REQUIRED",
            "say why the program is terminated",
        );
        next.termination_reason = Set(reason);
    }
    v.finish()?;
    next.status = Set(to);
    save(db, actor, &current, next, version, "change_status").await
}

/// Archives a program (kept, hidden from default lists, read-only).
pub async fn archive(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let current = for_action(db, actor, id, ProgramAction::Archive).await?;
    let mut next: program::ActiveModel = current.clone().into();
    next.archived_at = Set(Some(Utc::now()));
    save(db, actor, &current, next, version, "archive").await
}

/// Replaces the legal documents a program is based on.
pub async fn set_legal_basis(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    document_ids: &[i64],
    version: i32,
) -> Result<Model> {
    let (current, _) = editable(db, actor, id).await?;
    super::party::open_for_changes(&current)?;
    let mut ids = document_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let found = legal_document::Entity::find()
        .filter(legal_document::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    if found.len() != ids.len() {
        return Err(Error::invalid(
            "legalDocumentIds",
            "NOT_FOUND",
            "a legal document does not exist",
        ));
    }
    let txn = begin_write(db).await?;
    let before: Vec<i64> = program_legal_basis::Entity::find()
        .filter(program_legal_basis::Column::ProgramId.eq(id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| l.legal_document_id)
        .collect();
    program_legal_basis::Entity::delete_many()
        .filter(program_legal_basis::Column::ProgramId.eq(id))
        .exec(&txn)
        .await?;
    for doc in &ids {
        program_legal_basis::ActiveModel {
            program_id: Set(id),
            legal_document_id: Set(*doc),
        }
        .insert(&txn)
        .await?;
    }
    let saved = bump(&txn, &current, version).await?;
    audit::write(&txn, actor, current.owner_id, "Program", id, "set_legal_basis", json!({ "before": { "legal_document_ids": before }, "after": { "legal_document_ids": ids } })).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Increments the version if it is still `expected` (for changes to a program's parts).
pub(crate) async fn bump(
    txn: &impl sea_orm::ConnectionTrait,
    current: &Model,
    expected: i32,
) -> Result<Model> {
    versioned::save::<Entity>(
        txn,
        current.id,
        <program::ActiveModel as Default>::default(),
        expected,
    )
    .await
}

async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    current: &Model,
    next: program::ActiveModel,
    expected: i32,
    action: &'static str,
) -> Result<Model> {
    let txn = begin_write(db).await?;
    let saved = versioned::save::<Entity>(&txn, current.id, next, expected).await?;
    tally::record_for_owner(&txn, saved.owner_id, Some(current), Some(&saved)).await?;
    let changes = audit::diff(Some(current), Some(&saved));
    audit::write(
        &txn,
        actor,
        saved.owner_id,
        "Program",
        saved.id,
        action,
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
