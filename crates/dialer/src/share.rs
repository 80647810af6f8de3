//! How the live dialer nodes split the work. Every node runs every running task, so each
//! takes an exact share of a task's concurrency, of a line's channels and of a line's calls
//! per second: the shares add up to the whole, and no node races another for a channel the
//! other just freed. Each node learns who is alive from the heartbeats, so the shares follow
//! nodes joining, leaving cleanly (they deregister) and dying (silent for `dead_after`).

use std::sync::Mutex;

/// Where this node stands among the live nodes, sorted by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub nodes: usize,
    /// This node's position, 0-based.
    pub rank: usize,
}

impl Standing {
    pub const ALONE: Standing = Standing { nodes: 1, rank: 0 };

    /// This node's standing among `alive` (names, any order); `me` counts even when its own
    /// heartbeat is not in the list yet.
    pub fn among(me: &str, alive: &[String]) -> Standing {
        let mut names: Vec<&str> = alive.iter().map(String::as_str).collect();
        if !names.contains(&me) {
            names.push(me);
        }
        names.sort_unstable();
        names.dedup();
        let rank = names.iter().position(|name| *name == me).unwrap_or(0);
        Standing {
            nodes: names.len(),
            rank,
        }
    }

    /// This node's part of `total` channels of the task or line `key`: an even split, the
    /// remainder going to different nodes for different keys, so that a concurrency of 1
    /// on two tasks puts one task on each node.
    pub fn channels(self, total: u32, key: i64) -> u32 {
        let nodes = u32::try_from(self.nodes.max(1)).unwrap_or(u32::MAX);
        let rank = u32::try_from(self.rank).unwrap_or(0);
        let offset = u32::try_from(key.rem_euclid(i64::from(nodes))).unwrap_or(0);
        let slot = (rank + offset) % nodes;
        total / nodes + u32::from(slot < total % nodes)
    }

    /// This node's part of a line's calls per second (fractional: the nodes' token buckets
    /// refill at this rate).
    pub fn rate(self, per_second: u32) -> f64 {
        f64::from(per_second) / self.nodes.max(1) as f64
    }
}

/// The standing this node last read from the heartbeats.
pub struct Shares {
    standing: Mutex<Standing>,
}

impl Default for Shares {
    fn default() -> Self {
        Self {
            standing: Mutex::new(Standing::ALONE),
        }
    }
}

impl Shares {
    pub fn standing(&self) -> Standing {
        self.standing.lock().map_or(Standing::ALONE, |s| *s)
    }

    /// Records a new standing; says whether it changed.
    pub fn set(&self, standing: Standing) -> bool {
        match self.standing.lock() {
            Ok(mut current) if *current != standing => {
                *current = standing;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn standing_sorts_by_name_and_counts_this_node() {
        let alive = names(&["node-b", "node-a", "node-c"]);
        assert_eq!(
            Standing::among("node-b", &alive),
            Standing { nodes: 3, rank: 1 }
        );
        assert_eq!(
            Standing::among("node-d", &alive),
            Standing { nodes: 4, rank: 3 }
        );
        assert_eq!(Standing::among("solo", &[]), Standing::ALONE);
    }

    #[test]
    fn channel_shares_add_up_to_the_whole() {
        for nodes in 1..=5 {
            for total in 0..=13 {
                for key in [0_i64, 1, 2, 7, 1_000_003, -4] {
                    let parts: Vec<u32> = (0..nodes)
                        .map(|rank| Standing { nodes, rank }.channels(total, key))
                        .collect();
                    assert_eq!(parts.iter().sum::<u32>(), total, "{nodes} {total} {key}");
                    let (lo, hi) = (parts.iter().min(), parts.iter().max());
                    assert!(hi.zip(lo).is_some_and(|(h, l)| h - l <= 1), "{parts:?}");
                }
            }
        }
    }

    #[test]
    fn the_remainder_goes_to_different_nodes_for_different_tasks() {
        let a = Standing { nodes: 2, rank: 0 };
        let b = Standing { nodes: 2, rank: 1 };
        assert_eq!((a.channels(1, 10), b.channels(1, 10)), (1, 0));
        assert_eq!((a.channels(1, 11), b.channels(1, 11)), (0, 1));
        assert_eq!((a.channels(6, 11), b.channels(6, 11)), (3, 3));
    }

    #[test]
    fn the_rate_is_split_evenly() {
        let b = Standing { nodes: 2, rank: 1 };
        assert!((b.rate(5) - 2.5).abs() < 1e-9);
        assert!((Standing::ALONE.rate(5) - 5.0).abs() < 1e-9);
    }
}
