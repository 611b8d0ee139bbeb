//! Rate limits: token buckets (GCRA, from `governor`) per signed-in user, per client address for
//! anonymous requests, and for `login` per account and per address. A refused request is
//! answered `429 Too Many Requests` with `Retry-After` and the code `RATE_LIMITED`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use khuyenhoc_graphql::LoginGuard;
use serde::{Deserialize, Serialize};

/// Rate limit settings (`[rate_limit]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Whether requests are limited at all.
    pub enabled: bool,
    /// Sustained requests per minute for one signed-in user.
    pub user_per_minute: u32,
    /// Sustained requests per minute for one client address without a token.
    pub anonymous_per_minute: u32,
    /// Requests allowed at once above the sustained rate.
    pub burst: u32,
    /// Login attempts per minute for one account (any address).
    pub login_per_account_per_minute: u32,
    /// Login attempts per minute from one address (any account).
    pub login_per_address_per_minute: u32,
    /// Take the client address from the first `X-Forwarded-For` entry (only behind a proxy
    /// that sets it; otherwise clients could pick their own bucket).
    pub trust_forwarded_for: bool,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            user_per_minute: 600,
            anonymous_per_minute: 120,
            burst: 60,
            login_per_account_per_minute: 5,
            login_per_address_per_minute: 30,
            trust_forwarded_for: false,
        }
    }
}

impl RateLimitConfig {
    /// The first setting that is zero, if any (every rate must be positive).
    pub fn zero_setting(&self) -> Option<&'static str> {
        [
            ("rate_limit.user_per_minute", self.user_per_minute),
            ("rate_limit.anonymous_per_minute", self.anonymous_per_minute),
            ("rate_limit.burst", self.burst),
            (
                "rate_limit.login_per_account_per_minute",
                self.login_per_account_per_minute,
            ),
            (
                "rate_limit.login_per_address_per_minute",
                self.login_per_address_per_minute,
            ),
        ]
        .into_iter()
        .find_map(|(name, value)| (value == 0).then_some(name))
    }
}

/// Who a request is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Client {
    /// A signed-in user.
    User(i64),
    /// An anonymous client address.
    Address(IpAddr),
}

/// The server's rate limiters.
#[derive(Debug)]
pub struct RateLimits {
    enabled: bool,
    users: DefaultKeyedRateLimiter<i64>,
    anonymous: DefaultKeyedRateLimiter<IpAddr>,
    login_accounts: DefaultKeyedRateLimiter<String>,
    login_addresses: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    checks: AtomicU64,
}

/// Forget idle buckets after this many checks, so memory stays bounded.
const CLEANUP_EVERY: u64 = 10_000;

fn per_minute(rate: u32, burst: u32) -> Quota {
    let rate = NonZeroU32::new(rate).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(rate).allow_burst(burst)
}

impl RateLimits {
    /// Limiters for `config`.
    pub fn new(config: &RateLimitConfig) -> Self {
        Self {
            enabled: config.enabled,
            users: RateLimiter::keyed(per_minute(config.user_per_minute, config.burst)),
            anonymous: RateLimiter::keyed(per_minute(config.anonymous_per_minute, config.burst)),
            // Login buckets allow their whole minute at once, then refill.
            login_accounts: RateLimiter::keyed(per_minute(
                config.login_per_account_per_minute,
                config.login_per_account_per_minute,
            )),
            login_addresses: RateLimiter::keyed(per_minute(
                config.login_per_address_per_minute,
                config.login_per_address_per_minute,
            )),
            clock: DefaultClock::default(),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one request of `client`; `Err` holds how long to wait.
    pub fn check_request(&self, client: &Client) -> Result<(), Duration> {
        if !self.enabled {
            return Ok(());
        }
        self.tidy();
        match client {
            Client::User(id) => self.wait(self.users.check_key(id)),
            Client::Address(ip) => self.wait(self.anonymous.check_key(ip)),
        }
    }

    fn wait<P: governor::clock::Reference>(
        &self,
        result: Result<(), governor::NotUntil<P>>,
    ) -> Result<(), Duration>
    where
        DefaultClock: Clock<Instant = P>,
    {
        result.map_err(|not_until| {
            not_until
                .wait_time_from(self.clock.now())
                .max(Duration::from_secs(1))
        })
    }

    fn tidy(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % CLEANUP_EVERY == CLEANUP_EVERY - 1 {
            self.users.retain_recent();
            self.anonymous.retain_recent();
            self.login_accounts.retain_recent();
            self.login_addresses.retain_recent();
        }
    }
}

impl LoginGuard for RateLimits {
    fn check_login(&self, email: &str, address: Option<IpAddr>) -> Result<(), Duration> {
        if !self.enabled {
            return Ok(());
        }
        self.tidy();
        let account = email.trim().to_lowercase();
        // Both buckets are charged, so a refused attempt on one still counts on the other.
        let by_account = self.wait(self.login_accounts.check_key(&account));
        let by_address =
            address.map_or(Ok(()), |ip| self.wait(self.login_addresses.check_key(&ip)));
        match (by_account, by_address) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(a), Err(b)) => Err(a.max(b)),
            (Err(wait), _) | (_, Err(wait)) => Err(wait),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(user: u32, burst: u32, login: u32) -> RateLimits {
        RateLimits::new(&RateLimitConfig {
            user_per_minute: user,
            anonymous_per_minute: user,
            burst,
            login_per_account_per_minute: login,
            login_per_address_per_minute: 100,
            ..RateLimitConfig::default()
        })
    }

    #[test]
    fn a_user_gets_the_burst_then_waits() {
        let limits = limits(60, 3, 5);
        let me = Client::User(1);
        for _ in 0..3 {
            assert_eq!(limits.check_request(&me), Ok(()));
        }
        let wait = limits.check_request(&me).expect_err("over the burst");
        assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_secs(2));
        assert_eq!(
            limits.check_request(&Client::User(2)),
            Ok(()),
            "others unaffected"
        );
    }

    #[test]
    fn login_attempts_are_limited_per_account_whatever_the_case() {
        let limits = limits(60, 3, 2);
        let ip = Some(IpAddr::from([10, 0, 0, 1]));
        assert!(limits.check_login("A@x.vn", ip).is_ok());
        assert!(limits.check_login("a@x.vn ", ip).is_ok());
        assert!(limits.check_login("a@X.vn", ip).is_err());
        assert!(limits.check_login("b@x.vn", ip).is_ok());
    }

    #[test]
    fn disabled_limits_never_refuse() {
        let limits = RateLimits::new(&RateLimitConfig {
            enabled: false,
            burst: 1,
            ..RateLimitConfig::default()
        });
        for _ in 0..10 {
            assert!(limits.check_request(&Client::User(1)).is_ok());
        }
    }
}
