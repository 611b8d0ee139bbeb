//! Creating, editing, publishing, retiring and versioning checklists.
//!
//! Who: EDITOR or ADMIN of the owner (or an ancestor of it). Owners are the central association
//! (national checklists) or a provincial branch (a local variant for its subtree).
//!
//! | refusal | field | code |
//! |---|---|---|
//! | owner is not the central association or a provincial branch, or not active | `ownerId` | `INVALID_OWNER`, `INVALID_STATE` |
//! | code already used by another checklist | `code` | `DUPLICATE` |
//! | a draft of this code already exists (edit it instead) | `from` | `DRAFT_EXISTS` |
//! | any change to a published or retired checklist | `id` | `IMMUTABLE` |
//! | publish what is not a draft, retire what is not published | `status` | `INVALID_TRANSITION` |
//! | validity outside 1–120 months, waiting outside 0–120 | `recognitionValidityMonths`, `nextLevelWaitMonths` | `OUT_OF_RANGE` |
//!
//! plus the structure rules of [`super::structure`].

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use super::rules::{self, Action};
use super::structure::{self, ChecklistStructure, GroupSpec, LevelSpec};
use super::{ScoringSheet, require};
use crate::access::Actor;
use crate::audit;
use crate::db::begin_write;
use crate::entity::criteria_checklist::{self, Column, Entity, Model};
use crate::entity::enums::{
    ChecklistStatus, ChecklistStyle, LearningModel, OrganisationKind, OrganisationStatus,
};
use crate::entity::{
    checklist_result_level, criteria_group, criterion, legal_document, organisation,
};
use crate::service::validate::{MAX_LONG_TEXT, MAX_SHORT_TEXT, Validator};
use crate::service::versioned;
use crate::{Error, Result, search};

/// Months a recognition may be valid for, and may have to wait for the next level.
const MONTHS: std::ops::RangeInclusive<i32> = 0..=120;

/// A new draft checklist with its whole structure.
#[derive(Debug, Clone)]
pub struct NewChecklist {
    /// The owner: the central association or a provincial branch.
    pub owner_id: i64,
    /// Code shared by all versions, e.g. `GDHT-448`.
    pub code: String,
    /// Learning model assessed.
    pub model: LearningModel,
    /// Points or indicators.
    pub style: ChecklistStyle,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// The legal document it implements.
    pub legal_document_id: Option<i64>,
    /// How long a recognition lasts.
    pub recognition_validity_months: i32,
    /// How long after a recognition the next level may be sought.
    pub next_level_wait_months: i32,
    /// Levels, groups and criteria.
    pub structure: ChecklistStructure,
}

/// Changes to a draft; `None` keeps a field; `levels` and `groups` each replace the whole list.
#[derive(Debug, Clone, Default)]
pub struct ChecklistChanges {
    /// The version the client read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New description (blank clears).
    pub description: Option<String>,
    /// New legal document (`Some(None)` clears).
    pub legal_document_id: Option<Option<i64>>,
    /// New learning model.
    pub model: Option<LearningModel>,
    /// New style (the structure must fit it).
    pub style: Option<ChecklistStyle>,
    /// New validity.
    pub recognition_validity_months: Option<i32>,
    /// New waiting time.
    pub next_level_wait_months: Option<i32>,
    /// New result levels.
    pub levels: Option<Vec<LevelSpec>>,
    /// New groups and criteria.
    pub groups: Option<Vec<GroupSpec>>,
}

/// A new draft copied from an existing version.
#[derive(Debug, Clone)]
pub struct NewChecklistVersion {
    /// The version copied.
    pub from: i64,
    /// A new code for a variant (its version 1); `None` continues the source's code.
    pub code: Option<String>,
    /// The owner of a variant; `None` keeps the source's owner.
    pub owner_id: Option<i64>,
}

/// Checks that `owner` may own checklists.
fn check_owner(v: &mut Validator, owner: &organisation::Model) {
    v.check(
        !matches!(
            owner.kind,
            OrganisationKind::Central | OrganisationKind::Provincial
        ),
        "ownerId",
        "INVALID_OWNER",
        "checklists are owned by the central association or a provincial branch",
    );
    v.check(
        owner.status != OrganisationStatus::Active,
        "ownerId",
        "INVALID_STATE",
        "the owner is not active",
    );
}

