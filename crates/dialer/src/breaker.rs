//! The circuit breaker of a task's line: when too many of the last calls failed because of the
//! line (not the customer), the task stops burning numbers on it.

use std::collections::VecDeque;

/// The circuit breaker's memory: the last outcomes, failed or not.
#[derive(Default)]
pub(crate) struct Breaker {
    recent: VecDeque<bool>,
}

impl Breaker {
    pub(crate) fn record(&mut self, failed: bool, window: usize) {
        self.recent.push_back(failed);
        while self.recent.len() > window {
            self.recent.pop_front();
        }
    }

    /// (failures, calls) once the window is full and the failures reach the threshold.
    pub(crate) fn tripped(&self, window: usize, threshold: f64) -> Option<(usize, usize)> {
        let failures = self.recent.iter().filter(|f| **f).count();
        (self.recent.len() >= window && failures as f64 >= threshold * window as f64)
            .then_some((failures, self.recent.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trips_only_on_a_full_window_of_enough_failures() {
        let mut breaker = Breaker::default();
        for _ in 0..3 {
            breaker.record(true, 4);
        }
        assert_eq!(breaker.tripped(4, 0.5), None, "window not yet full");
        breaker.record(false, 4);
        assert_eq!(breaker.tripped(4, 0.5), Some((3, 4)));
        for _ in 0..3 {
            breaker.record(false, 4);
        }
        assert_eq!(breaker.tripped(4, 0.5), None, "old failures slide out");
    }
}
