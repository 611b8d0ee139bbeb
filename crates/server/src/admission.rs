//! Admission control: at most `limits.max_concurrent_requests` GraphQL operations run at once;
//! the others wait for a turn, in arrival order, for at most `limits.max_queue_wait`, and are
//! then refused with `503 OVERLOADED` and `Retry-After`.
//!
//! Why: a request runs several statements one after another (one per loader level), and each
//! waits for a pooled connection behind every statement of every other running request. With
//! many requests running, an operation's time grows with the number of its levels — the nested
//! dashboard waited five times where a lookup waited twice — and the database's cores take turns
//! between more backends than they can serve. Admitted requests run with little contention; the
//! wait moves to the door, where it is the same for every operation and bounded.
//!
//! The semaphore is tokio's, which is fair: permits are handed out first come, first served.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::rejection::Rejection;

/// The door GraphQL operations pass through.
#[derive(Debug)]
pub struct Admission {
    permits: Semaphore,
    max_wait: Duration,
    waiting: Gauge,
    running: Gauge,
}

/// A running operation's turn; the next waiting one is admitted when it is dropped.
#[derive(Debug)]
pub struct Turn<'a> {
    _permit: SemaphorePermit<'a>,
    _running: InGauge,
}

/// Refused at the door: the server stayed at capacity for the whole allowed wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overloaded;

impl Admission {
    /// A door letting `max_running` operations in at once, each waiting at most `max_wait`;
    /// `waiting` and `running` are the gauges it keeps current.
    pub fn new(max_running: usize, max_wait: Duration, waiting: Gauge, running: Gauge) -> Self {
        Self {
            permits: Semaphore::new(max_running),
            max_wait,
            waiting,
            running,
        }
    }

    /// Waits for a turn (in arrival order) for at most the configured wait.
    pub async fn admit(&self) -> Result<Turn<'_>, Overloaded> {
        let permit = match self.permits.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                let _waiting = InGauge::enter(&self.waiting);
                match tokio::time::timeout(self.max_wait, self.permits.acquire()).await {
                    Ok(Ok(permit)) => permit,
                    // The semaphore is never closed; a closed one admits no one.
                    Ok(Err(_)) | Err(_) => return Err(Overloaded),
                }
            }
        };
        Ok(Turn {
            _permit: permit,
            _running: InGauge::enter(&self.running),
        })
    }
}

impl IntoResponse for Overloaded {
    fn into_response(self) -> Response {
        Rejection::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "OVERLOADED",
            "the server is at capacity; try again in a moment",
        )
        .with_retry_after(1)
        .into_response()
    }
}

/// One unit of a gauge, held while alive.
#[derive(Debug)]
struct InGauge(Gauge);

impl InGauge {
    fn enter(gauge: &Gauge) -> Self {
        gauge.inc();
        Self(gauge.clone())
    }
}

impl Drop for InGauge {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderValue, header};

    use super::*;

    fn door(max_running: usize, max_wait: Duration) -> Admission {
        Admission::new(max_running, max_wait, Gauge::default(), Gauge::default())
    }

    #[tokio::test]
    async fn admits_up_to_the_limit_and_refuses_after_the_wait() {
        let door = door(2, Duration::from_millis(30));
        let first = door.admit().await.expect("a free turn");
        let second = door.admit().await.expect("a free turn");
        assert_eq!(door.running.get(), 2);
        assert_eq!(door.admit().await.err(), Some(Overloaded));
        assert_eq!(door.waiting.get(), 0, "the refused one no longer waits");
        drop(first);
        let third = door.admit().await.expect("a freed turn");
        assert_eq!(door.running.get(), 2);
        drop((second, third));
        assert_eq!(door.running.get(), 0);
    }

    #[tokio::test]
    async fn waiting_operations_are_admitted_in_arrival_order() {
        let door = std::sync::Arc::new(door(1, Duration::from_secs(10)));
        let held = door.admit().await.expect("a free turn");
        let (sender, mut admitted) = tokio::sync::mpsc::unbounded_channel();
        let mut waiters = Vec::new();
        for n in 0..5_i64 {
            let shared = std::sync::Arc::clone(&door);
            let sender = sender.clone();
            waiters.push(tokio::spawn(async move {
                let _turn = shared.admit().await.expect("admitted within the wait");
                sender.send(n).expect("the test listens");
            }));
            // Each waiter queues before the next one arrives.
            while door.waiting.get() < n + 1 {
                tokio::task::yield_now().await;
            }
        }
        drop(held);
        for waiter in waiters {
            waiter.await.expect("the waiter finishes");
        }
        drop(sender);
        let mut order = Vec::new();
        while let Some(n) = admitted.recv().await {
            order.push(n);
        }
        assert_eq!(order, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_refusal_says_overloaded_and_when_to_retry() {
        let response = Overloaded.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(header::RETRY_AFTER),
            Some(&HeaderValue::from_static("1"))
        );
        let outcome = response
            .extensions()
            .get::<crate::metrics::Outcome>()
            .expect("the metrics learn the code");
        assert_eq!(outcome.error_codes, vec!["OVERLOADED".to_owned()]);
    }
}
