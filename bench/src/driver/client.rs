//! One GraphQL request over HTTP/1.1 keep-alive, and what the benchmark keeps of its answer:
//! latency, the server's `x-sql-statements` count, and error codes.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The server's per-request statement counter header.
const STATEMENTS_HEADER: &str = "x-sql-statements";

/// What one request did.
#[derive(Debug)]
pub struct Reply {
    /// Wall time from send to the end of the body.
    pub latency: Duration,
    /// SQL statements the server ran for it (0 when the header is missing).
    pub statements: u64,
    /// Error codes: `extensions.code` of GraphQL errors, `USER_ERROR:<code>` of payload
    /// `userErrors`, `HTTP_<status>`, or `TRANSPORT`/`BAD_JSON`.
    pub errors: Vec<String>,
    /// `data` of the response.
    pub data: Value,
}

/// Posts `document` with `variables` as the holder of `token`.
pub async fn post(
    client: &reqwest::Client,
    endpoint: &str,
    token: &str,
    document: &str,
    variables: Value,
) -> Reply {
    let started = Instant::now();
    let body = json!({ "query": document, "variables": variables });
    let response = client
        .post(endpoint)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await;
    let mut errors = Vec::new();
    let (statements, json) = match response {
        Ok(response) => {
            let statements = response
                .headers()
                .get(STATEMENTS_HEADER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if !response.status().is_success() {
                errors.push(format!("HTTP_{}", response.status().as_u16()));
            }
            match response.json::<Value>().await {
                Ok(json) => (statements, json),
                Err(_) => {
                    errors.push("BAD_JSON".to_owned());
                    (statements, Value::Null)
                }
            }
        }
        Err(_) => {
            errors.push("TRANSPORT".to_owned());
            (0, Value::Null)
        }
    };
    let latency = started.elapsed();
    if let Some(list) = json.get("errors").and_then(Value::as_array) {
        for error in list {
            let code = error
                .pointer("/extensions/code")
                .and_then(Value::as_str)
                .unwrap_or("NO_CODE");
            errors.push(code.to_owned());
        }
    }
    let data = json.get("data").cloned().unwrap_or(Value::Null);
    collect_user_errors(&data, &mut errors);
    Reply {
        latency,
        statements,
        errors,
        data,
    }
}

/// Adds `USER_ERROR:<code>` for every entry of a mutation payload's `userErrors`.
fn collect_user_errors(data: &Value, errors: &mut Vec<String>) {
    if let Some(fields) = data.as_object() {
        for payload in fields.values() {
            if let Some(list) = payload.get("userErrors").and_then(Value::as_array) {
                for error in list {
                    let code = error.get("code").and_then(Value::as_str).unwrap_or("?");
                    errors.push(format!("USER_ERROR:{code}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_errors_count_as_errors() {
        let data = json!({ "planTrainingSession": { "session": null,
            "userErrors": [{ "field": "title", "code": "REQUIRED", "message": "…" }] } });
        let mut errors = Vec::new();
        collect_user_errors(&data, &mut errors);
        assert_eq!(errors, ["USER_ERROR:REQUIRED"]);
    }
}
