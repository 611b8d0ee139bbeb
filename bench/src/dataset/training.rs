//! Training sessions and their registrations.
//!
//! Sessions are organised by provinces (10 %), communes (55 %) and unit branches (35 %); three in
//! ten belong to a program and are then organised by its owner (so a partner sees them through
//! the program). They start between 2024 and 2026; past ones are mostly HELD, future ones
//! PLANNED. Registrations average `registrations / sessions` per session (the total is exact);
//! one in twenty is CANCELLED, and in a held session four in five of the others attended.
//! `registered_count` and `attended_count` equal the rows, as the server maintains them.

use chrono::Datelike;
use khuyenhoc_core::search::normalize;
use rand::Rng;

use super::programs::ProgramRef;
use super::rows::{self, Cell};
use super::tree::Tree;
use super::{Emitter, Plan, names, rng_for, ts};

/// Emits the sessions and their registrations.
pub fn generate(plan: &Plan, tree: &Tree, programs: &[ProgramRef], seed: u64, out: &mut Emitter) {
    let mut rng = rng_for(seed, 3);
    let start = ts(2024, 1, 1, 0);
    let end = ts(2026, 12, 31, 0);
    let now = ts(2026, 11, 29, 0);
    let average = plan.registrations / plan.sessions.max(1);
    let mut carry = 0;
    let mut registration_id = 0_i64;
    for i in 0..plan.sessions {
        let id = i as i64 + 1;
        let program = (rng.random_bool(0.3) && !programs.is_empty())
            .then(|| programs[rng.random_range(0..programs.len())]);
        let organiser = match (program, rng.random_range(0..100)) {
            (Some(p), _) => p.owner,
            (None, 0..10) => tree.provinces[rng.random_range(0..tree.provinces.len())],
            (None, 10..65) => tree.communes[rng.random_range(0..tree.communes.len())].id,
            (None, _) => tree.branches[rng.random_range(0..tree.branches.len())].id,
        };
        // Pairs of sessions share `2 * average` registrations, so the total is exact.
        let planned = if i % 2 == 0 {
            carry = rng.random_range(0..=average);
            average - carry
        } else {
            average + carry
        };
        let planned = if i + 1 == plan.sessions && i % 2 == 0 {
            plan.registrations - registration_id as usize
        } else {
            planned
        };
        let starts_at = rng.random_range(start..end) / 3600 * 3600;
        let ends_at = starts_at + 3600 * rng.random_range(2..=8);
        let status = if starts_at < now {
            match rng.random_range(0..100) {
                0..88 => "HELD",
                88..95 => "CANCELLED",
                _ => "PLANNED",
            }
        } else if rng.random_bool(0.05) {
            "CANCELLED"
        } else {
            "PLANNED"
        };
        let (mode, venue, url) = match rng.random_range(0..10) {
            0..6 => (
                "IN_PERSON",
                Some(format!("Hội trường {}", names::place(&mut rng))),
                None,
            ),
            6..8 => (
                "ONLINE",
                None,
                Some(format!("https://hop.khuyenhoc.vn/{id}")),
            ),
            _ => (
                "HYBRID",
                Some(format!("Nhà văn hóa {}", names::place(&mut rng))),
                Some(format!("https://hop.khuyenhoc.vn/{id}")),
            ),
        };
        let year = chrono::DateTime::from_timestamp(starts_at, 0).map_or(2025, |d| d.year());
        let title = format!("Tập huấn {} năm {year} số {id}", names::topic(&mut rng));
        let capacity = rng
            .random_bool(0.5)
            .then(|| planned as i64 + rng.random_range(0..20));
        let created = starts_at - 30 * 86_400;

        let mut registered = 0_i64;
        let mut attended = 0_i64;
        let mut registrations = Vec::with_capacity(planned);
        for _ in 0..planned {
            registration_id += 1;
            let cancelled = rng.random_bool(0.05);
            let came = !cancelled && status == "HELD" && rng.random_bool(0.8);
            registered += i64::from(!cancelled);
            attended += i64::from(came);
            let person = names::person(&mut rng);
            let contact = format!("09{registration_id:08}");
            registrations.push(vec![
                Cell::Int(registration_id),
                Cell::Int(id),
                Cell::text(person.text.as_str()),
                Cell::text(person.search.as_str()),
                Cell::Int(organiser),
                Cell::text("Hội viên"),
                Cell::Text(contact.clone()),
                Cell::Text(format!("contact:{contact}")),
                Cell::text(if cancelled { "CANCELLED" } else { "REGISTERED" }),
                Cell::Bool(came),
                Cell::opt_ts(came.then_some(starts_at)),
                Cell::Ts(created + 86_400),
                Cell::Ts(if came { starts_at } else { created + 86_400 }),
                Cell::Int(1),
            ]);
        }
        out.emit(
            &rows::TRAINING_SESSION,
            vec![
                Cell::Int(id),
                Cell::Int(organiser),
                Cell::opt_int(program.map(|p| p.id)),
                Cell::Text(title.clone()),
                Cell::Text(normalize(&title)),
                Cell::text(r#"["KEY_STAFF","MEMBERS"]"#),
                Cell::text(mode),
                Cell::opt_text(venue),
                Cell::opt_text(url),
                Cell::Ts(starts_at),
                Cell::Ts(ends_at),
                Cell::opt_int(capacity),
                Cell::text(status),
                if status == "CANCELLED" {
                    Cell::text("Hoãn do thời tiết")
                } else {
                    Cell::Null
                },
                Cell::Int(registered),
                Cell::Int(attended),
                Cell::Ts(created),
                Cell::Ts(created),
                Cell::Int(1),
            ],
        );
        for row in registrations {
            out.emit(&rows::REGISTRATION, row);
        }
    }
}
