//! Persisted and trusted documents.
//!
//! * **Automatic persisted queries** (Apollo APQ): a request may carry
//!   `extensions.persistedQuery.sha256Hash` instead of its query text. An unknown hash is
//!   answered `PERSISTED_QUERY_NOT_FOUND` (message `PersistedQueryNotFound`, as Apollo clients
//!   expect), after which the client sends text and hash together and the server remembers the
//!   pair (in a bounded LRU cache, after checking the hash).
//! * **Trusted documents** (`documents.trusted_only`): only operations registered in a manifest
//!   run — by hash, or by text whose hash is registered. Frontends generate the manifest at build
//!   time; `khuyenhoc documents check FILE` validates one against the schema.
//!
//! Resolution happens before every other guard, so a document fetched by hash gets the same
//! checks (no mutations over GET, document limits) as one sent in full.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_graphql::Value;
use axum::http::StatusCode;
use lru::LruCache;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::rejection::Rejection;

/// Persisted-document settings (`[documents]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DocumentsConfig {
    /// Accept automatic persisted queries (ignored when `trusted_only`).
    pub apq: bool,
    /// How many APQ documents to remember.
    pub apq_cache_size: usize,
    /// A manifest of registered operations (Apollo's persisted-query manifest, or a JSON object
    /// mapping SHA-256 hashes to documents).
    pub manifest: Option<PathBuf>,
    /// Run only operations registered in the manifest.
    pub trusted_only: bool,
}

impl Default for DocumentsConfig {
    fn default() -> Self {
        Self {
            apq: true,
            apq_cache_size: 1_000,
            manifest: None,
            trusted_only: false,
        }
    }
}

/// Why a manifest cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file cannot be read.
    #[error("cannot read the manifest {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// What the system said.
        reason: String,
    },
    /// The file is not a manifest.
    #[error("the manifest {path} is not a persisted-query manifest: {reason}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// An entry's id is not the SHA-256 of its body.
    #[error("the manifest entry {id} does not match the SHA-256 of its document")]
    HashMismatch {
        /// The entry.
        id: String,
    },
}

/// The hex SHA-256 of a document.
pub fn sha256_hex(document: &str) -> String {
    hex::encode(Sha256::digest(document.as_bytes()))
}

/// Registered operations: hash → document.
pub type Manifest = HashMap<String, String>;

#[derive(Deserialize)]
#[serde(untagged)]
enum ManifestFile {
    Apollo { operations: Vec<ApolloOperation> },
    Map(HashMap<String, String>),
}

#[derive(Deserialize)]
struct ApolloOperation {
    id: String,
    body: String,
}

/// Reads and checks a manifest: every id must be the SHA-256 of its document.
pub fn load_manifest(path: &Path) -> Result<Manifest, ManifestError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ManifestError::Read {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let file: ManifestFile = serde_json::from_str(&text).map_err(|e| ManifestError::Format {
        path: shown,
        reason: e.to_string(),
    })?;
    let entries: Vec<(String, String)> = match file {
        ManifestFile::Apollo { operations } => {
            operations.into_iter().map(|op| (op.id, op.body)).collect()
        }
        ManifestFile::Map(map) => map.into_iter().collect(),
    };
    let mut manifest = Manifest::with_capacity(entries.len());
    for (id, body) in entries {
        let id = id.to_ascii_lowercase();
        if sha256_hex(&body) != id {
            return Err(ManifestError::HashMismatch { id });
        }
        manifest.insert(id, body);
    }
    Ok(manifest)
}

/// The server's document store.
#[derive(Debug)]
pub struct Documents {
    apq: Option<Mutex<LruCache<String, String>>>,
    manifest: Manifest,
    trusted_only: bool,
}

impl Documents {
    /// A store for `config` with `manifest` (empty when none is configured).
    pub fn new(config: &DocumentsConfig, manifest: Manifest) -> Self {
        let apq = (config.apq && !config.trusted_only).then(|| {
            let size = NonZeroUsize::new(config.apq_cache_size).unwrap_or(NonZeroUsize::MIN);
            Mutex::new(LruCache::new(size))
        });
        Self {
            apq,
            manifest,
            trusted_only: config.trusted_only,
        }
    }

    /// Fills in the request's query from its persisted-query hash, checks hashes, remembers
    /// APQ registrations, and in trusted mode refuses unregistered operations.
    pub fn resolve(&self, request: &mut async_graphql::Request) -> Result<(), Rejection> {
        let hash = persisted_hash(request)?;
        let has_text = !request.query.trim().is_empty();
        match (hash, has_text) {
            (Some(hash), false) => {
                let found = self
                    .manifest
                    .get(&hash)
                    .cloned()
                    .or_else(|| self.cached(&hash));
                match found {
                    Some(text) => {
                        request.query = text;
                        Ok(())
                    }
                    None if self.trusted_only => Err(not_trusted()),
                    None => Err(Rejection::new(
                        StatusCode::OK,
                        "PERSISTED_QUERY_NOT_FOUND",
                        "PersistedQueryNotFound",
                    )),
                }
            }
            (Some(hash), true) => {
                if sha256_hex(&request.query) != hash {
                    return Err(Rejection::new(
                        StatusCode::BAD_REQUEST,
                        "PERSISTED_QUERY_HASH_MISMATCH",
                        "the sha256Hash does not match the query",
                    ));
                }
                if self.trusted_only && !self.manifest.contains_key(&hash) {
                    return Err(not_trusted());
                }
                self.remember(hash, &request.query);
                Ok(())
            }
            (None, _) if self.trusted_only => {
                if self.manifest.contains_key(&sha256_hex(&request.query)) {
                    Ok(())
                } else {
                    Err(not_trusted())
                }
            }
            (None, _) => Ok(()),
        }
    }

