//! Configuration: defaults, then an optional TOML file, then environment variables
//! (`KHUYENHOC_` prefix, `__` between sections, e.g. `KHUYENHOC_DATABASE__URL`; the plain
//! `DATABASE_URL`, `OTEL_EXPORTER_OTLP_ENDPOINT` and `OTEL_SERVICE_NAME` are honoured too). Every value is validated at start with a message naming it.
//! Secrets are `SecretString`s: they never appear in `Debug` output or logs.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use khuyenhoc_core::auth::{SigningKey, TokenSettings};
use khuyenhoc_core::db::{DEFAULT_DATABASE_URL, DatabaseSettings};

use crate::documents::DocumentsConfig;
use crate::graphiql::GraphiqlConfig;
use crate::otel::TelemetryConfig;
use crate::rate_limit::RateLimitConfig;
use crate::subscriptions::SubscriptionsConfig;

/// The HS256 secret used when none is configured, outside production only. Public on purpose:
/// it is in this source file, so tokens signed with it prove nothing.
pub const DEVELOPMENT_JWT_SECRET: &str = "khuyenhoc-development-secret-do-not-use-in-production";

/// `KHUYENHOC_` variables that belong to the tooling around the server, not to its
/// configuration: skipped instead of refused as unknown settings (CI exports
/// `KHUYENHOC_REQUIRE_CLIENT_TESTS=1`, and every server a test starts inherits it).
const NOT_CONFIGURATION: &[&str] = &["require_client_tests"];

/// Development (default) or production. Production refuses unsafe settings and turns off
/// introspection, field suggestions and GraphiQL unless explicitly enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Local development and tests.
    #[default]
    Development,
    /// Internet-facing deployment.
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Development or production.
    pub profile: Profile,
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Database.
    pub database: DatabaseConfig,
    /// Tokens.
    pub auth: AuthConfig,
    /// Request limits.
    pub limits: LimitsConfig,
    /// Browser access.
    pub http: HttpConfig,
    /// Logging.
    pub log: LogConfig,
    /// Rate limits.
    pub rate_limit: RateLimitConfig,
    /// Persisted and trusted documents.
    pub documents: DocumentsConfig,
    /// Where GraphiQL's page loads its scripts from.
    pub graphiql: GraphiqlConfig,
    /// Subscription (WebSocket) connection limits and keep-alives.
    pub subscriptions: SubscriptionsConfig,
    /// How the schema is served.
    pub graphql: GraphqlConfig,
    /// OpenTelemetry trace export (off unless an endpoint is set).
    pub telemetry: TelemetryConfig,
}

/// How the schema is served.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphqlConfig {
    /// Serve the schema as an Apollo Federation v2 subgraph (`_service`, `_entities`).
    pub federation: bool,
}

/// Database settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://FILE` (default `sqlite://data/khuyenhoc.db`) or `postgres://USER@HOST/DB`.
    pub url: String,
    /// Pool size.
    pub max_connections: u32,
    /// How long a request waits for a connection.
    #[serde(with = "humantime_serde_compat")]
    pub acquire_timeout: Duration,
    /// SQLite: how long a writer waits for the write lock.
    #[serde(with = "humantime_serde_compat")]
    pub sqlite_busy_timeout: Duration,
}

/// Token settings. Exactly one key: `jwt_secret` (HS256) or `jwt_public_key_file` (RS256,
/// with `jwt_private_key_file` to issue tokens too).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// HS256 shared secret, at least 32 bytes.
    #[serde(serialize_with = "redacted")]
    pub jwt_secret: Option<SecretString>,
    /// RS256 public key (PEM file).
    pub jwt_public_key_file: Option<PathBuf>,
    /// RS256 private key (PEM file), to issue tokens.
    pub jwt_private_key_file: Option<PathBuf>,
    /// Expected and issued `iss`.
    pub issuer: Option<String>,
    /// Expected and issued `aud`.
    pub audience: Option<String>,
    /// Lifetime of issued tokens.
    #[serde(with = "humantime_serde_compat")]
    pub token_ttl: Duration,
}

