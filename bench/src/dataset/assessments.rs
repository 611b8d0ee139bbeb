//! The five published checklists and the assessments against them.
//!
//! Checklists: three points sheets (family, clan, citizen: 2 groups × 5 criteria of 10 points)
//! and two indicator sheets (community, unit: 5 criteria × 2 indicators, the second demanded
//! from level 2). Totals and results are computed with the server's own
//! `khuyenhoc_core::service::scoring::score`, so they are what the server would compute.
//!
//! Assessments are spread evenly over [`YEARS`]. Families (60 %) and citizens (22 %) are assessed
//! by unit branches, clans (10 %), communities (6 %) and units (2 %, the branch itself as
//! subject, once a year) by communes. Earlier years are mostly APPROVED; the current year has
//! drafts, submissions waiting for approval and returns. The approver is the assessing
//! organisation's parent. Each assessment has a transition per workflow step, and an approved one
//! that reached a level has its recognition decision (valid 36 months).

use std::collections::HashMap;

use khuyenhoc_core::entity::checklist_result_level::Model as ResultLevel;
use khuyenhoc_core::entity::criterion::Model as Criterion;
use khuyenhoc_core::entity::enums::ChecklistStyle;
use khuyenhoc_core::search::normalize;
use khuyenhoc_core::service::scoring::{self, Answer};
use rand::Rng;

use super::rows::{self, Cell};
use super::tree::Tree;
use super::{Emitter, Plan, YEARS, date, names, rng_for, ts};

/// A generated checklist, with the models the scorer needs.
#[derive(Debug, Clone)]
pub struct Checklist {
    /// Checklist id.
    pub id: i64,
    /// Code shared by its versions.
    pub code: &'static str,
    /// Learning model.
    pub model: &'static str,
    /// Scoring style.
    pub style: ChecklistStyle,
    /// Criteria (points) or indicators, in order.
    pub criteria: Vec<Criterion>,
    /// Result levels by rank.
    pub levels: Vec<ResultLevel>,
}

const SHEETS: [(&str, &str, ChecklistStyle, &str, i32); 5] = [
    (
        "GDHT-BENCH",
        "LEARNING_FAMILY",
        ChecklistStyle::Points,
        "Gia đình học tập",
        80,
    ),
    (
        "DHHT-BENCH",
        "LEARNING_CLAN",
        ChecklistStyle::Points,
        "Dòng họ học tập",
        80,
    ),
    (
        "CDHT-BENCH",
        "LEARNING_CITIZEN",
        ChecklistStyle::Points,
        "Công dân học tập",
        70,
    ),
    (
        "CDONG-BENCH",
        "LEARNING_COMMUNITY",
        ChecklistStyle::Indicators,
        "Cộng đồng học tập cấp xã",
        0,
    ),
    (
        "DVHT-BENCH",
        "LEARNING_UNIT",
        ChecklistStyle::Indicators,
        "Đơn vị học tập",
        0,
    ),
];

