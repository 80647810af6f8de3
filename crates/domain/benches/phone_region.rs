//! `cargo bench -p domain --bench phone_region`: one-time decode of the embedded prefix table and
//! the cost of one lookup of a random number (p50, p99 over batches), as `key: value unit` lines.

#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use domain::phone_region::{lookup, preload};

const BATCH: usize = 1_000;
const BATCHES: usize = 2_000;

/// Tiny LCG (Knuth's MMIX constants) so the numbers are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q) as usize]
}

fn main() {
    let start = Instant::now();
    let decoded = preload();
    let decode_ms = start.elapsed().as_secs_f64() * 1000.0;
    if !decoded {
        eprintln!("the embedded phone-region table does not decode");
        std::process::exit(1);
    }
    println!("decode_ms: {decode_ms:.2} ms");

    // Mostly mobiles over the whole 130..=199 range (some prefixes unknown), a few landlines.
    let mut rng = Lcg(0x5eed);
    let numbers: Vec<String> = (0..BATCH * 16)
        .map(|i| {
            if i % 10 == 9 {
                let areas = ["010", "021", "0571", "0755", "0898"];
                let area = areas[rng.next() as usize % areas.len()];
                format!("{area}{}", 20_000_000 + rng.next() % 70_000_000)
            } else {
                format!("1{:010}", 3_000_000_000 + rng.next() % 7_000_000_000)
            }
        })
        .collect();
    let found = numbers.iter().filter(|n| lookup(n).is_some()).count();
    println!(
        "lookup_found: {:.1} %",
        found as f64 * 100.0 / numbers.len() as f64
    );

    // Timing one lookup alone would mostly measure the clock; time batches and divide.
    let mut per_lookup: Vec<f64> = Vec::with_capacity(BATCHES);
    for b in 0..BATCHES {
        let batch = &numbers[(b % 16) * BATCH..][..BATCH];
        let start = Instant::now();
        for number in batch {
            black_box(lookup(black_box(number)));
        }
        per_lookup.push(start.elapsed().as_nanos() as f64 / BATCH as f64);
    }
    per_lookup.sort_unstable_by(f64::total_cmp);
    println!("lookup_ns_p50: {:.1} ns", percentile(&per_lookup, 0.50));
    println!("lookup_ns_p99: {:.1} ns", percentile(&per_lookup, 0.99));
}
