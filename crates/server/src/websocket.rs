//! Subscriptions over WebSocket at `GET /graphql` (with `Upgrade: websocket`).
//!
//! The `graphql-transport-ws` protocol (and the legacy `graphql-ws` one, which async-graphql
//! speaks too). The client authenticates in `connection_init` with a payload
//! `{"Authorization": "Bearer <token>"}` (`authorization` and `token` keys work too); a missing or
//! bad token closes the socket with 4401, a user over its connection limit with 4429, and a
//! connection that sends no `connection_init` in time with 4408. Every subscribe message goes
//! through the same document checks as HTTP (persisted/trusted documents, length, aliases,
//! directives; depth and complexity are the schema's own) and gets the same error codes. Only
//! subscriptions run here: queries and mutations go over HTTP, where rate limits, idempotency
//! and time limits apply. Once acknowledged, a connection gets a keep-alive every
//! `keepalive_interval` ([`Keepalive`]).

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

use async_graphql::http::{WebSocketProtocols, WsMessage};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use axum::Extension;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use futures::stream::BoxStream;
use futures::{SinkExt, StreamExt};
use khuyenhoc_core::db::StatementCounter;
use khuyenhoc_graphql::subscription::LiveConnection;
use khuyenhoc_graphql::{ActorCell, BatchGate, RequestState, ServedSchema};

use crate::auth::{actor_for_token, bearer_token};
use crate::document_guard::{self, DocumentLimits};
use crate::documents::Documents;
use crate::graphql_http::{client_address, with_codes};
use crate::rejection::Rejection;
use crate::state::AppState;
use crate::subscriptions::ConnectionSlot;
use crate::telemetry::RequestId;

/// The subprotocols offered, preferred first.
const PROTOCOLS: [&str; 2] = ["graphql-transport-ws", "graphql-ws"];

/// `GET /graphql`: a WebSocket upgrade for subscriptions, else a query over HTTP.
pub async fn get(
    State(state): State<AppState>,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
    request_id: Extension<RequestId>,
    counter: Extension<StatementCounter>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    query: RawQuery,
) -> HttpResponse {
    match upgrade {
        Ok(upgrade) => {
            let address = client_address(&state, &headers, connection);
            accept(state, upgrade, address)
        }
        Err(_) => {
            crate::graphql_http::get(
                State(state),
                request_id,
                counter,
                connection,
                headers,
                query,
            )
            .await
        }
    }
}

/// Upgrades, unless the process already holds its maximum of connections.
fn accept(state: AppState, upgrade: WebSocketUpgrade, address: Option<IpAddr>) -> HttpResponse {
    let Some(slot) = state.connections.open() else {
        return Rejection::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "TOO_MANY_CONNECTIONS",
            "the server holds as many subscription connections as it may; try again later",
        )
        .with_retry_after(5)
        .into_response();
    };
    let upgrade = upgrade.protocols(PROTOCOLS);
    let protocol = upgrade
        .selected_protocol()
        .and_then(|p| p.to_str().ok())
        .and_then(|p| p.parse::<WebSocketProtocols>().ok())
        .unwrap_or(WebSocketProtocols::GraphQLWS);
    upgrade.on_upgrade(move |socket| serve(state, socket, protocol, slot, address))
}

/// Why `connection_init` was refused, to pick the close code.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    Unauthenticated,
    TooManyUserConnections,
}

impl Refusal {
    fn close_code(self) -> u16 {
        match self {
            Self::Unauthenticated => 4401,
            Self::TooManyUserConnections => 4429,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::TooManyUserConnections => "TOO_MANY_USER_CONNECTIONS",
        }
    }
}

/// Runs one connection until either side closes it. `_slot` holds its place in the process.
async fn serve(
    state: AppState,
    socket: WebSocket,
    protocol: WebSocketProtocols,
    _slot: ConnectionSlot,
    address: Option<IpAddr>,
) {
    let (mut sink, incoming) = socket.split();
    let incoming = incoming
        .take_while(|m| {
            futures::future::ready(matches!(m, Ok(m) if !matches!(m, Message::Close(_))))
        })
        .filter_map(|m| {
            futures::future::ready(match m {
                Ok(Message::Text(text)) => Some(axum::body::Bytes::from(text)),
                Ok(Message::Binary(bytes)) => Some(bytes),
                _ => None,
            })
        });
    let executor = LiveExecutor {
        schema: state.live_schema.clone(),
        documents: Arc::clone(&state.documents),
        limits: state.document_limits(),
    };
    let refusal: Arc<OnceLock<Refusal>> = Arc::default();
    let acknowledged: Arc<OnceLock<()>> = Arc::default();
    let init = {
        let state = state.clone();
        let refusal = Arc::clone(&refusal);
        let acknowledged = Arc::clone(&acknowledged);
        move |payload: serde_json::Value| async move {
            match initialise(&state, &payload, address).await {
                Ok(data) => {
                    let _ = acknowledged.set(());
                    Ok(data)
                }
                Err(why) => {
                    let _ = refusal.set(why);
                    Err(async_graphql::Error::new(why.code()))
                }
            }
        }
    };
    let outgoing = async_graphql::http::WebSocket::new(executor, incoming, protocol)
        .on_connection_init(init)
        .map(|message| match message {
            WsMessage::Text(text) => Message::Text(text.into()),
            WsMessage::Close(code, reason) => {
                // async-graphql closes a refused init with 1002; say why with our code.
                let code = match refusal.get() {
                    Some(why) if code == 1002 => why.close_code(),
                    _ => code,
                };
                Message::Close(Some(CloseFrame {
                    code,
                    reason: reason.into(),
                }))
            }
        });
    let mut outgoing = std::pin::pin!(outgoing);
    let deadline = tokio::time::sleep(state.config.subscriptions.connection_init_timeout);
    let mut deadline = std::pin::pin!(deadline);
    let mut deadline_passed = false;
    let mut keepalive = Keepalive::new(state.config.subscriptions.keepalive_interval, protocol);
    loop {
        tokio::select! {
            message = outgoing.next() => {
                let Some(message) = message else { break };
                let closing = matches!(message, Message::Close(_));
                if sink.send(message).await.is_err() || closing {
                    break;
                }
            }
            ping = keepalive.next(), if acknowledged.get().is_some() => {
                if sink.send(ping).await.is_err() {
                    break;
                }
            }
            () = &mut deadline, if !deadline_passed => {
                deadline_passed = true;
                if acknowledged.get().is_none() {
                    let close = Message::Close(Some(CloseFrame {
                        code: 4408,
                        reason: "Connection initialisation timeout".into(),
                    }));
                    let _ = sink.send(close).await;
                    break;
                }
            }
        }
    }
    let _ = sink.close().await;
}