/// Emits the five published checklists with groups, criteria and result levels.
pub fn checklists(tree: &Tree, out: &mut Emitter) -> Vec<Checklist> {
    let mut group_id = 0;
    let mut criterion_id = 0;
    let mut level_id = 0;
    let published = ts(2023, 12, 1, 2);
    SHEETS
        .iter()
        .enumerate()
        .map(|(i, &(code, model, style, name, threshold))| {
            let id = i as i64 + 1;
            let title = format!("Tiêu chí đánh giá, công nhận {name}");
            let points = style == ChecklistStyle::Points;
            out.emit(
                &rows::CRITERIA_CHECKLIST,
                vec![
                    Cell::Int(id),
                    Cell::text(code),
                    Cell::Int(1),
                    Cell::text(model),
                    Cell::text(style.as_str()),
                    Cell::Text(title.clone()),
                    Cell::Text(normalize(&title)),
                    Cell::Int(tree.central),
                    Cell::text("PUBLISHED"),
                    Cell::Int(36),
                    Cell::Int(12),
                    Cell::Ts(published),
                    Cell::Ts(published),
                    Cell::Ts(published),
                    Cell::Int(1),
                ],
            );
            let level_specs: &[(&str, &str, Option<i32>)] = if points {
                &[("MET", "Đạt", Some(threshold))]
            } else {
                &[
                    ("LEVEL_1", "Mức độ 1 (Khá)", None),
                    ("LEVEL_2", "Mức độ 2 (Tốt)", None),
                ]
            };
            let mut levels = Vec::new();
            for (rank, (lcode, label, min)) in level_specs.iter().enumerate() {
                level_id += 1;
                let level = ResultLevel {
                    id: level_id,
                    checklist_id: id,
                    rank: rank as i32 + 1,
                    code: (*lcode).to_owned(),
                    label: (*label).to_owned(),
                    min_points: *min,
                };
                out.emit(
                    &rows::CHECKLIST_RESULT_LEVEL,
                    vec![
                        Cell::Int(level.id),
                        Cell::Int(id),
                        Cell::Int(i64::from(level.rank)),
                        Cell::text(level.code.clone()),
                        Cell::text(level.label.clone()),
                        Cell::opt_int(level.min_points.map(i64::from)),
                    ],
                );
                levels.push(level);
            }
            let (groups, per_group) = if points { (2, 5) } else { (5, 2) };
            let mut criteria = Vec::new();
            for g in 0..groups {
                group_id += 1;
                out.emit(
                    &rows::CRITERIA_GROUP,
                    vec![
                        Cell::Int(group_id),
                        Cell::Int(id),
                        Cell::Int(g + 1),
                        Cell::Text(format!("{}", g + 1)),
                        Cell::Text(format!("Nhóm tiêu chí {}", g + 1)),
                        if points {
                            Cell::Int(per_group * 10)
                        } else {
                            Cell::Null
                        },
                    ],
                );
                for c in 0..per_group {
                    criterion_id += 1;
                    let criterion = Criterion {
                        id: criterion_id,
                        checklist_id: id,
                        group_id,
                        position: c as i32 + 1,
                        code: format!("{}.{}", g + 1, c + 1),
                        title: format!("Tiêu chí {}.{}", g + 1, c + 1),
                        description: None,
                        max_points: points.then_some(10),
                        min_points: None,
                        required: !points,
                        evidence_required: false,
                        evidence_rule: None,
                        required_from_level: (!points).then_some(c as i32 + 1),
                    };
                    out.emit(
                        &rows::CRITERION,
                        vec![
                            Cell::Int(criterion.id),
                            Cell::Int(id),
                            Cell::Int(group_id),
                            Cell::Int(i64::from(criterion.position)),
                            Cell::text(criterion.code.clone()),
                            Cell::text(criterion.title.clone()),
                            Cell::opt_int(criterion.max_points.map(i64::from)),
                            Cell::Null,
                            Cell::Bool(criterion.required),
                            Cell::Bool(false),
                            Cell::opt_int(criterion.required_from_level.map(i64::from)),
                        ],
                    );
                    criteria.push(criterion);
                }
            }
            Checklist {
                id,
                code,
                model,
                style,
                criteria,
                levels,
            }
        })
        .collect()
}

/// Workflow state drawn for an assessment of `year`.
fn draw_status(rng: &mut impl Rng, year: i32) -> &'static str {
    let current = year == YEARS[YEARS.len() - 1];
    match (current, rng.random_range(0..100)) {
        (true, 0..20) => "DRAFT",
        (true, 20..45) => "SUBMITTED",
        (true, 45..50) => "RETURNED",
        (false, 0..3) => "DRAFT",
        (false, 3..6) => "SUBMITTED",
        (false, 6..9) => "RETURNED",
        _ => "APPROVED",
    }
}

/// Id counters of the assessment tables.
#[derive(Debug, Default)]
struct Ids {
    score: i64,
    transition: i64,
    decision: i64,
}

