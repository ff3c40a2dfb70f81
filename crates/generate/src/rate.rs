//! How busy each minute is.
//!
//! Traffic is two streams. Automation (service roles, instances, functions) runs round the
//! clock with a shallow daily swing. People follow office hours in the company's time
//! zone and mostly rest at weekends. Both carry multiplicative noise per day, per hour and
//! per minute, so normal traffic is noisy but never flat. The noise is a hash of the seed
//! and the minute, so any minute's weight can be computed anywhere.

use crate::random::{mix3, normal};

/// Milliseconds in a minute.
pub(crate) const MINUTE_MS: i64 = 60_000;
/// Milliseconds in a delivery window.
pub(crate) const WINDOW_MS: i64 = 5 * MINUTE_MS;

/// Weight of people's traffic relative to automation, chosen so that people make about a
/// third of all calls over a week.
const HUMAN_SCALE: f64 = 2.3;
/// Office hours peak at 13:30 local time.
const PEAK_HOUR: f64 = 13.5;

/// The rate model of one run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateModel {
    seed: u64,
    /// Company time zone, hours from UTC.
    utc_offset_hours: i64,
}

/// The weights of one minute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MinuteWeight {
    /// Weight of people's calls.
    pub human: f64,
    /// Weight of automated calls.
    pub machine: f64,
}

impl MinuteWeight {
    /// Both streams together.
    pub(crate) fn total(self) -> f64 {
        self.human + self.machine
    }
}

impl RateModel {
    /// The model for `seed`.
    pub(crate) fn new(seed: u64) -> RateModel {
        const OFFSETS: [i64; 5] = [-5, -8, 0, 1, 10];
        let choice = (mix3(seed, 0x5A, 0x0FF5E7) % OFFSETS.len() as u64) as usize;
        RateModel {
            seed,
            utc_offset_hours: OFFSETS[choice],
        }
    }

    /// The weights of the minute starting at `minute_ms` (ms since the epoch).
    pub(crate) fn minute(&self, minute_ms: i64) -> MinuteWeight {
        let minute_index = minute_ms.div_euclid(MINUTE_MS);
        let local_minute = minute_index + self.utc_offset_hours * 60;
        let local_day = local_minute.div_euclid(1440);
        let local_hour = local_minute.rem_euclid(1440) as f64 / 60.0;
        // 1970-01-01 was a Thursday: day 0 → weekday 3 (Monday = 0).
        let weekday = (local_day + 3).rem_euclid(7);
        let weekend = weekday >= 5;

        let office = {
            let distance = (local_hour - PEAK_HOUR) / 3.2;
            0.08 + 0.92 * (-distance * distance).exp()
        };
        let human_day = if weekend { 0.25 } else { 1.0 };
        let utc_hour = minute_index.rem_euclid(1440) as f64 / 60.0;
        let machine_cycle = 1.0 + 0.15 * (std::f64::consts::TAU * utc_hour / 24.0).sin();
        let machine_day = if weekend { 0.85 } else { 1.0 };

        let hour_index = minute_index.div_euclid(60);
        let day_index = minute_index.div_euclid(1440);
        let noise = |stream: u64, index: i64, sigma: f64| -> f64 {
            (sigma * normal(mix3(self.seed, stream, index as u64))).exp()
        };
        let human = HUMAN_SCALE
            * office
            * human_day
            * noise(1, day_index, 0.10)
            * noise(2, hour_index, 0.20)
            * noise(3, minute_index, 0.30);
        let machine = machine_cycle
            * machine_day
            * noise(4, day_index, 0.05)
            * noise(5, hour_index, 0.10)
            * noise(6, minute_index, 0.15);
        MinuteWeight { human, machine }
    }
}

/// Splits `total` into integer parts proportional to `weights` (each part is the
/// difference of rounded-down cumulative shares, so the parts always sum to `total`).
pub(crate) fn apportion(total: u64, weights: &[f64], parts: &mut Vec<u64>) {
    parts.clear();
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() {
        return;
    }
    if sum <= 0.0 || !sum.is_finite() {
        parts.resize(weights.len(), 0);
        if let Some(first) = parts.first_mut() {
            *first = total;
        }
        return;
    }
    // The remainder goes to the last part with a positive weight, never to an empty one.
    let last = weights
        .iter()
        .rposition(|weight| *weight > 0.0)
        .unwrap_or(0);
    let mut cumulative = 0.0;
    let mut given = 0u64;
    for (index, weight) in weights.iter().enumerate() {
        cumulative += weight;
        let upto = if index >= last {
            total
        } else {
            ((cumulative / sum) * total as f64)
                .floor()
                .min(total as f64) as u64
        };
        let upto = upto.max(given);
        parts.push(upto - given);
        given = upto;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_sums_exactly() {
        let mut parts = Vec::new();
        apportion(1_000_003, &[1.0, 2.5, 0.0, 7.25, 0.1], &mut parts);
        assert_eq!(parts.iter().sum::<u64>(), 1_000_003);
        assert_eq!(parts[2], 0);
        apportion(5, &[0.0, 0.0], &mut parts);
        assert_eq!(parts, [5, 0]);
        apportion(10, &[0.0, 1.0, 0.0], &mut parts);
        assert_eq!(parts, [0, 10, 0]);
        apportion(7, &[0.3, 0.3, 0.3, 0.0], &mut parts);
        assert_eq!(parts.iter().sum::<u64>(), 7);
        assert_eq!(parts[3], 0);
    }

    #[test]
    fn office_hours_and_weekends_show() {
        let model = RateModel {
            seed: 1,
            utc_offset_hours: 0,
        };
        // Monday 2026-03-02.
        let monday = 1_772_409_600_000i64;
        let average = |start: i64| -> f64 {
            (0..60)
                .map(|minute| model.minute(start + minute * MINUTE_MS).human)
                .sum::<f64>()
                / 60.0
        };
        let night = average(monday + 3 * 3_600_000);
        let noon = average(monday + 13 * 3_600_000);
        let saturday_noon = average(monday + 5 * 86_400_000 + 13 * 3_600_000);
        assert!(noon > 4.0 * night, "{noon} {night}");
        assert!(noon > 2.0 * saturday_noon, "{noon} {saturday_noon}");
        let machine_noon = model.minute(monday + 13 * 3_600_000).machine;
        assert!(machine_noon > 0.3 && machine_noon < 3.0);
    }

    #[test]
    fn minutes_are_noisy_but_repeatable() {
        let model = RateModel::new(42);
        let first = model.minute(1_772_409_600_000);
        let next = model.minute(1_772_409_660_000);
        assert_ne!(first, next);
        assert_eq!(first, RateModel::new(42).minute(1_772_409_600_000));
    }
}
