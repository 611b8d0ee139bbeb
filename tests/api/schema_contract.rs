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
