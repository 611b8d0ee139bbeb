//! Result reports on programs: annual, mid-term review (sơ kết) and final review (tổng kết),
//! written by a reporting organisation, submitted, and acknowledged by the program's owner.

use std::collections::HashMap;

use chrono::{Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, Select, Set,
};

use super::rules::{self, ReportAction};
use super::{owner_of, require as require_program, subtree_ids};
use crate::access::{Actor, path, readable};
use crate::audit;
use crate::db::begin_write;
use crate::entity::enums::{ProgramStatus, ReportKind, ReportStatus};
use crate::entity::program_report::{self, Column, Entity, Model};
use crate::entity::{commitment, organisation, program, program_party, report_indicator_value};
use crate::events::{Change, Event, Events};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::service::validate::{MAX_LONG_TEXT, MAX_SHORT_TEXT, Validator};
use crate::service::versioned;
use crate::{Error, Result};

/// The years a report may be for (the `program_report.period_year` check constraint).
const REPORT_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Filters for listing reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ReportFilter {
    /// Only reports on these programs.
    pub program_ids: Option<Vec<i64>>,
    /// Only reports by organisations in this subtree.
    pub within_organisation: Option<i64>,
    /// Only these kinds.
    pub kinds: Option<Vec<ReportKind>>,
    /// Only these statuses.
    pub statuses: Option<Vec<ReportStatus>>,
    /// Only reports for this year.
    pub period_year: Option<i32>,
}

/// Fields reports can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReportSort {
    /// Creation time.
    #[default]
    CreatedAt,
    /// Last change.
    UpdatedAt,
}

/// The keyset ordering for `sort`.
pub fn report_ordering(sort: ReportSort, descending: bool) -> Ordering<Entity> {
    let (name, column, key): (_, _, fn(&Model) -> SortKey) = match sort {
        ReportSort::CreatedAt => ("CREATED_AT", Column::CreatedAt, |m| {
            SortKey::Time(m.created_at)
        }),
        ReportSort::UpdatedAt => ("UPDATED_AT", Column::UpdatedAt, |m| {
            SortKey::Time(m.updated_at)
        }),
    };
    Ordering {
        name,
        column: Some(column),
        descending,
        key,
        id: Column::Id,
        id_of: |m| m.id,
    }
}

async fn filtered(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ReportFilter,
) -> Result<Select<Entity>> {
    let mut select = readable::<Entity>(actor).filter(Column::ArchivedAt.is_null());
    if let Some(ids) = &filter.program_ids {
        select = select.filter(Column::ProgramId.is_in(ids.clone()));
    }
    if let Some(root) = filter.within_organisation {
        let root = crate::service::organisation::require(db, actor, root).await?;
        select =
            select.filter(Column::ReportingOrganisationId.in_subquery(subtree_ids(&root.path)));
    }
    if let Some(kinds) = &filter.kinds {
        select = select.filter(Column::Kind.is_in(kinds.clone()));
    }
    if let Some(statuses) = &filter.statuses {
        select = select.filter(Column::Status.is_in(statuses.clone()));
    }
    if let Some(year) = filter.period_year {
        select = select.filter(Column::PeriodYear.eq(year));
    }
    Ok(select)
}

/// One page of the reports the actor may read.
pub async fn list_reports(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ReportFilter,
    order: &Ordering<Entity>,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<Model>, TotalCount)> {
    let select = filtered(db, actor, filter).await?;
    let total = TotalCount::of(select.clone());
    Ok((
        page::fetch(db, select, order, request, max_page).await?,
        total,
    ))
}

/// For each program, one page of its readable reports (one statement).
pub async fn reports_of_programs(
    db: &DatabaseConnection,
    actor: &Actor,
    program_ids: &[i64],
    filter: &ReportFilter,
    order: &Ordering<Entity>,
    request: &PageRequest,
    max_page: u64,
) -> Result<HashMap<i64, (Page<Model>, u64)>> {
    let select = filtered(db, actor, filter).await?;
    page::fetch_grouped(
        db,
        select,
        Column::ProgramId,
        program_ids,
        order,
        request,
        max_page,
    )
    .await
}