fn check_months(v: &mut Validator, validity: i32, wait: i32) {
    v.check(
        validity < 1 || !MONTHS.contains(&validity),
        "recognitionValidityMonths",
        "OUT_OF_RANGE",
        "a recognition is valid for 1 to 120 months",
    );
    v.check(
        !MONTHS.contains(&wait),
        "nextLevelWaitMonths",
        "OUT_OF_RANGE",
        "the wait for the next level is 0 to 120 months",
    );
}

async fn check_document(db: &DatabaseConnection, v: &mut Validator, id: Option<i64>) -> Result<()> {
    if let Some(id) = id
        && legal_document::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_none()
    {
        v.error(
            "legalDocumentId",
            "NOT_FOUND",
            "the legal document does not exist",
        );
    }
    Ok(())
}

async fn code_taken(db: &DatabaseConnection, code: &str) -> Result<bool> {
    Ok(Entity::find()
        .filter(Column::Code.eq(code))
        .one(db)
        .await?
        .is_some())
}

/// Loads an owner the actor may create checklists for.
async fn owner_for_writing(
    db: &DatabaseConnection,
    actor: &Actor,
    owner_id: i64,
) -> Result<organisation::Model> {
    let owner = crate::service::organisation::require(db, actor, owner_id).await?;
    actor.require(
        actor.can_edit_records_of(&owner.path),
        "you cannot write checklists for this organisation",
    )?;
    Ok(owner)
}

