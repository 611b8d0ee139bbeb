//! The structure of one checklist version — result levels, groups and criteria — as one value
//! that is validated as a whole, written as a whole and copied as a whole.
//!
//! Rules (field paths are those of the create/update input; codes are stable):
//!
//! | rule | field | code |
//! |---|---|---|
//! | at least one group, each with at least one criterion | `groups`, `groups.N.criteria` | `REQUIRED` |
//! | at least one result level | `resultLevels` | `REQUIRED` |
//! | codes are letters, digits, `-`, `_`, `.` | `….code` | `INVALID_FORMAT` |
//! | group, criterion and level codes unique in the version | `….code` | `DUPLICATE` |
//! | an evidence-required criterion says which evidence | `….evidenceRule` | `REQUIRED` |
//! | points: every criterion has `maxPoints` ≥ 1 | `….maxPoints` | `REQUIRED`, `OUT_OF_RANGE` |
//! | points: a criterion's `minPoints` within 0..=`maxPoints` | `….minPoints` | `OUT_OF_RANGE` |
//! | points: a group's `maxPoints`, when given, is the sum of its criteria's | `groups.N.maxPoints` | `POINTS_MISMATCH` |
//! | points: every level has a threshold `minPoints` | `resultLevels.N.minPoints` | `REQUIRED` |
//! | points: a threshold is at most the sheet's total | `resultLevels.N.minPoints` | `THRESHOLD_ABOVE_TOTAL` |
//! | points: thresholds rise strictly with the level | `resultLevels.N.minPoints` | `THRESHOLD_ORDER` |
//! | indicators: no points anywhere; no level thresholds | `….maxPoints`, `….minPoints` | `NOT_APPLICABLE` |
//! | indicators: `requiredFromLevel` names an existing level | `….requiredFromLevel` | `UNKNOWN_LEVEL` |
//! | indicators: every level demands at least one indicator of its own | `resultLevels.N` | `LEVEL_UNUSED` |
//! | points: `requiredFromLevel` is for indicator sheets | `….requiredFromLevel` | `NOT_APPLICABLE` |
//!
//! Levels are listed lowest first; a level's rank is its position (1 = lowest passing level).

use std::collections::HashSet;

use serde::Serialize;

use crate::entity::checklist_result_level::Model as LevelRow;
use crate::entity::criteria_group::Model as GroupRow;
use crate::entity::criterion::Model as CriterionRow;
use crate::entity::enums::ChecklistStyle;
use crate::service::validate::{MAX_LONG_TEXT, MAX_SHORT_TEXT, Validator};

/// Most result levels a checklist may have.
pub const MAX_LEVELS: usize = 10;
/// Most groups a checklist may have.
pub const MAX_GROUPS: usize = 50;
/// Most criteria a checklist may have, over all groups.
pub const MAX_CRITERIA: usize = 300;
/// Most points one criterion may be worth.
pub const MAX_CRITERION_POINTS: i32 = 1000;

/// The levels, groups and criteria of one checklist version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChecklistStructure {
    /// Result levels, lowest first.
    pub levels: Vec<LevelSpec>,
    /// Groups in order, each with its criteria in order.
    pub groups: Vec<GroupSpec>,
}

/// A result level a checklist can award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelSpec {
    /// Code, e.g. `MET`, `LEVEL_1`.
    pub code: String,
    /// Label, e.g. "Mức độ 1 (Khá)".
    pub label: String,
    /// Points sheets: the total needed.
    pub min_points: Option<i32>,
}

/// A group of criteria (points sheets) or a criterion made of indicators (indicator sheets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSpec {
    /// Code, e.g. `1`.
    pub code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Points sheets: the group's maximum (the sum of its criteria's).
    pub max_points: Option<i32>,
    /// Criteria or indicators, in order.
    pub criteria: Vec<CriterionSpec>,
}

/// A criterion with points, or an indicator met or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionSpec {
    /// Code, unique in the version, e.g. `1.2`.
    pub code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Points sheets: the most points it gives.
    pub max_points: Option<i32>,
    /// Points sheets: the fewest points a passing result needs on it.
    pub min_points: Option<i32>,
    /// Must be answered before the assessment is submitted.
    pub required: bool,
    /// An answer that earns credit needs an evidence note.
    pub evidence_required: bool,
    /// Which evidence is expected.
    pub evidence_rule: Option<String>,
    /// Indicator sheets: the level from which it is demanded (1 when absent).
    pub required_from_level: Option<i32>,
}

