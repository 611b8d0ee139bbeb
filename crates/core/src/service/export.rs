//! Exporting assessments with their per-criterion scores, for spreadsheets and archives.
//!
//! An [`AssessmentExport`] reads the assessments the actor may read, in pages of
//! [`PAGE_SIZE`] ordered by id (keyset: `id > last id of the previous page`), so an export of any
//! size holds one page in memory, never repeats or skips a row, and picks up rows committed while
//! it runs only after its current position. Every read goes through the scope: assessments,
//! their scores, the organisations named and the checklists' criteria.
//!
//! This module knows nothing of files or HTTP: it yields [`ExportedAssessment`] values; the
//! server turns them into CSV.

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QueryOrder, QuerySelect};

use crate::access::{Actor, readable};
use crate::entity::enums::{AssessmentStatus, LearningModel};
use crate::entity::{
    assessment, assessment_score, checklist_result_level, criteria_checklist, criteria_group,
    criterion, organisation,
};
use crate::service::program::subtree_ids;
use crate::service::scoring::{NOT_MET, NOT_MET_LABEL};
use crate::service::statistics::{MAX_YEAR, MIN_YEAR};
use crate::service::{lookup, organisation as organisations};
use crate::{Error, Result};

/// Assessments read per page.
pub const PAGE_SIZE: u64 = 500;

/// Which assessments to export. Every filter narrows; none widens the actor's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFilter {
    /// Assessment period.
    pub year: i32,
    /// Only assessments made by an organisation in this organisation's subtree.
    pub within_organisation: Option<i64>,
    /// Only this learning model.
    pub model: Option<LearningModel>,
    /// Only these workflow states (all when empty).
    pub statuses: Vec<AssessmentStatus>,
}

/// A checklist version with its criteria in sheet order and its result levels.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The checklist version.
    pub checklist: criteria_checklist::Model,
    /// Its criteria, by group position then criterion position.
    pub lines: Vec<SheetLine>,
    /// Its result levels.
    pub levels: Vec<checklist_result_level::Model>,
}

/// One criterion of a sheet, with its group.
#[derive(Debug, Clone)]
pub struct SheetLine {
    /// Code of the criteria group.
    pub group_code: String,
    /// The criterion (or indicator).
    pub criterion: criterion::Model,
}

/// One exported assessment with everything a row of the export shows.
#[derive(Debug, Clone)]
pub struct ExportedAssessment {
    /// The assessment.
    pub assessment: assessment::Model,
    /// The assessing organisation, when the actor may read it.
    pub organisation: Option<Arc<organisation::Model>>,
    /// The assessed organisation (organisation subjects), when the actor may read it.
    pub subject_organisation: Option<Arc<organisation::Model>>,
    /// The checklist version, when the actor may read it.
    pub sheet: Option<Arc<Sheet>>,
    /// Label of the result, e.g. "Mức độ 2 (Tốt)" or "Không đạt".
    pub result_label: String,
    /// Scores by criterion id.
    pub scores: HashMap<i64, assessment_score::Model>,
}

/// A running export: call [`next_page`](Self::next_page) until it returns `None`.
#[derive(Debug)]
pub struct AssessmentExport {
    db: DatabaseConnection,
    actor: Arc<Actor>,
    filter: ExportFilter,
    root_path: Option<String>,
    after: Option<i64>,
    finished: bool,
    organisations: HashMap<i64, Option<Arc<organisation::Model>>>,
    sheets: HashMap<i64, Option<Arc<Sheet>>>,
}

