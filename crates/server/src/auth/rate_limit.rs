//! Login attempt limits: after too many failures for one login name or from one address,
//! further attempts are refused for a while (per node; enough to stop password guessing).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(15 * 60);
const MAX_FAILURES_PER_LOGIN: u32 = 5;
const MAX_FAILURES_PER_ADDRESS: u32 = 30;

#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// Whether another attempt for this login from this address may be tried now.
    pub fn allows(&self, login: &str, ip: &str) -> bool {
        let Ok(mut failures) = self.failures.lock() else {
            return true;
        };
        let now = Instant::now();
        failures.retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
        let count = |key: &str| failures.get(key).map_or(0, |(count, _)| *count);
        count(&login_key(login)) < MAX_FAILURES_PER_LOGIN
            && count(&address_key(ip)) < MAX_FAILURES_PER_ADDRESS
    }

    pub fn record_failure(&self, login: &str, ip: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            for key in [login_key(login), address_key(ip)] {
                failures.entry(key).or_insert((0, Instant::now())).0 += 1;
            }
        }
    }

    pub fn record_success(&self, login: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&login_key(login));
        }
    }
}

fn login_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_five_failures_and_success_resets() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES_PER_LOGIN {
            assert!(limiter.allows("13800000000", "10.0.0.1"));
            limiter.record_failure("13800000000", "10.0.0.1");
        }
        assert!(!limiter.allows("13800000000", "10.0.0.2"));
        assert!(limiter.allows("13900000000", "10.0.0.1"));
        limiter.record_success("13800000000");
        assert!(limiter.allows("13800000000", "10.0.0.1"));
    }
}
