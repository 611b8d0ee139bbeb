//! Coordination programs (chương trình phối hợp): reading and listing, with their parties,
//! commitments, legal basis and indicator progress. Writes live in [`write`], [`party`] and
//! [`report`].

mod party;
mod report;
pub mod rules;
mod write;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Select};

pub use party::{
    CommitmentChanges, NewCommitment, NewParty, add_party, archive_commitment, create_commitment,
    remove_party, update_commitment,
};
pub use report::{
    IndicatorValueInput, NewReport, ReportChanges, ReportFilter, ReportSort, acknowledge_report,
    create_report, get_report, list_reports, owner_path_of, report_ordering, reports_of_programs,
    submit_report, update_report,
};
pub use write::{
    NewProgram, ProgramChanges, archive, change_status, create, set_legal_basis, update,
};

use crate::access::{Actor, path, readable};
use crate::entity::enums::ProgramStatus;
use crate::entity::program::{Column, Entity, Model};
use crate::entity::{
    commitment, legal_document, organisation, program_legal_basis, program_party, program_report,
    report_indicator_value,
};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::{Error, Result, search};

/// Filters for listing programs. Every filter narrows; none widens the actor's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ProgramFilter {
    /// Only these statuses.
    pub statuses: Option<Vec<ProgramStatus>>,
    /// Only programs owned by an organisation in this organisation's subtree.
    pub within_organisation: Option<i64>,
    /// Only programs this organisation is a live party to.
    pub partner: Option<i64>,
    /// Only programs running on or after this date (ending on or after it).
    pub active_from: Option<NaiveDate>,
    /// Only programs running on or before this date (starting on or before it).
    pub active_to: Option<NaiveDate>,
    /// Text contained in the title or code, diacritics ignored.
    pub search: Option<String>,
    /// Include archived programs.
    pub include_archived: bool,
}

/// Fields programs can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ProgramSort {
    /// Start date.
    #[default]
    StartsOn,
    /// End date.
    EndsOn,
    /// Title, diacritics ignored.
    Title,
    /// Code.
    Code,
    /// Creation time.
    CreatedAt,
}

