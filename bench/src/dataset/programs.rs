//! Coordination programs with their parties, commitments, result reports and indicator values.
//!
//! A tenth of the programs belong to the centre, six tenths to provinces, the rest to communes.
//! Each has the owner as ASSOCIATION party and one or two partner bodies as PARTNER, three
//! commitments, an annual report per elapsed year (acknowledged, then submitted or draft for the
//! latest) with a value per commitment, and a mid-term report from the partner.

use chrono::Datelike;
use khuyenhoc_core::search::normalize;
use rand::Rng;

use super::rows::{self, Cell};
use super::tree::Tree;
use super::{Emitter, Plan, date, names, rng_for, ts};

/// What the training generator needs to know about a program.
#[derive(Debug, Clone, Copy)]
pub struct ProgramRef {
    /// Program id.
    pub id: i64,
    /// Owning organisation.
    pub owner: i64,
}

/// Emits the programs and everything under them.
pub fn generate(plan: &Plan, tree: &Tree, seed: u64, out: &mut Emitter) -> Vec<ProgramRef> {
    let mut rng = rng_for(seed, 2);
    let mut ids = Ids::default();
    let mut programs = Vec::with_capacity(plan.programs);
    let today = date(2026, 11, 1);
    for i in 0..plan.programs {
        let id = i as i64 + 1;
        let owner = match i % 10 {
            0 => tree.central,
            1..=6 => tree.provinces[rng.random_range(0..tree.provinces.len())],
            _ => tree.communes[rng.random_range(0..tree.communes.len())].id,
        };
        let start_year = rng.random_range(2021..=2026);
        let starts_on = date(
            start_year,
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        );
        let ends_on = date(start_year + rng.random_range(2..=5), 12, 31);
        let status = if ends_on < today {
            if rng.random_bool(0.05) {
                "TERMINATED"
            } else {
                "COMPLETED"
            }
        } else if rng.random_bool(0.15) {
            "DRAFT"
        } else {
            "ACTIVE"
        };
        let topic = names::topic(&mut rng);
        let title = format!(
            "Chương trình phối hợp về {topic} giai đoạn {start_year}–{} số {id}",
            ends_on.year()
        );
        let created = ts(start_year, starts_on.month(), starts_on.day(), 8);
        out.emit(
            &rows::PROGRAM,
            vec![
                Cell::Int(id),
                Cell::Text(format!("CTPH-{id:05}")),
                Cell::Int(owner),
                Cell::Text(title.clone()),
                Cell::Text(normalize(&title)),
                Cell::Text(format!("{id}/CTPH")),
                Cell::Date(starts_on),
                Cell::Date(starts_on),
                Cell::Date(ends_on),
                Cell::text(status),
                Cell::text("Phối hợp tuyên truyền, vận động xây dựng xã hội học tập."),
                Cell::text(r#"["KHUYEN_HOC","XA_HOI_HOC_TAP"]"#),
                if status == "TERMINATED" {
                    Cell::text("Đối tác tái cơ cấu sau sắp xếp bộ máy")
                } else {
                    Cell::Null
                },
                Cell::Ts(created),
                Cell::Ts(created),
                Cell::Int(1),
            ],
        );
        // Parties: the owner, then one or two distinct partner bodies.
        let association_party = ids.party(out, id, owner, "ASSOCIATION", created);
        let first = rng.random_range(0..tree.partners.len());
        let partner = tree.partners[first];
        let partner_party = ids.party(out, id, partner, "PARTNER", created);
        if tree.partners.len() > 1 && rng.random_bool(0.5) {
            let second =
                (first + 1 + rng.random_range(0..tree.partners.len() - 1)) % tree.partners.len();
            ids.party(out, id, tree.partners[second], "PARTNER", created);
        }
        let mut commitments = Vec::with_capacity(3);
        for position in 0..3_i64 {
            ids.commitment += 1;
            let party = if position < 2 {
                partner_party
            } else {
                association_party
            };
            let target = f64::from(rng.random_range(10..500_u32)) * 10.0;
            out.emit(
                &rows::COMMITMENT,
                vec![
                    Cell::Int(ids.commitment),
                    Cell::Int(id),
                    Cell::Int(party),
                    Cell::Int(position),
                    Cell::text("Tổ chức các hoạt động theo kế hoạch năm"),
                    Cell::Text(format!(
                        "Chỉ tiêu {} số {}",
                        names::topic(&mut rng),
                        position + 1
                    )),
                    Cell::text("lượt"),
                    Cell::Float(target),
                    Cell::Date(ends_on),
                    Cell::Ts(created),
                    Cell::Ts(created),
                    Cell::Int(1),
                ],
            );
            commitments.push((ids.commitment, target));
        }
        if status != "DRAFT" {
            let last_year = ends_on.year().min(2025);
            for year in start_year.max(last_year - 2)..=last_year {
                let (report_status, submitted, acknowledged) = if year < 2025 {
                    (
                        "ACKNOWLEDGED",
                        Some(ts(year + 1, 1, 15, 9)),
                        Some(ts(year + 1, 1, 29, 9)),
                    )
                } else if rng.random_bool(0.5) {
                    ("SUBMITTED", Some(ts(year + 1, 1, 15, 9)), None)
                } else {
                    ("DRAFT", None, None)
                };
                let report = ids.report(
                    out,
                    id,
                    owner,
                    "ANNUAL",
                    Some(year),
                    report_status,
                    submitted,
                    acknowledged,
                );
                for (commitment, target) in &commitments {
                    ids.value += 1;
                    let share = f64::from(rng.random_range(10..60_u32)) / 100.0;
                    out.emit(
                        &rows::REPORT_INDICATOR_VALUE,
                        vec![
                            Cell::Int(ids.value),
                            Cell::Int(report),
                            Cell::Int(*commitment),
                            Cell::Float((target * share).round()),
                        ],
                    );
                }
            }
            if start_year <= 2024 {
                ids.report(
                    out,
                    id,
                    partner,
                    "MID_TERM",
                    None,
                    "SUBMITTED",
                    Some(ts(2025, 6, 30, 9)),
                    None,
                );
            }
        }
        programs.push(ProgramRef { id, owner });
    }
    programs
}

/// Id counters of the program child tables.
#[derive(Debug, Default)]
struct Ids {
    party: i64,
    commitment: i64,
    report: i64,
    value: i64,
}

impl Ids {
    fn party(
        &mut self,
        out: &mut Emitter,
        program: i64,
        organisation: i64,
        role: &str,
        at: i64,
    ) -> i64 {
        self.party += 1;
        out.emit(
            &rows::PROGRAM_PARTY,
            vec![
                Cell::Int(self.party),
                Cell::Int(program),
                Cell::Int(organisation),
                Cell::text(role),
                Cell::text("Đại diện lãnh đạo"),
                Cell::text("Phối hợp triển khai, báo cáo kết quả hằng năm."),
                Cell::Ts(at),
            ],
        );
        self.party
    }

    #[expect(clippy::too_many_arguments, reason = "one report row, spelled out")]
    fn report(
        &mut self,
        out: &mut Emitter,
        program: i64,
        reporter: i64,
        kind: &str,
        year: Option<i32>,
        status: &str,
        submitted: Option<i64>,
        acknowledged: Option<i64>,
    ) -> i64 {
        self.report += 1;
        let created = submitted.unwrap_or(ts(2025, 12, 1, 9));
        let title = match year {
            Some(y) => format!("Báo cáo kết quả thực hiện Chương trình phối hợp năm {y}"),
            None => "Báo cáo sơ kết Chương trình phối hợp".to_owned(),
        };
        out.emit(
            &rows::PROGRAM_REPORT,
            vec![
                Cell::Int(self.report),
                Cell::Int(program),
                Cell::Int(reporter),
                Cell::text(kind),
                Cell::opt_int(year.map(i64::from)),
                Cell::Text(title),
                Cell::text("Hoàn thành các chỉ tiêu chính của năm."),
                Cell::text(status),
                Cell::opt_ts(submitted),
                Cell::opt_ts(acknowledged),
                Cell::Ts(created),
                Cell::Ts(acknowledged.unwrap_or(created)),
                Cell::Int(1),
            ],
        );
        self.report
    }
}
