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

/// One file of `docs/operations` and what its comment header declares (`# account: EMAIL`,
/// `# variables: {JSON}`; see docs/operations/README.md), read as GraphiQL reads it.
struct ExampleOperation {
    file: String,
    source: String,
    account: Option<String>,
    variables: serde_json::Value,
}

impl ExampleOperation {
    fn is_query(&self) -> bool {
        // The first definition that is not a fragment decides (one operation per file).
        self.source
            .lines()
            .map(str::trim_start)
            .find(|line| {
                !line.is_empty() && !line.starts_with('#') && !line.starts_with("fragment")
            })
            .is_some_and(|line| line.starts_with("query") || line.starts_with('{'))
    }
}

/// The files of `docs/operations`, by name.
pub fn example_operation_files() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/operations");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("docs/operations exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "graphql"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let source = std::fs::read_to_string(&path).expect("readable operation");
            (name, source)
        })
        .collect();
    files.sort();
    files
}

fn example_operations() -> Vec<ExampleOperation> {
    example_operation_files()
        .into_iter()
        .map(|(file, source)| {
            let header = khuyenhoc_server::graphiql::ExampleOperation::parse(&source);
            let variables = header.variables.map_or(json!({}), |v| {
                serde_json::from_str(&v)
                    .unwrap_or_else(|e| panic!("{file}: `# variables:` is not JSON: {e}"))
            });
            ExampleOperation {
                account: header.account,
                variables,
                file,
                source,
            }
        })
        .collect()
}

/// Every example operation is valid against the schema, so GraphiQL's tabs and the typed
/// clients generated from them keep working when the schema changes.
#[tokio::test]
async fn the_example_operations_validate_against_the_schema() {
    let operations = example_operations();
    assert!(
        operations.len() >= 8,
        "docs/operations has the example operations"
    );
    for operation in operations {
        let errors = khuyenhoc_graphql::schema::validation_errors(&operation.source).await;
        assert!(errors.is_empty(), "{}: {errors:#?}", operation.file);
    }
}

// Each example query, run as its documented account with its documented variables, answers
// with data and no error, and shows something on the demo data (a non-empty list somewhere).
crate::on_both!(the_example_queries_run_as_their_accounts, |app| {
    fn has_nonempty_list(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::Array(items) => !items.is_empty(),
            serde_json::Value::Object(fields) => fields.values().any(has_nonempty_list),
            _ => false,
        }
    }
    let queries: Vec<_> = example_operations()
        .into_iter()
        .filter(ExampleOperation::is_query)
        .collect();
    assert!(queries.len() >= 6, "the example queries");
    for query in queries {
        let account = query
            .account
            .as_deref()
            .unwrap_or_else(|| panic!("{}: no `# account:` header", query.file));
        let body = app
            .gql_as(account, &query.source, query.variables.clone())
            .await;
        assert!(
            body.get("errors").is_none(),
            "{} as {account}: {body:#}\n(if the demo data changed, update the ids in its `# variables:` header)",
            query.file
        );
        assert!(
            has_nonempty_list(&body["data"]),
            "{} as {account} shows nothing on the demo data: {body:#}",
            query.file
        );
    }
});