/// The keyset ordering for `sort`.
pub fn ordering(sort: ProgramSort, descending: bool) -> Ordering<Entity> {
    let (name, column, key): (_, _, fn(&Model) -> SortKey) = match sort {
        ProgramSort::StartsOn => ("STARTS_ON", Column::StartsOn, |m| {
            SortKey::Date(m.starts_on)
        }),
        ProgramSort::EndsOn => ("ENDS_ON", Column::EndsOn, |m| SortKey::Date(m.ends_on)),
        ProgramSort::Title => ("TITLE", Column::TitleSearch, |m| {
            SortKey::Text(m.title_search.clone())
        }),
        ProgramSort::Code => ("CODE", Column::Code, |m| SortKey::Text(m.code.clone())),
        ProgramSort::CreatedAt => ("CREATED_AT", Column::CreatedAt, |m| {
            SortKey::Time(m.created_at)
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

/// The program `id` if the actor may read it.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Option<Model>> {
    super::lookup::by_id::<Entity>(db, actor, id).await
}

/// The program `id` or `NotFound`.
pub async fn require(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Model> {
    get(db, actor, id).await?.ok_or(Error::NotFound)
}

/// The readable programs narrowed by `filter`.
pub async fn filtered(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ProgramFilter,
) -> Result<Select<Entity>> {
    let mut select = readable::<Entity>(actor);
    if !filter.include_archived {
        select = select.filter(Column::ArchivedAt.is_null());
    }
    if let Some(statuses) = &filter.statuses {
        select = select.filter(Column::Status.is_in(statuses.clone()));
    }
    if let Some(root) = filter.within_organisation {
        let root = super::organisation::require(db, actor, root).await?;
        select = select.filter(Column::OwnerId.in_subquery(subtree_ids(&root.path)));
    }
    if let Some(partner) = filter.partner {
        super::organisation::require(db, actor, partner).await?;
        select = select.filter(
            Column::Id.in_subquery(
                Query::select()
                    .column(program_party::Column::ProgramId)
                    .from(program_party::Entity)
                    .and_where(program_party::Column::OrganisationId.eq(partner))
                    .and_where(program_party::Column::RemovedAt.is_null())
                    .to_owned(),
            ),
        );
    }
    if let Some(from) = filter.active_from {
        select = select.filter(Column::EndsOn.gte(from));
    }
    if let Some(to) = filter.active_to {
        select = select.filter(Column::StartsOn.lte(to));
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        select = select.filter(
            Expr::col((Entity, Column::TitleSearch))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(Expr::col((Entity, Column::Code))
                    .like(LikeExpr::new(pattern.to_uppercase()).escape('\\'))),
        );
    }
    Ok(select)
}

/// `SELECT id FROM organisation WHERE path in the subtree at root_path`.
pub(crate) fn subtree_ids(root_path: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(organisation::Column::Id)
        .from(organisation::Entity)
        .cond_where(path::organisation_in_subtree(root_path))
        .to_owned()
}

/// One page of the programs the actor may read.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ProgramFilter,
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

/// For each owner organisation, one page of its readable programs (one statement).
pub async fn pages_by_owner(
    db: &DatabaseConnection,
    actor: &Actor,
    owner_ids: &[i64],
    filter: &ProgramFilter,
    order: &Ordering<Entity>,
    request: &PageRequest,
    max_page: u64,
) -> Result<HashMap<i64, (Page<Model>, u64)>> {
    let select = filtered(db, actor, filter).await?;
    page::fetch_grouped(
        db,
        select,
        Column::OwnerId,
        owner_ids,
        order,
        request,
        max_page,
    )
    .await
}

/// The live parties of the readable programs among `program_ids`.
pub async fn parties(
    db: &DatabaseConnection,
    actor: &Actor,
    program_ids: &[i64],
) -> Result<Vec<program_party::Model>> {
    Ok(readable::<program_party::Entity>(actor)
        .filter(program_party::Column::ProgramId.is_in(program_ids.iter().copied()))
        .filter(program_party::Column::RemovedAt.is_null())
        .order_by_asc(program_party::Column::Id)
        .all(db)
        .await?)
}

/// The live commitments of the readable programs among `program_ids`.
pub async fn commitments(
    db: &DatabaseConnection,
    actor: &Actor,
    program_ids: &[i64],
) -> Result<Vec<commitment::Model>> {
    Ok(readable::<commitment::Entity>(actor)
        .filter(commitment::Column::ProgramId.is_in(program_ids.iter().copied()))
        .filter(commitment::Column::ArchivedAt.is_null())
        .order_by_asc(commitment::Column::Position)
        .order_by_asc(commitment::Column::Id)
        .all(db)
        .await?)
}

/// The legal documents each readable program among `program_ids` is based on.
pub async fn legal_basis(
    db: &DatabaseConnection,
    actor: &Actor,
    program_ids: &[i64],
) -> Result<Vec<(i64, legal_document::Model)>> {
    let links = readable::<program_legal_basis::Entity>(actor)
        .filter(program_legal_basis::Column::ProgramId.is_in(program_ids.iter().copied()))
        .all(db)
        .await?;
    let ids: Vec<i64> = links.iter().map(|l| l.legal_document_id).collect();
    let documents: HashMap<i64, legal_document::Model> =
        super::lookup::by_ids::<legal_document::Entity>(db, actor, &ids)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
    let mut out: Vec<(i64, legal_document::Model)> = links
        .into_iter()
        .filter_map(|l| {
            documents
                .get(&l.legal_document_id)
                .map(|d| (l.program_id, d.clone()))
        })
        .collect();
    out.sort_by_key(|(p, d)| (*p, d.issued_on, d.id));
    Ok(out)
}

/// Progress of one commitment: its target against the latest value reported on it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorProgress {
    /// The commitment.
    pub commitment: commitment::Model,
    /// The latest value from a submitted or acknowledged report the actor may read.
    pub latest_value: Option<f64>,
    /// The report that gave it.
    pub latest_report: Option<program_report::Model>,
}

impl IndicatorProgress {
    /// `latest / target`, when both are known and the target is not zero.
    pub fn ratio(&self) -> Option<f64> {
        match (self.latest_value, self.commitment.target_value) {
            (Some(v), Some(t)) if t != 0.0 => Some(v / t),
            _ => None,
        }
    }
}

/// For each readable program among `program_ids`, the progress of each of its commitments.
/// "Latest" is the most recently submitted report that gives a value.
pub async fn indicator_progress(
    db: &DatabaseConnection,
    actor: &Actor,
    program_ids: &[i64],
) -> Result<HashMap<i64, Vec<IndicatorProgress>>> {
    use crate::entity::enums::ReportStatus;
    let commitments = commitments(db, actor, program_ids).await?;
    let reports: HashMap<i64, program_report::Model> = readable::<program_report::Entity>(actor)
        .filter(program_report::Column::ProgramId.is_in(program_ids.iter().copied()))
        .filter(
            program_report::Column::Status
                .is_in([ReportStatus::Submitted, ReportStatus::Acknowledged]),
        )
        .filter(program_report::Column::ArchivedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let values = report_indicator_value::Entity::find()
        .filter(report_indicator_value::Column::ReportId.is_in(reports.keys().copied()))
        .all(db)
        .await?;
    let mut latest: HashMap<i64, (f64, &program_report::Model)> = HashMap::new();
    for value in &values {
        let Some(report) = reports.get(&value.report_id) else {
            continue;
        };
        let rank = |r: &program_report::Model| (r.submitted_at, r.id);
        let newer = latest
            .get(&value.commitment_id)
            .is_none_or(|(_, current)| rank(report) > rank(current));
        if newer {
            latest.insert(value.commitment_id, (value.value, report));
        }
    }
    let mut out: HashMap<i64, Vec<IndicatorProgress>> = HashMap::new();
    for c in commitments {
        let found = latest.get(&c.id);
        out.entry(c.program_id)
            .or_default()
            .push(IndicatorProgress {
                latest_value: found.map(|(v, _)| *v),
                latest_report: found.map(|(_, r)| (*r).clone()),
                commitment: c,
            });
    }
    Ok(out)
}

/// Loads the owner organisation of `program` (readable or not: policy needs its path).
pub(crate) async fn owner_of(
    db: &impl sea_orm::ConnectionTrait,
    program: &Model,
) -> Result<organisation::Model> {
    organisation::Entity::find_by_id(program.owner_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::Internal(format!("program {} has no owner", program.id)))
}

/// The indicator values of the readable reports among `report_ids`.
pub async fn indicator_values(
    db: &DatabaseConnection,
    actor: &Actor,
    report_ids: &[i64],
) -> Result<Vec<report_indicator_value::Model>> {
    Ok(readable::<report_indicator_value::Entity>(actor)
        .filter(report_indicator_value::Column::ReportId.is_in(report_ids.iter().copied()))
        .order_by_asc(report_indicator_value::Column::Id)
        .all(db)
        .await?)
}
