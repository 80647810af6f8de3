//! Counters a benchmark (and later a status page) reads: calls started and finished, write
//! statements issued, and the delay from "number due" to "dial started".

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Default)]
pub struct Metrics {
    dials: AtomicU64,
    finished: AtomicU64,
    answered: AtomicU64,
    writes: AtomicU64,
    /// Due-to-dial delays in microseconds, since the last [`Metrics::take_delays`].
    delays: Mutex<Vec<u64>>,
}

/// A copy of the counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub dials: u64,
    pub finished: u64,
    pub answered: u64,
    pub writes: u64,
}

impl Metrics {
    pub fn writes(&self, statements: u64) {
        self.writes.fetch_add(statements, Ordering::Relaxed);
    }

    pub fn dialled(&self, delay: Duration) {
        self.dials.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(delay.as_micros()).unwrap_or(u64::MAX);
        if let Ok(mut delays) = self.delays.lock() {
            delays.push(micros);
        }
    }

    pub fn finished(&self, answered: bool) {
        self.finished.fetch_add(1, Ordering::Relaxed);
        if answered {
            self.answered.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn counts(&self) -> Counts {
        Counts {
            dials: self.dials.load(Ordering::Relaxed),
            finished: self.finished.load(Ordering::Relaxed),
            answered: self.answered.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
        }
    }

    /// The delays recorded since the last call, in microseconds.
    pub fn take_delays(&self) -> Vec<u64> {
        self.delays
            .lock()
            .map(|mut delays| std::mem::take(&mut *delays))
            .unwrap_or_default()
    }
}
