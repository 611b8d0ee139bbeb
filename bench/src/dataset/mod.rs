//! The deterministic dataset: sizes, the generator thread and the buffers it fills.
//!
//! Everything is derived from the seed through one `StdRng` per area (tree, programs, training,
//! assessments), so the same seed and size always give the same rows, ids included. The only
//! dates are fixed base dates (2024–2026); nothing depends on the clock.
//!
//! The generator runs on its own thread and hands [`rows::Batch`]es to the loader through a
//! bounded channel, so generating and loading overlap. Rows of a child table are never sent
//! before the rows of its parents they refer to (see [`Emitter::emit`]), so foreign keys hold at
//! every point of a PostgreSQL `COPY`.

pub mod assessments;
pub mod names;
pub mod programs;
pub mod rows;
pub mod training;
pub mod tree;

use std::collections::HashMap;

use chrono::NaiveDate;
use clap::ValueEnum;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::mpsc;

#[cfg(test)]
use rows::Cell;
use rows::{Batch, Row, Table};

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    /// A few thousand rows: CI smoke test, seconds.
    Small,
    /// One tenth of `national` (for the scale-independence comparison).
    Medium,
    /// The whole country (issue #8).
    National,
}

/// Row counts of one size.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Plan {
    /// Provincial branches.
    pub provinces: usize,
    /// Commune branches.
    pub communes: usize,
    /// Unit / village branches (chi hội).
    pub branches: usize,
    /// Partner bodies (each with [`Plan::units_per_partner`] departments).
    pub partner_bodies: usize,
    /// Departments per partner body.
    pub units_per_partner: usize,
    /// Coordination programs.
    pub programs: usize,
    /// Training sessions.
    pub sessions: usize,
    /// Registrations, spread over the sessions.
    pub registrations: usize,
    /// Assessments, spread over [`YEARS`].
    pub assessments: usize,
}

impl Size {
    /// The row counts of this size.
    pub fn plan(self) -> Plan {
        match self {
            Size::National => Plan {
                provinces: 34,
                communes: 3_321,
                branches: 10_000,
                partner_bodies: 15,
                units_per_partner: 4,
                programs: 5_000,
                sessions: 200_000,
                registrations: 2_000_000,
                assessments: 1_000_000,
            },
            Size::Medium => Plan {
                provinces: 34,
                communes: 332,
                branches: 1_000,
                partner_bodies: 15,
                units_per_partner: 4,
                programs: 500,
                sessions: 20_000,
                registrations: 200_000,
                assessments: 100_000,
            },
            Size::Small => Plan {
                provinces: 6,
                communes: 24,
                branches: 60,
                partner_bodies: 3,
                units_per_partner: 2,
                programs: 30,
                sessions: 300,
                registrations: 3_000,
                assessments: 3_000,
            },
        }
    }
}

/// The assessment years; the last is the current one (most drafts and submissions).
pub const YEARS: [i32; 3] = [2024, 2025, 2026];

/// Seconds since the epoch of `y-m-d h:00 UTC`.
pub fn ts(y: i32, m: u32, d: u32, h: u32) -> i64 {
    date(y, m, d)
        .and_hms_opt(h, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

/// A calendar date (the generator only asks for valid ones; an invalid one becomes 2024-01-01).
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// When the generated organisations and users were created.
pub fn base_time() -> i64 {
    ts(2024, 1, 2, 8)
}

/// Rows per batch sent to the loader.
const CHUNK: usize = 20_000;

/// Buffers rows per table and sends them to the loader in parent-first order.
#[derive(Debug)]
pub struct Emitter {
    tx: mpsc::Sender<Batch>,
    buffers: HashMap<&'static str, Vec<Row>>,
    closed: bool,
}

impl Emitter {
    fn new(tx: mpsc::Sender<Batch>) -> Self {
        Self {
            tx,
            buffers: HashMap::new(),
            closed: false,
        }
    }

    /// Queues `row` for `table`. When the buffer is full it is sent, after the buffers of every
    /// table listed before it in [`rows::ALL`] (its parents), so foreign keys always resolve.
    pub fn emit(&mut self, table: &'static Table, row: Row) {
        debug_assert_eq!(row.len(), table.columns.len(), "{}", table.name);
        let buffer = self.buffers.entry(table.name).or_default();
        buffer.push(row);
        if buffer.len() >= CHUNK {
            self.flush_through(table.name);
        }
    }

    /// Sends the buffers of `name` and of every table before it.
    fn flush_through(&mut self, name: &str) {
        for table in rows::ALL {
            self.send(table);
            if table.name == name {
                break;
            }
        }
    }

    fn send(&mut self, table: &'static Table) {
        let Some(rows) = self.buffers.get_mut(table.name) else {
            return;
        };
        if rows.is_empty() || self.closed {
            return;
        }
        let rows = std::mem::take(rows);
        // A closed channel means the loader failed; it reports why, we just stop sending.
        if self.tx.blocking_send(Batch { table, rows }).is_err() {
            self.closed = true;
        }
    }

    /// Sends everything still buffered, parents first.
    fn finish(mut self) {
        for table in rows::ALL {
            self.send(table);
        }
    }
}

/// A seeded RNG for one area of the dataset, independent of the other areas.
pub fn rng_for(seed: u64, area: u64) -> StdRng {
    StdRng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ area)
}

/// Starts the generator thread; batches arrive on the returned channel, which closes when all
/// rows are sent.
pub fn spawn(size: Size, seed: u64) -> mpsc::Receiver<Batch> {
    let (tx, rx) = mpsc::channel(4);
    std::thread::spawn(move || {
        let plan = size.plan();
        let mut out = Emitter::new(tx);
        let tree = tree::generate(&plan, seed, &mut out);
        let checklists = assessments::checklists(&tree, &mut out);
        let programs = programs::generate(&plan, &tree, seed, &mut out);
        training::generate(&plan, &tree, &programs, seed, &mut out);
        assessments::generate(&plan, &tree, &checklists, seed, &mut out);
        out.finish();
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(size: Size, seed: u64) -> HashMap<&'static str, Vec<Row>> {
        let mut rx = spawn(size, seed);
        let mut all: HashMap<&'static str, Vec<Row>> = HashMap::new();
        while let Some(batch) = rx.blocking_recv() {
            all.entry(batch.table.name).or_default().extend(batch.rows);
        }
        all
    }

    #[test]
    fn the_same_seed_gives_the_same_rows_and_the_planned_counts() {
        let first = collect(Size::Small, 8);
        assert_eq!(first, collect(Size::Small, 8));
        assert_ne!(
            first["registration"],
            collect(Size::Small, 9)["registration"]
        );
        let plan = Size::Small.plan();
        assert_eq!(first["registration"].len(), plan.registrations);
        assert_eq!(first["training_session"].len(), plan.sessions);
        assert_eq!(first["assessment"].len(), plan.assessments);
        assert_eq!(first["program"].len(), plan.programs);
        assert_eq!(first["criteria_checklist"].len(), 5);
        // Every workflow state occurs.
        let status = rows::ASSESSMENT.columns.iter().position(|c| *c == "status");
        for state in ["DRAFT", "SUBMITTED", "APPROVED", "RETURNED"] {
            assert!(
                first["assessment"]
                    .iter()
                    .any(|row| status.is_some_and(|i| row[i] == Cell::text(state))),
                "{state}"
            );
        }
    }
}
