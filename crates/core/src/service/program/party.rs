//! Parties of a program and their commitments.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, Set,
};

use super::rules::{self, CommitmentAction, PartyAction};
use super::write::{bump, editable};
use super::{owner_of, require};
use crate::access::{Actor, linkable_organisations, readable};
use crate::audit;
use crate::db::begin_write;
use crate::entity::enums::{PartyRole, ProgramStatus};
use crate::entity::{commitment, organisation, program, program_party};
use crate::service::validate::{MAX_LONG_TEXT, MAX_SHORT_TEXT, Validator};
use crate::service::versioned;
use crate::{Error, Result};

/// A party to add to a program.
#[derive(Debug, Clone)]
pub struct NewParty {
    /// The organisation joining (a partner body or unit for `PARTNER`).
    pub organisation_id: i64,
    /// Its role.
    pub role: PartyRole,
    /// Who signs for it.
    pub signatory_name: Option<String>,
    /// The signatory's title.
    pub signatory_title: Option<String>,
    /// Its duties under the program.
    pub duties: Option<String>,
}

/// `Conflict` when the program is completed, terminated or archived (read-only then).
pub(super) fn open_for_changes(program: &program::Model) -> Result<()> {
    if program.archived_at.is_some()
        || matches!(
            program.status,
            ProgramStatus::Completed | ProgramStatus::Terminated
        )
    {
        return Err(Error::Conflict(
            "a completed, terminated or archived program cannot be changed".into(),
        ));
    }
    Ok(())
}

