//! GraphiQL at `/`: our own page around the GraphiQL bundle, with the headers editor open (for
//! `Authorization: Bearer …`), the documentation explorer, and the example operations of
//! `docs/operations` preloaded as tabs (embedded at build time, so the page always matches
//! the binary).
//!
//! React and GraphiQL load from an npm CDN by default (`[graphiql] assets_url`). Offline
//! deployments and the browser tests set `[graphiql] assets_dir` to an npm `node_modules`
//! folder holding the pinned packages; the server then serves exactly the four files the
//! page needs under `/graphiql-assets/` and nothing else of that folder.
//!
//! Never on in production unless enabled (`Config::graphiql_enabled`).

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Bytes;
use axum::response::Html;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use tower_http::services::ServeFile;

/// GraphiQL settings (`[graphiql]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphiqlConfig {
    /// Base URL of an npm CDN (or a mirror of one) with `PACKAGE@VERSION/FILE` paths.
    pub assets_url: String,
    /// A `node_modules` folder with the pinned packages (see [`ASSETS`]); when set, the server
    /// serves them under `/graphiql-assets/` and the page loads them from there.
    pub assets_dir: Option<PathBuf>,
}

impl Default for GraphiqlConfig {
    fn default() -> Self {
        Self {
            assets_url: "https://unpkg.com".to_owned(),
            assets_dir: None,
        }
    }
}

/// One file of an npm package that the page loads.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// npm package name.
    pub package: &'static str,
    /// Exact version (pinned too in `tests/clients/package.json`).
    pub version: &'static str,
    /// Path inside the package.
    pub file: &'static str,
}

impl Asset {
    fn path(&self) -> String {
        format!("{}@{}/{}", self.package, self.version, self.file)
    }
}

/// React 18 (the last React with browser bundles) and GraphiQL 4 (the last with one).
pub const REACT: Asset = Asset {
    package: "react",
    version: "18.3.1",
    file: "umd/react.production.min.js",
};
/// See [`REACT`].
pub const REACT_DOM: Asset = Asset {
    package: "react-dom",
    version: "18.3.1",
    file: "umd/react-dom.production.min.js",
};
/// The GraphiQL bundle; it expects `React` and `ReactDOM` globals.
pub const GRAPHIQL_JS: Asset = Asset {
    package: "graphiql",
    version: "4.1.2",
    file: "graphiql.min.js",
};
/// GraphiQL's styles.
pub const GRAPHIQL_CSS: Asset = Asset {
    package: "graphiql",
    version: "4.1.2",
    file: "graphiql.min.css",
};
/// Every file the page loads.
pub const ASSETS: [Asset; 4] = [REACT, REACT_DOM, GRAPHIQL_JS, GRAPHIQL_CSS];

/// Where the server serves `assets_dir`.
pub const ASSETS_ROUTE: &str = "/graphiql-assets";

/// The example operations, embedded at build time: `(file name, text)`. A test checks that
/// this list and the folder agree.
pub const EXAMPLE_OPERATIONS: [(&str, &str); 8] = [
    (
        "login.graphql",
        include_str!("../../../docs/operations/login.graphql"),
    ),
    (
        "organisation-tree.graphql",
        include_str!("../../../docs/operations/organisation-tree.graphql"),
    ),
    (
        "program-dashboard.graphql",
        include_str!("../../../docs/operations/program-dashboard.graphql"),
    ),
    (
        "session-calendar.graphql",
        include_str!("../../../docs/operations/session-calendar.graphql"),
    ),
    (
        "assessment-form.graphql",
        include_str!("../../../docs/operations/assessment-form.graphql"),
    ),
    (
        "save-assessment-scores.graphql",
        include_str!("../../../docs/operations/save-assessment-scores.graphql"),
    ),
    (
        "approval-queue.graphql",
        include_str!("../../../docs/operations/approval-queue.graphql"),
    ),
    (
        "province-statistics.graphql",
        include_str!("../../../docs/operations/province-statistics.graphql"),
    ),
];

/// An example operation and what its `#` comment header declares: `# account: EMAIL` (the
/// demo account it is written for) and `# variables: {JSON}` (values that run it on the demo
/// data). See `docs/operations/README.md`.
#[derive(Debug, Clone)]
pub struct ExampleOperation {
    /// The document, header included.
    pub source: String,
    /// The demo account, if the header names one.
    pub account: Option<String>,
    /// The text after `# variables:`, if any.
    pub variables: Option<String>,
}

