//! Aggregating samples into per-operation figures, the pass/fail checks, and the printed table,
//! JSON and Markdown reports.
//!
//! Percentiles are exact (sorted samples, nearest rank), not estimated.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::RunArgs;
use crate::driver::ops::Op;
use crate::driver::worker::Sample;
use crate::floor::FloorReport;
use crate::machine::MachineStats;

/// Figures of one operation (or of all) at one level.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpReport {
    /// Operation name, or `overall`.
    pub op: String,
    /// Who sent it.
    pub actor: String,
    /// Operations recorded.
    pub count: u64,
    /// Operations per second over the measured window.
    pub per_second: f64,
    /// Latency percentiles, milliseconds.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
    /// Operations with errors, by error code.
    pub errors: BTreeMap<String, u64>,
    /// Fewest SQL statements one operation ran.
    pub statements_min: u64,
    /// Most SQL statements one operation ran.
    pub statements_max: u64,
    /// Mean statements.
    pub statements_mean: f64,
    /// The documented limit (`None` for `overall`).
    pub statement_limit: Option<u64>,
}

/// The server process during a level's measured window.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct ServerStats {
    /// Peak resident set (VmHWM), MiB.
    pub peak_rss_mib: f64,
    /// CPU use, percent of one core.
    pub cpu_percent: f64,
}

/// One concurrency level.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LevelReport {
    /// Clients.
    pub concurrency: usize,
    /// Measured seconds.
    pub seconds: f64,
    /// Per operation, in [`Op::ALL`] order.
    pub ops: Vec<OpReport>,
    /// All operations together.
    pub overall: OpReport,
    /// The server's memory and CPU, when the driver started it.
    pub server: Option<ServerStats>,
    /// The machine's CPU use and speed probes.
    pub machine: MachineStats,
}

/// Confirmed writes against stored rows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WriteCheck {
    /// The run's tag in the written rows.
    pub run_id: String,
    /// One line per count.
    pub lines: Vec<WriteLine>,
}

/// One count of the write check.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WriteLine {
    /// What is counted.
    pub what: String,
    /// Writes the server confirmed.
    pub confirmed: u64,
    /// Rows found.
    pub stored: u64,
}

/// The whole run.
#[derive(Debug, serde::Serialize)]
pub struct RunReport {
    /// File name stem.
    pub label: String,
    /// `postgres` or `sqlite`.
    pub backend: String,
    /// When it ran (UTC).
    pub finished_at: String,
    /// Measured seconds per level.
    pub duration_seconds: f64,
    /// Warm-up seconds per level.
    pub warmup_seconds: f64,
    /// Per level.
    pub levels: Vec<LevelReport>,
    /// The write check.
    pub writes: WriteCheck,
    /// The raw-database floor, if run.
    pub floor: Option<FloorReport>,
    /// Why the run failed; empty when it passed.
    pub failures: Vec<String>,
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    millis(sorted[rank - 1])
}

fn summarise(
    name: &str,
    actor: &str,
    samples: &[&Sample],
    seconds: f64,
    limit: Option<u64>,
) -> OpReport {
    let mut latencies: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    latencies.sort_unstable();
    let mut errors = BTreeMap::new();
    for sample in samples {
        let mut codes = sample.errors.clone();
        codes.sort();
        codes.dedup();
        for code in codes {
            *errors.entry(code).or_insert(0) += 1;
        }
    }
    let statements: Vec<u64> = samples.iter().map(|s| s.statements).collect();
    OpReport {
        op: name.to_owned(),
        actor: actor.to_owned(),
        count: samples.len() as u64,
        per_second: samples.len() as f64 / seconds.max(1e-9),
        p50_ms: percentile(&latencies, 0.50),
        p95_ms: percentile(&latencies, 0.95),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().copied().map_or(0.0, millis),
        errors,
        statements_min: statements.iter().copied().min().unwrap_or(0),
        statements_max: statements.iter().copied().max().unwrap_or(0),
        statements_mean: statements.iter().sum::<u64>() as f64 / statements.len().max(1) as f64,
        statement_limit: limit,
    }
}

impl LevelReport {
    /// Aggregates one level's samples.
    pub fn new(
        concurrency: usize,
        duration: Duration,
        samples: &[Sample],
        server: Option<ServerStats>,
        machine: impl FnOnce(f64) -> MachineStats,
    ) -> Self {
        let seconds = duration.as_secs_f64();
        let ops = Op::ALL
            .into_iter()
            .filter_map(|op| {
                let mine: Vec<&Sample> = samples.iter().filter(|s| s.op == op).collect();
                (!mine.is_empty()).then(|| {
                    let actor = serde_json::to_value(op.actor())
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    summarise(
                        op.name(),
                        &actor,
                        &mine,
                        seconds,
                        Some(op.statement_limit()),
                    )
                })
            })
            .collect();
        let all: Vec<&Sample> = samples.iter().collect();
        let overall = summarise("overall", "", &all, seconds, None);
        let machine = machine(overall.per_second);
        Self {
            concurrency,
            seconds,
            ops,
            overall,
            server,
            machine,
        }
    }
}

