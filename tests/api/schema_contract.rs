//! The committed SDL is the contract with frontend teams: it must match the code, and every
//! type, field, argument and enum value must say what it is.

use serde_json::json;

use crate::helpers::{Backend, TestApp};

#[test]
fn committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/schema.graphql"
    ))
    .expect("schema/schema.graphql exists");
    let current = khuyenhoc_graphql::sdl();
    assert!(
        committed == current,
        "schema/schema.graphql is out of date: run `cargo run -- schema > schema/schema.graphql` and commit it"
    );
}

#[test]
fn committed_subgraph_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/subgraph.graphql"
    ))
    .expect("schema/subgraph.graphql exists");
    let current = khuyenhoc_graphql::subgraph_sdl();
    assert!(
        committed == current,
        "schema/subgraph.graphql is out of date: run `cargo run -- schema --federation > schema/subgraph.graphql` and commit it"
    );
    // The plain contract has no trace of federation.
    let plain = khuyenhoc_graphql::sdl();
    for federated in ["@key", "@link", "_entities", "_service", "_Any"] {
        assert!(
            current.contains(federated) || federated.starts_with('_'),
            "{federated}"
        );
        assert!(
            !plain.contains(federated),
            "schema.graphql mentions {federated}"
        );
    }
}

const INTROSPECTION: &str = r#"{ __schema { types {
    name kind description
    fields(includeDeprecated: true) { name description args { name description } }
    inputFields { name description }
    enumValues(includeDeprecated: true) { name description }
} } }"#;

#[tokio::test]
async fn every_type_field_argument_and_value_is_described() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (_, body) = app.post(None, INTROSPECTION, json!({})).await;
    let mut missing = Vec::new();
    let blank = |v: &serde_json::Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for t in body["data"]["__schema"]["types"].as_array().expect("types") {
        let name = t["name"].as_str().unwrap_or_default();
        // Introspection types and the scalars the GraphQL specification defines.
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if blank(&t["description"]) {
            missing.push(name.to_owned());
        }
        for f in t["fields"].as_array().into_iter().flatten() {
            let field = format!("{name}.{}", f["name"].as_str().unwrap_or_default());
            if blank(&f["description"]) {
                missing.push(field.clone());
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if blank(&a["description"]) {
                    missing.push(format!(
                        "{field}({})",
                        a["name"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
        for f in t["inputFields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"].as_str().unwrap_or_default()));
            }
        }
        for v in t["enumValues"].as_array().into_iter().flatten() {
            if blank(&v["description"]) {
                missing.push(format!(
                    "{name}::{}",
                    v["name"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "undescribed schema elements: {missing:#?}"
    );
    app.finish().await;
}

/// The ```graphql blocks of a Markdown file.
fn graphql_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```graphql") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// The README's examples are what newcomers paste first: each must run without errors.
#[tokio::test]
async fn the_readme_examples_run() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md exists");
    let examples = graphql_blocks(&readme);
    assert!(examples.len() >= 4, "README has its examples");
    let app = TestApp::spawn(Backend::Sqlite).await;
    let province = app.org_id("HN").await;
    for example in examples {
        let body = app
            .gql_as(
                crate::helpers::CENTRAL_ADMIN,
                &example,
                json!({ "province": province }),
            )
            .await;
        assert!(body.get("errors").is_none(), "{example}\n{body:#}");
        assert!(body["data"].is_object(), "{example}\n{body:#}");
    }
}
