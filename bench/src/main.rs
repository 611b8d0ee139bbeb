//! `khuyenhoc-bench`: the national-scale benchmark of khuyenhoc (issue #8).
//!
//! * `generate` — migrate an empty database and load a deterministic dataset (`small`,
//!   `medium`, `national`).
//! * `run` — start the release server on that database (or target a running one), drive a fixed
//!   mix of real-screen operations at several concurrency levels, and report throughput,
//!   latency, errors, SQL statements per request and the server's memory and CPU; fails when an
//!   operation runs more statements than its documented limit, errs, or loses a write.
//! * `smoke` — the CI check: `small` on SQLite in a temporary directory, a few seconds at
//!   concurrency 4.
//!
//! See `bench/README.md` for the operator's guide.

mod actors;
mod dataset;
mod driver;
mod floor;
mod load;
mod machine;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use dataset::Size;

/// Dataset generator and load driver for khuyenhoc.
#[derive(Debug, Parser)]
#[command(name = "khuyenhoc-bench", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate an empty database and load a generated dataset into it.
    Generate {
        /// How much to generate.
        #[arg(long, value_enum, default_value_t = Size::Small)]
        size: Size,
        /// Seed of the generator: the same seed gives the same rows.
        #[arg(long, default_value_t = 8)]
        seed: u64,
        /// sqlite://FILE or postgres://USER@HOST/DB (must hold no organisations yet).
        #[arg(long, env = "BENCH_DATABASE_URL")]
        database_url: String,
    },
    /// Drive the operation mix against a generated database and report.
    Run(Box<RunArgs>),
    /// CI smoke test: `small` on SQLite in a temporary directory, a few seconds at concurrency
    /// 4; exits non-zero on any error or statement-count regression.
    Smoke {
        /// The server binary (default: `khuyenhoc` next to this binary).
        #[arg(long)]
        server_bin: Option<PathBuf>,
        /// Seconds of measurement.
        #[arg(long, default_value = "4s", value_parser = duration)]
        duration: Duration,
    },
}

/// Options of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The generated database (also used to look up ids and to check writes afterwards).
    #[arg(long, env = "BENCH_DATABASE_URL")]
    pub database_url: String,
    /// Concurrency levels, run one after the other.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    pub concurrency: Vec<usize>,
    /// Measured time per level.
    #[arg(long, default_value = "60s", value_parser = duration)]
    pub duration: Duration,
    /// Unmeasured warm-up per level.
    #[arg(long, default_value = "5s", value_parser = duration)]
    pub warmup: Duration,
    /// Server binary to start (default: `khuyenhoc` next to this binary).
    #[arg(long, conflicts_with = "target")]
    pub server_bin: Option<PathBuf>,
    /// Base URL of a running server instead (started with the same JWT secret and issuer, see
    /// README); no memory/CPU figures then.
    #[arg(long)]
    pub target: Option<String>,
    /// JWT secret shared with the server (HS256).
    #[arg(
        long,
        env = "BENCH_JWT_SECRET",
        default_value = "khuyenhoc-bench-secret-0123456789abcdef"
    )]
    pub jwt_secret: String,
    /// Extra `KEY=VALUE` environment for the started server (e.g.
    /// `KHUYENHOC_DATABASE__MAX_CONNECTIONS=32`).
    #[arg(long = "server-env", value_name = "KEY=VALUE")]
    pub server_env: Vec<String>,
    /// Skip the `VACUUM (ANALYZE)` before each level (PostgreSQL; like `pgbench -n`).
    #[arg(long)]
    pub no_vacuum: bool,
    /// Run the raw-database floor (pgbench, PostgreSQL only) after the mix.
    #[arg(long)]
    pub floor: bool,
    /// Only these operations (default: the whole mix).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Where the JSON and Markdown reports go.
    #[arg(long, default_value = "bench/results")]
    pub results: PathBuf,
    /// A label for the report files (default: backend and time).
    #[arg(long)]
    pub label: Option<String>,
    /// Seed of the driver's choices (which ids, which filters).
    #[arg(long, default_value_t = 8)]
    pub seed: u64,
}

fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("FAILED: see the failures listed above");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command; `Ok(false)` when a benchmark check failed.
async fn run(cli: Cli) -> Result<bool> {
    match cli.command {
        Command::Generate {
            size,
            seed,
            database_url,
        } => {
            let report = load::generate(&database_url, size, seed).await?;
            let backend = report.backend.clone();
            report::write_json(
                &PathBuf::from("bench/results"),
                &format!("load-{backend}-{size:?}").to_lowercase(),
                &report,
            )?;
            Ok(true)
        }
        Command::Run(args) => driver::run(*args).await,
        Command::Smoke {
            server_bin,
            duration,
        } => {
            let dir = tempfile::tempdir().context("creating a temporary directory")?;
            let url = format!("sqlite://{}", dir.path().join("smoke.db").display());
            load::generate(&url, Size::Small, 8).await?;
            let args = RunArgs {
                database_url: url,
                concurrency: vec![4],
                duration,
                warmup: Duration::from_secs(1),
                server_bin,
                target: None,
                jwt_secret: "khuyenhoc-bench-secret-0123456789abcdef".to_owned(),
                server_env: Vec::new(),
                no_vacuum: false,
                floor: false,
                only: Vec::new(),
                results: dir.path().join("results"),
                label: Some("smoke".to_owned()),
                seed: 8,
            };
            driver::run(args).await
        }
    }
}
