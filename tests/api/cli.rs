//! The command line: bad input is one line on stderr and a non-zero exit, never a panic.

use std::process::{Command, Output};

fn khuyenhoc(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_khuyenhoc"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "error");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run khuyenhoc")
}

fn assert_one_line_failure(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "should fail: {stderr}");
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(lines[0].contains(expected), "{expected:?} in {stderr}");
}

#[test]
fn malformed_database_url_is_one_line() {
    let out = khuyenhoc(
        &["migrate", "status", "--database-url", "mysql://nope"],
        &[],
    );
    assert_one_line_failure(&out, "database");
}

#[test]
fn unreachable_database_is_one_line() {
    let out = khuyenhoc(
        &["migrate", "status"],
        &[("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")],
    );
    assert_one_line_failure(&out, "cannot connect to database");
}

#[test]
fn unwritable_data_directory_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").unwrap();
    let url = format!("sqlite://{}/sub/k.db", file.display());
    let out = khuyenhoc(&["migrate", "status", "--database-url", &url], &[]);
    assert_one_line_failure(&out, "cannot use data directory");
}

#[test]
fn port_in_use_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let url = format!("sqlite://{}/k.db", dir.path().display());
    let out = khuyenhoc(&["serve", "--bind", &addr, "--database-url", &url], &[]);
    assert_one_line_failure(&out, "cannot listen on");
}

#[test]
fn invalid_configuration_is_one_line() {
    let out = khuyenhoc(
        &["config", "check"],
        &[("KHUYENHOC_LIMITS__MAX_PAGE_SIZE", "0")],
    );
    assert_one_line_failure(&out, "limits.max_page_size");
    let out = khuyenhoc(&["config", "check"], &[("KHUYENHOC_PROFILE", "production")]);
    assert_one_line_failure(&out, "auth.jwt_secret");
}

/// A misspelt setting is refused, but the variable CI exports for the test tooling is not a
/// setting: servers started by tests inherit it and must still start.
#[test]
fn unknown_settings_are_refused_but_tooling_variables_are_not_settings() {
    let out = khuyenhoc(
        &["config", "check"],
        &[("KHUYENHOC_LIMTS__MAX_DEPTH", "12")],
    );
    assert_one_line_failure(&out, "unknown field");
    let out = khuyenhoc(
        &["config", "check"],
        &[("KHUYENHOC_REQUIRE_CLIENT_TESTS", "1")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn schema_command_prints_the_contract() {
    let out = khuyenhoc(&["schema"], &[]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        khuyenhoc_graphql::sdl()
    );
}

#[test]
fn token_command_mints_a_token_for_a_demo_user() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/k.db", dir.path().display());
    let seeded = khuyenhoc(&["seed", "--demo", "--database-url", &url], &[]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let again = khuyenhoc(&["seed", "--demo", "--database-url", &url], &[]);
    assert_one_line_failure(&again, "already holds data");
    let out = khuyenhoc(
        &[
            "token",
            "--email",
            "central.admin@demo.khuyenhoc.vn",
            "--database-url",
            &url,
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .split('.')
            .count(),
        3
    );
    let unknown = khuyenhoc(
        &["token", "--email", "nobody@x.vn", "--database-url", &url],
        &[],
    );
    assert_one_line_failure(&unknown, "no active user");
}

#[test]
fn documents_check_validates_a_manifest_against_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, documents: &[&str]| {
        let map: serde_json::Map<String, serde_json::Value> = documents
            .iter()
            .map(|d| {
                (
                    khuyenhoc_server::documents::sha256_hex(d),
                    serde_json::Value::from(*d),
                )
            })
            .collect();
        let path = dir.path().join(name);
        std::fs::write(&path, serde_json::Value::Object(map).to_string()).unwrap();
        path
    };
    let good = write(
        "good.json",
        &[
            "query Tree { organisations(first: 5) { nodes { id name } } }",
            "mutation Login($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }",
        ],
    );
    let out = khuyenhoc(&["documents", "check", good.to_str().unwrap()], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 operation(s) valid"));

    let bad = write(
        "bad.json",
        &["query Broken { organisations { noSuchField } }"],
    );
    let out = khuyenhoc(&["documents", "check", bad.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("noSuchField"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
