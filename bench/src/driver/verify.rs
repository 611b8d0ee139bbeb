//! After the run: the rows the writes left must equal the writes the server confirmed — nothing
//! lost, nothing duplicated — and the sessions' `registered_count` must equal their rows.

use std::sync::atomic::Ordering;

use anyhow::Result;
use sea_orm::DatabaseConnection;

use super::worker::Shared;
use crate::load::scalar;
use crate::report::{WriteCheck, WriteLine};

/// Counts the run's rows and compares them with the confirmed writes.
pub async fn check(db: &DatabaseConnection, shared: &Shared) -> Result<WriteCheck> {
    let run = &shared.run_id;
    let c = &shared.counters;
    let load = |n: &std::sync::atomic::AtomicU64| n.load(Ordering::Relaxed);
    let sessions = format!("FROM training_session WHERE title LIKE 'BENCH {run} %'");
    let assessments = format!("FROM assessment WHERE subject_name LIKE 'Bench {run} %'");
    let registered = load(&c.registered);
    let submitted = load(&c.submitted);
    let approved = load(&c.approved);
    let created = load(&c.created);
    let lines = vec![
        line("sessions planned", load(&c.planned), scalar(db, &format!("SELECT COUNT(*) {sessions}")).await?),
        line(
            "participants registered",
            registered,
            scalar(db, &format!("SELECT COUNT(*) FROM registration WHERE contact LIKE 'bench-{run}-%' AND status = 'REGISTERED'")).await?,
        ),
        line(
            "registered_count of the run's sessions",
            registered,
            scalar(db, &format!("SELECT COALESCE(SUM(registered_count), 0) {sessions}")).await?,
        ),
        line("assessments created", created, scalar(db, &format!("SELECT COUNT(*) {assessments}")).await?),
        line(
            "assessments still DRAFT",
            created - submitted,
            scalar(db, &format!("SELECT COUNT(*) {assessments} AND status = 'DRAFT'")).await?,
        ),
        line(
            "assessments SUBMITTED",
            submitted - approved,
            scalar(db, &format!("SELECT COUNT(*) {assessments} AND status = 'SUBMITTED'")).await?,
        ),
        line("assessments APPROVED", approved, scalar(db, &format!("SELECT COUNT(*) {assessments} AND status = 'APPROVED'")).await?),
    ];
    Ok(WriteCheck {
        run_id: run.clone(),
        lines,
    })
}

fn line(what: &str, confirmed: u64, stored: u64) -> WriteLine {
    WriteLine {
        what: what.to_owned(),
        confirmed,
        stored,
    }
}
