//! `OrganisationStatistics` and its parts: roll-up figures for dashboards, views over
//! `khuyenhoc_core::service::statistics::Rollup`.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use khuyenhoc_core::entity::enums::AssessmentStatus;
use khuyenhoc_core::service::statistics::{
    AssessmentFigures, Figures, Rollup, StatisticsQuery, TrainingFigures,
};

use crate::context::loader;
use crate::enums::LearningModel;
use crate::error::IntoApi;
use crate::loader::statistics::StatisticsOf;
use crate::object::Organisation;

/// The statistics of organisation `organisation_id`, or `None` when the viewer may not see
/// them (the resolver of `Organisation.statistics`).
pub async fn of(
    ctx: &Context<'_>,
    organisation_id: i64,
    year: i32,
    model: Option<LearningModel>,
) -> async_graphql::Result<Option<OrganisationStatistics>> {
    let query = StatisticsQuery::new(year, model.map(Into::into)).api()?;
    let rollup = loader(ctx)?
        .load_one(StatisticsOf {
            organisation_id,
            query,
        })
        .await
        .api()?;
    Ok(rollup.map(|rollup| OrganisationStatistics { rollup, query }))
}

/// A count as a GraphQL `Int` (counts beyond 2³¹ − 1 are capped, never wrapped).
fn int(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Figures rolled up over an organisation's whole subtree for one year: assessments, training
/// sessions held and active programs, in total and per child. Assessments count where the
/// assessing organisation sits, sessions where the organiser sits, programs where the owner
/// sits; archived rows never count.
pub struct OrganisationStatistics {
    rollup: Arc<Rollup>,
    query: StatisticsQuery,
}

/// Figures rolled up over an organisation's whole subtree for one year: assessments, training
/// sessions held and active programs, in total and per child. Assessments count where the
/// assessing organisation sits, sessions where the organiser sits, programs where the owner
/// sits; archived rows never count.
#[Object]
impl OrganisationStatistics {
    /// The year asked for.
    async fn year(&self) -> i32 {
        self.query.year
    }

    /// The learning model asked for; `null` for all models.
    async fn model(&self) -> Option<LearningModel> {
        self.query.model.map(Into::into)
    }

    /// Assessments of the year in the whole subtree.
    async fn assessments(&self) -> AssessmentStatistics {
        AssessmentStatistics::new(&self.rollup.total.assessments, &self.query)
    }

    /// Training sessions held in the year in the whole subtree.
    async fn training_sessions(&self) -> TrainingStatistics {
        self.rollup.total.training.into()
    }

    /// Programs owned in the subtree with status `ACTIVE` whose period overlaps the year.
    async fn active_programs(&self) -> i32 {
        int(self.rollup.total.active_programs)
    }

    /// The same figures for each direct child (by name), each rolled up over the child's
    /// subtree: for the central association one entry per province, for a province one per
    /// commune. The totals above are these plus the organisation's own records.
    async fn by_child(&self) -> Vec<ChildStatistics> {
        self.rollup
            .by_child
            .iter()
            .map(|child| ChildStatistics {
                organisation: Organisation(child.organisation.clone()),
                figures: child.figures.clone(),
                query: self.query,
            })
            .collect()
    }
}

/// One child's figures, rolled up over the child's whole subtree.
pub struct ChildStatistics {
    organisation: Organisation,
    figures: Figures,
    query: StatisticsQuery,
}

/// One child's figures, rolled up over the child's whole subtree.
#[Object]
impl ChildStatistics {
    /// The child organisation.
    async fn organisation(&self) -> &Organisation {
        &self.organisation
    }

    /// Assessments of the year in the child's subtree.
    async fn assessments(&self) -> AssessmentStatistics {
        AssessmentStatistics::new(&self.figures.assessments, &self.query)
    }

    /// Training sessions held in the year in the child's subtree.
    async fn training_sessions(&self) -> TrainingStatistics {
        self.figures.training.into()
    }

    /// Programs owned in the child's subtree with status `ACTIVE` whose period overlaps the
    /// year.
    async fn active_programs(&self) -> i32 {
        int(self.figures.active_programs)
    }
}

/// Assessments of one year (not archived), by workflow state, result and learning model.
#[derive(SimpleObject)]
pub struct AssessmentStatistics {
    /// Assessments in any workflow state.
    total: i32,
    /// Being filled in.
    draft: i32,
    /// Approval backlog: submitted and waiting for an ancestor's decision.
    submitted: i32,
    /// Sent back for changes and not yet resubmitted.
    returned: i32,
    /// Approved.
    approved: i32,
    /// Approved assessments by result, highest rank first (`NOT_MET`, rank 0, included).
    by_result: Vec<AssessmentResultCount>,
    /// Assessments per learning model (every model, or the one asked for; zeros included).
    by_model: Vec<AssessmentModelCount>,
}

impl AssessmentStatistics {
    fn new(figures: &AssessmentFigures, query: &StatisticsQuery) -> Self {
        let status = |s| int(figures.with_status(s));
        Self {
            total: int(figures.total()),
            draft: status(AssessmentStatus::Draft),
            submitted: status(AssessmentStatus::Submitted),
            returned: status(AssessmentStatus::Returned),
            approved: status(AssessmentStatus::Approved),
            by_result: figures
                .by_result()
                .into_iter()
                .map(|r| AssessmentResultCount {
                    rank: r.rank,
                    code: r.code,
                    count: int(r.count),
                })
                .collect(),
            by_model: figures
                .by_model(&query.models())
                .into_iter()
                .map(|m| AssessmentModelCount {
                    model: m.model.into(),
                    total: int(m.total),
                    approved: int(m.approved),
                    recognised: int(m.recognised),
                })
                .collect(),
        }
    }
}

/// Approved assessments that reached one result.
#[derive(SimpleObject)]
pub struct AssessmentResultCount {
    /// Rank of the result: 0 for not met, 1 for the lowest passing level, higher is better.
    rank: i32,
    /// Code of the result, e.g. `MET`, `LEVEL_1`, `LEVEL_2`, `NOT_MET`.
    code: String,
    /// How many approved assessments reached it.
    count: i32,
}

/// Assessments of one learning model.
#[derive(SimpleObject)]
pub struct AssessmentModelCount {
    /// The learning model.
    model: LearningModel,
    /// Assessments in any workflow state.
    total: i32,
    /// Of which approved.
    approved: i32,
    /// Of which approved with a passing result (rank 1 or more): recognised learning
    /// families, clans, communities, units or citizens.
    recognised: i32,
}

/// Training sessions held in one year (Vietnam time), not archived, and their participants.
#[derive(SimpleObject)]
pub struct TrainingStatistics {
    /// Sessions held.
    held: i32,
    /// Participants registered to those sessions.
    registered: i32,
    /// Of which attended.
    attended: i32,
}

impl From<TrainingFigures> for TrainingStatistics {
    fn from(figures: TrainingFigures) -> Self {
        Self {
            held: int(figures.held),
            registered: int(figures.registered),
            attended: int(figures.attended),
        }
    }
}
