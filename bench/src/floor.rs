//! The raw-database floor: hand-written SQL returning what the program dashboard and the
//! provincial statistics need (`bench/pgbench/*.sql`), run through `pgbench` (16 clients, 2
//! threads, 30 s) on the same database, beside the API's throughput for the same operation.
//!
//! The API figure is only comparable when the operation ran alone at concurrency 16
//! (`run --only program_dashboard --concurrency 16 --floor`); in a mixed run the ratio is left
//! out.

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use tokio::process::Command;

use crate::report::LevelReport;

/// The scripts: (operation, file name, SQL).
const SCRIPTS: [(&str, &str, &str); 2] = [
    (
        "program_dashboard",
        "dashboard.sql",
        include_str!("../pgbench/dashboard.sql"),
    ),
    (
        "province_statistics",
        "province_statistics.sql",
        include_str!("../pgbench/province_statistics.sql"),
    ),
];

/// pgbench clients, threads and seconds.
const CLIENTS: u32 = 16;
const THREADS: u32 = 2;
const SECONDS: u32 = 30;

/// The floor of each operation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FloorReport {
    /// One line per script.
    pub lines: Vec<FloorLine>,
}

/// One script's result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FloorLine {
    /// The API operation it mirrors.
    pub op: String,
    /// pgbench transactions (= screens) per second.
    pub database_tps: f64,
    /// The API's operations per second at concurrency 16, when it ran alone.
    pub api_per_second: Option<f64>,
    /// `api_per_second / database_tps`.
    pub fraction: Option<f64>,
}

/// Runs each script with pgbench against `url`.
pub async fn run(url: &str, province: i64, levels: &[LevelReport]) -> Result<FloorReport> {
    let dir = tempfile::tempdir()?;
    let mut lines = Vec::new();
    for (op, file, sql) in SCRIPTS {
        let path = dir.path().join(file);
        std::fs::write(&path, sql)?;
        println!("pgbench {file}: {CLIENTS} clients, {SECONDS}s …");
        let mut pgbench = Command::new("pgbench");
        if khuyenhoc_core::db::postgres_without_tls(url) {
            // Connect as the server does (libpq alone would prefer TLS), so the floor and
            // the API pay for the same transport.
            pgbench.env("PGSSLMODE", "disable");
        }
        let output = pgbench
            .args(["-n", "-f"])
            .arg(&path)
            .args([
                "-c",
                &CLIENTS.to_string(),
                "-j",
                &THREADS.to_string(),
                "-T",
                &SECONDS.to_string(),
            ])
            .args(["-D", &format!("province={province}")])
            .arg(url)
            .output()
            .await
            .context("running pgbench (is the PostgreSQL client installed?)")?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            bail!(
                "pgbench {file} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let database_tps =
            parse_tps(&stdout).with_context(|| format!("no tps in pgbench output:\n{stdout}"))?;
        let api_per_second = levels
            .iter()
            .find(|l| l.concurrency == CLIENTS as usize && l.ops.len() == 1 && l.ops[0].op == op)
            .map(|l| l.ops[0].per_second);
        lines.push(FloorLine {
            op: op.to_owned(),
            database_tps,
            api_per_second,
            fraction: api_per_second.map(|api| api / database_tps),
        });
    }
    Ok(FloorReport { lines })
}

fn parse_tps(output: &str) -> Option<f64> {
    output
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// The floor as a Markdown table.
pub fn table(floor: &FloorReport) -> String {
    let mut out = format!(
        "Raw-database floor (pgbench -c {CLIENTS} -j {THREADS} -T {SECONDS})\n\n| operation | database screens/s | API ops/s at c={CLIENTS} | fraction |\n|---|---:|---:|---:|\n"
    );
    for line in &floor.lines {
        let _ = writeln!(
            out,
            "| {} | {:.1} | {} | {} |",
            line.op,
            line.database_tps,
            line.api_per_second
                .map_or("(mixed run)".to_owned(), |v| format!("{v:.1}")),
            line.fraction
                .map_or("–".to_owned(), |f| format!("{:.0} %", f * 100.0)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pgbench_tps() {
        let out = "latency average = 3.1 ms\ntps = 5123.456789 (without initial connection time)\n";
        assert_eq!(parse_tps(out), Some(5123.456789));
    }
}