/// Request limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Deepest selection nesting.
    pub max_depth: usize,
    /// Highest query complexity.
    pub max_complexity: usize,
    /// Largest `first`/`last`.
    pub max_page_size: u64,
    /// Largest request body, in bytes (the default fits a 1,000-row `saveAssessments`).
    pub max_body_bytes: usize,
    /// Longest GraphQL document, in characters.
    pub max_document_chars: usize,
    /// Most aliased fields in one document.
    pub max_aliases: usize,
    /// Most directives in one document.
    pub max_directives: usize,
    /// Longest a request may run.
    #[serde(with = "humantime_serde_compat")]
    pub request_timeout: Duration,
    /// GraphQL operations run at once; more wait their turn in arrival order
    /// (`crate::admission`). Keep it near `database.max_connections`.
    pub max_concurrent_requests: usize,
    /// Longest an operation waits for its turn before it is refused with `OVERLOADED`.
    #[serde(with = "humantime_serde_compat")]
    pub max_queue_wait: Duration,
}

/// Browser-facing HTTP settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Origins allowed by CORS (exact, e.g. `https://app.khuyenhoc.vn`); empty allows none.
    pub cors_allowed_origins: Vec<String>,
    /// Serve GraphiQL at `/` (default: on outside production).
    pub graphiql: Option<bool>,
    /// Answer introspection queries (default: on outside production).
    pub introspection: Option<bool>,
}

/// Logging settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// Text or JSON.
    pub format: LogFormat,
    /// `tracing` filter, e.g. `info` or `khuyenhoc=debug,info` (`RUST_LOG` overrides).
    pub filter: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            profile: Profile::Development,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: DatabaseConfig::default(),
            auth: AuthConfig::default(),
            limits: LimitsConfig::default(),
            http: HttpConfig::default(),
            log: LogConfig::default(),
            rate_limit: RateLimitConfig::default(),
            documents: DocumentsConfig::default(),
            graphiql: GraphiqlConfig::default(),
            subscriptions: SubscriptionsConfig::default(),
            graphql: GraphqlConfig::default(),
            telemetry: TelemetryConfig::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        let d = DatabaseSettings::default();
        Self {
            url: DEFAULT_DATABASE_URL.to_owned(),
            max_connections: d.max_connections,
            acquire_timeout: d.acquire_timeout,
            sqlite_busy_timeout: d.sqlite_busy_timeout,
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            jwt_secret: None,
            jwt_public_key_file: None,
            jwt_private_key_file: None,
            issuer: Some("khuyenhoc".to_owned()),
            audience: None,
            token_ttl: Duration::from_secs(3600),
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_depth: 15,
            max_complexity: 5_000,
            max_page_size: 100,
            max_body_bytes: 2 * 1024 * 1024,
            max_document_chars: 20_000,
            max_aliases: 30,
            max_directives: 20,
            request_timeout: Duration::from_secs(30),
            max_concurrent_requests: 16,
            max_queue_wait: Duration::from_secs(5),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            filter: "info".to_owned(),
        }
    }
}

/// Why the configuration is unusable. Each message names the setting.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file or variable could not be read or has the wrong type.
    #[error("configuration: {0}")]
    Load(String),
    /// A value is out of its allowed range or inconsistent with another.
    #[error("configuration: {setting}: {problem}")]
    Invalid {
        /// The setting, e.g. `auth.jwt_secret`.
        setting: &'static str,
        /// What is wrong.
        problem: String,
    },
}

pub(crate) fn invalid(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting,
        problem: problem.into(),
    }
}

