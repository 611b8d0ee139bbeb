//! The server under test: started from the release binary with environment configuration, or a
//! running one given by URL; and its memory and CPU read from `/proc`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::process::{Child, Command};

/// JWT issuer the started server is configured with and the driver's tokens carry.
pub const ISSUER: &str = "khuyenhoc-bench";

/// A server the driver talks to.
#[derive(Debug)]
pub struct Server {
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub base: String,
    child: Option<Child>,
}

impl Server {
    /// Targets an already running server.
    pub fn external(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            child: None,
        }
    }

    /// Starts `bin serve` on a free port with rate limits off and logs at `warn`, its output to
    /// `log`; waits until `/readyz` answers.
    pub async fn start(
        bin: &Path,
        database_url: &str,
        jwt_secret: &str,
        extra_env: &[String],
        log: &Path,
    ) -> Result<Self> {
        if !bin.exists() {
            bail!(
                "server binary {} not found: build it (`cargo build --release --bin khuyenhoc`) or pass --server-bin",
                bin.display()
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log_file =
            std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let mut command = Command::new(bin);
        command
            .arg("serve")
            .env_remove("RUST_LOG")
            .env_remove("DATABASE_URL")
            .env("KHUYENHOC_DATABASE__URL", database_url)
            .env("KHUYENHOC_BIND", format!("127.0.0.1:{port}"))
            .env("KHUYENHOC_RATE_LIMIT__ENABLED", "false")
            .env("KHUYENHOC_AUTH__JWT_SECRET", jwt_secret)
            .env("KHUYENHOC_AUTH__ISSUER", ISSUER)
            .env("KHUYENHOC_LOG__FILTER", "warn")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .kill_on_drop(true);
        for pair in extra_env {
            let (key, value) = pair
                .split_once('=')
                .with_context(|| format!("--server-env {pair:?}: expected KEY=VALUE"))?;
            command.env(key, value);
        }
        let child = command
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let server = Self {
            base: format!("http://127.0.0.1:{port}"),
            child: Some(child),
        };
        server.wait_ready(log).await?;
        Ok(server)
    }

    async fn wait_ready(&self, log: &Path) -> Result<()> {
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(120) {
            if let Ok(response) = client.get(format!("{}/readyz", self.base)).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            if let Some(pid) = self.pid()
                && !Path::new(&format!("/proc/{pid}")).exists()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let tail = std::fs::read_to_string(log).unwrap_or_default();
        bail!(
            "the server did not become ready; its log ({}):\n{}",
            log.display(),
            tail.lines()
                .rev()
                .take(20)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n")
        )
    }

    /// The process id, when the driver started the server.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(Child::id)
    }

    /// Stops a started server (SIGKILL; the benchmark's data is in the database).
    pub async fn stop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill().await;
        }
    }
}

/// The server binary next to this one (`target/<profile>/khuyenhoc`).
pub fn default_binary() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("khuyenhoc")))
        .unwrap_or_else(|| PathBuf::from("target/release/khuyenhoc"))
}

/// Memory and CPU of a process, from `/proc`.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct ProcessSample {
    /// Peak resident set since the last [`reset_peak`], in KiB (`VmHWM`).
    pub peak_rss_kib: u64,
    /// User + system CPU time so far, in clock ticks.
    pub cpu_ticks: u64,
}

/// Reads `pid`'s peak RSS and CPU time.
pub fn sample(pid: u32) -> Option<ProcessSample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let peak_rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(ProcessSample {
        peak_rss_kib,
        cpu_ticks: utime + stime,
    })
}

/// Resets `VmHWM` to the current RSS, so the next peak is this level's own.
pub fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

/// Clock ticks per second of `/proc/*/stat` (`USER_HZ`, 100 on Linux).
pub const TICKS_PER_SECOND: f64 = 100.0;