impl ExampleOperation {
    /// Reads the header of `source`.
    pub fn parse(source: &str) -> Self {
        let header = |key: &str| {
            source
                .lines()
                .take_while(|line| line.starts_with('#'))
                .find_map(|line| {
                    line.trim_start_matches('#')
                        .trim_start()
                        .strip_prefix(key)
                        .and_then(|rest| rest.strip_prefix(':'))
                        .map(|value| value.trim().to_owned())
                })
        };
        Self {
            source: source.to_owned(),
            account: header("account").filter(|a| a.contains('@')),
            variables: header("variables"),
        }
    }
}

/// Why the GraphiQL assets cannot be served.
#[derive(Debug, thiserror::Error)]
#[error("graphiql.assets_dir: {0}")]
pub struct AssetsError(String);

/// One GraphiQL tab (GraphiQL's `TabDefinition`).
#[derive(Serialize)]
struct Tab {
    query: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    variables: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Settings {
    endpoint: &'static str,
    assets_origin: String,
    tabs: Vec<Tab>,
}

/// The routes of GraphiQL: the page at `/` and, with `assets_dir`, its files.
pub fn routes<S: Clone + Send + Sync + 'static>(
    config: &GraphiqlConfig,
) -> Result<Router<S>, AssetsError> {
    let base = match &config.assets_dir {
        Some(dir) => {
            check_assets(dir)?;
            ASSETS_ROUTE.to_owned()
        }
        None => config.assets_url.trim_end_matches('/').to_owned(),
    };
    let page = Bytes::from(page(&base));
    let mut router = Router::new().route("/", get(move || async move { Html(page.clone()) }));
    if let Some(dir) = &config.assets_dir {
        for asset in ASSETS {
            router = router.route_service(
                &format!("{ASSETS_ROUTE}/{}", asset.path()),
                ServeFile::new(dir.join(asset.package).join(asset.file)),
            );
        }
    }
    Ok(router)
}

/// Checks that `dir` holds each asset of the pinned version, so a misconfigured offline
/// deployment fails at start instead of showing a blank page.
fn check_assets(dir: &Path) -> Result<(), AssetsError> {
    for asset in ASSETS {
        let package = dir.join(asset.package);
        let manifest = std::fs::read_to_string(package.join("package.json"))
            .map_err(|e| AssetsError(format!("cannot read {}: {e}", package.display())))?;
        let version = serde_json::from_str::<serde_json::Value>(&manifest)
            .ok()
            .and_then(|m| m["version"].as_str().map(str::to_owned))
            .unwrap_or_default();
        if version != asset.version {
            return Err(AssetsError(format!(
                "{} is version {version:?}, the page needs {} (npm install {}@{})",
                package.display(),
                asset.version,
                asset.package,
                asset.version
            )));
        }
        let file = package.join(asset.file);
        if !file.is_file() {
            return Err(AssetsError(format!("{} is missing", file.display())));
        }
    }
    Ok(())
}

/// The HTML page, loading its assets from `base`.
fn page(base: &str) -> String {
    let settings = Settings {
        endpoint: "/graphql",
        assets_origin: base.to_owned(),
        tabs: EXAMPLE_OPERATIONS
            .iter()
            .map(|(_, source)| {
                let operation = ExampleOperation::parse(source);
                Tab {
                    variables: operation.variables.map(|v| pretty_json(&v)),
                    query: operation.source,
                }
            })
            .collect(),
    };
    let url = |asset: Asset| html_attribute(&format!("{base}/{}", asset.path()));
    include_str!("graphiql.html")
        .replace("{{graphiql_css}}", &url(GRAPHIQL_CSS))
        .replace("{{react}}", &url(REACT))
        .replace("{{react_dom}}", &url(REACT_DOM))
        .replace("{{graphiql_js}}", &url(GRAPHIQL_JS))
        .replace("{{assets_origin}}", &html_attribute(base))
        .replace("{{settings}}", &script_json(&settings))
}

/// `text` re-indented when it is JSON, as is otherwise.
fn pretty_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned())
}

/// JSON safe inside a `<script>` element: no `<`, `>` or `&` that could end it.
fn script_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".to_owned())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Text safe inside a quoted HTML attribute or element.
fn html_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_gives_account_and_variables() {
        let op = ExampleOperation::parse(
            "# A screen.\n# account: a@b.vn\n# variables: {\"x\": 1}\nquery Q { x }\n# account: no\n",
        );
        assert_eq!(op.account.as_deref(), Some("a@b.vn"));
        assert_eq!(op.variables.as_deref(), Some("{\"x\": 1}"));
        let none = ExampleOperation::parse("# account: (none)\nmutation M { x }\n");
        assert_eq!(none.account, None);
        assert_eq!(none.variables, None);
    }

    #[test]
    fn the_page_cannot_be_broken_out_of() {
        let json = script_json(&serde_json::json!({ "q": "</script><b>&" }));
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert_eq!(html_attribute("a\"b<c>&"), "a&quot;b&lt;c&gt;&amp;");
    }
}