/// Emits the assessments with their scores, transitions and recognition decisions.
pub fn generate(plan: &Plan, tree: &Tree, checklists: &[Checklist], seed: u64, out: &mut Emitter) {
    let mut rng = rng_for(seed, 4);
    let mut ids = Ids::default();
    let mut units_per_year: HashMap<i32, usize> = HashMap::new();
    for a in 0..plan.assessments {
        let id = a as i64 + 1;
        let year = YEARS[a % YEARS.len()];
        let roll = rng.random_range(0..100);
        let unit_slot = *units_per_year.get(&year).unwrap_or(&0);
        let sheet = match roll {
            0..60 => 0,
            60..82 => 2,
            82..92 => 1,
            92..98 => 3,
            _ if unit_slot < tree.branches.len() => 4,
            _ => 0,
        };
        let checklist = &checklists[sheet];
        let branch = tree.branches[rng.random_range(0..tree.branches.len())];
        let (assessing, approver, kind, subject_org, name, search) = match sheet {
            0 | 2 => {
                let commune = tree.communes[branch.commune].id;
                let person = names::person(&mut rng);
                // The search key is composed from the cached one (normalising a million names
                // would dominate the generator's time).
                let (kind, name, search) = if sheet == 0 {
                    (
                        "FAMILY",
                        format!("Gia đình {} (hộ số {id})", person.text),
                        format!("gia dinh {} (ho so {id})", person.search),
                    )
                } else {
                    (
                        "CITIZEN",
                        format!("{} (số {id})", person.text),
                        format!("{} (so {id})", person.search),
                    )
                };
                (branch.id, commune, kind, None, name, search)
            }
            1 | 3 => {
                let commune = tree.communes[branch.commune];
                let name = if sheet == 1 {
                    format!("Dòng họ {} (số {id})", names::surname(&mut rng))
                } else {
                    format!("Thôn {} (số {id})", names::place(&mut rng))
                };
                let kind = if sheet == 1 { "CLAN" } else { "COMMUNITY" };
                let search = normalize(&name);
                (commune.id, commune.province, kind, None, name, search)
            }
            _ => {
                units_per_year.insert(year, unit_slot + 1);
                let unit = tree.branches[unit_slot];
                let commune = tree.communes[unit.commune];
                (
                    commune.id,
                    commune.province,
                    "ORGANISATION",
                    Some(unit.id),
                    format!("Đơn vị số {}", unit.id),
                    format!("don vi so {}", unit.id),
                )
            }
        };
        let key = match subject_org {
            Some(org) => format!("org:{org}"),
            None => format!("{assessing}:{kind}:{search}"),
        };
        let status = draw_status(&mut rng, year);

        // Answers, scored by the server's own rules.
        let mut answers = HashMap::new();
        let good = rng.random_bool(0.7);
        for criterion in &checklist.criteria {
            let answer = match checklist.style {
                ChecklistStyle::Points => Answer {
                    points: Some(if good {
                        rng.random_range(7..=10)
                    } else {
                        rng.random_range(4..=9)
                    }),
                    met: None,
                },
                ChecklistStyle::Indicators => Answer {
                    points: None,
                    met: Some(rng.random_bool(if good { 0.95 } else { 0.7 })),
                },
            };
            answers.insert(criterion.id, answer);
        }
        let outcome = scoring::score(
            checklist.style,
            &checklist.criteria,
            &checklist.levels,
            &answers,
        );

        let created = ts(
            year,
            rng.random_range(1..=9),
            rng.random_range(1..=28),
            rng.random_range(1..=9),
        );
        let submitted = (status != "DRAFT").then_some(created + 7 * 86_400);
        let decided = created + 21 * 86_400;
        let approved = (status == "APPROVED").then_some(decided);
        let updated = approved.or(submitted).unwrap_or(created);
        out.emit(
            &rows::ASSESSMENT,
            vec![
                Cell::Int(id),
                Cell::Int(checklist.id),
                Cell::text(checklist.code),
                Cell::text(checklist.model),
                Cell::Int(assessing),
                Cell::text(kind),
                Cell::opt_int(subject_org),
                Cell::Text(name),
                Cell::Text(search),
                Cell::Text(key),
                Cell::Int(i64::from(year)),
                Cell::text(status),
                Cell::Int(i64::from(outcome.total_points)),
                Cell::Int(i64::from(outcome.result_rank)),
                Cell::Text(outcome.result_code.clone()),
                Cell::opt_ts(submitted),
                Cell::opt_ts(approved),
                Cell::opt_int(approved.map(|_| approver)),
                if status == "RETURNED" {
                    Cell::text("Bổ sung minh chứng cho tiêu chí 1.1")
                } else {
                    Cell::Null
                },
                Cell::Ts(created),
                Cell::Ts(updated),
                Cell::Int(
                    1 + i64::from(submitted.is_some())
                        + i64::from(status == "APPROVED" || status == "RETURNED"),
                ),
            ],
        );
        for criterion in &checklist.criteria {
            ids.score += 1;
            let answer = answers.get(&criterion.id).copied().unwrap_or_default();
            out.emit(
                &rows::ASSESSMENT_SCORE,
                vec![
                    Cell::Int(ids.score),
                    Cell::Int(id),
                    Cell::Int(criterion.id),
                    Cell::opt_int(answer.points.map(i64::from)),
                    answer.met.map_or(Cell::Null, Cell::Bool),
                ],
            );
        }
        let mut step = |out: &mut Emitter,
                        from: Option<&str>,
                        to: &str,
                        by: i64,
                        at: i64,
                        comment: Option<&str>| {
            ids.transition += 1;
            out.emit(
                &rows::ASSESSMENT_TRANSITION,
                vec![
                    Cell::Int(ids.transition),
                    Cell::Int(id),
                    Cell::opt_text(from.map(str::to_owned)),
                    Cell::text(to),
                    Cell::Int(by),
                    Cell::opt_text(comment.map(str::to_owned)),
                    Cell::Ts(at),
                ],
            );
        };
        step(out, None, "DRAFT", assessing, created, None);
        if let Some(at) = submitted {
            step(out, Some("DRAFT"), "SUBMITTED", assessing, at, None);
        }
        match status {
            "APPROVED" => step(out, Some("SUBMITTED"), "APPROVED", approver, decided, None),
            "RETURNED" => step(
                out,
                Some("SUBMITTED"),
                "RETURNED",
                approver,
                decided,
                Some("Bổ sung minh chứng"),
            ),
            _ => {}
        }
        if status == "APPROVED" && outcome.result_rank >= 1 {
            ids.decision += 1;
            let on = chrono::DateTime::from_timestamp(decided, 0)
                .map_or(date(year, 6, 1), |d| d.date_naive());
            let months = |m: u32| on.checked_add_months(chrono::Months::new(m)).unwrap_or(on);
            out.emit(
                &rows::RECOGNITION_DECISION,
                vec![
                    Cell::Int(ids.decision),
                    Cell::Int(id),
                    Cell::Int(assessing),
                    Cell::Text(format!("{}/QĐ-KH", ids.decision)),
                    Cell::Date(on),
                    Cell::text("Hội Khuyến học cấp trên"),
                    Cell::Int(approver),
                    Cell::Text(outcome.result_code.clone()),
                    Cell::Text(outcome.result_label.clone()),
                    Cell::Int(i64::from(outcome.result_rank)),
                    Cell::Date(months(36)),
                    Cell::Date(months(12)),
                    Cell::Ts(decided),
                ],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use khuyenhoc_core::search::normalize;

    #[test]
    fn composed_search_keys_equal_normalised_names() {
        for (person, search) in [
            ("Đặng Thị Hương", "dang thi huong"),
            ("Nguyễn Văn An", "nguyen van an"),
        ] {
            assert_eq!(
                normalize(&format!("Gia đình {person} (hộ số 17)")),
                format!("gia dinh {search} (ho so 17)")
            );
            assert_eq!(
                normalize(&format!("{person} (số 17)")),
                format!("{search} (so 17)")
            );
        }
        assert_eq!(normalize("Đơn vị số 5"), "don vi so 5");
    }
}