/// A value reported for one commitment's indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValueInput {
    /// The commitment.
    pub commitment_id: i64,
    /// The value reached.
    pub value: f64,
    /// A note.
    pub note: Option<String>,
}

/// A new report.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// The program reported on.
    pub program_id: i64,
    /// The reporting organisation (a party, or a branch within the owner's subtree).
    pub reporting_organisation_id: i64,
    /// Annual, mid-term or final.
    pub kind: ReportKind,
    /// The year (required for annual reports).
    pub period_year: Option<i32>,
    /// Title.
    pub title: String,
    /// Kết quả đạt được.
    pub achievements: Option<String>,
    /// Tồn tại, hạn chế.
    pub shortcomings: Option<String>,
    /// Đề xuất, kiến nghị.
    pub proposals: Option<String>,
    /// Indicator values.
    pub indicator_values: Vec<IndicatorValueInput>,
}

/// Changes to a draft report; `None` keeps a field; `indicator_values` replaces all values.
#[derive(Debug, Clone, Default)]
pub struct ReportChanges {
    /// The version the client read.
    pub version: i32,
    /// New title.
    pub title: Option<String>,
    /// New achievements (blank clears).
    pub achievements: Option<String>,
    /// New shortcomings (blank clears).
    pub shortcomings: Option<String>,
    /// New proposals (blank clears).
    pub proposals: Option<String>,
    /// New indicator values.
    pub indicator_values: Option<Vec<IndicatorValueInput>>,
}

async fn check_values(
    db: &DatabaseConnection,
    v: &mut Validator,
    program_id: i64,
    values: &[IndicatorValueInput],
) -> Result<()> {
    let ids: Vec<i64> = values.iter().map(|x| x.commitment_id).collect();
    let known: Vec<i64> = commitment::Entity::find()
        .filter(commitment::Column::ProgramId.eq(program_id))
        .filter(commitment::Column::Id.is_in(ids))
        .filter(commitment::Column::ArchivedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut seen = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let field = format!("indicatorValues.{i}");
        v.check(
            !known.contains(&value.commitment_id),
            &format!("{field}.commitmentId"),
            "NOT_FOUND",
            "not a commitment of this program",
        );
        v.check(
            seen.contains(&value.commitment_id),
            &format!("{field}.commitmentId"),
            "DUPLICATE",
            "one value per commitment",
        );
        v.check(
            !value.value.is_finite(),
            &format!("{field}.value"),
            "OUT_OF_RANGE",
            "the value must be a number",
        );
        v.optional(
            &format!("{field}.note"),
            value.note.as_deref(),
            MAX_LONG_TEXT,
        );
        seen.push(value.commitment_id);
    }
    Ok(())
}

async fn replace_values(
    txn: &impl ConnectionTrait,
    report_id: i64,
    values: &[IndicatorValueInput],
) -> Result<()> {
    report_indicator_value::Entity::delete_many()
        .filter(report_indicator_value::Column::ReportId.eq(report_id))
        .exec(txn)
        .await?;
    if values.is_empty() {
        return Ok(());
    }
    report_indicator_value::Entity::insert_many(values.iter().map(|x| {
        report_indicator_value::ActiveModel {
            id: NotSet,
            report_id: Set(report_id),
            commitment_id: Set(x.commitment_id),
            value: Set(x.value),
            note: Set(x
                .note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)),
        }
    }))
    .exec(txn)
    .await?;
    Ok(())
}