/// Creates a draft checklist (version 1 of a new code) with its whole structure.
pub async fn create(db: &DatabaseConnection, actor: &Actor, input: NewChecklist) -> Result<Model> {
    let owner = owner_for_writing(db, actor, input.owner_id).await?;
    let mut v = Validator::new();
    check_owner(&mut v, &owner);
    let code = v.code("code", &input.code);
    let title = v.required("title", &input.title, MAX_SHORT_TEXT);
    let description = v.optional("description", input.description.as_deref(), MAX_LONG_TEXT);
    check_months(
        &mut v,
        input.recognition_validity_months,
        input.next_level_wait_months,
    );
    check_document(db, &mut v, input.legal_document_id).await?;
    let structure = structure::validate(&mut v, input.style, &input.structure);
    if code_taken(db, &code).await? {
        v.error(
            "code",
            "DUPLICATE",
            "another checklist has this code; start a new version of it instead",
        );
    }
    v.finish()?;
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let created = criteria_checklist::ActiveModel {
        id: NotSet,
        code: Set(code),
        version_no: Set(1),
        model: Set(input.model),
        style: Set(input.style),
        title_search: Set(search::normalize(&title)),
        title: Set(title),
        description: Set(description),
        owner_id: Set(owner.id),
        legal_document_id: Set(input.legal_document_id),
        status: Set(ChecklistStatus::Draft),
        derived_from_id: Set(None),
        recognition_validity_months: Set(input.recognition_validity_months),
        next_level_wait_months: Set(input.next_level_wait_months),
        published_at: Set(None),
        retired_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    insert_structure(&txn, created.id, &structure).await?;
    let changes = with_structure(audit::diff(None, Some(&created)), None, Some(&structure));
    audit::write(
        &txn,
        actor,
        owner.id,
        "CriteriaChecklist",
        created.id,
        "create",
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Loads a checklist the actor may take `action` on now ([`rules::check`]).
async fn for_action(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    action: Action,
) -> Result<Model> {
    let current = require(db, actor, id).await?;
    let owner = organisation::Entity::find_by_id(current.owner_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal(format!("checklist {id} has no owner")))?;
    rules::check(action, actor, &current, &owner.path)?;
    Ok(current)
}

/// Changes a draft: its details and, when given, its levels and groups (each replaced whole).
/// The resulting structure is validated as a whole against the resulting style.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: ChecklistChanges,
) -> Result<Model> {
    let current = for_action(db, actor, id, Action::Update).await?;
    let sheet = ScoringSheet::load(db, id).await?;
    let before = sheet.structure();
    let mut v = Validator::new();
    let mut next: criteria_checklist::ActiveModel = current.clone().into();
    if let Some(title) = &changes.title {
        let title = v.required("title", title, MAX_SHORT_TEXT);
        next.title_search = Set(search::normalize(&title));
        next.title = Set(title);
    }
    if let Some(d) = &changes.description {
        next.description = Set(v.optional("description", Some(d), MAX_LONG_TEXT));
    }
    if let Some(document) = changes.legal_document_id {
        check_document(db, &mut v, document).await?;
        next.legal_document_id = Set(document);
    }
    if let Some(model) = changes.model {
        next.model = Set(model);
    }
    let style = changes.style.unwrap_or(current.style);
    next.style = Set(style);
    let validity = changes
        .recognition_validity_months
        .unwrap_or(current.recognition_validity_months);
    let wait = changes
        .next_level_wait_months
        .unwrap_or(current.next_level_wait_months);
    check_months(&mut v, validity, wait);
    next.recognition_validity_months = Set(validity);
    next.next_level_wait_months = Set(wait);
    let replaces = changes.levels.is_some() || changes.groups.is_some() || style != current.style;
    let proposed = ChecklistStructure {
        levels: changes.levels.unwrap_or_else(|| before.levels.clone()),
        groups: changes.groups.unwrap_or_else(|| before.groups.clone()),
    };
    let after = structure::validate(&mut v, style, &proposed);
    v.finish()?;
    let txn = begin_write(db).await?;
    let saved = versioned::save::<Entity>(&txn, id, next, changes.version).await?;
    if replaces {
        delete_structure(&txn, id).await?;
        insert_structure(&txn, id, &after).await?;
    }
    let diff = audit::diff(Some(&current), Some(&saved));
    let changes = if replaces && after != before {
        with_structure(diff, Some(&before), Some(&after))
    } else {
        diff
    };
    audit::write(
        &txn,
        actor,
        saved.owner_id,
        "CriteriaChecklist",
        id,
        "update",
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Publishes a draft: from now on it is immutable and assessments may use it. Its structure is
/// checked once more, as stored.
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let current = for_action(db, actor, id, Action::Publish).await?;
    let mut v = Validator::new();
    structure::validate(
        &mut v,
        current.style,
        &ScoringSheet::load(db, id).await?.structure(),
    );
    v.finish()?;
    let mut next: criteria_checklist::ActiveModel = current.clone().into();
    next.status = Set(ChecklistStatus::Published);
    next.published_at = Set(Some(Utc::now()));
    save(db, actor, &current, next, version, "publish").await
}

/// Retires a published checklist: kept for the assessments that used it, closed to new ones.
pub async fn retire(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let current = for_action(db, actor, id, Action::Retire).await?;
    let mut next: criteria_checklist::ActiveModel = current.clone().into();
    next.status = Set(ChecklistStatus::Retired);
    next.retired_at = Set(Some(Utc::now()));
    save(db, actor, &current, next, version, "retire").await
}

/// Copies a readable checklist into a new draft derived from it: the next version of its code
/// (same owner; refused while a draft of the code exists), or version 1 of a variant with a new
/// code and possibly another owner (a province's local variant of a national checklist).
pub async fn new_version(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewChecklistVersion,
) -> Result<Model> {
    let source = require(db, actor, input.from).await?;
    let owner_id = input.owner_id.unwrap_or(source.owner_id);
    let owner = owner_for_writing(db, actor, owner_id).await?;
    let mut v = Validator::new();
    check_owner(&mut v, &owner);
    let code = match &input.code {
        Some(code) => v.code("code", code),
        None => source.code.clone(),
    };
    let version_no = if code == source.code {
        v.check(
            owner.id != source.owner_id,
            "ownerId",
            "INVALID_OWNER",
            "a new version keeps its owner; give a new code for a variant",
        );
        let versions = Entity::find()
            .filter(Column::Code.eq(code.as_str()))
            .order_by_desc(Column::VersionNo)
            .all(db)
            .await?;
        v.check(
            versions.iter().any(|c| c.status == ChecklistStatus::Draft),
            "from",
            "DRAFT_EXISTS",
            "a draft of this checklist already exists; edit it instead",
        );
        versions.first().map_or(1, |c| c.version_no + 1)
    } else {
        if code_taken(db, &code).await? {
            v.error("code", "DUPLICATE", "another checklist has this code");
        }
        1
    };
    v.finish()?;
    let sheet = ScoringSheet::load(db, source.id).await?;
    let structure = sheet.structure();
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let created = criteria_checklist::ActiveModel {
        id: NotSet,
        code: Set(code),
        version_no: Set(version_no),
        model: Set(source.model),
        style: Set(source.style),
        title: Set(source.title.clone()),
        title_search: Set(source.title_search.clone()),
        description: Set(source.description.clone()),
        owner_id: Set(owner.id),
        legal_document_id: Set(source.legal_document_id),
        status: Set(ChecklistStatus::Draft),
        derived_from_id: Set(Some(source.id)),
        recognition_validity_months: Set(source.recognition_validity_months),
        next_level_wait_months: Set(source.next_level_wait_months),
        published_at: Set(None),
        retired_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    insert_structure(&txn, created.id, &structure).await?;
    audit::write(
        &txn,
        actor,
        owner.id,
        "CriteriaChecklist",
        created.id,
        "new_version",
        with_structure(audit::diff(None, Some(&created)), None, Some(&structure)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    current: &Model,
    next: criteria_checklist::ActiveModel,
    expected: i32,
    action: &'static str,
) -> Result<Model> {
    let txn = begin_write(db).await?;
    let saved = versioned::save::<Entity>(&txn, current.id, next, expected).await?;
    audit::write(
        &txn,
        actor,
        saved.owner_id,
        "CriteriaChecklist",
        saved.id,
        action,
        audit::diff(Some(current), Some(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// `diff` with the structure before and after added under `structure`.
fn with_structure(
    mut diff: Value,
    before: Option<&ChecklistStructure>,
    after: Option<&ChecklistStructure>,
) -> Value {
    for (side, structure) in [("before", before), ("after", after)] {
        if let (Some(structure), Some(map)) = (structure, diff.get_mut(side)) {
            if map.is_null() {
                *map = json!({});
            }
            if let Some(map) = map.as_object_mut() {
                map.insert("structure".into(), json!(structure));
            }
        }
    }
    diff
}

/// A 1-based position as stored.
fn position(index: usize) -> Result<i32> {
    i32::try_from(index + 1).map_err(|_| Error::Internal("position out of range".into()))
}

/// Writes the levels, groups and criteria of checklist `checklist_id`.
async fn insert_structure(
    txn: &impl ConnectionTrait,
    checklist_id: i64,
    structure: &ChecklistStructure,
) -> Result<()> {
    for (i, level) in structure.levels.iter().enumerate() {
        checklist_result_level::ActiveModel {
            id: NotSet,
            checklist_id: Set(checklist_id),
            rank: Set(position(i)?),
            code: Set(level.code.clone()),
            label: Set(level.label.clone()),
            min_points: Set(level.min_points),
        }
        .insert(txn)
        .await?;
    }
    for (g, group) in structure.groups.iter().enumerate() {
        let inserted = criteria_group::ActiveModel {
            id: NotSet,
            checklist_id: Set(checklist_id),
            position: Set(position(g)?),
            code: Set(group.code.clone()),
            title: Set(group.title.clone()),
            description: Set(group.description.clone()),
            max_points: Set(group.max_points),
        }
        .insert(txn)
        .await?;
        let rows = group
            .criteria
            .iter()
            .enumerate()
            .map(|(c, item)| {
                Ok(criterion::ActiveModel {
                    id: NotSet,
                    checklist_id: Set(checklist_id),
                    group_id: Set(inserted.id),
                    position: Set(position(c)?),
                    code: Set(item.code.clone()),
                    title: Set(item.title.clone()),
                    description: Set(item.description.clone()),
                    max_points: Set(item.max_points),
                    min_points: Set(item.min_points),
                    required: Set(item.required),
                    evidence_required: Set(item.evidence_required),
                    evidence_rule: Set(item.evidence_rule.clone()),
                    required_from_level: Set(item.required_from_level),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if !rows.is_empty() {
            criterion::Entity::insert_many(rows)
                .exec_without_returning(txn)
                .await?;
        }
    }
    Ok(())
}

/// Deletes the levels, groups and criteria of a draft (only drafts: nothing refers to them).
async fn delete_structure(txn: &impl ConnectionTrait, checklist_id: i64) -> Result<()> {
    criterion::Entity::delete_many()
        .filter(criterion::Column::ChecklistId.eq(checklist_id))
        .exec(txn)
        .await?;
    criteria_group::Entity::delete_many()
        .filter(criteria_group::Column::ChecklistId.eq(checklist_id))
        .exec(txn)
        .await?;
    checklist_result_level::Entity::delete_many()
        .filter(checklist_result_level::Column::ChecklistId.eq(checklist_id))
        .exec(txn)
        .await?;
    Ok(())
}
