//! Counting SQL statements per request.
//!
//! The connection's metric callback adds one to the counter of the task it runs in, if that task
//! runs inside [`StatementCounter::scope`]. Work a request spawns (dataloader batches) is wrapped
//! in the same scope by the GraphQL layer, so the count covers the whole request.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::DatabaseConnection;

tokio::task_local! {
    static CURRENT: StatementCounter;
}

static TOTAL: AtomicU64 = AtomicU64::new(0);

/// A shared count of SQL statements.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `future` with statements it executes counted here.
    pub fn scope<F: Future>(&self, future: F) -> impl Future<Output = F::Output> + use<F> {
        CURRENT.scope(self.clone(), future)
    }

    /// Statements counted so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// The counter of the current task, if it runs inside a scope.
    pub fn current() -> Option<Self> {
        CURRENT.try_with(Clone::clone).ok()
    }
}

/// Statements executed by this process since start.
pub fn total_statements() -> u64 {
    TOTAL.load(Ordering::Relaxed)
}

pub(super) fn install(db: &mut DatabaseConnection) {
    db.set_metric_callback(|info| {
        TOTAL.fetch_add(1, Ordering::Relaxed);
        // `RUST_LOG=khuyenhoc::sql=trace` shows every statement with its duration.
        tracing::trace!(
            target: "khuyenhoc::sql",
            elapsed_us = u64::try_from(info.elapsed.as_micros()).unwrap_or(u64::MAX),
            failed = info.failed,
            sql = %info.statement.sql,
        );
        let _ = CURRENT.try_with(|counter| counter.0.fetch_add(1, Ordering::Relaxed));
    });
}
