//! The router and the server loop.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::get;
use khuyenhoc_core::auth::Tokens;
use khuyenhoc_core::events::Events;
use khuyenhoc_graphql::schema::{ServeOptions, ShapeLimits, Transport};
use khuyenhoc_graphql::{Limits, Services};
use sea_orm::DatabaseConnection;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::admission::Admission;
use crate::config::Config;
use crate::documents::{Documents, Manifest, load_manifest};
use crate::metrics::Metrics;
use crate::otel::TraceExport;
use crate::rate_limit::RateLimits;
use crate::state::AppState;
use crate::subscriptions::Connections;
use crate::{export, graphql_http, health, metrics, shutdown, telemetry, websocket};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The token key is unusable.
    #[error("auth: {0}")]
    Tokens(#[from] khuyenhoc_core::auth::TokenError),
    /// The address cannot be bound.
    #[error("cannot listen on {address}: {reason}")]
    Bind {
        /// The address.
        address: std::net::SocketAddr,
        /// What the operating system said.
        reason: String,
    },
    /// GraphiQL's offline assets are unusable.
    #[error(transparent)]
    Graphiql(#[from] crate::graphiql::AssetsError),
    /// The operations manifest is unusable.
    #[error(transparent)]
    Manifest(#[from] crate::documents::ManifestError),
    /// The trace exporter cannot be set up.
    #[error(transparent)]
    TraceExport(#[from] crate::otel::ExportSetupError),
    /// Serving failed.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Builds the application state and router for `config` over `db`.
pub fn build_router(config: Config, db: DatabaseConnection) -> Result<Router, StartError> {
    build(config, db).map(|(router, _)| router)
}

/// The router and, for the shutdown path, the trace export it feeds.
fn build(config: Config, db: DatabaseConnection) -> Result<(Router, TraceExport), StartError> {
    let trace_export = TraceExport::start(&config.telemetry)?;
    let tokens = Arc::new(Tokens::new(config.token_settings()?)?);
    let rate_limits = Arc::new(RateLimits::new(&config.rate_limit));
    let manifest = match &config.documents.manifest {
        Some(path) => load_manifest(path)?,
        None => Manifest::new(),
    };
    let documents = Arc::new(Documents::new(&config.documents, manifest));
    let services = Services {
        db,
        tokens: Arc::clone(&tokens),
        limits: Limits {
            max_page_size: config.limits.max_page_size,
        },
        login_guard: Arc::clone(&rate_limits) as Arc<dyn khuyenhoc_graphql::LoginGuard>,
        events: Events::new(),
        sheets: Arc::default(),
    };
    // On PostgreSQL, events written through any replica reach this one.
    khuyenhoc_core::events::spawn_listener(&services.db, &services.events);
    let shape = ShapeLimits {
        max_depth: config.limits.max_depth,
        max_complexity: config.limits.max_complexity,
    };
    let options = |transport| ServeOptions {
        limits: shape.clone(),
        federation: config.graphql.federation,
        introspection: config.introspection_enabled(),
        transport,
    };
    let schema = khuyenhoc_graphql::schema::serve(services.clone(), &options(Transport::Http));
    let live_schema = khuyenhoc_graphql::schema::serve(services.clone(), &options(Transport::Live));
    let metrics = Arc::new(Metrics::new());
    let connections = Arc::new(Connections::new(
        &config.subscriptions,
        metrics.subscription_connections(),
    ));
    let (waiting, running) = metrics.admission_gauges();
    let admission = Arc::new(Admission::new(
        config.limits.max_concurrent_requests,
        config.limits.max_queue_wait,
        waiting,
        running,
    ));
    let state = AppState {
        schema,
        live_schema,
        services,
        tokens,
        config: Arc::new(config),
        rate_limits,
        metrics,
        documents,
        connections,
        admission,
        trace_export: trace_export.clone(),
    };

    let mut router = Router::new()
        .route("/graphql", get(websocket::get).post(graphql_http::post))
        .route("/export/assessments.csv", get(export::assessments))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::endpoint));
    if state.config.graphiql_enabled() {
        router = router.merge(crate::graphiql::routes(&state.config.graphiql)?);
    }
    let cors = cors_layer(&state.config);
    let mut router = router
        .with_state(state.clone())
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state,
            telemetry::track,
        ));
    if let Some(cors) = cors {
        router = router.layer(cors);
    }
    Ok((router, trace_export))
}

fn cors_layer(config: &Config) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = config
        .http
        .cors_allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static(telemetry::REQUEST_ID_HEADER),
                HeaderName::from_static(crate::idempotency::HEADER),
                HeaderName::from_static("traceparent"),
                HeaderName::from_static("tracestate"),
            ])
            .expose_headers([
                HeaderName::from_static(telemetry::REQUEST_ID_HEADER),
                HeaderName::from_static(crate::idempotency::REPLAYED_HEADER),
            ])
            .max_age(std::time::Duration::from_secs(600)),
    )
}

/// Binds `config.bind` and serves until SIGTERM or Ctrl-C, then drains in-flight requests and
/// sends the last trace spans.
pub async fn serve(config: Config, db: DatabaseConnection) -> Result<(), StartError> {
    let address = config.bind;
    let (router, trace_export) = build(config, db)?;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| StartError::Bind {
            address,
            reason: e.to_string(),
        })?;
    let local = listener.local_addr().unwrap_or(address);
    tracing::info!(address = %local, "khuyenhoc listening; GraphQL at http://{local}/graphql");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown::signal())
    .await?;
    // Every request has finished, so every span has ended: send what is still queued.
    trace_export.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}
