//! The stable hash behind the simulated line's choices. `DefaultHasher` may change between
//! Rust versions, which would quietly change every number's outcome; FNV-1a with a
//! SplitMix64 finaliser is fixed forever and spreads neighbouring numbers evenly.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a, 64 bits, continuing from `state` (start with [`fnv1a`]).
fn fnv1a_from(state: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(state, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// FNV-1a, 64 bits.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

/// SplitMix64's finaliser: FNV's last multiply only carries upwards, so its low bits (what
/// `%` looks at) depend on few input bits; this mixes every bit into every other.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A well-spread 64-bit value for (seed, purpose, key): different purposes give independent
/// draws for the same number.
pub fn draw(seed: u64, salt: &str, key: &[u8]) -> u64 {
    let mut h = fnv1a_from(FNV_OFFSET, &seed.to_le_bytes());
    h = fnv1a_from(h, salt.as_bytes());
    // A separator, so ("ab", "c") and ("a", "bc") differ.
    h = fnv1a_from(h, &[0xff]);
    mix(fnv1a_from(h, key))
}

/// A value in `lo..=hi` (`lo` if the range is empty).
pub fn between(seed: u64, salt: &str, key: &[u8], lo: u64, hi: u64) -> u64 {
    if hi <= lo {
        return lo;
    }
    lo + draw(seed, salt, key) % (hi - lo + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn draws_are_stable_and_independent_per_purpose() {
        assert_eq!(draw(7, "x", b"13800138000"), draw(7, "x", b"13800138000"));
        assert_ne!(draw(7, "x", b"13800138000"), draw(7, "y", b"13800138000"));
        assert_ne!(draw(7, "x", b"13800138000"), draw(8, "x", b"13800138000"));
        assert_ne!(draw(0, "ab", b"c"), draw(0, "a", b"bc"));
        for i in 0..100u64 {
            let v = between(1, "r", &i.to_le_bytes(), 3, 5);
            assert!((3..=5).contains(&v));
        }
        assert_eq!(between(1, "r", b"", 9, 2), 9);
    }
}
