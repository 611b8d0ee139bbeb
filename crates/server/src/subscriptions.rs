//! Subscription connections: their limits and keep-alives (`[subscriptions]` in the
//! configuration) and the counts that enforce the limits in this process.
//!
//! | refusal | when | answer |
//! |---|---|---|
//! | `TOO_MANY_CONNECTIONS` | the process holds `max_connections` | HTTP 503 with `Retry-After`, before the upgrade |
//! | `TOO_MANY_USER_CONNECTIONS` | the user holds `max_connections_per_user` | close `4429` at `connection_init` |
//! | `TOO_MANY_SUBSCRIPTIONS` | the connection runs `max_subscriptions_per_connection` | an error for that subscription |
//! | `UNAUTHENTICATED` | no, or a bad, token at `connection_init` | close `4401` |

use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use prometheus_client::metrics::gauge::Gauge;
use serde::{Deserialize, Serialize};

/// `[subscriptions]`: limits on WebSocket subscription connections, and their keep-alives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubscriptionsConfig {
    /// Most open subscription connections in this process.
    pub max_connections: usize,
    /// Most open subscription connections of one user in this process.
    pub max_connections_per_user: usize,
    /// Most subscriptions running at once on one connection.
    pub max_subscriptions_per_connection: usize,
    /// How long a new connection may take to send `connection_init` (closed with 4408 after).
    #[serde(with = "crate::config::humantime_serde_compat")]
    pub connection_init_timeout: Duration,
    /// How often the server sends a keep-alive on an acknowledged connection, so proxies and
    /// load balancers do not close it while no event comes: `{"type":"ping"}` with
    /// `graphql-transport-ws` (the client answers `pong`), `{"type":"ka"}` with the legacy
    /// `graphql-ws`. Zero sends none.
    #[serde(with = "crate::config::humantime_serde_compat")]
    pub keepalive_interval: Duration,
}

impl Default for SubscriptionsConfig {
    fn default() -> Self {
        Self {
            max_connections: 1_000,
            max_connections_per_user: 8,
            max_subscriptions_per_connection: 20,
            connection_init_timeout: Duration::from_secs(10),
            keepalive_interval: Duration::from_secs(15),
        }
    }
}

impl SubscriptionsConfig {
    /// The first setting that is zero (each must be at least 1), if any. `keepalive_interval`
    /// may be zero: it turns keep-alives off.
    pub fn zero_setting(&self) -> Option<&'static str> {
        if self.max_connections == 0 {
            Some("subscriptions.max_connections")
        } else if self.max_connections_per_user == 0 {
            Some("subscriptions.max_connections_per_user")
        } else if self.max_subscriptions_per_connection == 0 {
            Some("subscriptions.max_subscriptions_per_connection")
        } else if self.connection_init_timeout.is_zero() {
            Some("subscriptions.connection_init_timeout")
        } else {
            None
        }
    }
}

/// The subscription connections open in this process, in total and per user.
#[derive(Debug)]
pub struct Connections {
    max_total: usize,
    max_per_user: usize,
    counts: Mutex<Counts>,
    /// The `active_subscription_connections` gauge.
    gauge: Gauge,
    /// Subscriptions running on all connections (reported as `active_subscriptions`).
    pub subscriptions: Arc<AtomicUsize>,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_user: HashMap<i64, usize>,
}

impl Connections {
    /// Counts against `config`'s limits, reporting the total on `gauge`.
    pub fn new(config: &SubscriptionsConfig, gauge: Gauge) -> Self {
        Self {
            max_total: config.max_connections,
            max_per_user: config.max_connections_per_user,
            counts: Mutex::default(),
            gauge,
            subscriptions: Arc::default(),
        }
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        // Plain counters, valid even if a holder panicked.
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a place for a new connection, or `None` when the process is full.
    pub fn open(self: &Arc<Self>) -> Option<ConnectionSlot> {
        let mut counts = self.counts();
        if counts.total >= self.max_total {
            return None;
        }
        counts.total += 1;
        self.gauge.inc();
        Some(ConnectionSlot(Arc::clone(self)))
    }

    /// Takes a place for `user_id`'s connection, or `None` when the user has too many.
    pub fn open_for_user(self: &Arc<Self>, user_id: i64) -> Option<UserSlot> {
        let mut counts = self.counts();
        let held = counts.per_user.entry(user_id).or_default();
        if *held >= self.max_per_user {
            return None;
        }
        *held += 1;
        Some(UserSlot {
            connections: Arc::clone(self),
            user_id,
        })
    }
}

/// One open connection; its place is given back when dropped.
#[derive(Debug)]
pub struct ConnectionSlot(Arc<Connections>);

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut counts = self.0.counts();
        counts.total = counts.total.saturating_sub(1);
        self.0.gauge.dec();
    }
}

/// One of a user's open connections; its place is given back when dropped.
#[derive(Debug)]
pub struct UserSlot {
    connections: Arc<Connections>,
    user_id: i64,
}

impl Drop for UserSlot {
    fn drop(&mut self) {
        let mut counts = self.connections.counts();
        if let Some(held) = counts.per_user.get_mut(&self.user_id) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                counts.per_user.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_limited_and_given_back() {
        let config = SubscriptionsConfig {
            max_connections: 2,
            max_connections_per_user: 1,
            ..SubscriptionsConfig::default()
        };
        let gauge = Gauge::default();
        let connections = Arc::new(Connections::new(&config, gauge.clone()));
        let a = connections.open();
        let b = connections.open();
        assert!(a.is_some() && b.is_some());
        assert!(connections.open().is_none());
        assert_eq!(gauge.get(), 2);
        drop(a);
        assert!(connections.open().is_some());
        let first = connections.open_for_user(7);
        assert!(first.is_some());
        assert!(connections.open_for_user(7).is_none());
        assert!(connections.open_for_user(8).is_some());
        drop(first);
        assert!(connections.open_for_user(7).is_some());
    }
}
