//! SIGTERM drains: the server stops accepting, finishes the request in flight, then exits 0.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;

#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/k.db", dir.path().display());
    let mut server = Command::new(env!("CARGO_BIN_EXE_khuyenhoc"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &url])
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "info")
        .env("KHUYENHOC_LOG__FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // The address comes from the "listening" log line.
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.contains("listening") {
                let log: serde_json::Value = serde_json::from_str(&line).unwrap();
                return log["address"].as_str().unwrap().to_owned();
            }
        }
        panic!("the server exited before listening");
    })
    .await
    .expect("the server starts");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

    // A request whose body is still on its way when SIGTERM arrives.
    let body = br#"{"query":"{ __typename }"}"#;
    let mut stream = TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..5]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = server.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(300)).await;

    // New connections are no longer accepted...
    assert!(
        TcpStream::connect(&address).await.is_err(),
        "the listener is closed while draining"
    );
    // ...but the request in flight is answered.
    stream.write_all(&body[5..]).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(
        Duration::from_secs(10),
        stream.read_to_string(&mut response),
    )
    .await
    .expect("answered")
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""__typename":"Query""#), "{response}");

    let status = tokio::time::timeout(Duration::from_secs(10), server.wait())
        .await
        .expect("exits after draining")
        .unwrap();
    assert!(status.success(), "{status:?}");
}