/// The server's keep-alives on an acknowledged connection (`[subscriptions]
/// keepalive_interval`), so that proxies and load balancers, which close connections idle for a
/// minute or so, keep a connection open while no event comes.
///
/// async-graphql's own `keepalive_timeout` is the opposite mechanism (it closes a connection
/// whose client has been silent that long) and sends nothing, so the pings are sent here, beside
/// its message stream: `{"type":"ping"}` in `graphql-transport-ws` (the client answers `pong`,
/// which async-graphql accepts and ignores), `{"type":"ka"}` in the legacy `graphql-ws`.
struct Keepalive {
    interval: Option<tokio::time::Interval>,
    message: &'static str,
}

impl Keepalive {
    /// Keep-alives every `every` (none when zero) in `protocol`.
    fn new(every: std::time::Duration, protocol: WebSocketProtocols) -> Self {
        let interval = (!every.is_zero()).then(|| {
            let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            interval
        });
        let message = match protocol {
            WebSocketProtocols::GraphQLWS => r#"{"type":"ping"}"#,
            WebSocketProtocols::SubscriptionsTransportWS => r#"{"type":"ka"}"#,
        };
        Self { interval, message }
    }

    /// The next keep-alive, when it is due; never when they are off.
    async fn next(&mut self) -> Message {
        match &mut self.interval {
            Some(interval) => {
                interval.tick().await;
                Message::Text(self.message.into())
            }
            None => std::future::pending().await,
        }
    }
}

/// Authenticates `connection_init` and builds the connection's session data.
async fn initialise(
    state: &AppState,
    payload: &serde_json::Value,
    address: Option<IpAddr>,
) -> Result<Data, Refusal> {
    let token = token_of(payload).ok_or(Refusal::Unauthenticated)?;
    let actor = actor_for_token(state, token)
        .await
        .map_err(|_| Refusal::Unauthenticated)?;
    let user_slot = state
        .connections
        .open_for_user(actor.user_id)
        .ok_or(Refusal::TooManyUserConnections)?;
    let mut data = Data::default();
    data.insert(RequestState {
        actor: ActorCell::new(Some(actor)),
        counter: StatementCounter::new(),
        batching: BatchGate::new(),
        client_address: address,
    });
    data.insert(LiveConnection::new(
        state.config.subscriptions.max_subscriptions_per_connection,
        Arc::clone(&state.connections.subscriptions),
    ));
    // Held as long as the connection: its place among the user's connections.
    data.insert(Arc::new(user_slot));
    Ok(data)
}

/// The token in a `connection_init` payload: `Authorization`/`authorization` as
/// `Bearer <token>`, or a bare `token`.
fn token_of(payload: &serde_json::Value) -> Option<&str> {
    let header = ["Authorization", "authorization"]
        .iter()
        .find_map(|key| payload.get(key).and_then(serde_json::Value::as_str));
    match header {
        Some(value) => bearer_token(value),
        None => payload
            .get("token")
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty()),
    }
}

/// The schema behind the document checks of HTTP, for subscription operations only.
#[derive(Clone)]
struct LiveExecutor {
    schema: ServedSchema,
    documents: Arc<Documents>,
    limits: DocumentLimits,
}

impl LiveExecutor {
    /// The checks an operation passes before it runs.
    fn check(&self, request: &mut Request) -> Result<(), Box<Response>> {
        let refused = |code: &'static str, message: &str| {
            let mut error = ServerError::new(message, None);
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", code);
            Box::new(Response::from_errors(vec![error]))
        };
        self.documents
            .resolve(request)
            .and_then(|()| document_guard::check(request, &self.limits))
            .map_err(|r| refused(r.code(), r.message()))?;
        if matches!(
            document_guard::operation_type(request),
            Some(OperationType::Query | OperationType::Mutation)
        ) {
            return Err(refused(
                "BAD_REQUEST",
                "only subscriptions run over WebSocket; send queries and mutations over HTTP",
            ));
        }
        Ok(())
    }
}

impl Executor for LiveExecutor {
    async fn execute(&self, mut request: Request) -> Response {
        match self.check(&mut request) {
            Ok(()) => with_codes(Executor::execute(&self.schema, request).await),
            Err(refusal) => *refusal,
        }
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        match self.check(&mut request) {
            Ok(()) => Executor::execute_stream(&self.schema, request, session_data)
                .map(with_codes)
                .boxed(),
            Err(refusal) => futures::stream::once(async move { *refusal }).boxed(),
        }
    }
}
