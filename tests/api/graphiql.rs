//! GraphiQL at `/`: the example operations as tabs, and its assets from a CDN or, offline,
//! from a local npm folder served by the server itself. (Production hiding it is in http.rs;
//! the browser test is in tests/clients.)

use std::path::Path;

use khuyenhoc_server::graphiql::{ASSETS, EXAMPLE_OPERATIONS, GraphiqlConfig, routes};
use serde_json::Value;

use crate::helpers::{Backend, TestApp};
use crate::schema_contract::example_operation_files;

/// The JSON the page hands to GraphiQL.
fn settings(page: &str) -> Value {
    let start = page
        .find(r#"<script id="graphiql-settings" type="application/json">"#)
        .expect("settings element");
    let json = &page[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    serde_json::from_str(json).expect("settings are JSON")
}

/// Writes a fake npm folder holding the assets (`version` for every package).
fn npm_folder(dir: &Path, version_of: impl Fn(&str) -> String) {
    for asset in ASSETS {
        let package = dir.join(asset.package);
        let file = package.join(asset.file);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, format!("/* {} {} */", asset.package, asset.file)).unwrap();
        std::fs::write(
            package.join("package.json"),
            format!(
                r#"{{"name":"{}","version":"{}"}}"#,
                asset.package,
                version_of(asset.package)
            ),
        )
        .unwrap();
    }
}

#[test]
fn graphiql_embeds_every_file_of_docs_operations() {
    let embedded: Vec<(String, String)> = EXAMPLE_OPERATIONS
        .iter()
        .map(|(name, source)| ((*name).to_owned(), (*source).to_owned()))
        .collect();
    let mut sorted = embedded.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        example_operation_files(),
        "add new docs/operations files to EXAMPLE_OPERATIONS in crates/server/src/graphiql.rs"
    );
}

#[tokio::test]
async fn graphiql_preloads_the_example_operations_as_tabs() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    let settings = settings(&page);
    assert_eq!(settings["endpoint"], "/graphql");
    let tabs = settings["tabs"].as_array().expect("tabs");
    assert_eq!(tabs.len(), EXAMPLE_OPERATIONS.len());
    for (tab, (name, source)) in tabs.iter().zip(EXAMPLE_OPERATIONS) {
        assert_eq!(tab["query"], source, "{name}");
        let header = khuyenhoc_server::graphiql::ExampleOperation::parse(source);
        let declared: Value = serde_json::from_str(&header.variables.unwrap()).unwrap();
        let shown: Value = serde_json::from_str(tab["variables"].as_str().unwrap()).unwrap();
        assert_eq!(shown, declared, "{name}");
    }
    // By default the assets come from the CDN, at the pinned versions.
    for asset in ASSETS {
        let url = format!(
            "https://unpkg.com/{}@{}/{}",
            asset.package, asset.version, asset.file
        );
        assert!(page.contains(&url), "{url}");
    }
    app.finish().await;
}

#[tokio::test]
async fn offline_graphiql_serves_exactly_its_assets_from_assets_dir() {
    let dir = tempfile::tempdir().unwrap();
    npm_folder(dir.path(), |package| {
        ASSETS
            .iter()
            .find(|a| a.package == package)
            .unwrap()
            .version
            .to_owned()
    });
    std::fs::write(dir.path().join("secret.txt"), "not an asset").unwrap();
    let assets_dir = dir.path().to_owned();
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.graphiql.assets_dir = Some(assets_dir);
    })
    .await;
    let page = app.get_text("/").await;
    assert!(!page.contains("unpkg.com"), "nothing from the CDN");
    for asset in ASSETS {
        let path = format!(
            "/graphiql-assets/{}@{}/{}",
            asset.package, asset.version, asset.file
        );
        assert!(page.contains(&path), "{path}");
        let response = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.text().await.unwrap(),
            format!("/* {} {} */", asset.package, asset.file)
        );
    }
    for other in [
        "/graphiql-assets/secret.txt",
        "/graphiql-assets/graphiql@4.1.2/package.json",
        "/graphiql-assets/graphiql@4.1.2/../../secret.txt",
    ] {
        let response = app.client.get(app.url(other)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{other}");
    }
    app.finish().await;
}

#[test]
fn a_wrong_or_missing_assets_dir_is_refused_at_start() {
    let empty = tempfile::tempdir().unwrap();
    let config = GraphiqlConfig {
        assets_dir: Some(empty.path().to_owned()),
        ..GraphiqlConfig::default()
    };
    let error = routes::<()>(&config).unwrap_err().to_string();
    assert!(
        error.starts_with("graphiql.assets_dir: cannot read"),
        "{error}"
    );

    let newer = tempfile::tempdir().unwrap();
    npm_folder(newer.path(), |_| "5.0.0".to_owned());
    let config = GraphiqlConfig {
        assets_dir: Some(newer.path().to_owned()),
        ..GraphiqlConfig::default()
    };
    let error = routes::<()>(&config).unwrap_err().to_string();
    assert!(error.contains("the page needs"), "{error}");
}