impl Config {
    /// Loads defaults, then `file` (if given), then the environment, and validates the result.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::Load(format!(
                    "file {} does not exist",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database.url".into()),
            )
            // The standard OpenTelemetry variables, below khuyenhoc's own.
            .merge(
                Env::raw()
                    .only(&["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"])
                    .map(|key| {
                        if key.as_str().eq_ignore_ascii_case("OTEL_SERVICE_NAME") {
                            "telemetry.service_name".into()
                        } else {
                            "telemetry.otlp_endpoint".into()
                        }
                    }),
            )
            .merge(
                Env::prefixed("KHUYENHOC_")
                    .ignore(NOT_CONFIGURATION)
                    .split("__"),
            );
        let config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Load(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks ranges and combinations.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if khuyenhoc_core::db::backend_of(self.database.url.trim()).is_none() {
            return Err(invalid(
                "database.url",
                "use sqlite://FILE or postgres://USER@HOST/DB",
            ));
        }
        if self.database.max_connections == 0 {
            return Err(invalid("database.max_connections", "must be at least 1"));
        }
        if self.limits.max_depth < 2 {
            return Err(invalid("limits.max_depth", "must be at least 2"));
        }
        if self.limits.max_complexity < 10 {
            return Err(invalid("limits.max_complexity", "must be at least 10"));
        }
        if !(1..=1000).contains(&self.limits.max_page_size) {
            return Err(invalid(
                "limits.max_page_size",
                "must be between 1 and 1000",
            ));
        }
        if self.documents.trusted_only && self.documents.manifest.is_none() {
            return Err(invalid(
                "documents.trusted_only",
                "needs documents.manifest, the file of registered operations",
            ));
        }
        if let Some(setting) = self.rate_limit.zero_setting() {
            return Err(invalid(setting, "must be at least 1"));
        }
        if let Some(setting) = self.subscriptions.zero_setting() {
            return Err(invalid(setting, "must be at least 1 (or positive)"));
        }
        if self.limits.max_document_chars < 100 {
            return Err(invalid("limits.max_document_chars", "must be at least 100"));
        }
        if self.limits.max_body_bytes < 1024 {
            return Err(invalid("limits.max_body_bytes", "must be at least 1024"));
        }
        if self.limits.request_timeout.is_zero() {
            return Err(invalid("limits.request_timeout", "must be positive"));
        }
        if !(1..=100_000).contains(&self.limits.max_concurrent_requests) {
            return Err(invalid(
                "limits.max_concurrent_requests",
                "must be between 1 and 100000",
            ));
        }
        if self.limits.max_queue_wait.is_zero() {
            return Err(invalid("limits.max_queue_wait", "must be positive"));
        }
        if self.auth.token_ttl < Duration::from_secs(60) {
            return Err(invalid("auth.token_ttl", "must be at least 1m"));
        }
        if self.auth.jwt_secret.is_some() && self.auth.jwt_public_key_file.is_some() {
            return Err(invalid(
                "auth",
                "set either jwt_secret (HS256) or jwt_public_key_file (RS256), not both",
            ));
        }
        if self.profile == Profile::Production {
            let demo_secret = self
                .auth
                .jwt_secret
                .as_ref()
                .is_some_and(|s| s.expose_secret() == DEVELOPMENT_JWT_SECRET);
            if (self.auth.jwt_secret.is_none() && self.auth.jwt_public_key_file.is_none())
                || demo_secret
            {
                return Err(invalid(
                    "auth.jwt_secret",
                    "the production profile needs its own secret (or an RS256 key); the development secret is refused",
                ));
            }
        }
        for origin in &self.http.cors_allowed_origins {
            if !(origin.starts_with("http://") || origin.starts_with("https://"))
                || origin.ends_with('/')
            {
                return Err(invalid(
                    "http.cors_allowed_origins",
                    format!("{origin:?} is not an origin like https://app.example.vn"),
                ));
            }
        }
        self.telemetry.validate()?;
        self.token_settings().map(|_| ())
    }

    /// Whether GraphiQL is served.
    pub fn graphiql_enabled(&self) -> bool {
        self.http
            .graphiql
            .unwrap_or(self.profile == Profile::Development)
    }

    /// Whether introspection is answered.
    pub fn introspection_enabled(&self) -> bool {
        self.http
            .introspection
            .unwrap_or(self.profile == Profile::Development)
    }

    /// Database settings for the core.
    pub fn database_settings(&self) -> DatabaseSettings {
        DatabaseSettings {
            url: self.database.url.trim().to_owned(),
            max_connections: self.database.max_connections,
            acquire_timeout: self.database.acquire_timeout,
            sqlite_busy_timeout: self.database.sqlite_busy_timeout,
            statement_timeout: Some(self.limits.request_timeout),
        }
    }

    /// Token settings for the core, reading key files if configured.
    pub fn token_settings(&self) -> Result<TokenSettings, ConfigError> {
        let key = match (&self.auth.jwt_secret, &self.auth.jwt_public_key_file) {
            (_, Some(public)) => SigningKey::Rs256 {
                public_pem: read_key(public, "auth.jwt_public_key_file")?,
                private_pem: self
                    .auth
                    .jwt_private_key_file
                    .as_deref()
                    .map(|p| read_key(p, "auth.jwt_private_key_file"))
                    .transpose()?,
            },
            (Some(secret), None) => {
                if secret.expose_secret().len() < khuyenhoc_core::auth::token::MIN_SECRET_BYTES {
                    return Err(invalid("auth.jwt_secret", "must be at least 32 bytes"));
                }
                SigningKey::Hs256 {
                    secret: secret.expose_secret().as_bytes().to_vec(),
                }
            }
            (None, None) => SigningKey::Hs256 {
                secret: DEVELOPMENT_JWT_SECRET.as_bytes().to_vec(),
            },
        };
        Ok(TokenSettings {
            key,
            issuer: self.auth.issuer.clone(),
            audience: self.auth.audience.clone(),
            ttl: self.auth.token_ttl,
            leeway: Duration::from_secs(30),
        })
    }

    /// The effective configuration as TOML, secrets redacted (for `khuyenhoc config check`).
    pub fn redacted_toml(&self) -> String {
        toml_like(&serde_json::to_value(self).unwrap_or_default(), "")
    }
}

