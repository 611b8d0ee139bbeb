//! A minimal `graphql-transport-ws` client over a real WebSocket (tokio-tungstenite).

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::TestApp;

/// How long a test waits for something that should arrive.
pub const ARRIVES: Duration = Duration::from_secs(10);
/// How long a test watches for something that must not arrive.
pub const SILENCE: Duration = Duration::from_millis(1500);

/// An initialised subscription connection.
pub struct Live {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How a connection attempt ended when it was not acknowledged.
#[derive(Debug)]
pub enum Refused {
    /// The upgrade was answered with this HTTP status and body.
    Http(u16, Value),
    /// The socket was closed with this code and reason.
    Closed(u16, String),
}

impl Live {
    /// Opens a socket with `subprotocol` and sends `connection_init` with `payload`.
    pub async fn connect_with(
        app: &TestApp,
        subprotocol: &str,
        payload: Value,
    ) -> Result<Self, Refused> {
        let mut request = format!("ws://{}/graphql", app.address)
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", subprotocol.parse().unwrap());
        let (mut socket, response) = match tokio_tungstenite::connect_async(request).await {
            Ok(ok) => ok,
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                let status = response.status().as_u16();
                let body = response
                    .body()
                    .as_deref()
                    .and_then(|b| serde_json::from_slice(b).ok())
                    .unwrap_or(Value::Null);
                return Err(Refused::Http(status, body));
            }
            Err(e) => panic!("websocket connect failed: {e}"),
        };
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some(subprotocol),
            "the server speaks the offered subprotocol"
        );
        let init = json!({ "type": "connection_init", "payload": payload });
        socket
            .send(Message::Text(init.to_string().into()))
            .await
            .unwrap();
        let mut live = Self { socket };
        match live.receive(ARRIVES).await {
            Some(Ok(message)) if message["type"] == "connection_ack" => Ok(live),
            Some(Err(refused)) => Err(refused),
            other => panic!("expected connection_ack, got {other:?}"),
        }
    }

    /// Connects with `graphql-transport-ws` and `payload`.
    pub async fn connect(app: &TestApp, payload: Value) -> Result<Self, Refused> {
        Self::connect_with(app, "graphql-transport-ws", payload).await
    }

    /// Connects as `email`, with a valid token.
    pub async fn open(app: &TestApp, email: &str) -> Self {
        let token = app.token(email).await;
        Self::connect(app, json!({ "Authorization": format!("Bearer {token}") }))
            .await
            .unwrap_or_else(|r| panic!("{email} could not connect: {r:?}"))
    }

    /// Starts subscription `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let message = json!({
            "id": id,
            "type": "subscribe",
            "payload": { "query": query, "variables": variables },
        });
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }

    /// Stops subscription `id`.
    pub async fn complete(&mut self, id: &str) {
        let message = json!({ "id": id, "type": "complete" });
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }

    /// The next protocol message within `wait` (pings answered and skipped), `Err` when the
    /// socket was closed, `None` on silence.
    async fn receive(&mut self, wait: Duration) -> Option<Result<Value, Refused>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).unwrap();
                    if value["type"] == "ping" {
                        let pong = json!({ "type": "pong" }).to_string();
                        self.socket.send(Message::Text(pong.into())).await.ok();
                        continue;
                    }
                    return Some(Ok(value));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.to_string()))
                        .unwrap_or((1005, String::new()));
                    return Some(Err(Refused::Closed(code, reason)));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return Some(Err(Refused::Closed(1006, String::new()))),
            }
        }
    }

    /// The next text message within `wait` as it came, keep-alives included (and not answered),
    /// or `None` on silence or when the socket closed.
    pub async fn next_raw(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Ok(Some(Ok(Message::Text(text)))) => {
                    return Some(serde_json::from_str(&text).unwrap());
                }
                Ok(Some(Ok(Message::Close(_)) | Err(_)) | None) | Err(_) => return None,
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// Sends a protocol message as it is.
    pub async fn send_raw(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }

    /// The next message, which must come within [`ARRIVES`].
    pub async fn next(&mut self) -> Value {
        match self.receive(ARRIVES).await {
            Some(Ok(message)) => message,
            other => panic!("expected a message, got {other:?}"),
        }
    }

    /// The data of the next `next` message for subscription `id`.
    pub async fn next_data(&mut self, id: &str) -> Value {
        let message = self.next().await;
        assert_eq!(message["type"], "next", "unexpected message: {message}");
        assert_eq!(message["id"], id, "unexpected message: {message}");
        assert!(
            message["payload"].get("errors").is_none(),
            "unexpected errors: {message}"
        );
        message["payload"]["data"].clone()
    }

    /// Asserts nothing arrives for [`SILENCE`].
    pub async fn assert_silent(&mut self, who: &str) {
        if let Some(message) = self.receive(SILENCE).await {
            panic!("{who} received {message:?}");
        }
    }
}

/// Waits until the app runs `n` subscriptions (read from `/metrics`), so an event sent next
/// cannot overtake a subscription that is still starting.
pub async fn wait_for_subscriptions(app: &TestApp, n: usize) {
    let expected = format!("khuyenhoc_active_subscriptions {n}\n");
    let deadline = tokio::time::Instant::now() + ARRIVES;
    loop {
        let text = app.get_text("/metrics").await;
        if text.contains(&expected) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never reached {n} subscriptions"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
