//! `OrganisationStatistics` and its parts: roll-up figures for dashboards, views over
//! `khuyenhoc_core::service::statistics::Rollup`.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use khuyenhoc_core::entity::enums::AssessmentStatus;
use khuyenhoc_core::service::statistics::{
    AssessmentFigures, Breakdown, ChildFigures, Figures, Rollup, StatisticsQuery, TrainingFigures,
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
    let query = StatisticsQuery::new(year, model.map(Into::into))
        .api()?
        .with_children(children_breakdown(ctx));
    let rollup = loader(ctx)?
        .load_one(StatisticsOf {
            organisation_id,
            query,
        })
        .await
        .api()?;
    Ok(rollup.map(|rollup| OrganisationStatistics { rollup, query }))
}

/// How finely the children's assessments must be read for the selection of `ctx` (the
/// `statistics` field): per workflow state only, unless some child is asked for figures by
/// model or result. The look-ahead sees through fragments and ignores `@skip`/`@include`,
/// so it can only ask for more than is shown, never less.
fn children_breakdown(ctx: &Context<'_>) -> Breakdown {
    let assessments = ctx.look_ahead().field("byChild").field("assessments");
    if assessments.field("byModel").exists() || assessments.field("byResult").exists() {
        Breakdown::Full
    } else {
        Breakdown::Status
    }
}

/// Figures the roll-up was not read for: the look-ahead above decides what is read, so this
/// is a bug, reported as such rather than answered with wrong numbers.
fn not_read(view: &str) -> async_graphql::Error {
    crate::error::to_graphql(&khuyenhoc_core::Error::Internal(format!(
        "assessments {view} were not read"
    )))
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
        AssessmentStatistics(self.bucket(Bucket::Total))
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
        (0..self.rollup.by_child.len())
            .map(|index| ChildStatistics {
                figures: self.bucket(Bucket::Child(index)),
                index,
            })
            .collect()
    }
}

impl OrganisationStatistics {
    fn bucket(&self, bucket: Bucket) -> FiguresOf {
        FiguresOf {
            rollup: Arc::clone(&self.rollup),
            bucket,
            query: self.query,
        }
    }
}

/// Which figures of a roll-up an object shows.
#[derive(Clone, Copy)]
enum Bucket {
    /// The whole subtree.
    Total,
    /// The subtree of `by_child[index]`.
    Child(usize),
}

/// A view on one bucket of a shared roll-up: the objects below read their figures in place,
/// and compute only the fields a query selects (a province's statistics list about a hundred
/// communes).
#[derive(Clone)]
struct FiguresOf {
    rollup: Arc<Rollup>,
    bucket: Bucket,
    query: StatisticsQuery,
}

impl FiguresOf {
    fn figures(&self) -> &Figures {
        match self.bucket {
            Bucket::Total => &self.rollup.total,
            Bucket::Child(index) => &self.child(index).figures,
        }
    }

    /// `by_child[index]`: buckets are only made for indexes of the roll-up's own list
    /// ([`OrganisationStatistics::by_child`]), which never changes (the roll-up is shared
    /// and immutable).
    fn child(&self, index: usize) -> &ChildFigures {
        &self.rollup.by_child[index]
    }

    fn assessments(&self) -> &AssessmentFigures {
        &self.figures().assessments
    }
}

/// One child's figures, rolled up over the child's whole subtree.
pub struct ChildStatistics {
    figures: FiguresOf,
    index: usize,
}

/// One child's figures, rolled up over the child's whole subtree.
#[Object]
impl ChildStatistics {
    /// The child organisation.
    async fn organisation(&self) -> Organisation {
        Organisation(self.figures.child(self.index).organisation.clone())
    }

    /// Assessments of the year in the child's subtree.
    async fn assessments(&self) -> AssessmentStatistics {
        AssessmentStatistics(self.figures.clone())
    }

    /// Training sessions held in the year in the child's subtree.
    async fn training_sessions(&self) -> TrainingStatistics {
        self.figures.figures().training.into()
    }

    /// Programs owned in the child's subtree with status `ACTIVE` whose period overlaps the
    /// year.
    async fn active_programs(&self) -> i32 {
        int(self.figures.figures().active_programs)
    }
}

/// Assessments of one year (not archived), by workflow state, result and learning model.
pub struct AssessmentStatistics(FiguresOf);

/// Assessments of one year (not archived), by workflow state, result and learning model.
#[Object]
impl AssessmentStatistics {
    /// Assessments in any workflow state.
    async fn total(&self) -> i32 {
        int(self.0.assessments().total())
    }

    /// Being filled in.
    async fn draft(&self) -> i32 {
        self.with_status(AssessmentStatus::Draft)
    }

    /// Approval backlog: submitted and waiting for an ancestor's decision.
    async fn submitted(&self) -> i32 {
        self.with_status(AssessmentStatus::Submitted)
    }

    /// Sent back for changes and not yet resubmitted.
    async fn returned(&self) -> i32 {
        self.with_status(AssessmentStatus::Returned)
    }

    /// Approved.
    async fn approved(&self) -> i32 {
        self.with_status(AssessmentStatus::Approved)
    }

    /// Approved assessments by result, highest rank first (`NOT_MET`, rank 0, included).
    async fn by_result(&self) -> async_graphql::Result<Vec<AssessmentResultCount>> {
        let results = self.0.assessments().by_result();
        Ok(results
            .ok_or_else(|| not_read("by result"))?
            .into_iter()
            .map(|r| AssessmentResultCount {
                rank: r.rank,
                code: r.code,
                count: int(r.count),
            })
            .collect())
    }

    /// Assessments per learning model (every model, or the one asked for; zeros included).
    async fn by_model(&self) -> async_graphql::Result<Vec<AssessmentModelCount>> {
        let models = self.0.assessments().by_model(&self.0.query.models());
        Ok(models
            .ok_or_else(|| not_read("by model"))?
            .into_iter()
            .map(|m| AssessmentModelCount {
                model: m.model.into(),
                total: int(m.total),
                approved: int(m.approved),
                recognised: int(m.recognised),
            })
            .collect())
    }
}

impl AssessmentStatistics {
    fn with_status(&self, status: AssessmentStatus) -> i32 {
        int(self.0.assessments().with_status(status))
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
