//! The JavaScript client suite (`tests/clients`): widely used npm clients (graphql-request,
//! graphql-ws, graphql-codegen with tsc) and headless Chromium on GraphiQL, against the real
//! server. Runs `tests/clients/run` with the binary cargo built for these tests.
//!
//! Without node, npm or Chromium it prints `SKIPPED …` and passes, unless
//! `KHUYENHOC_REQUIRE_CLIENT_TESTS=1` (set by `.ci/run`), which makes a missing tool a failure.

use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Written straight to the terminal: the test harness captures `println!`/`eprintln!` of
/// passing tests, and a skip or a summary must be seen.
fn tell(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn the_javascript_clients_suite_passes() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let mut missing = Vec::new();
    for tool in ["node", "npm"] {
        if !runs(tool) {
            missing.push(tool.to_owned());
        }
    }
    if !Path::new(&chromium).is_file() {
        missing.push(chromium.clone());
    }
    if !missing.is_empty() {
        let required = std::env::var("KHUYENHOC_REQUIRE_CLIENT_TESTS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "KHUYENHOC_REQUIRE_CLIENT_TESTS=1 but {} not available (apt-get install -y nodejs npm chromium)",
            missing.join(", ")
        );
        tell(&format!(
            "SKIPPED clients::the_javascript_clients_suite_passes: {} not available \
             (set KHUYENHOC_REQUIRE_CLIENT_TESTS=1 to fail instead)",
            missing.join(", ")
        ));
        return;
    }

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/run");
    let out = Command::new("bash")
        .arg(script)
        .env("SERVER_BIN", env!("CARGO_BIN_EXE_khuyenhoc"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run tests/clients/run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "tests/clients/run failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    // node's TAP summary and the reasons of skipped tests.
    for line in stdout.lines() {
        let summary = ["# tests ", "# pass ", "# fail ", "# skipped "]
            .iter()
            .any(|p| line.starts_with(p));
        if summary || line.contains("# SKIP") {
            tell(&format!("clients: {}", line.trim_start_matches("# ")));
        }
    }
}
