//! Roll-up statistics for dashboards: for an organisation and a year, the figures of its whole
//! subtree — assessments by result and by learning model, the approval backlog, training
//! sessions held and their participants, active programs — and the same figures for each child,
//! each rolled up over that child's subtree.
//!
//! # What is counted
//!
//! * **Assessments**: not archived, of the year (`period_year`), of the model when one is given;
//!   counted where the *assessing* organisation sits. Results count approved assessments only
//!   (a draft's result is provisional).
//! * **Training sessions**: held (`HELD`), not archived, starting in the calendar year in Vietnam
//!   time (UTC+7); counted where the organiser sits (co-organisers do not count, so no session
//!   is counted twice). Participants are the sessions' registered and attended counts.
//! * **Programs**: status `ACTIVE`, not archived, whose period overlaps the year; counted where
//!   the owner sits.
//!
//! The model narrows assessments only: sessions and programs have no learning model.
//!
//! # Scope
//!
//! Statistics of an organisation are given to an actor whose read scope holds the whole subtree:
//! a member (any role) of the organisation or of one of its ancestors. Everything owned in such a
//! subtree is readable to that actor (rule **S** of [`crate::access`]), so the figures are exactly
//! the actor's readable rows and the aggregates need no per-row scope condition. For any other
//! organisation — an ancestor the actor reads only as reference data, a partner body's view of
//! the association — there are no statistics (`None`): a partial sum labelled with that
//! organisation's name would mislead.
//!
//! # Cost
//!
//! A batch of parents costs five statements whatever their number: the parents, their children,
//! and one statement each for assessments, sessions and programs (see [`aggregate`]). Each reads
//! every subtree it needs — a parent's below a root, each child's — from the tallies the service
//! keeps ([`tally`]), and a root's own rows through the statistics indexes, so a national
//! roll-up costs the same as a small one. The children's assessments are read per workflow state
//! only when the query asks no more of them ([`Breakdown::Status`]).

mod aggregate;
mod figures;
pub mod tally;

use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

pub use figures::{
    AssessmentCell, AssessmentFigures, Figures, ModelCount, ResultCount, TrainingFigures,
};

use crate::access::{Actor, reads_whole_subtree};
use crate::entity::enums::{LearningModel, OrganisationStatus};
use crate::entity::organisation::{self, Column, Model};
use crate::{Error, Result};

/// Earliest year statistics are asked for (as the assessment table allows).
pub const MIN_YEAR: i32 = 1990;
/// Latest year statistics are asked for (as the assessment table allows).
pub const MAX_YEAR: i32 = 2100;

/// Which figures: a year, optionally one learning model, and how finely the children's
/// assessments are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatisticsQuery {
    /// The year (assessment period; calendar year of sessions and programs).
    pub year: i32,
    /// Only assessments of this model.
    pub model: Option<LearningModel>,
    /// How finely each child's assessments are read (the total is always read in full).
    pub children: Breakdown,
}

/// How finely a roll-up reads its children's assessments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Breakdown {
    /// By model, workflow state and result: every view of [`AssessmentFigures`].
    #[default]
    Full,
    /// By workflow state only: totals and the approval backlog, what a list of children
    /// usually shows, in about a quarter of the rows. Views by model or result are then
    /// unknown (`None`) for children below a root.
    Status,
}

impl StatisticsQuery {
    /// A query for `year` (checked against [`MIN_YEAR`]..=[`MAX_YEAR`]) and `model`, children
    /// read in full.
    pub fn new(year: i32, model: Option<LearningModel>) -> Result<Self> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(Error::invalid(
                "year",
                "OUT_OF_RANGE",
                format!("year must be between {MIN_YEAR} and {MAX_YEAR}"),
            ));
        }
        Ok(Self {
            year,
            model,
            children: Breakdown::Full,
        })
    }

    /// The same query, children read as `breakdown` says.
    pub fn with_children(self, breakdown: Breakdown) -> Self {
        Self {
            children: breakdown,
            ..self
        }
    }

    /// The models the figures cover, in their canonical order.
    pub fn models(&self) -> Vec<LearningModel> {
        use sea_orm::Iterable;
        match self.model {
            Some(model) => vec![model],
            None => LearningModel::iter().collect(),
        }
    }
}

