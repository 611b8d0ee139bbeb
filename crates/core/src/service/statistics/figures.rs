//! The figures of one roll-up bucket (an organisation's own rows, or a child's whole subtree),
//! and the views dashboards read from them.
//!
//! Assessment figures are kept as the grouped cells the database returned — one count per
//! (model, status, result) — so adding two buckets is adding cells, and every view (totals,
//! backlog, by result, by model) is derived from the same numbers and always agrees with them.

use std::collections::BTreeMap;

use crate::entity::enums::{AssessmentStatus, LearningModel};

/// One group of assessments: same model, workflow state and result.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssessmentCell {
    /// Learning model.
    pub model: LearningModel,
    /// Workflow state.
    pub status: AssessmentStatus,
    /// Rank of the computed result (0 for not met).
    pub result_rank: i32,
    /// Code of the computed result.
    pub result_code: String,
}

/// Assessments of one bucket: counted per [`AssessmentCell`] when read at full detail, or per
/// workflow state only (see [`super::Breakdown`]). The counts per state are always known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentFigures {
    by_status: BTreeMap<AssessmentStatus, i64>,
    /// `None` when some of the figures were read per workflow state only.
    cells: Option<BTreeMap<AssessmentCell, i64>>,
}

impl Default for AssessmentFigures {
    /// No assessments: nothing to break down, so every view is known (and zero).
    fn default() -> Self {
        Self {
            by_status: BTreeMap::new(),
            cells: Some(BTreeMap::new()),
        }
    }
}

/// Approved assessments that reached one result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultCount {
    /// Rank of the result (0 for not met).
    pub rank: i32,
    /// Code of the result, e.g. `MET`, `LEVEL_2`, `NOT_MET`.
    pub code: String,
    /// How many approved assessments have it.
    pub count: i64,
}

/// Assessments of one learning model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCount {
    /// The model.
    pub model: LearningModel,
    /// Assessments in any workflow state.
    pub total: i64,
    /// Of which approved.
    pub approved: i64,
    /// Of which approved with a result of rank 1 or more (recognised).
    pub recognised: i64,
}

impl AssessmentFigures {
    /// Adds `count` assessments to `cell`.
    pub fn add(&mut self, cell: AssessmentCell, count: i64) {
        *self.by_status.entry(cell.status).or_default() += count;
        if let Some(cells) = &mut self.cells {
            *cells.entry(cell).or_default() += count;
        }
    }

    /// Adds `count` assessments in workflow state `status`, of models and results not told:
    /// from now on only the counts per state are known.
    pub fn add_status(&mut self, status: AssessmentStatus, count: i64) {
        *self.by_status.entry(status).or_default() += count;
        self.cells = None;
    }

    /// Adds every assessment of `other` (the breakdown is kept only if both have it).
    pub fn absorb(&mut self, other: &Self) {
        for (status, count) in &other.by_status {
            *self.by_status.entry(*status).or_default() += count;
        }
        match (&mut self.cells, &other.cells) {
            (Some(cells), Some(others)) => {
                for (cell, count) in others {
                    *cells.entry(cell.clone()).or_default() += count;
                }
            }
            _ => self.cells = None,
        }
    }

    /// The cells, when the figures were read at full detail.
    pub fn cells(&self) -> Option<impl Iterator<Item = (&AssessmentCell, i64)>> {
        let cells = self.cells.as_ref()?;
        Some(cells.iter().map(|(cell, count)| (cell, *count)))
    }

    /// Assessments in any workflow state.
    pub fn total(&self) -> i64 {
        self.by_status.values().sum()
    }

    /// Assessments in workflow state `status`.
    pub fn with_status(&self, status: AssessmentStatus) -> i64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    /// Approved assessments by result, highest rank first (ties by code); `None` when the
    /// figures were read per workflow state only.
    pub fn by_result(&self) -> Option<Vec<ResultCount>> {
        let mut results: BTreeMap<(i32, &str), i64> = BTreeMap::new();
        for (cell, count) in self.cells()? {
            if cell.status == AssessmentStatus::Approved {
                *results
                    .entry((cell.result_rank, cell.result_code.as_str()))
                    .or_default() += count;
            }
        }
        let mut out: Vec<ResultCount> = results
            .into_iter()
            .map(|((rank, code), count)| ResultCount {
                rank,
                code: code.to_owned(),
                count,
            })
            .collect();
        out.sort_by(|a, b| b.rank.cmp(&a.rank).then_with(|| a.code.cmp(&b.code)));
        Some(out)
    }

