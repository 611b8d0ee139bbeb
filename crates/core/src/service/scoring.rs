//! Computing an assessment's total and result from its answers. The server always computes
//! these; a client never sends them.
//!
//! * Points sheets: the total is the sum of the points given. A result level is reached when the
//!   total is at least its `min_points`, every required criterion has been answered, and every
//!   criterion with its own `min_points` got at least that.
//! * Indicator sheets: the total is the number of indicators met. Level *k* is reached when every
//!   indicator demanded from level *k* or below (`required_from_level <= k`) is met, so level 2
//!   (Tốt) demands more than level 1 (Khá).
//!
//! The result is the highest level reached, or `NOT_MET` (rank 0).

use std::collections::HashMap;

use crate::entity::checklist_result_level::Model as ResultLevel;
use crate::entity::criterion::Model as Criterion;
use crate::entity::enums::ChecklistStyle;

/// Code of the result when no level is reached.
pub const NOT_MET: &str = "NOT_MET";

/// The answer given for one criterion or indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Answer {
    /// Points given (points sheets).
    pub points: Option<i32>,
    /// Whether the indicator is met (indicator sheets).
    pub met: Option<bool>,
}

/// The computed outcome of an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Sum of points, or number of indicators met.
    pub total_points: i32,
    /// Rank of the result reached (0 for not met).
    pub result_rank: i32,
    /// Code of the result reached.
    pub result_code: String,
    /// Label of the result reached.
    pub result_label: String,
}

/// Label of the result when no level is reached.
pub const NOT_MET_LABEL: &str = "Không đạt";

/// Scores `answers` (by criterion id) against a checklist's `criteria` and result `levels`.
pub fn score(
    style: ChecklistStyle,
    criteria: &[Criterion],
    levels: &[ResultLevel],
    answers: &HashMap<i64, Answer>,
) -> Outcome {
    let answer = |c: &Criterion| answers.get(&c.id).copied().unwrap_or_default();
    let (total, best) = match style {
        ChecklistStyle::Points => {
            let total = criteria.iter().filter_map(|c| answer(c).points).sum();
            let floors_met = criteria.iter().all(|c| {
                let points = answer(c).points;
                (!c.required || points.is_some())
                    && c.min_points.is_none_or(|min| points.unwrap_or(0) >= min)
            });
            let reached =
                |level: &ResultLevel| floors_met && level.min_points.is_none_or(|min| total >= min);
            (total, highest(levels, reached))
        }
        ChecklistStyle::Indicators => {
            let total = criteria
                .iter()
                .map(|c| i32::from(answer(c).met == Some(true)))
                .sum();
            let reached = |level: &ResultLevel| {
                criteria.iter().all(|c| {
                    c.required_from_level.unwrap_or(1) > level.rank || answer(c).met == Some(true)
                })
            };
            (total, highest(levels, reached))
        }
    };
    Outcome {
        total_points: total,
        result_rank: best.map_or(0, |l| l.rank),
        result_code: best.map_or_else(|| NOT_MET.to_owned(), |l| l.code.clone()),
        result_label: best.map_or_else(|| NOT_MET_LABEL.to_owned(), |l| l.label.clone()),
    }
}

/// The highest-ranked level that `reached` accepts.
fn highest(levels: &[ResultLevel], reached: impl Fn(&ResultLevel) -> bool) -> Option<&ResultLevel> {
    levels.iter().filter(|l| reached(l)).max_by_key(|l| l.rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(id: i64, max: Option<i32>, required: bool, from_level: Option<i32>) -> Criterion {
        Criterion {
            id,
            checklist_id: 1,
            group_id: 1,
            position: i32::try_from(id).unwrap(),
            code: format!("{id}"),
            title: format!("criterion {id}"),
            description: None,
            max_points: max,
            min_points: None,
            required,
            evidence_required: false,
            evidence_rule: None,
            required_from_level: from_level,
        }
    }

    fn level(rank: i32, code: &str, min_points: Option<i32>) -> ResultLevel {
        ResultLevel {
            id: i64::from(rank),
            checklist_id: 1,
            rank,
            code: code.into(),
            label: code.into(),
            min_points,
        }
    }

    fn points(pairs: &[(i64, i32)]) -> HashMap<i64, Answer> {
        pairs
            .iter()
            .map(|&(id, p)| {
                (
                    id,
                    Answer {
                        points: Some(p),
                        met: None,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn points_sheet_threshold_is_inclusive() {
        let criteria = [
            criterion(1, Some(50), true, None),
            criterion(2, Some(50), false, None),
        ];
        let levels = [level(1, "MET", Some(80))];
        let at = score(
            ChecklistStyle::Points,
            &criteria,
            &levels,
            &points(&[(1, 40), (2, 40)]),
        );
        assert_eq!((at.total_points, at.result_code.as_str()), (80, "MET"));
        let below = score(
            ChecklistStyle::Points,
            &criteria,
            &levels,
            &points(&[(1, 40), (2, 39)]),
        );
        assert_eq!(
            (below.total_points, below.result_code.as_str()),
            (79, NOT_MET)
        );
    }

    #[test]
    fn unanswered_required_criterion_fails_the_level() {
        let criteria = [
            criterion(1, Some(50), true, None),
            criterion(2, Some(100), false, None),
        ];
        let levels = [level(1, "MET", Some(80))];
        let outcome = score(
            ChecklistStyle::Points,
            &criteria,
            &levels,
            &points(&[(2, 90)]),
        );
        assert_eq!(outcome.result_rank, 0);
    }

    #[test]
    fn indicator_levels_demand_more_for_level_two() {
        let criteria = [
            criterion(1, None, true, Some(1)),
            criterion(2, None, true, Some(1)),
            criterion(3, None, true, Some(2)),
        ];
        let levels = [level(1, "LEVEL_1", None), level(2, "LEVEL_2", None)];
        let met = |ids: &[i64]| -> HashMap<i64, Answer> {
            (1..=3)
                .map(|id| {
                    (
                        id,
                        Answer {
                            points: None,
                            met: Some(ids.contains(&id)),
                        },
                    )
                })
                .collect()
        };
        assert_eq!(
            score(
                ChecklistStyle::Indicators,
                &criteria,
                &levels,
                &met(&[1, 2, 3])
            )
            .result_code,
            "LEVEL_2"
        );
        assert_eq!(
            score(
                ChecklistStyle::Indicators,
                &criteria,
                &levels,
                &met(&[1, 2])
            )
            .result_code,
            "LEVEL_1"
        );
        assert_eq!(
            score(
                ChecklistStyle::Indicators,
                &criteria,
                &levels,
                &met(&[1, 3])
            )
            .result_code,
            NOT_MET
        );
    }
}
