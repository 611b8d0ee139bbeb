//! `CriteriaChecklist` and its parts: groups, criteria (or indicators), result levels.

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::{
    checklist_result_level, criteria_checklist, criteria_group, criterion, legal_document,
};

use super::program::organisation;
use super::{LegalDocument, Organisation};
use crate::context::loader;
use crate::enums::{ChecklistStatus, ChecklistStyle, LearningModel};
use crate::error::IntoApi;
use crate::id::{NodeType, encode};
use crate::loader::ById;
use crate::loader::checklist::{CriteriaOf, GroupsOf, LevelsOf};
use crate::scalar::DateTime;

/// One version of a criteria checklist (bộ tiêu chí) for a learning model: a points sheet
/// (groups of criteria with points, levels by total) or an indicator sheet (criteria made of
/// indicators met or not, levels by which indicators are met). Published versions never change.
#[derive(Debug, Clone)]
pub struct CriteriaChecklist(pub criteria_checklist::Model);

crate::connection!(
    CriteriaChecklistConnection,
    CriteriaChecklistEdge,
    CriteriaChecklist,
    "A page of criteria checklists.",
    "A criteria checklist in a page, with its cursor."
);

/// The criteria of checklist `id` (loaded once per request for all checklists). Every field
/// that needs them asks right after its checklist is loaded, so all asks fall in one batch round:
/// async-graphql's loader does not share keys still in flight, and an ask one round later would
/// cost a statement or not depending on timing.
pub(crate) async fn criteria_of(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<Vec<criterion::Model>> {
    Ok(loader(ctx)?
        .load_one(CriteriaOf(id))
        .await
        .api()?
        .unwrap_or_default())
}

/// The result levels of checklist `id`, lowest first.
pub(crate) async fn levels_of(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<Vec<checklist_result_level::Model>> {
    Ok(loader(ctx)?
        .load_one(LevelsOf(id))
        .await
        .api()?
        .unwrap_or_default())
}

/// One version of a criteria checklist (bộ tiêu chí) for a learning model: a points sheet
/// (groups of criteria with points, levels by total) or an indicator sheet (criteria made of
/// indicators met or not, levels by which indicators are met). Published versions never change.
#[Object]
impl CriteriaChecklist {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::CriteriaChecklist, self.0.id)
    }

    /// What you may do to it now, as the mutations themselves decide: your roles and its
    /// current state (the input of a change can still be refused).
    async fn viewer_can(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::object::viewer_can::CriteriaChecklistViewerCan> {
        crate::object::viewer_can::criteria_checklist(ctx, &self.0).await
    }

    /// Code shared by all versions, e.g. `GDHT-448`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Version number within the code, from 1.
    async fn version_no(&self) -> i32 {
        self.0.version_no
    }

    /// The learning model it assesses.
    async fn model(&self) -> LearningModel {
        self.0.model.into()
    }

    /// Points sheet or indicator sheet.
    async fn style(&self) -> ChecklistStyle {
        self.0.style.into()
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Description.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Draft, published or retired.
    async fn status(&self) -> ChecklistStatus {
        self.0.status.into()
    }

    /// The owner: the central association (national) or a provincial branch (local variant).
    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        organisation(ctx, self.0.owner_id).await
    }

    /// The legal document it implements.
    async fn legal_document(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<LegalDocument>> {
        let Some(id) = self.0.legal_document_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<legal_document::Entity>::of(id))
            .await
            .api()?
            .map(LegalDocument))
    }

    /// The version it was copied from, when readable.
    async fn derived_from(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<CriteriaChecklist>> {
        let Some(id) = self.0.derived_from_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<criteria_checklist::Entity>::of(id))
            .await
            .api()?
            .map(CriteriaChecklist))
    }

    /// Months a recognition under this checklist stays valid (36 by default).
    async fn recognition_validity_months(&self) -> i32 {
        self.0.recognition_validity_months
    }

    /// Months after a recognition before the next level may be sought (12 by default).
    async fn next_level_wait_months(&self) -> i32 {
        self.0.next_level_wait_months
    }

    /// Groups in order, each with its criteria.
    async fn groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CriteriaGroup>> {
        // Groups and criteria in the same batch round as every other use of this checklist's
        // criteria (see `criteria_of`), so a query costs the same statements every time.
        let loader = loader(ctx)?;
        let (groups, criteria) = futures::try_join!(
            async { loader.load_one(GroupsOf(self.0.id)).await.api() },
            criteria_of(ctx, self.0.id),
        )?;
        Ok(groups
            .unwrap_or_default()
            .into_iter()
            .map(|group| CriteriaGroup {
                criteria: criteria
                    .iter()
                    .filter(|c| c.group_id == group.id)
                    .cloned()
                    .collect(),
                group,
            })
            .collect())
    }

    /// Every criterion (or indicator), group by group.
    async fn criteria(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Criterion>> {
        Ok(criteria_of(ctx, self.0.id)
            .await?
            .into_iter()
            .map(Criterion)
            .collect())
    }

    /// The results it can award, lowest first.
    async fn result_levels(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ResultLevel>> {
        Ok(levels_of(ctx, self.0.id)
            .await?
            .into_iter()
            .map(ResultLevel)
            .collect())
    }

    /// Points sheets: the most points the sheet gives (the sum of its criteria's maxima);
    /// `null` for indicator sheets.
    async fn max_points(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i32>> {
        if self.0.style != khuyenhoc_core::entity::enums::ChecklistStyle::Points {
            return Ok(None);
        }
        let criteria = criteria_of(ctx, self.0.id).await?;
        Ok(Some(criteria.iter().filter_map(|c| c.max_points).sum()))
    }

    /// When it was published.
    async fn published_at(&self) -> Option<DateTime> {
        self.0.published_at.map(Into::into)
    }

    /// When it was retired.
    async fn retired_at(&self) -> Option<DateTime> {
        self.0.retired_at.map(Into::into)
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A group of criteria (points sheets), or a criterion made of indicators (indicator sheets).
#[derive(Debug, Clone)]
pub struct CriteriaGroup {
    group: criteria_group::Model,
    criteria: Vec<criterion::Model>,
}

/// A group of criteria (points sheets), or a criterion made of indicators (indicator sheets).
#[Object]
impl CriteriaGroup {
    /// Code, e.g. `1`.
    async fn code(&self) -> &str {
        &self.group.code
    }

    /// Position in the checklist, from 1.
    async fn position(&self) -> i32 {
        self.group.position
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.group.title
    }

    /// Description.
    async fn description(&self) -> Option<&str> {
        self.group.description.as_deref()
    }

    /// Points sheets: the group's maximum.
    async fn max_points(&self) -> Option<i32> {
        self.group.max_points
    }

    /// Its criteria or indicators, in order.
    async fn criteria(&self) -> Vec<Criterion> {
        self.criteria.iter().cloned().map(Criterion).collect()
    }
}

/// A criterion scored with points, or an indicator (chỉ tiêu) met or not.
#[derive(Debug, Clone)]
pub struct Criterion(pub criterion::Model);

/// A criterion scored with points, or an indicator (chỉ tiêu) met or not.
#[Object]
impl Criterion {
    /// Code, unique in its checklist version, e.g. `1.2`; answers name criteria by it.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Position in its group, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Description.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Points sheets: the most points it gives.
    async fn max_points(&self) -> Option<i32> {
        self.0.max_points
    }

    /// Points sheets: the fewest points a passing result needs on it.
    async fn min_points(&self) -> Option<i32> {
        self.0.min_points
    }

    /// Whether it must be answered before the assessment is submitted.
    async fn required(&self) -> bool {
        self.0.required
    }

    /// Whether an answer earning credit needs an evidence note.
    async fn evidence_required(&self) -> bool {
        self.0.evidence_required
    }

    /// Which evidence is expected (minh chứng).
    async fn evidence_rule(&self) -> Option<&str> {
        self.0.evidence_rule.as_deref()
    }

    /// Indicator sheets: the result level from which it is demanded (1 = every level).
    async fn required_from_level(&self) -> Option<i32> {
        self.0.required_from_level
    }
}

/// A result a checklist can award, e.g. "Đạt" or "Mức độ 2 (Tốt)".
#[derive(Debug, Clone)]
pub struct ResultLevel(pub checklist_result_level::Model);

/// A result a checklist can award, e.g. "Đạt" or "Mức độ 2 (Tốt)".
#[Object]
impl ResultLevel {
    /// Rank: 1 for the lowest passing level; higher is better.
    async fn rank(&self) -> i32 {
        self.0.rank
    }

    /// Code, e.g. `MET`, `LEVEL_2`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Label.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// Points sheets: the total needed.
    async fn min_points(&self) -> Option<i32> {
        self.0.min_points
    }
}