    /// Assessments of each of `models`, in that order (zeros included); `None` when the
    /// figures were read per workflow state only.
    pub fn by_model(&self, models: &[LearningModel]) -> Option<Vec<ModelCount>> {
        let cells = self.cells.as_ref()?;
        let out = models
            .iter()
            .map(|&model| {
                let of_model = || {
                    cells
                        .iter()
                        .filter(move |(cell, _)| cell.model == model)
                        .map(|(cell, count)| (cell, *count))
                };
                let approved =
                    || of_model().filter(|(c, _)| c.status == AssessmentStatus::Approved);
                ModelCount {
                    model,
                    total: of_model().map(|(_, n)| n).sum(),
                    approved: approved().map(|(_, n)| n).sum(),
                    recognised: approved()
                        .filter(|(c, _)| c.result_rank >= 1)
                        .map(|(_, n)| n)
                        .sum(),
                }
            })
            .collect();
        Some(out)
    }
}

/// Training sessions held, and their participants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrainingFigures {
    /// Sessions held.
    pub held: i64,
    /// Participants registered to those sessions.
    pub registered: i64,
    /// Of which attended.
    pub attended: i64,
}

impl TrainingFigures {
    /// Adds `other`.
    pub fn absorb(&mut self, other: &Self) {
        self.held += other.held;
        self.registered += other.registered;
        self.attended += other.attended;
    }
}

/// Everything counted in one bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// Assessments of the year.
    pub assessments: AssessmentFigures,
    /// Training sessions held in the year.
    pub training: TrainingFigures,
    /// Programs running (status `ACTIVE`) during the year.
    pub active_programs: i64,
}

impl Figures {
    /// Adds every figure of `other`.
    pub fn absorb(&mut self, other: &Self) {
        self.assessments.absorb(&other.assessments);
        self.training.absorb(&other.training);
        self.active_programs += other.active_programs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(
        model: LearningModel,
        status: AssessmentStatus,
        rank: i32,
        code: &str,
    ) -> AssessmentCell {
        AssessmentCell {
            model,
            status,
            result_rank: rank,
            result_code: code.to_owned(),
        }
    }

    #[test]
    fn views_agree_with_the_cells() {
        use AssessmentStatus::*;
        use LearningModel::*;
        let mut figures = AssessmentFigures::default();
        figures.add(cell(LearningFamily, Approved, 1, "MET"), 3);
        figures.add(cell(LearningFamily, Approved, 0, "NOT_MET"), 1);
        figures.add(cell(LearningFamily, Submitted, 1, "MET"), 2);
        figures.add(cell(LearningUnit, Approved, 2, "LEVEL_2"), 4);
        figures.add(cell(LearningUnit, Returned, 0, "NOT_MET"), 5);
        let mut other = AssessmentFigures::default();
        other.add(cell(LearningFamily, Approved, 1, "MET"), 10);
        figures.absorb(&other);

        assert_eq!(figures.total(), 25);
        assert_eq!(figures.with_status(Submitted), 2);
        assert_eq!(figures.with_status(Returned), 5);
        let results = figures.by_result().expect("full detail");
        let results: Vec<(i32, &str, i64)> = results
            .iter()
            .map(|r| (r.rank, r.code.as_str(), r.count))
            .collect();
        assert_eq!(
            results,
            [(2, "LEVEL_2", 4), (1, "MET", 13), (0, "NOT_MET", 1)]
        );
        let models = figures
            .by_model(&[LearningFamily, LearningClan, LearningUnit])
            .expect("full detail");
        assert_eq!(
            models
                .iter()
                .map(|m| (m.total, m.approved, m.recognised))
                .collect::<Vec<_>>(),
            [(16, 14, 13), (0, 0, 0), (9, 4, 4)]
        );
    }

    #[test]
    fn figures_read_by_state_keep_their_totals_and_tell_no_more() {
        use AssessmentStatus::*;
        use LearningModel::*;
        let mut full = AssessmentFigures::default();
        assert_eq!(full.by_result(), Some(Vec::new()), "nothing is fully known");
        full.add(cell(LearningFamily, Approved, 1, "MET"), 3);
        let mut by_state = AssessmentFigures::default();
        by_state.add_status(Approved, 4);
        by_state.add_status(Submitted, 2);
        assert_eq!(by_state.total(), 6);
        assert_eq!(by_state.with_status(Approved), 4);
        assert_eq!(by_state.by_result(), None);
        assert_eq!(by_state.by_model(&[LearningFamily]), None);

        full.absorb(&by_state);
        assert_eq!(full.total(), 9);
        assert_eq!(full.with_status(Approved), 7);
        assert_eq!(
            full.by_result(),
            None,
            "a partial breakdown is no breakdown"
        );
    }
}
