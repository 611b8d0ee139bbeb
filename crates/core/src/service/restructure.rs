//! Reorganising the tree: moving a subtree under a new parent, and merging one branch into
//! another. Both run in one transaction, keep every record, and are audited; scoping is right the
//! moment they commit because access is computed from the stored paths they rewrite.

use chrono::Utc;
use sea_orm::sea_query::{BinOper, Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, ExprTrait,
    QueryFilter, Set,
};
use serde_json::json;

use super::organisation::require;
use super::statistics::tally;
use super::versioned::check_version;
use crate::access::{Actor, path};
use crate::audit::{self, AuditEntry};
use crate::db::begin_write;
use crate::entity::enums::OrganisationStatus;
use crate::entity::organisation::{self, Column, Entity, Model};
use crate::entity::{
    assessment, candidacy, criteria_checklist, legal_document, membership, program, program_party,
    program_report, recognition_decision, registration, session_co_organiser,
    session_connection_point, training_session,
};
use crate::service::organisation::rules::{self, Action};
use crate::{Error, Result};

/// Moves the organisation `id` and its whole subtree under `new_parent_id`.
pub async fn move_organisation(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    new_parent_id: i64,
    version: i32,
) -> Result<Model> {
    let org = require(db, actor, id).await?;
    let parent = require(db, actor, new_parent_id).await?;
    rules::check(Action::Move, actor, &org)?;
    actor.require(
        actor.can_create_child_of(&parent.path),
        "moving needs administrator rights over the organisation's current and new parents",
    )?;
    check_version("organisation", version, org.version)?;
    if path::is_within(&parent.path, &org.path) {
        return Err(Error::invalid(
            "newParentId",
            "CYCLE",
            "an organisation cannot move under itself or one of its descendants",
        ));
    }
    if !org.kind.may_sit_under(parent.kind) {
        return Err(Error::invalid(
            "newParentId",
            "INVALID_PARENT",
            "an organisation of this kind cannot sit under the chosen parent",
        ));
    }
    if parent.status != OrganisationStatus::Active || org.status != OrganisationStatus::Active {
        return Err(Error::Conflict(
            "only active organisations can be moved".into(),
        ));
    }
    if org.parent_id == Some(parent.id) {
        return Ok(org);
    }
    let txn = begin_write(db).await?;
    if let Some(old_parent) = path::parent(&org.path) {
        tally::shift_subtree(&txn, &org.path, old_parent, &parent.path).await?;
    }
    let new_path = path::child(Some(&parent.path), org.id);
    rewrite_subtree(
        &txn,
        &org.path,
        &new_path,
        parent.depth + 1 - org.depth,
        true,
    )
    .await?;
    let guarded = Entity::update_many()
        .col_expr(Column::ParentId, Expr::val(parent.id))
        .col_expr(Column::Version, Expr::val(org.version + 1))
        .col_expr(Column::UpdatedAt, Expr::val(Utc::now()))
        .filter(Column::Id.eq(org.id))
        .filter(Column::Version.eq(org.version))
        .exec(&txn)
        .await?;
    super::versioned::check_updated("organisation", guarded.rows_affected)?;
    let moved = Entity::find_by_id(org.id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    audit::record(
        &txn,
        AuditEntry {
            actor: Some(actor),
            actor_label: None,
            organisation_id: Some(org.id),
            entity_type: "Organisation",
            entity_id: Some(org.id),
            action: "move",
            changes: json!({
                "before": { "parent_id": org.parent_id, "path": org.path },
                "after": { "parent_id": moved.parent_id, "path": moved.path },
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(moved)
}

/// Rewrites the paths (and depths) of the subtree at `old_path` to start with `new_path`.
/// With `include_root` false, the root itself keeps its path (merge moves only descendants).
async fn rewrite_subtree(
    txn: &DatabaseTransaction,
    old_path: &str,
    new_path: &str,
    depth_delta: i32,
    include_root: bool,
) -> Result<()> {
    let (low, high) = path::subtree_range(old_path);
    let old_len =
        i32::try_from(old_path.len()).map_err(|_| Error::Internal("path too long".into()))?;
    // `new_path || SUBSTR(path, old_len + 1)`, built from parts so each backend renders its
    // own placeholders (`||` concatenates on both SQLite and PostgreSQL).
    let new_value = Expr::val(new_path.to_owned()).binary(
        BinOper::Custom("||"),
        Func::cust("SUBSTR")
            .arg(Expr::col(Column::Path))
            .arg(old_len + 1),
    );
    let mut update = Entity::update_many()
        .col_expr(Column::Path, new_value)
        .col_expr(Column::Depth, Expr::col(Column::Depth).add(depth_delta))
        .filter(Column::Path.lt(high));
    update = if include_root {
        update.filter(Column::Path.gte(low))
    } else {
        update.filter(Column::Path.gt(low))
    };
    update.exec(txn).await?;
    Ok(())
}

/// Merges the organisation `source_id` into `target_id`: its children move under the target,
/// the records it owns and its memberships are re-pointed to the target, and it stays as
/// `MERGED` with `merged_into` set so old references still resolve.
pub async fn merge_organisation(
    db: &DatabaseConnection,
    actor: &Actor,
    source_id: i64,
    target_id: i64,
    version: i32,
) -> Result<Model> {
    let source = require(db, actor, source_id).await?;
    let target = require(db, actor, target_id).await?;
    rules::check(Action::Merge, actor, &source)?;
    actor.require(
        actor.can_create_child_of(&target.path),
        "merging needs administrator rights over both organisations",
    )?;
    check_version("organisation", version, source.version)?;
    if source.id == target.id
        || path::is_within(&target.path, &source.path)
        || path::is_within(&source.path, &target.path)
    {
        return Err(Error::invalid(
            "targetId",
            "INVALID_TARGET",
            "an organisation can only merge into one outside its own line of ancestors and descendants",
        ));
    }
    if source.kind != target.kind {
        return Err(Error::invalid(
            "targetId",
            "KIND_MISMATCH",
            "only organisations of the same kind can be merged",
        ));
    }
    if source.status != OrganisationStatus::Active || target.status != OrganisationStatus::Active {
        return Err(Error::Conflict(
            "only active organisations can be merged".into(),
        ));
    }
    let txn = begin_write(db).await?;
    // Everything counted in the source's subtree ends up in the target's.
    tally::shift_subtree(&txn, &source.path, &source.path, &target.path).await?;
    // Children (and their subtrees) move under the target.
    Entity::update_many()
        .col_expr(Column::ParentId, Expr::val(target.id))
        .filter(Column::ParentId.eq(source.id))
        .exec(&txn)
        .await?;
    rewrite_subtree(
        &txn,
        &source.path,
        &target.path,
        target.depth - source.depth,
        false,
    )
    .await?;
    repoint_records(&txn, source.id, target.id).await?;
    let now = Utc::now();
    Entity::update_many()
        .set(organisation::ActiveModel {
            status: Set(OrganisationStatus::Merged),
            merged_into_id: Set(Some(target.id)),
            archived_at: Set(Some(now)),
            updated_at: Set(now),
            version: Set(source.version + 1),
            ..Default::default()
        })
        .filter(Column::Id.eq(source.id))
        .exec(&txn)
        .await?;
    let merged = Entity::find_by_id(source.id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    for (org_id, role) in [(source.id, "source"), (target.id, "target")] {
        audit::record(
            &txn,
            AuditEntry {
                actor: Some(actor),
                actor_label: None,
                organisation_id: Some(org_id),
                entity_type: "Organisation",
                entity_id: Some(source.id),
                action: "merge",
                changes: json!({
                    "role": role,
                    "before": { "status": source.status, "merged_into_id": null },
                    "after": { "status": merged.status, "merged_into_id": target.id },
                }),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(merged)
}

/// Re-points what `source` owns to `target`. Where the target already holds the same unique
/// link (a live membership with the same role, a live party of the same program, a
/// co-organisation of the same session, a report for the same program and period), the
/// source's duplicate is retired (revoked, removed or archived) instead — never deleted
/// when it carries data.
async fn repoint_records(txn: &DatabaseTransaction, source: i64, target: i64) -> Result<()> {
    let now = Utc::now();
    let backend = txn.get_database_backend();
    let exec = |sql: &str, with_time: bool| {
        let mut values: Vec<sea_orm::Value> = vec![source.into(), target.into()];
        if with_time {
            values.push(now.into());
        }
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend, sql, values,
        ))
    };
    // Duplicates first ($1 = source, $2 = target, $3 = now).
    exec(
        "UPDATE membership SET revoked_at = $3 WHERE organisation_id = $1 AND revoked_at IS NULL \
         AND EXISTS (SELECT 1 FROM membership t WHERE t.organisation_id = $2 \
         AND t.revoked_at IS NULL AND t.user_id = membership.user_id AND t.role = membership.role)",
        true,
    )
    .await?;
    exec(
        "UPDATE commitment SET party_id = (SELECT t.id FROM program_party t \
         JOIN program_party s ON s.id = commitment.party_id \
         WHERE t.program_id = s.program_id AND t.organisation_id = $2 AND t.removed_at IS NULL) \
         WHERE party_id IN (SELECT s.id FROM program_party s WHERE s.organisation_id = $1 \
         AND s.removed_at IS NULL AND EXISTS (SELECT 1 FROM program_party t \
         WHERE t.program_id = s.program_id AND t.organisation_id = $2 AND t.removed_at IS NULL))",
        false,
    )
    .await?;
    exec(
        "UPDATE program_party SET removed_at = $3 WHERE organisation_id = $1 AND removed_at IS NULL \
         AND EXISTS (SELECT 1 FROM program_party t WHERE t.organisation_id = $2 \
         AND t.removed_at IS NULL AND t.program_id = program_party.program_id)",
        true,
    )
    .await?;
    exec(
        "DELETE FROM session_co_organiser WHERE organisation_id = $1 AND EXISTS \
         (SELECT 1 FROM session_co_organiser t WHERE t.organisation_id = $2 \
         AND t.session_id = session_co_organiser.session_id)",
        false,
    )
    .await?;
    exec(
        "UPDATE program_report SET archived_at = $3 WHERE reporting_organisation_id = $1 \
         AND archived_at IS NULL AND EXISTS (SELECT 1 FROM program_report t \
         WHERE t.reporting_organisation_id = $2 AND t.archived_at IS NULL \
         AND t.program_id = program_report.program_id AND t.kind = program_report.kind \
         AND COALESCE(t.period_year, 0) = COALESCE(program_report.period_year, 0))",
        true,
    )
    .await?;
    // Then everything the source owns, re-pointed.
    macro_rules! repoint {
        ($($entity:ident . $column:ident),+ $(,)?) => {$(
            $entity::Entity::update_many()
                .col_expr($entity::Column::$column, Expr::val(target))
                .filter($entity::Column::$column.eq(source))
                .exec(txn)
                .await?;
        )+};
    }
    repoint!(
        membership.OrganisationId,
        program.OwnerId,
        program_party.OrganisationId,
        program_report.ReportingOrganisationId,
        training_session.OrganiserId,
        session_co_organiser.OrganisationId,
        session_connection_point.OrganisationId,
        registration.OrganisationId,
        criteria_checklist.OwnerId,
        legal_document.OwnerId,
        candidacy.OrganisationId,
        assessment.OrganisationId,
        recognition_decision.OrganisationId,
    );
    Ok(())
}