/// Adds a party. A `PARTNER` must be a partner body or one of its units; an organisation is a
/// live party at most once.
pub async fn add_party(
    db: &DatabaseConnection,
    actor: &Actor,
    program_id: i64,
    input: NewParty,
    version: i32,
) -> Result<program_party::Model> {
    let (program, _) = editable(db, actor, program_id).await?;
    open_for_changes(&program)?;
    let mut v = Validator::new();
    // A partner body need not be readable yet (it is read through the program once added); an
    // association organisation must be, or it is as absent as a missing id.
    let org = linkable_organisations(actor)
        .filter(organisation::Column::Id.eq(input.organisation_id))
        .one(db)
        .await?;
    match &org {
        None => v.error("organisationId", "NOT_FOUND", "no such organisation"),
        Some(o) => {
            v.check(
                input.role == PartyRole::Partner && !o.kind.is_partner(),
                "organisationId",
                "NOT_A_PARTNER",
                "a PARTNER party must be a partner body or one of its units",
            );
            v.check(
                input.role == PartyRole::Association && o.kind.is_partner(),
                "organisationId",
                "NOT_ASSOCIATION",
                "an ASSOCIATION party must belong to the association",
            );
        }
    }
    let signatory_name = v.optional(
        "signatoryName",
        input.signatory_name.as_deref(),
        MAX_SHORT_TEXT,
    );
    let signatory_title = v.optional(
        "signatoryTitle",
        input.signatory_title.as_deref(),
        MAX_SHORT_TEXT,
    );
    let duties = v.optional("duties", input.duties.as_deref(), MAX_LONG_TEXT);
    let existing = program_party::Entity::find()
        .filter(program_party::Column::ProgramId.eq(program_id))
        .filter(program_party::Column::OrganisationId.eq(input.organisation_id))
        .filter(program_party::Column::RemovedAt.is_null())
        .one(db)
        .await?;
    v.check(
        existing.is_some(),
        "organisationId",
        "DUPLICATE",
        "this organisation is already a party",
    );
    v.finish()?;
    let txn = begin_write(db).await?;
    bump(&txn, &program, version).await?;
    let party = program_party::ActiveModel {
        id: NotSet,
        program_id: Set(program_id),
        organisation_id: Set(input.organisation_id),
        role: Set(input.role),
        signatory_name: Set(signatory_name),
        signatory_title: Set(signatory_title),
        duties: Set(duties),
        added_at: Set(Utc::now()),
        removed_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::write(
        &txn,
        actor,
        program.owner_id,
        "ProgramParty",
        party.id,
        "add",
        audit::diff(None, Some(&party)),
    )
    .await?;
    txn.commit().await?;
    Ok(party)
}

/// Removes a party (kept with `removed_at`); its commitments are archived with it. The owner's
/// own association-side party cannot be removed.
pub async fn remove_party(
    db: &DatabaseConnection,
    actor: &Actor,
    party_id: i64,
    version: i32,
) -> Result<program_party::Model> {
    let party = readable::<program_party::Entity>(actor)
        .filter(program_party::Column::Id.eq(party_id))
        .filter(program_party::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let program = program_of(db, actor, &party, PartyAction::Remove).await?;
    let txn = begin_write(db).await?;
    bump(&txn, &program, version).await?;
    let now = Utc::now();
    let mut next: program_party::ActiveModel = party.clone().into();
    next.removed_at = Set(Some(now));
    let removed = next.update(&txn).await?;
    commitment::Entity::update_many()
        .set(commitment::ActiveModel {
            archived_at: Set(Some(now)),
            ..Default::default()
        })
        .filter(commitment::Column::PartyId.eq(party.id))
        .filter(commitment::Column::ArchivedAt.is_null())
        .exec(&txn)
        .await?;
    audit::write(
        &txn,
        actor,
        program.owner_id,
        "ProgramParty",
        party.id,
        "remove",
        audit::diff(Some(&party), Some(&removed)),
    )
    .await?;
    txn.commit().await?;
    Ok(removed)
}

/// The program of a live `party` the actor may take `action` on now ([`rules::check_party`]).
async fn program_of(
    db: &DatabaseConnection,
    actor: &Actor,
    party: &program_party::Model,
    action: PartyAction,
) -> Result<program::Model> {
    let program = require(db, actor, party.program_id).await?;
    let owner = owner_of(db, &program).await?;
    rules::check_party(action, actor, party, &program, &owner.path)?;
    Ok(program)
}

/// A new commitment of one party.
#[derive(Debug, Clone)]
pub struct NewCommitment {
    /// The committing party.
    pub party_id: i64,
    /// What is committed.
    pub description: String,
    /// The indicator measuring it.
    pub indicator: String,
    /// Unit of the indicator (e.g. "người", "%").
    pub unit: Option<String>,
    /// Target value.
    pub target_value: Option<f64>,
    /// When it is due.
    pub due_on: Option<NaiveDate>,
}

/// Changes to a commitment; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct CommitmentChanges {
    /// The version the client read.
    pub version: i32,
    /// New description.
    pub description: Option<String>,
    /// New indicator.
    pub indicator: Option<String>,
    /// New unit (blank clears).
    pub unit: Option<String>,
    /// New target.
    pub target_value: Option<f64>,
    /// New due date.
    pub due_on: Option<NaiveDate>,
}

fn check_target(v: &mut Validator, target: Option<f64>) {
    v.check(
        target.is_some_and(|t| !t.is_finite() || t < 0.0),
        "targetValue",
        "OUT_OF_RANGE",
        "the target must be a non-negative number",
    );
}

/// Adds a commitment for a live party of a program the actor edits.
pub async fn create_commitment(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewCommitment,
) -> Result<commitment::Model> {
    let party = readable::<program_party::Entity>(actor)
        .filter(program_party::Column::Id.eq(input.party_id))
        .filter(program_party::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let program = program_of(db, actor, &party, PartyAction::CreateCommitment).await?;
    let mut v = Validator::new();
    let description = v.required("description", &input.description, MAX_LONG_TEXT);
    let indicator = v.required("indicator", &input.indicator, MAX_SHORT_TEXT);
    let unit = v.optional("unit", input.unit.as_deref(), 50);
    check_target(&mut v, input.target_value);
    v.check(
        input
            .due_on
            .is_some_and(|d| d < program.starts_on || d > program.ends_on),
        "dueOn",
        "OUT_OF_RANGE",
        "the due date must fall within the program's period",
    );
    v.finish()?;
    let position = commitment::Entity::find()
        .filter(commitment::Column::ProgramId.eq(program.id))
        .all(db)
        .await?
        .len();
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let created = commitment::ActiveModel {
        id: NotSet,
        program_id: Set(program.id),
        party_id: Set(party.id),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        description: Set(description),
        indicator: Set(indicator),
        unit: Set(unit),
        target_value: Set(input.target_value),
        due_on: Set(input.due_on),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::write(
        &txn,
        actor,
        program.owner_id,
        "Commitment",
        created.id,
        "create",
        audit::diff(None, Some(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Loads a live commitment the actor may take `action` on now ([`rules::check_commitment`]),
/// with its program.
async fn editable_commitment(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    action: CommitmentAction,
) -> Result<(commitment::Model, program::Model)> {
    let current = readable::<commitment::Entity>(actor)
        .filter(commitment::Column::Id.eq(id))
        .filter(commitment::Column::ArchivedAt.is_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let program = require(db, actor, current.program_id).await?;
    let owner = owner_of(db, &program).await?;
    rules::check_commitment(action, actor, &current, &program, &owner.path)?;
    Ok((current, program))
}

/// Updates a commitment.
pub async fn update_commitment(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: CommitmentChanges,
) -> Result<commitment::Model> {
    let (current, program) = editable_commitment(db, actor, id, CommitmentAction::Update).await?;
    let mut v = Validator::new();
    let mut next: commitment::ActiveModel = current.clone().into();
    if let Some(d) = &changes.description {
        next.description = Set(v.required("description", d, MAX_LONG_TEXT));
    }
    if let Some(i) = &changes.indicator {
        next.indicator = Set(v.required("indicator", i, MAX_SHORT_TEXT));
    }
    if let Some(u) = &changes.unit {
        next.unit = Set(v.optional("unit", Some(u), 50));
    }
    if changes.target_value.is_some() {
        check_target(&mut v, changes.target_value);
        next.target_value = Set(changes.target_value);
    }
    if let Some(due) = changes.due_on {
        v.check(
            due < program.starts_on || due > program.ends_on,
            "dueOn",
            "OUT_OF_RANGE",
            "the due date must fall within the program's period",
        );
        next.due_on = Set(Some(due));
    }
    v.finish()?;
    let txn = begin_write(db).await?;
    let saved = versioned::save::<commitment::Entity>(&txn, id, next, changes.version).await?;
    audit::write(
        &txn,
        actor,
        program.owner_id,
        "Commitment",
        id,
        "update",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Archives a commitment.
pub async fn archive_commitment(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<commitment::Model> {
    let (current, program) = editable_commitment(db, actor, id, CommitmentAction::Archive).await?;
    let mut next: commitment::ActiveModel = current.clone().into();
    next.archived_at = Set(Some(Utc::now()));
    let txn = begin_write(db).await?;
    let saved = versioned::save::<commitment::Entity>(&txn, id, next, version).await?;
    audit::write(
        &txn,
        actor,
        program.owner_id,
        "Commitment",
        id,
        "archive",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