/// Creates a draft report. The actor must edit for the reporting organisation, which must be a
/// live party of the program or lie within the owner's subtree.
pub async fn create_report(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewReport,
) -> Result<Model> {
    let program = require_program(db, actor, input.program_id).await?;
    let reporter =
        crate::service::organisation::require(db, actor, input.reporting_organisation_id).await?;
    actor.require(
        actor.can_edit_records_of(&reporter.path),
        "you cannot write reports for this organisation",
    )?;
    let owner = owner_of(db, &program).await?;
    let is_party = program_party::Entity::find()
        .filter(program_party::Column::ProgramId.eq(program.id))
        .filter(program_party::Column::OrganisationId.eq(reporter.id))
        .filter(program_party::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .is_some();
    let mut v = Validator::new();
    v.check(
        !is_party && !path::is_within(&reporter.path, &owner.path),
        "reportingOrganisationId",
        "NOT_A_PARTY",
        "only parties of the program and branches of its owner report on it",
    );
    v.check(
        program.archived_at.is_some()
            || !matches!(
                program.status,
                ProgramStatus::Active | ProgramStatus::Completed
            ),
        "programId",
        "INVALID_STATE",
        "reports are written on active or completed programs that are not archived",
    );
    let title = v.required("title", &input.title, MAX_SHORT_TEXT);
    let achievements = v.optional("achievements", input.achievements.as_deref(), MAX_LONG_TEXT);
    let shortcomings = v.optional("shortcomings", input.shortcomings.as_deref(), MAX_LONG_TEXT);
    let proposals = v.optional("proposals", input.proposals.as_deref(), MAX_LONG_TEXT);
    match (input.kind, input.period_year) {
        (ReportKind::Annual, None) => {
            v.error("periodYear", "REQUIRED", "an annual report needs its year")
        }
        (_, Some(year)) => v.check(
            year < program.starts_on.year()
                || year > program.ends_on.year()
                || !REPORT_YEARS.contains(&year),
            "periodYear",
            "OUT_OF_RANGE",
            "the year must fall within the program's period (and within 1990–2100)",
        ),
        _ => {}
    }
    check_values(db, &mut v, program.id, &input.indicator_values).await?;
    let duplicate = Entity::find()
        .filter(Column::ProgramId.eq(program.id))
        .filter(Column::ReportingOrganisationId.eq(reporter.id))
        .filter(Column::Kind.eq(input.kind))
        .filter(match input.period_year {
            Some(y) => Column::PeriodYear.eq(y),
            None => Column::PeriodYear.is_null(),
        })
        .filter(Column::ArchivedAt.is_null())
        .one(db)
        .await?;
    v.check(
        duplicate.is_some(),
        "kind",
        "DUPLICATE",
        "this organisation already has this report for this period",
    );
    v.finish()?;
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let created = program_report::ActiveModel {
        id: NotSet,
        program_id: Set(program.id),
        reporting_organisation_id: Set(reporter.id),
        kind: Set(input.kind),
        period_year: Set(input.period_year),
        title: Set(title),
        achievements: Set(achievements),
        shortcomings: Set(shortcomings),
        proposals: Set(proposals),
        status: Set(ReportStatus::Draft),
        submitted_at: Set(None),
        submitted_by: Set(None),
        acknowledged_at: Set(None),
        acknowledged_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    replace_values(&txn, created.id, &input.indicator_values).await?;
    audit::write(
        &txn,
        actor,
        reporter.id,
        "ProgramReport",
        created.id,
        "create",
        audit::diff(None, Some(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Loads a report the actor may take `action` on now ([`rules::check_report`]), with its
/// reporting organisation and the path of its program's owner.
async fn for_action(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    action: ReportAction,
) -> Result<(Model, organisation::Model, String)> {
    let (report, reporter) = report_and_reporter(db, actor, id).await?;
    let owner_path = owner_path_of(db, &report).await?;
    rules::check_report(action, actor, &report, &reporter.path, &owner_path)?;
    Ok((report, reporter, owner_path))
}

/// The path of the owner of `report`'s program (for policy; read whether or not the actor may
/// read the owner).
pub async fn owner_path_of(db: &impl sea_orm::ConnectionTrait, report: &Model) -> Result<String> {
    let program = program::Entity::find_by_id(report.program_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal(format!("report {} has no program", report.id)))?;
    Ok(owner_of(db, &program).await?.path)
}

/// Loads a readable report and its reporting organisation.
/// The report `id` if the actor may read it (and it is not archived).
pub async fn get_report(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Option<Model>> {
    Ok(readable::<Entity>(actor)
        .filter(Column::Id.eq(id))
        .filter(Column::ArchivedAt.is_null())
        .one(db)
        .await?)
}

async fn report_and_reporter(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<(Model, organisation::Model)> {
    let report = get_report(db, actor, id).await?.ok_or(Error::NotFound)?;
    let reporter = organisation::Entity::find_by_id(report.reporting_organisation_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((report, reporter))
}

/// Updates a draft report (editors of the reporting organisation).
pub async fn update_report(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: ReportChanges,
) -> Result<Model> {
    let (current, reporter, _) = for_action(db, actor, id, ReportAction::Update).await?;
    let mut v = Validator::new();
    let mut next: program_report::ActiveModel = current.clone().into();
    if let Some(t) = &changes.title {
        next.title = Set(v.required("title", t, MAX_SHORT_TEXT));
    }
    if let Some(a) = &changes.achievements {
        next.achievements = Set(v.optional("achievements", Some(a), MAX_LONG_TEXT));
    }
    if let Some(s) = &changes.shortcomings {
        next.shortcomings = Set(v.optional("shortcomings", Some(s), MAX_LONG_TEXT));
    }
    if let Some(p) = &changes.proposals {
        next.proposals = Set(v.optional("proposals", Some(p), MAX_LONG_TEXT));
    }
    if let Some(values) = &changes.indicator_values {
        check_values(db, &mut v, current.program_id, values).await?;
    }
    v.finish()?;
    let txn = begin_write(db).await?;
    let saved = versioned::save::<Entity>(&txn, id, next, changes.version).await?;
    if let Some(values) = &changes.indicator_values {
        replace_values(&txn, id, values).await?;
    }
    audit::write(
        &txn,
        actor,
        reporter.id,
        "ProgramReport",
        id,
        "update",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Submits a draft report to the program's owner (editors of the reporting organisation).
pub async fn submit_report(
    db: &DatabaseConnection,
    events: &Events,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let (current, reporter, _) = for_action(db, actor, id, ReportAction::Submit).await?;
    let mut next: program_report::ActiveModel = current.clone().into();
    next.status = Set(ReportStatus::Submitted);
    next.submitted_at = Set(Some(Utc::now()));
    next.submitted_by = Set(Some(actor.user_id));
    let txn = begin_write(db).await?;
    let saved = versioned::save::<Entity>(&txn, id, next, version).await?;
    audit::write(
        &txn,
        actor,
        reporter.id,
        "ProgramReport",
        id,
        "submit",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    let event = Event::now(
        Change::ProgramReportSubmitted {
            report_id: saved.id,
            program_id: saved.program_id,
        },
        reporter.id,
        &reporter.path,
    );
    let pending = events.stage(&txn, event).await?;
    txn.commit().await?;
    pending.announce();
    Ok(saved)
}

/// Acknowledges a submitted report: editors of the program's owner, never for a report their
/// own organisation submitted.
pub async fn acknowledge_report(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<Model> {
    let (current, reporter, _) = for_action(db, actor, id, ReportAction::Acknowledge).await?;
    let mut next: program_report::ActiveModel = current.clone().into();
    next.status = Set(ReportStatus::Acknowledged);
    next.acknowledged_at = Set(Some(Utc::now()));
    next.acknowledged_by = Set(Some(actor.user_id));
    let txn = begin_write(db).await?;
    let saved = versioned::save::<Entity>(&txn, id, next, version).await?;
    audit::write(
        &txn,
        actor,
        reporter.id,
        "ProgramReport",
        id,
        "acknowledge",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