/// The figures of one child's subtree.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildFigures {
    /// The child.
    pub organisation: Model,
    /// Its figures, over its whole subtree.
    pub figures: Figures,
}

/// The roll-up of one organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    /// The organisation.
    pub organisation: Model,
    /// Figures over its whole subtree: its own rows plus every child's.
    pub total: Figures,
    /// Figures per child (by name), each over the child's subtree. Children merged into
    /// another organisation are left out (their rows moved with the merge).
    pub by_child: Vec<ChildFigures>,
}

/// The aggregate statements a roll-up runs (assessments, training sessions, programs) for
/// `roots` (organisations without a parent) and `others`, for `EXPLAIN` and for operators; see
/// `docs/statistics.md`.
pub fn statements(
    backend: sea_orm::DatabaseBackend,
    roots: &[i64],
    others: &[i64],
    query: &StatisticsQuery,
) -> Result<Vec<sea_orm::Statement>> {
    aggregate::statements(backend, aggregate::Parents { roots, others }, query)
}

/// The roll-ups of the organisations among `ids` whose statistics `actor` may see (see the
/// module documentation); the others are absent from the map.
pub async fn rollups(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
    query: &StatisticsQuery,
) -> Result<HashMap<i64, Rollup>> {
    let parents: Vec<Model> =
        crate::service::lookup::by_ids::<organisation::Entity>(db, actor, ids)
            .await?
            .into_iter()
            .filter(|org| reads_whole_subtree(actor, &org.path))
            .collect();
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let (roots, others): (Vec<&Model>, Vec<&Model>) =
        parents.iter().partition(|p| p.parent_id.is_none());
    let roots: Vec<i64> = roots.iter().map(|p| p.id).collect();
    let others: Vec<i64> = others.iter().map(|p| p.id).collect();
    // Every parent's subtree is readable, so are its children: no scope condition to plan.
    let children = organisation::Entity::find()
        .filter(Column::ParentId.is_in(parents.iter().map(|p| p.id)))
        .order_by_asc(Column::NameSearch)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    let parents_by_kind = aggregate::Parents {
        roots: &roots,
        others: &others,
    };
    let mut buckets = aggregate::buckets(db, parents_by_kind, query).await?;

    // A root's bucket holds its own rows, its total adds its children's; any other parent's
    // bucket holds its whole subtree already.
    let mut out: HashMap<i64, Rollup> = parents
        .into_iter()
        .map(|parent| {
            let own = buckets.remove(&(parent.id, parent.id)).unwrap_or_default();
            let rollup = Rollup {
                organisation: parent,
                total: own,
                by_child: Vec::new(),
            };
            (rollup.organisation.id, rollup)
        })
        .collect();
    for child in children {
        let Some(parent_id) = child.parent_id else {
            continue;
        };
        let Some(rollup) = out.get_mut(&parent_id) else {
            continue;
        };
        let figures = buckets.remove(&(parent_id, child.id)).unwrap_or_default();
        if rollup.organisation.parent_id.is_none() {
            rollup.total.absorb(&figures);
        }
        if child.status != OrganisationStatus::Merged || figures != Figures::default() {
            rollup.by_child.push(ChildFigures {
                organisation: child,
                figures,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Grant;
    use crate::entity::enums::{OrganisationKind, Role};

    #[test]
    fn years_outside_the_table_range_are_refused() {
        assert!(StatisticsQuery::new(1989, None).is_err());
        assert!(StatisticsQuery::new(2101, None).is_err());
        assert_eq!(
            StatisticsQuery::new(2025, None)
                .map(|q| q.models().len())
                .ok(),
            Some(5)
        );
    }

    #[test]
    fn only_members_of_the_organisation_or_an_ancestor_see_its_statistics() {
        let actor = Actor {
            user_id: 1,
            email: "a@b.vn".into(),
            display_name: "A".into(),
            grants: vec![Grant {
                membership_id: 1,
                organisation_id: 5,
                organisation_path: "/1/5/".into(),
                organisation_kind: OrganisationKind::Provincial,
                role: Role::Viewer,
            }],
        };
        assert!(reads_whole_subtree(&actor, "/1/5/"));
        assert!(reads_whole_subtree(&actor, "/1/5/9/"));
        assert!(!reads_whole_subtree(&actor, "/1/"));
        assert!(!reads_whole_subtree(&actor, "/1/50/"));
    }
}