impl AssessmentExport {
    /// Starts an export; `Invalid` for a year out of range, `NotFound` when the
    /// `within_organisation` root is not readable.
    pub async fn open(
        db: DatabaseConnection,
        actor: Arc<Actor>,
        filter: ExportFilter,
    ) -> Result<Self> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&filter.year) {
            return Err(Error::invalid(
                "year",
                "OUT_OF_RANGE",
                format!("year must be between {MIN_YEAR} and {MAX_YEAR}"),
            ));
        }
        let root_path = match filter.within_organisation {
            Some(id) => Some(organisations::require(&db, &actor, id).await?.path),
            None => None,
        };
        Ok(Self {
            db,
            actor,
            filter,
            root_path,
            after: None,
            finished: false,
            organisations: HashMap::new(),
            sheets: HashMap::new(),
        })
    }

    /// The next page of assessments, or `None` when the export is complete.
    pub async fn next_page(&mut self) -> Result<Option<Vec<ExportedAssessment>>> {
        if self.finished {
            return Ok(None);
        }
        let rows = self.assessments().await?;
        if (rows.len() as u64) < PAGE_SIZE {
            self.finished = true;
        }
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        self.after = Some(last.id);
        self.cache_organisations(&rows).await?;
        self.cache_sheets(&rows).await?;
        let mut scores = self.scores(&rows).await?;
        let page = rows
            .into_iter()
            .map(|assessment| {
                let sheet = self.sheets.get(&assessment.checklist_id).cloned().flatten();
                let org = |id: Option<i64>| {
                    id.and_then(|id| self.organisations.get(&id).cloned().flatten())
                };
                ExportedAssessment {
                    organisation: org(Some(assessment.organisation_id)),
                    subject_organisation: org(assessment.subject_organisation_id),
                    result_label: result_label(&assessment, sheet.as_deref()),
                    scores: scores.remove(&assessment.id).unwrap_or_default(),
                    sheet,
                    assessment,
                }
            })
            .collect();
        Ok(Some(page))
    }

    async fn assessments(&self) -> Result<Vec<assessment::Model>> {
        use assessment::Column;
        let mut select = readable::<assessment::Entity>(&self.actor)
            .filter(Column::PeriodYear.eq(self.filter.year))
            .filter(Column::ArchivedAt.is_null());
        if let Some(model) = self.filter.model {
            select = select.filter(Column::Model.eq(model));
        }
        if !self.filter.statuses.is_empty() {
            select = select.filter(Column::Status.is_in(self.filter.statuses.clone()));
        }
        if let Some(root) = &self.root_path {
            select = select.filter(Column::OrganisationId.in_subquery(subtree_ids(root)));
        }
        if let Some(after) = self.after {
            select = select.filter(Column::Id.gt(after));
        }
        Ok(select
            .order_by_asc(Column::Id)
            .limit(PAGE_SIZE)
            .all(&self.db)
            .await?)
    }

    async fn cache_organisations(&mut self, rows: &[assessment::Model]) -> Result<()> {
        let mut wanted: Vec<i64> = rows
            .iter()
            .flat_map(|a| [Some(a.organisation_id), a.subject_organisation_id])
            .flatten()
            .filter(|id| !self.organisations.contains_key(id))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(());
        }
        let found = lookup::by_ids::<organisation::Entity>(&self.db, &self.actor, &wanted).await?;
        for id in &wanted {
            self.organisations.insert(*id, None);
        }
        for org in found {
            self.organisations.insert(org.id, Some(Arc::new(org)));
        }
        Ok(())
    }

    async fn cache_sheets(&mut self, rows: &[assessment::Model]) -> Result<()> {
        let mut wanted: Vec<i64> = rows
            .iter()
            .map(|a| a.checklist_id)
            .filter(|id| !self.sheets.contains_key(id))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(());
        }
        for (id, sheet) in sheets(&self.db, &self.actor, &wanted).await? {
            self.sheets.insert(id, sheet.map(Arc::new));
        }
        Ok(())
    }

    async fn scores(
        &self,
        rows: &[assessment::Model],
    ) -> Result<HashMap<i64, HashMap<i64, assessment_score::Model>>> {
        use assessment_score::Column;
        let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
        let mut out: HashMap<i64, HashMap<i64, assessment_score::Model>> = HashMap::new();
        for score in readable::<assessment_score::Entity>(&self.actor)
            .filter(Column::AssessmentId.is_in(ids))
            .all(&self.db)
            .await?
        {
            out.entry(score.assessment_id)
                .or_default()
                .insert(score.criterion_id, score);
        }
        Ok(out)
    }
}

/// The readable checklists among `ids` as sheets (`None` for an unreadable one).
async fn sheets(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<(i64, Option<Sheet>)>> {
    let checklists = lookup::by_ids::<criteria_checklist::Entity>(db, actor, ids).await?;
    let groups: HashMap<i64, criteria_group::Model> = readable::<criteria_group::Entity>(actor)
        .filter(criteria_group::Column::ChecklistId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let criteria = readable::<criterion::Entity>(actor)
        .filter(criterion::Column::ChecklistId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let levels = readable::<checklist_result_level::Entity>(actor)
        .filter(checklist_result_level::Column::ChecklistId.is_in(ids.iter().copied()))
        .order_by_asc(checklist_result_level::Column::Rank)
        .all(db)
        .await?;
    let mut sheets: HashMap<i64, Sheet> = checklists
        .into_iter()
        .map(|checklist| {
            (
                checklist.id,
                Sheet {
                    checklist,
                    lines: Vec::new(),
                    levels: Vec::new(),
                },
            )
        })
        .collect();
    let mut placed: Vec<(i32, i32, i64, SheetLine)> = Vec::with_capacity(criteria.len());
    for criterion in criteria {
        let Some(group) = groups.get(&criterion.group_id) else {
            continue;
        };
        placed.push((
            group.position,
            criterion.position,
            criterion.id,
            SheetLine {
                group_code: group.code.clone(),
                criterion,
            },
        ));
    }
    placed.sort_by_key(|(group, position, id, _)| (*group, *position, *id));
    for (_, _, _, line) in placed {
        if let Some(sheet) = sheets.get_mut(&line.criterion.checklist_id) {
            sheet.lines.push(line);
        }
    }
    for level in levels {
        if let Some(sheet) = sheets.get_mut(&level.checklist_id) {
            sheet.levels.push(level);
        }
    }
    Ok(ids.iter().map(|id| (*id, sheets.remove(id))).collect())
}

/// The label of the assessment's result: the level's label, "Không đạt" for not met, or the
/// code itself when the checklist is unreadable.
fn result_label(assessment: &assessment::Model, sheet: Option<&Sheet>) -> String {
    if assessment.result_rank == 0 || assessment.result_code == NOT_MET {
        return NOT_MET_LABEL.to_owned();
    }
    sheet
        .and_then(|s| s.levels.iter().find(|l| l.code == assessment.result_code))
        .map_or_else(|| assessment.result_code.clone(), |l| l.label.clone())
}