fn read_key(path: &Path, setting: &'static str) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path)
        .map_err(|e| invalid(setting, format!("cannot read {}: {e}", path.display())))
}

fn redacted<S: serde::Serializer>(secret: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(_) => s.serialize_some("<redacted>"),
        None => s.serialize_none(),
    }
}

/// Renders a JSON object as TOML-ish `key = value` lines, sections for nested objects.
fn toml_like(value: &serde_json::Value, section: &str) -> String {
    let mut lines = String::new();
    let mut sections = String::new();
    if let serde_json::Value::Object(map) = value {
        for (key, v) in map {
            match v {
                serde_json::Value::Object(_) => {
                    let name = if section.is_empty() {
                        key.clone()
                    } else {
                        format!("{section}.{key}")
                    };
                    sections.push_str(&format!("\n[{name}]\n{}", toml_like(v, &name)));
                }
                serde_json::Value::Null => lines.push_str(&format!("# {key} = (unset)\n")),
                other => lines.push_str(&format!("{key} = {other}\n")),
            }
        }
    }
    lines + &sections
}

/// Durations as human-readable strings (`30s`, `5m`, `1h`) in files and variables.
pub(crate) mod humantime_serde_compat {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&humantime::format_duration(*d).to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Seconds(u64),
        }
        match Raw::deserialize(d)? {
            Raw::Text(t) => humantime::parse_duration(&t).map_err(serde::de::Error::custom),
            Raw::Seconds(s) => Ok(Duration::from_secs(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_production_needs_a_secret() {
        assert!(Config::default().validate().is_ok());
        let production = Config {
            profile: Profile::Production,
            ..Config::default()
        };
        assert!(matches!(
            production.validate(),
            Err(ConfigError::Invalid {
                setting: "auth.jwt_secret",
                ..
            })
        ));
        let mut demo = production.clone();
        demo.auth.jwt_secret = Some(DEVELOPMENT_JWT_SECRET.into());
        assert!(demo.validate().is_err());
    }

    #[test]
    fn keepalives_default_to_15s_and_zero_turns_them_off() {
        assert_eq!(
            Config::default().subscriptions.keepalive_interval,
            Duration::from_secs(15)
        );
        for (setting, expected) in [
            ("keepalive_interval = \"0\"", 0),
            ("keepalive_interval = 0", 0),
            ("keepalive_interval = \"20s\"", 20),
        ] {
            let config: Config = Figment::from(Serialized::defaults(Config::default()))
                .merge(Toml::string(&format!("[subscriptions]\n{setting}")))
                .extract()
                .expect(setting);
            assert_eq!(
                config.subscriptions.keepalive_interval,
                Duration::from_secs(expected)
            );
            assert!(config.validate().is_ok(), "{setting}");
        }
    }

    #[test]
    fn admission_needs_a_turn_and_a_wait() {
        for (limits, setting) in [
            (
                "max_concurrent_requests = 0",
                "limits.max_concurrent_requests",
            ),
            (
                "max_concurrent_requests = 1000000",
                "limits.max_concurrent_requests",
            ),
            ("max_queue_wait = \"0s\"", "limits.max_queue_wait"),
        ] {
            let config: Config = Figment::from(Serialized::defaults(Config::default()))
                .merge(Toml::string(&format!("[limits]\n{limits}")))
                .extract()
                .expect(limits);
            assert!(
                matches!(config.validate(), Err(ConfigError::Invalid { setting: s, .. }) if s == setting),
                "{limits}"
            );
        }
    }

    #[test]
    fn redacted_dump_hides_the_secret() {
        let mut config = Config::default();
        config.auth.jwt_secret = Some("a-very-secret-value-that-is-long-enough".into());
        let dump = config.redacted_toml();
        assert!(dump.contains("<redacted>"));
        assert!(!dump.contains("a-very-secret"));
    }
}
