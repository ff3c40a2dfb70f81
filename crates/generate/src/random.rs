//! Deterministic randomness: seed mixing, hash-derived noise, alias tables.
//!
//! Two kinds of randomness are used. Streams (`ChaCha8Rng`, one per delivery window) draw
//! the per-event choices. Hashes ([`mix`]) derive values that must be the same wherever
//! they are computed, such as the access key of a session that spans several windows.

use rand::RngCore;

/// The SplitMix64 finaliser: a fast, well-mixed bijection of `u64`.
pub(crate) const fn splitmix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Combines two values into one well-mixed hash (order matters).
pub(crate) const fn mix(first: u64, second: u64) -> u64 {
    splitmix64(splitmix64(first) ^ second.rotate_left(23) ^ 0x2545_F491_4F6C_DD1D)
}

/// Combines three values into one hash.
pub(crate) const fn mix3(first: u64, second: u64, third: u64) -> u64 {
    mix(mix(first, second), third)
}

/// Maps a hash to a float in `[0, 1)`.
pub(crate) fn unit(hash: u64) -> f64 {
    // 53 random bits fill the mantissa of an f64 exactly.
    (hash >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Maps a hash to a standard normal deviate (Box-Muller on two halves of the hash).
pub(crate) fn normal(hash: u64) -> f64 {
    let first = unit(splitmix64(hash)).max(1e-12);
    let second = unit(splitmix64(hash ^ 0xA5A5_A5A5_A5A5_A5A5));
    (-2.0 * first.ln()).sqrt() * (std::f64::consts::TAU * second).cos()
}

/// Draws a float in `[0, 1)` from a stream.
pub(crate) fn uniform(rng: &mut (impl RngCore + ?Sized)) -> f64 {
    unit(rng.next_u64())
}

/// Draws an integer in `0..upper` from a stream (`0` when `upper` is 0).
pub(crate) fn below(rng: &mut (impl RngCore + ?Sized), upper: usize) -> usize {
    // Lemire's multiply-shift: the bias is below 2^-32 for the small bounds used here.
    let wide = u128::from(rng.next_u64() >> 32) * upper as u128;
    (wide >> 32) as usize
}

/// Draws an index in `0..upper` skewed towards 0, so a few resources are hot.
pub(crate) fn skewed(rng: &mut (impl RngCore + ?Sized), upper: usize) -> usize {
    let draw = uniform(rng);
    let index = (draw * draw * draw * upper as f64) as usize;
    index.min(upper.saturating_sub(1))
}

/// Returns true with probability `probability`.
pub(crate) fn chance(rng: &mut (impl RngCore + ?Sized), probability: f64) -> bool {
    uniform(rng) < probability
}

/// Walker's alias table: draws an index with probability proportional to its weight in
/// constant time.
#[derive(Debug, Clone)]
pub(crate) struct AliasTable {
    /// Acceptance threshold of each bucket, scaled to `u32::MAX`.
    threshold: Vec<u32>,
    /// Index returned when a bucket's own index is rejected.
    alias: Vec<u32>,
}

impl AliasTable {
    /// Builds a table; `None` when there is no positive weight.
    pub(crate) fn new(weights: &[f64]) -> Option<AliasTable> {
        let count = weights.len();
        let total: f64 = weights.iter().filter(|weight| **weight > 0.0).sum();
        if count == 0 || total <= 0.0 || !total.is_finite() {
            return None;
        }
        let mut scaled: Vec<f64> = weights
            .iter()
            .map(|weight| weight.max(0.0) * count as f64 / total)
            .collect();
        let mut small: Vec<usize> = Vec::new();
        let mut large: Vec<usize> = Vec::new();
        for (index, value) in scaled.iter().enumerate() {
            if *value < 1.0 {
                small.push(index);
            } else {
                large.push(index);
            }
        }
        let mut threshold = vec![u32::MAX; count];
        let mut alias: Vec<u32> = (0..count as u32).collect();
        while let (Some(&low), Some(&high)) = (small.last(), large.last()) {
            small.pop();
            threshold[low] = (scaled[low] * f64::from(u32::MAX)) as u32;
            alias[low] = high as u32;
            scaled[high] = (scaled[high] + scaled[low]) - 1.0;
            if scaled[high] < 1.0 {
                large.pop();
                small.push(high);
            }
        }
        // Whatever is left is (up to rounding) exactly full.
        for index in small.into_iter().chain(large) {
            threshold[index] = u32::MAX;
        }
        Some(AliasTable { threshold, alias })
    }

    /// Draws one index.
    pub(crate) fn sample(&self, rng: &mut (impl RngCore + ?Sized)) -> usize {
        let draw = rng.next_u64();
        let bucket = ((draw >> 32) * self.threshold.len() as u64) >> 32;
        let bucket = bucket as usize;
        if (draw as u32) < self.threshold[bucket] || self.threshold[bucket] == u32::MAX {
            bucket
        } else {
            self.alias[bucket] as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn alias_table_follows_the_weights() {
        let table = AliasTable::new(&[1.0, 0.0, 3.0, 6.0]).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0u32; 4];
        for _ in 0..100_000 {
            counts[table.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((9_000..11_000).contains(&counts[0]), "{counts:?}");
        assert!((29_000..31_000).contains(&counts[2]), "{counts:?}");
        assert!((59_000..61_000).contains(&counts[3]), "{counts:?}");
    }

    #[test]
    fn alias_table_rejects_empty_weights() {
        assert!(AliasTable::new(&[]).is_none());
        assert!(AliasTable::new(&[0.0, 0.0]).is_none());
    }

    #[test]
    fn normal_deviates_look_standard() {
        let samples: Vec<f64> = (0..20_000).map(|index| normal(mix(9, index))).collect();
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        let variance =
            samples.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / samples.len() as f64;
        assert!(mean.abs() < 0.05, "{mean}");
        assert!((variance - 1.0).abs() < 0.05, "{variance}");
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for upper in [1, 2, 7, 1000] {
            for _ in 0..1000 {
                assert!(below(&mut rng, upper) < upper);
            }
        }
        assert_eq!(below(&mut rng, 0), 0);
    }
}