impl ChecklistStructure {
    /// The structure held in stored rows (any order; sorted here).
    pub fn from_rows(levels: &[LevelRow], groups: &[GroupRow], criteria: &[CriterionRow]) -> Self {
        let mut levels: Vec<&LevelRow> = levels.iter().collect();
        levels.sort_by_key(|l| l.rank);
        let mut groups: Vec<&GroupRow> = groups.iter().collect();
        groups.sort_by_key(|g| (g.position, g.id));
        let mut criteria: Vec<&CriterionRow> = criteria.iter().collect();
        criteria.sort_by_key(|c| (c.position, c.id));
        Self {
            levels: levels
                .into_iter()
                .map(|l| LevelSpec {
                    code: l.code.clone(),
                    label: l.label.clone(),
                    min_points: l.min_points,
                })
                .collect(),
            groups: groups
                .into_iter()
                .map(|g| GroupSpec {
                    code: g.code.clone(),
                    title: g.title.clone(),
                    description: g.description.clone(),
                    max_points: g.max_points,
                    criteria: criteria
                        .iter()
                        .filter(|c| c.group_id == g.id)
                        .map(|c| CriterionSpec {
                            code: c.code.clone(),
                            title: c.title.clone(),
                            description: c.description.clone(),
                            max_points: c.max_points,
                            min_points: c.min_points,
                            required: c.required,
                            evidence_required: c.evidence_required,
                            evidence_rule: c.evidence_rule.clone(),
                            required_from_level: c.required_from_level,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// All criteria, group by group.
    pub fn criteria(&self) -> impl Iterator<Item = &CriterionSpec> {
        self.groups.iter().flat_map(|g| g.criteria.iter())
    }

    /// The sum of the criteria's maximum points (0 for indicator sheets).
    pub fn total_max_points(&self) -> i32 {
        self.criteria().filter_map(|c| c.max_points).sum()
    }
}

/// Validates `structure` for a checklist of `style`, recording every problem in `v`; returns the
/// cleaned structure (trimmed texts, upper-case codes, blanks as `None`).
pub fn validate(
    v: &mut Validator,
    style: ChecklistStyle,
    structure: &ChecklistStructure,
) -> ChecklistStructure {
    let levels = clean_levels(v, &structure.levels);
    let groups = clean_groups(v, &structure.groups);
    let cleaned = ChecklistStructure { levels, groups };
    match style {
        ChecklistStyle::Points => points_rules(v, &cleaned),
        ChecklistStyle::Indicators => indicator_rules(v, &cleaned),
    }
    cleaned
}

/// Records `DUPLICATE` on `field` when `code` was seen before.
fn unique(v: &mut Validator, seen: &mut HashSet<String>, field: &str, code: &str, what: &str) {
    if !code.is_empty() && !seen.insert(code.to_owned()) {
        v.error(
            field,
            "DUPLICATE",
            format!("another {what} has the code {code}"),
        );
    }
}

fn clean_levels(v: &mut Validator, levels: &[LevelSpec]) -> Vec<LevelSpec> {
    v.check(
        levels.is_empty(),
        "resultLevels",
        "REQUIRED",
        "a checklist needs at least one result level",
    );
    v.check(
        levels.len() > MAX_LEVELS,
        "resultLevels",
        "TOO_LONG",
        &format!("at most {MAX_LEVELS} result levels"),
    );
    let mut seen = HashSet::new();
    levels
        .iter()
        .enumerate()
        .map(|(i, level)| {
            let field = format!("resultLevels.{i}");
            let code = v.code(&format!("{field}.code"), &level.code);
            unique(
                v,
                &mut seen,
                &format!("{field}.code"),
                &code,
                "result level",
            );
            LevelSpec {
                code,
                label: v.required(&format!("{field}.label"), &level.label, MAX_SHORT_TEXT),
                min_points: level.min_points,
            }
        })
        .collect()
}

fn clean_groups(v: &mut Validator, groups: &[GroupSpec]) -> Vec<GroupSpec> {
    v.check(
        groups.is_empty(),
        "groups",
        "REQUIRED",
        "a checklist needs at least one group of criteria",
    );
    v.check(
        groups.len() > MAX_GROUPS,
        "groups",
        "TOO_LONG",
        &format!("at most {MAX_GROUPS} groups"),
    );
    let total: usize = groups.iter().map(|g| g.criteria.len()).sum();
    v.check(
        total > MAX_CRITERIA,
        "groups",
        "TOO_LONG",
        &format!("at most {MAX_CRITERIA} criteria in all"),
    );
    let mut group_codes = HashSet::new();
    let mut criterion_codes = HashSet::new();
    groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let field = format!("groups.{g}");
            let code = v.code(&format!("{field}.code"), &group.code);
            unique(
                v,
                &mut group_codes,
                &format!("{field}.code"),
                &code,
                "group",
            );
            v.check(
                group.criteria.is_empty(),
                &format!("{field}.criteria"),
                "REQUIRED",
                "a group needs at least one criterion",
            );
            let criteria = group
                .criteria
                .iter()
                .enumerate()
                .map(|(c, criterion)| {
                    let field = format!("{field}.criteria.{c}");
                    let cleaned = clean_criterion(v, &field, criterion);
                    unique(
                        v,
                        &mut criterion_codes,
                        &format!("{field}.code"),
                        &cleaned.code,
                        "criterion",
                    );
                    cleaned
                })
                .collect();
            GroupSpec {
                code,
                title: v.required(&format!("{field}.title"), &group.title, MAX_SHORT_TEXT),
                description: v.optional(
                    &format!("{field}.description"),
                    group.description.as_deref(),
                    MAX_LONG_TEXT,
                ),
                max_points: group.max_points,
                criteria,
            }
        })
        .collect()
}

fn clean_criterion(v: &mut Validator, field: &str, c: &CriterionSpec) -> CriterionSpec {
    let evidence_rule = v.optional(
        &format!("{field}.evidenceRule"),
        c.evidence_rule.as_deref(),
        MAX_LONG_TEXT,
    );
    v.check(
        c.evidence_required && evidence_rule.is_none(),
        &format!("{field}.evidenceRule"),
        "REQUIRED",
        "say which evidence an evidence-required criterion needs",
    );
    CriterionSpec {
        code: v.code(&format!("{field}.code"), &c.code),
        title: v.required(&format!("{field}.title"), &c.title, MAX_SHORT_TEXT),
        description: v.optional(
            &format!("{field}.description"),
            c.description.as_deref(),
            MAX_LONG_TEXT,
        ),
        max_points: c.max_points,
        min_points: c.min_points,
        required: c.required,
        evidence_required: c.evidence_required,
        evidence_rule,
        required_from_level: c.required_from_level,
    }
}

/// Points sheets: every criterion has points, groups add up, thresholds are reachable and rise.
fn points_rules(v: &mut Validator, s: &ChecklistStructure) {
    for (g, group) in s.groups.iter().enumerate() {
        for (c, criterion) in group.criteria.iter().enumerate() {
            let field = format!("groups.{g}.criteria.{c}");
            match criterion.max_points {
                None => v.error(
                    format!("{field}.maxPoints"),
                    "REQUIRED",
                    "a criterion of a points sheet needs its maximum points",
                ),
                Some(max) if !(1..=MAX_CRITERION_POINTS).contains(&max) => v.error(
                    format!("{field}.maxPoints"),
                    "OUT_OF_RANGE",
                    format!("maximum points are 1 to {MAX_CRITERION_POINTS}"),
                ),
                Some(_) => {}
            }
            if let Some(min) = criterion.min_points {
                let max = criterion.max_points.unwrap_or(MAX_CRITERION_POINTS);
                v.check(
                    min < 0 || min > max,
                    &format!("{field}.minPoints"),
                    "OUT_OF_RANGE",
                    "minimum points are 0 to the criterion's maximum",
                );
            }
            v.check(
                criterion.required_from_level.is_some(),
                &format!("{field}.requiredFromLevel"),
                "NOT_APPLICABLE",
                "levels demand indicators only on indicator sheets",
            );
        }
        let sum: i32 = group.criteria.iter().filter_map(|c| c.max_points).sum();
        if let Some(declared) = group.max_points
            && declared != sum
        {
            v.error(
                format!("groups.{g}.maxPoints"),
                "POINTS_MISMATCH",
                format!("the group's maximum must be the sum of its criteria's maxima ({sum})"),
            );
        }
    }
    let total = s.total_max_points();
    let mut previous: Option<i32> = None;
    for (i, level) in s.levels.iter().enumerate() {
        let field = format!("resultLevels.{i}.minPoints");
        let Some(min) = level.min_points else {
            v.error(
                field,
                "REQUIRED",
                "a level of a points sheet needs its threshold",
            );
            continue;
        };
        if min < 0 {
            v.error(field, "OUT_OF_RANGE", "a threshold cannot be negative");
        } else if min > total {
            v.error(
                field,
                "THRESHOLD_ABOVE_TOTAL",
                format!("the threshold is above the sheet's total of {total} points"),
            );
        } else if previous.is_some_and(|p| min <= p) {
            v.error(
                field,
                "THRESHOLD_ORDER",
                "each level needs more points than the level below it",
            );
        }
        previous = Some(min);
    }
}

/// Indicator sheets: no points, every `requiredFromLevel` exists, every level demands something.
fn indicator_rules(v: &mut Validator, s: &ChecklistStructure) {
    let level_count = i32::try_from(s.levels.len()).unwrap_or(i32::MAX);
    let mut demanded: HashSet<i32> = HashSet::new();
    for (g, group) in s.groups.iter().enumerate() {
        v.check(
            group.max_points.is_some(),
            &format!("groups.{g}.maxPoints"),
            "NOT_APPLICABLE",
            "indicator sheets have no points",
        );
        for (c, criterion) in group.criteria.iter().enumerate() {
            let field = format!("groups.{g}.criteria.{c}");
            v.check(
                criterion.max_points.is_some(),
                &format!("{field}.maxPoints"),
                "NOT_APPLICABLE",
                "indicator sheets have no points",
            );
            v.check(
                criterion.min_points.is_some(),
                &format!("{field}.minPoints"),
                "NOT_APPLICABLE",
                "indicator sheets have no points",
            );
            let from = criterion.required_from_level.unwrap_or(1);
            if (1..=level_count).contains(&from) {
                demanded.insert(from);
            } else {
                v.error(
                    format!("{field}.requiredFromLevel"),
                    "UNKNOWN_LEVEL",
                    format!("the checklist has levels 1 to {level_count}"),
                );
            }
        }
    }
    for (i, level) in s.levels.iter().enumerate() {
        v.check(
            level.min_points.is_some(),
            &format!("resultLevels.{i}.minPoints"),
            "NOT_APPLICABLE",
            "levels of an indicator sheet are reached by indicators, not points",
        );
        let rank = i32::try_from(i + 1).unwrap_or(i32::MAX);
        v.check(
            !demanded.contains(&rank),
            &format!("resultLevels.{i}"),
            "LEVEL_UNUSED",
            "no indicator is demanded from this level, so it would add nothing to the level below",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, FieldError};

    fn criterion(code: &str, max: Option<i32>, from: Option<i32>) -> CriterionSpec {
        CriterionSpec {
            code: code.into(),
            title: format!("Tiêu chí {code}"),
            description: None,
            max_points: max,
            min_points: None,
            required: false,
            evidence_required: false,
            evidence_rule: None,
            required_from_level: from,
        }
    }

    fn level(code: &str, min: Option<i32>) -> LevelSpec {
        LevelSpec {
            code: code.into(),
            label: code.into(),
            min_points: min,
        }
    }

    fn group(code: &str, max: Option<i32>, criteria: Vec<CriterionSpec>) -> GroupSpec {
        GroupSpec {
            code: code.into(),
            title: format!("Nhóm {code}"),
            description: None,
            max_points: max,
            criteria,
        }
    }

    fn errors(style: ChecklistStyle, s: &ChecklistStructure) -> Vec<(String, &'static str)> {
        let mut v = Validator::new();
        validate(&mut v, style, s);
        match v.finish() {
            Ok(()) => Vec::new(),
            Err(Error::Invalid(list)) => list
                .into_iter()
                .map(|FieldError { field, code, .. }| (field, code))
                .collect(),
            Err(other) => panic!("unexpected {other}"),
        }
    }

    fn points_sheet(thresholds: &[Option<i32>]) -> ChecklistStructure {
        ChecklistStructure {
            levels: thresholds
                .iter()
                .enumerate()
                .map(|(i, t)| level(&format!("L{i}"), *t))
                .collect(),
            groups: vec![
                group(
                    "1",
                    Some(60),
                    vec![
                        criterion("1.1", Some(30), None),
                        criterion("1.2", Some(30), None),
                    ],
                ),
                group("2", None, vec![criterion("2.1", Some(40), None)]),
            ],
        }
    }

    #[test]
    fn a_consistent_points_sheet_passes() {
        assert_eq!(
            errors(
                ChecklistStyle::Points,
                &points_sheet(&[Some(80), Some(100)])
            ),
            []
        );
    }

    #[test]
    fn thresholds_must_be_reachable_and_rising() {
        assert_eq!(
            errors(ChecklistStyle::Points, &points_sheet(&[Some(101)])),
            [(
                "resultLevels.0.minPoints".to_owned(),
                "THRESHOLD_ABOVE_TOTAL"
            )]
        );
        assert_eq!(
            errors(ChecklistStyle::Points, &points_sheet(&[Some(80), Some(80)])),
            [("resultLevels.1.minPoints".to_owned(), "THRESHOLD_ORDER")]
        );
        assert_eq!(
            errors(ChecklistStyle::Points, &points_sheet(&[None])),
            [("resultLevels.0.minPoints".to_owned(), "REQUIRED")]
        );
    }

    #[test]
    fn group_points_must_add_up() {
        let mut s = points_sheet(&[Some(80)]);
        s.groups[0].max_points = Some(50);
        assert_eq!(
            errors(ChecklistStyle::Points, &s),
            [("groups.0.maxPoints".to_owned(), "POINTS_MISMATCH")]
        );
    }

    #[test]
    fn codes_are_unique_and_structure_is_not_empty() {
        let mut s = points_sheet(&[Some(80)]);
        s.groups[1].criteria[0].code = "1.1".into();
        s.groups[1].code = "1".into();
        let found = errors(ChecklistStyle::Points, &s);
        assert!(found.contains(&("groups.1.code".to_owned(), "DUPLICATE")));
        assert!(found.contains(&("groups.1.criteria.0.code".to_owned(), "DUPLICATE")));
        assert_eq!(
            errors(ChecklistStyle::Points, &ChecklistStructure::default()),
            [
                ("resultLevels".to_owned(), "REQUIRED"),
                ("groups".to_owned(), "REQUIRED")
            ]
        );
    }

    #[test]
    fn indicator_levels_must_exist_and_each_demand_something() {
        let sheet = |froms: &[Option<i32>]| ChecklistStructure {
            levels: vec![level("LEVEL_1", None), level("LEVEL_2", None)],
            groups: vec![group(
                "1",
                None,
                froms
                    .iter()
                    .enumerate()
                    .map(|(i, f)| criterion(&format!("1.{i}"), None, *f))
                    .collect(),
            )],
        };
        assert_eq!(
            errors(ChecklistStyle::Indicators, &sheet(&[None, Some(2)])),
            []
        );
        assert_eq!(
            errors(ChecklistStyle::Indicators, &sheet(&[Some(1), Some(3)])),
            [
                (
                    "groups.0.criteria.1.requiredFromLevel".to_owned(),
                    "UNKNOWN_LEVEL"
                ),
                ("resultLevels.1".to_owned(), "LEVEL_UNUSED")
            ]
        );
        let mut with_points = sheet(&[Some(1), Some(2)]);
        with_points.groups[0].criteria[0].max_points = Some(10);
        assert_eq!(
            errors(ChecklistStyle::Indicators, &with_points),
            [("groups.0.criteria.0.maxPoints".to_owned(), "NOT_APPLICABLE")]
        );
    }
}