impl RunReport {
    /// Assembles the report and decides pass/fail.
    pub fn new(
        label: String,
        backend: String,
        args: &RunArgs,
        levels: Vec<LevelReport>,
        writes: WriteCheck,
        floor: Option<FloorReport>,
    ) -> Self {
        let mut failures = Vec::new();
        for level in &levels {
            for op in &level.ops {
                if let Some(limit) = op.statement_limit
                    && op.statements_max > limit
                {
                    failures.push(format!(
                        "c={}: {} ran {} SQL statements, its limit is {limit}",
                        level.concurrency, op.op, op.statements_max
                    ));
                }
                if op.statements_max == 0 && op.count > 0 {
                    failures.push(format!(
                        "c={}: {} reported no x-sql-statements header",
                        level.concurrency, op.op
                    ));
                }
                if !op.errors.is_empty() {
                    failures.push(format!(
                        "c={}: {} errors {:?}",
                        level.concurrency, op.op, op.errors
                    ));
                }
            }
        }
        for line in &writes.lines {
            if line.confirmed != line.stored {
                failures.push(format!(
                    "writes: {}: {} confirmed but {} stored",
                    line.what, line.confirmed, line.stored
                ));
            }
        }
        Self {
            label,
            backend,
            finished_at: chrono::Utc::now().to_rfc3339(),
            duration_seconds: args.duration.as_secs_f64(),
            warmup_seconds: args.warmup.as_secs_f64(),
            levels,
            writes,
            floor,
            failures,
        }
    }
}

/// The Markdown table of one level (also printed to the terminal).
pub fn level_table(level: &LevelReport) -> String {
    let mut out = String::new();
    let server = level.server.map_or_else(
        || "server: not measured".to_owned(),
        |s| {
            format!(
                "server peak RSS {:.0} MiB, CPU {:.0} %",
                s.peak_rss_mib, s.cpu_percent
            )
        },
    );
    let _ = writeln!(
        out,
        "Concurrency {} ({:.0}s measured; {server}; {})\n",
        level.concurrency,
        level.seconds,
        level.machine.describe()
    );
    let _ = writeln!(
        out,
        "| operation | actor | ops | ops/s | p50 ms | p95 ms | p99 ms | max ms | SQL/op (min–max, limit) | errors |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---|---|");
    for op in level.ops.iter().chain(std::iter::once(&level.overall)) {
        let limit = op
            .statement_limit
            .map_or(String::new(), |l| format!(", ≤{l}"));
        let errors = if op.errors.is_empty() {
            "0".to_owned()
        } else {
            op.errors
                .iter()
                .map(|(k, v)| format!("{k}×{v}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {}–{}{} | {} |",
            op.op,
            op.actor,
            op.count,
            op.per_second,
            op.p50_ms,
            op.p95_ms,
            op.p99_ms,
            op.max_ms,
            op.statements_min,
            op.statements_max,
            limit,
            errors
        );
    }
    out
}

/// Prints one level's table.
pub fn print_level(level: &LevelReport) {
    println!("\n{}", level_table(level));
}

fn writes_table(writes: &WriteCheck) -> String {
    let mut out = format!(
        "Writes of run `{}` (confirmed by the server vs rows stored)\n\n",
        writes.run_id
    );
    out.push_str("| count | confirmed | stored | ok |\n|---|---:|---:|---|\n");
    for line in &writes.lines {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            line.what,
            line.confirmed,
            line.stored,
            if line.confirmed == line.stored {
                "yes"
            } else {
                "NO"
            }
        );
    }
    out
}

/// Prints the write check, the floor and the verdict.
pub fn print_summary(run: &RunReport) {
    println!("{}", writes_table(&run.writes));
    if let Some(floor) = &run.floor {
        println!("{}", crate::floor::table(floor));
    }
    if run.failures.is_empty() {
        println!(
            "PASS: no errors, every operation within its statement limit, no write lost or duplicated"
        );
    } else {
        for failure in &run.failures {
            println!("FAIL: {failure}");
        }
    }
}

/// Writes `value` as pretty JSON to `dir/name.json`.
pub fn write_json(dir: &Path, name: &str, value: &impl serde::Serialize) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(value)?)
        .with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Writes the Markdown report to `dir/<label>.md`.
pub fn write_markdown(dir: &Path, run: &RunReport) -> Result<()> {
    let mut out = format!(
        "# khuyenhoc benchmark `{}`\n\n{} · {} · warm-up {:.0}s, {:.0}s measured per level\n\n",
        run.label, run.backend, run.finished_at, run.warmup_seconds, run.duration_seconds
    );
    for level in &run.levels {
        out.push_str(&level_table(level));
        out.push('\n');
    }
    out.push_str(&writes_table(&run.writes));
    if let Some(floor) = &run.floor {
        out.push('\n');
        out.push_str(&crate::floor::table(floor));
    }
    out.push_str(if run.failures.is_empty() {
        "\n**PASS**\n"
    } else {
        "\n**FAIL**\n\n"
    });
    for failure in &run.failures {
        let _ = writeln!(out, "- {failure}");
    }
    let path = dir.join(format!("{}.md", run.label));
    std::fs::write(&path, out).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert!((percentile(&sorted, 0.5) - 50.0).abs() < 1e-9);
        assert!((percentile(&sorted, 0.99) - 99.0).abs() < 1e-9);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
