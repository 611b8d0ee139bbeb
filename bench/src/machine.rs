//! The machine under the benchmark: how much of its CPU a level used, and whether the CPU itself
//! slowed down while it ran.
//!
//! Small cloud machines throttle. On this project's 2-core host a fixed loop ran 1.5–1.7 s when
//! the machine had rested and 2.6 s after a few minutes of full load, so consecutive runs of one
//! build lost 30 % of their throughput to the host, not to the code (bench/BASELINE.md,
//! finding 19). Each level therefore times a fixed piece of work before its warm-up and after
//! it ends ([`probe`]): when the second is much slower, the level ran on a throttled CPU and
//! compares only with runs at the same probe. The machine-wide CPU use over the measured window
//! ([`CpuSample`]) gives the CPU time per request, which throttling disturbs less than
//! throughput does.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The slowdown from the first probe to the second above which a level is flagged.
pub const THROTTLED_RATIO: f64 = 1.2;

/// Times a fixed, single-threaded integer workload (the best of three runs, each around 75 ms on
/// this project's rested host). Run it while the machine is otherwise idle.
pub async fn probe() -> Duration {
    tokio::task::spawn_blocking(|| (0..3).map(|_| timed_work(PROBE_ITERATIONS)).min())
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Rounds of the probe's loop.
const PROBE_ITERATIONS: u64 = 40_000_000;

fn timed_work(iterations: u64) -> Duration {
    let started = Instant::now();
    // xorshift64: cheap, not optimised away (black_box), no memory traffic.
    let mut x: u64 = black_box(0x9E37_79B9_7F4A_7C15);
    for _ in 0..black_box(iterations) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x);
    started.elapsed()
}

/// Cumulative CPU time of the whole machine, from the first line of `/proc/stat`.
#[derive(Debug, Clone, Copy)]
pub struct CpuSample {
    /// Ticks spent busy: user, nice, system, irq, softirq.
    busy: u64,
    /// Ticks the hypervisor gave to someone else.
    steal: u64,
}

impl CpuSample {
    /// Reads `/proc/stat`; `None` off Linux.
    pub fn now() -> Option<Self> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let line = stat.lines().next()?.strip_prefix("cpu ")?;
        let ticks: Vec<u64> = line
            .split_whitespace()
            .map(|t| t.parse().unwrap_or(0))
            .collect();
        // user nice system idle iowait irq softirq steal …
        let at = |i: usize| ticks.get(i).copied().unwrap_or(0);
        Some(Self {
            busy: at(0) + at(1) + at(2) + at(5) + at(6),
            steal: at(7),
        })
    }
}

/// The machine during one level.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct MachineStats {
    /// Cores the machine has.
    pub cores: usize,
    /// Cores busy on average over the measured window (everything: server, database, driver).
    pub busy_cores: Option<f64>,
    /// Cores' worth of time stolen by the hypervisor over the window.
    pub steal_cores: Option<f64>,
    /// Busy CPU milliseconds of the whole machine per completed request.
    pub cpu_ms_per_op: Option<f64>,
    /// The probe before the warm-up, ms.
    pub probe_before_ms: f64,
    /// The probe after the level, ms.
    pub probe_after_ms: f64,
}

impl MachineStats {
    /// Combines the probes and the CPU samples around a window of `seconds` with `ops_per_second`.
    pub fn new(
        probes: (Duration, Duration),
        window: Option<(CpuSample, CpuSample)>,
        seconds: f64,
        ops_per_second: f64,
    ) -> Self {
        let per_core_second = TICKS_PER_SECOND * seconds.max(f64::EPSILON);
        let busy_cores =
            window.map(|(a, b)| b.busy.saturating_sub(a.busy) as f64 / per_core_second);
        Self {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            busy_cores,
            steal_cores: window
                .map(|(a, b)| b.steal.saturating_sub(a.steal) as f64 / per_core_second),
            cpu_ms_per_op: busy_cores
                .filter(|_| ops_per_second > 0.0)
                .map(|cores| cores * 1000.0 / ops_per_second),
            probe_before_ms: probes.0.as_secs_f64() * 1000.0,
            probe_after_ms: probes.1.as_secs_f64() * 1000.0,
        }
    }

    /// How much slower the probe ran after the level than before it.
    pub fn slowdown(&self) -> f64 {
        if self.probe_before_ms > 0.0 {
            self.probe_after_ms / self.probe_before_ms
        } else {
            1.0
        }
    }

    /// One line for the report.
    pub fn describe(&self) -> String {
        let mut out = match (self.busy_cores, self.cpu_ms_per_op) {
            (Some(busy), Some(per_op)) => format!(
                "machine {busy:.2} of {} cores busy, {per_op:.2} CPU-ms per request",
                self.cores
            ),
            _ => format!("machine {} cores", self.cores),
        };
        if let Some(steal) = self.steal_cores.filter(|s| *s >= 0.01) {
            out.push_str(&format!(", {steal:.2} cores stolen"));
        }
        out.push_str(&format!(
            "; speed probe {:.1} → {:.1} ms",
            self.probe_before_ms, self.probe_after_ms
        ));
        if self.slowdown() > THROTTLED_RATIO {
            out.push_str(&format!(
                " (**{:.2}× slower after the level: the host throttled the CPU; compare only \
                 with runs at the same probe**)",
                self.slowdown()
            ));
        }
        out
    }
}

/// Clock ticks per second of `/proc/stat` (`USER_HZ`, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_per_request_follows_from_busy_ticks() {
        let a = CpuSample {
            busy: 1_000,
            steal: 0,
        };
        let b = CpuSample {
            busy: 1_000 + 2 * 100 * 10,
            steal: 50,
        };
        let stats = MachineStats::new(
            (Duration::from_millis(30), Duration::from_millis(45)),
            Some((a, b)),
            10.0,
            250.0,
        );
        assert_eq!(stats.busy_cores, Some(2.0));
        assert_eq!(stats.cpu_ms_per_op, Some(8.0));
        assert_eq!(stats.steal_cores, Some(0.05));
        assert!((stats.slowdown() - 1.5).abs() < 1e-9);
        assert!(stats.describe().contains("throttled"));
    }

    #[test]
    fn a_steady_probe_is_not_flagged() {
        let stats = MachineStats::new(
            (Duration::from_millis(30), Duration::from_millis(31)),
            None,
            10.0,
            0.0,
        );
        assert_eq!(stats.cpu_ms_per_op, None);
        assert!(!stats.describe().contains("throttled"));
    }

    #[test]
    fn the_probe_measures_time() {
        assert!(timed_work(100_000) > Duration::ZERO);
    }
}
