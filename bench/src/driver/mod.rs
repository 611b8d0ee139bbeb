//! `run`: drive the operation mix against a server at each concurrency level, then check the
//! writes and the statement limits and write the report.
//!
//! Each level: `concurrency` workers loop until the level ends, each picking operations by
//! weight ([`ops::Op::weight`]) with its own seeded RNG. Requests started during the warm-up are
//! not recorded. The server's peak RSS is reset at the end of the warm-up and read at the end,
//! with its CPU time over the measured window, and the machine's CPU use and speed are taken
//! around the level ([`crate::machine`]).

mod client;
pub mod context;
pub mod ops;
mod server;
mod verify;
pub mod worker;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use khuyenhoc_core::auth::Tokens;
use khuyenhoc_core::auth::token::{SigningKey, TokenSettings};

use crate::RunArgs;
use crate::actors::Actor;
use crate::machine::{self, CpuSample, MachineStats};
use crate::report::{self, LevelReport, RunReport, ServerStats};
use context::Context;
use ops::Op;
use server::Server;
use worker::Shared;

/// Runs the benchmark; `Ok(false)` when a check failed (errors, statement limits, writes).
pub async fn run(args: RunArgs) -> Result<bool> {
    let db = crate::load::open(&args.database_url).await?;
    let ctx = Context::load(&db).await?;
    let backend =
        format!("{:?}", sea_orm::ConnectionTrait::get_database_backend(&db)).to_lowercase();
    std::fs::create_dir_all(&args.results)
        .with_context(|| format!("creating {}", args.results.display()))?;
    let label = args.label.clone().unwrap_or_else(|| {
        format!(
            "run-{backend}-{}",
            chrono::Utc::now().format("%Y%m%d-%H%M%S")
        )
    });

    let mut server = match &args.target {
        Some(url) => Server::external(url),
        None => {
            let bin = args
                .server_bin
                .clone()
                .unwrap_or_else(server::default_binary);
            let log = args.results.join(format!("{label}-server.log"));
            Server::start(
                &bin,
                &args.database_url,
                &args.jwt_secret,
                &args.server_env,
                &log,
            )
            .await?
        }
    };
    let tokens = mint_tokens(&args.jwt_secret, &ctx)?;
    let ops: Vec<Op> = Op::ALL
        .into_iter()
        .filter(|op| args.only.is_empty() || args.only.iter().any(|o| o == op.name()))
        .collect();
    let shared = Arc::new(Shared::new(&server.base, tokens, ctx, ops)?);
    shared.seed_sessions(4).await;

    let mut levels = Vec::new();
    for &concurrency in &args.concurrency {
        if backend == "postgres" && !args.no_vacuum {
            vacuum(&db).await?;
        }
        println!(
            "concurrency {concurrency}: {}s warm-up, {}s measured …",
            args.warmup.as_secs(),
            args.duration.as_secs()
        );
        let level = run_level(
            &shared,
            &server,
            concurrency,
            args.warmup,
            args.duration,
            args.seed,
        )
        .await;
        report::print_level(&level);
        levels.push(level);
    }
    // Let in-flight writes finish before counting rows.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let writes = verify::check(&db, &shared).await?;
    server.stop().await;

    let floor = if args.floor && backend == "postgres" {
        Some(crate::floor::run(&args.database_url, shared.ctx.province, &levels).await?)
    } else {
        None
    };
    let run = RunReport::new(label, backend, &args, levels, writes, floor);
    report::print_summary(&run);
    report::write_json(&args.results, &run.label, &run)?;
    report::write_markdown(&args.results, &run)?;
    Ok(run.failures.is_empty())
}

/// Brings the visibility map and the planner's statistics up to date before a level, as
/// `pgbench` does before its runs: the previous level's (or run's) writes leave the current
/// year's pages not all-visible, so index-only scans over them visit the table for every row
/// (a province-year search read 21,430 buffers instead of 3,771; BASELINE finding 27) until
/// a vacuum, which this machine's PostgreSQL never starts (`autovacuum = off`) and a
/// production one starts late on large tables. Only pages changed since the last vacuum are
/// read: about 2.5 s on the national set after a run.
async fn vacuum(db: &sea_orm::DatabaseConnection) -> Result<()> {
    let started = Instant::now();
    sea_orm::ConnectionTrait::execute_unprepared(db, "VACUUM (ANALYZE)")
        .await
        .context("VACUUM (ANALYZE) before the level")?;
    println!(
        "VACUUM (ANALYZE) in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn mint_tokens(secret: &str, ctx: &Context) -> Result<std::collections::HashMap<Actor, String>> {
    let tokens = Tokens::new(TokenSettings {
        key: SigningKey::Hs256 {
            secret: secret.as_bytes().to_vec(),
        },
        issuer: Some(server::ISSUER.to_owned()),
        audience: None,
        ttl: Duration::from_secs(12 * 3600),
        leeway: Duration::from_secs(30),
    })?;
    Actor::ALL
        .into_iter()
        .map(|actor| Ok((actor, tokens.issue(ctx.users[&actor], None)?.token)))
        .collect()
}

async fn run_level(
    shared: &Arc<Shared>,
    server: &Server,
    concurrency: usize,
    warmup: Duration,
    duration: Duration,
    seed: u64,
) -> LevelReport {
    let probe_before = machine::probe().await;
    let started = Instant::now();
    let measured_from = started + warmup;
    let ends = measured_from + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|n| {
            let shared = Arc::clone(shared);
            let worker_seed = seed ^ ((concurrency as u64) << 32) ^ n as u64;
            tokio::spawn(
                async move { worker::work(shared, worker_seed, measured_from, ends).await },
            )
        })
        .collect();
    tokio::time::sleep_until(measured_from.into()).await;
    let pid = server.pid();
    if let Some(pid) = pid {
        server::reset_peak(pid);
    }
    let before = pid.and_then(server::sample);
    let cpu_before = CpuSample::now();
    tokio::time::sleep_until(ends.into()).await;
    let after = pid.and_then(server::sample);
    let cpu_after = CpuSample::now();
    let mut samples = Vec::new();
    for handle in workers {
        if let Ok(mut s) = handle.await {
            samples.append(&mut s);
        }
    }
    let probe_after = machine::probe().await;
    let server_stats = match (before, after) {
        (Some(b), Some(a)) => Some(ServerStats {
            peak_rss_mib: a.peak_rss_kib as f64 / 1024.0,
            cpu_percent: (a.cpu_ticks.saturating_sub(b.cpu_ticks)) as f64
                / server::TICKS_PER_SECOND
                / duration.as_secs_f64()
                * 100.0,
        }),
        _ => None,
    };
    let window = cpu_before.zip(cpu_after);
    LevelReport::new(
        concurrency,
        duration,
        &samples,
        server_stats,
        |ops_per_second| {
            MachineStats::new(
                (probe_before, probe_after),
                window,
                duration.as_secs_f64(),
                ops_per_second,
            )
        },
    )
}