    fn cached(&self, hash: &str) -> Option<String> {
        let cache = self.apq.as_ref()?;
        let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.get(hash).cloned()
    }

    fn remember(&self, hash: String, text: &str) {
        if let Some(cache) = &self.apq {
            let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
            cache.put(hash, text.to_owned());
        }
    }
}

fn not_trusted() -> Rejection {
    Rejection::new(
        StatusCode::BAD_REQUEST,
        "OPERATION_NOT_TRUSTED",
        "this server runs only registered operations; register it in the operations manifest",
    )
}

/// The lower-case `extensions.persistedQuery.sha256Hash`, if the request has one.
fn persisted_hash(request: &async_graphql::Request) -> Result<Option<String>, Rejection> {
    let Some(persisted) = request.extensions.0.get("persistedQuery") else {
        return Ok(None);
    };
    let bad = || {
        Rejection::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "extensions.persistedQuery needs version 1 and a 64-character hex sha256Hash",
        )
    };
    let Value::Object(fields) = persisted else {
        return Err(bad());
    };
    let version_ok =
        matches!(fields.get("version"), Some(Value::Number(n)) if n.as_u64() == Some(1));
    match fields.get("sha256Hash") {
        Some(Value::String(hash))
            if version_ok && hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()) =>
        {
            Ok(Some(hash.to_ascii_lowercase()))
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, hash: Option<&str>) -> async_graphql::Request {
        let mut request = async_graphql::Request::new(query);
        if let Some(hash) = hash {
            let value = serde_json::json!({ "version": 1, "sha256Hash": hash });
            request.extensions.0.insert(
                "persistedQuery".to_owned(),
                Value::from_json(value).unwrap(),
            );
        }
        request
    }

    fn code(result: Result<(), Rejection>) -> Option<String> {
        result.err().map(|r| format!("{r:?}"))
    }

    #[test]
    fn apq_registers_then_serves_by_hash() {
        let store = Documents::new(&DocumentsConfig::default(), Manifest::new());
        let query = "{ __typename }";
        let hash = sha256_hex(query);
        let mut by_hash = request("", Some(&hash));
        assert!(
            code(store.resolve(&mut by_hash))
                .unwrap()
                .contains("PERSISTED_QUERY_NOT_FOUND")
        );
        assert_eq!(
            store.resolve(&mut request(query, Some(&hash))).ok(),
            Some(())
        );
        let mut by_hash = request("", Some(&hash));
        assert_eq!(store.resolve(&mut by_hash).ok(), Some(()));
        assert_eq!(by_hash.query, query);
        let wrong = sha256_hex("{ other }");
        assert!(
            code(store.resolve(&mut request(query, Some(&wrong))))
                .unwrap()
                .contains("HASH_MISMATCH")
        );
    }

    #[test]
    fn trusted_mode_runs_only_registered_operations() {
        let query = "query Registered { __typename }";
        let manifest = Manifest::from([(sha256_hex(query), query.to_owned())]);
        let config = DocumentsConfig {
            trusted_only: true,
            ..DocumentsConfig::default()
        };
        let store = Documents::new(&config, manifest);
        let mut by_hash = request("", Some(&sha256_hex(query)));
        assert_eq!(store.resolve(&mut by_hash).ok(), Some(()));
        assert_eq!(by_hash.query, query);
        assert_eq!(store.resolve(&mut request(query, None)).ok(), Some(()));
        for mut unregistered in [
            request("{ __typename }", None),
            request("", Some(&sha256_hex("{ x }"))),
        ] {
            assert!(
                code(store.resolve(&mut unregistered))
                    .unwrap()
                    .contains("OPERATION_NOT_TRUSTED")
            );
        }
    }

    #[test]
    fn manifests_in_both_formats_load_and_bad_hashes_are_refused() {
        let dir = std::env::temp_dir().join(format!("kh-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let query = "{ __typename }";
        let apollo = dir.join("apollo.json");
        std::fs::write(
            &apollo,
            serde_json::json!({ "format": "apollo-persisted-query-manifest", "version": 1,
                "operations": [{ "id": sha256_hex(query), "name": "T", "type": "query", "body": query }] })
                .to_string(),
        )
        .unwrap();
        assert_eq!(load_manifest(&apollo).unwrap().len(), 1);
        let map = dir.join("map.json");
        std::fs::write(
            &map,
            serde_json::json!({ "0".repeat(64): query }).to_string(),
        )
        .unwrap();
        assert!(matches!(
            load_manifest(&map),
            Err(ManifestError::HashMismatch { .. })
        ));
        std::fs::remove_dir_all(&dir).ok();
    }
}
