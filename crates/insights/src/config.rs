//! The detection settings: the thresholds of spec §4.2's project decision, all tunable.

use serde::{Deserialize, Serialize};

/// How the analyzer decides that activity is unusual. Defaults follow
/// `spec/events-and-queries.md` §4.2, except [`InsightsConfig::start_minutes`] (see there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InsightsConfig {
    /// Days of history the baseline averages over. Default: 28.
    pub baseline_days: u32,
    /// Fewest days of history before anything is detected in an account and Region.
    /// Default: 7 (`baselineDuration` ≥ 10080 minutes).
    pub min_baseline_days: u32,
    /// Consecutive minutes above the threshold that start an Insight. Default: 2. The
    /// spec suggests 3; with 3 the earliest Start comes more than two minutes after a
    /// burst begins, and our bar is two. The minute in progress counts as above the
    /// threshold as soon as its count passes it, so a burst is reported during its second
    /// minute.
    pub start_minutes: u32,
    /// Consecutive closed minutes back within the threshold that end an Insight.
    /// Default: 10.
    pub end_minutes: u32,
    /// Standard deviations above the mean: the threshold is the largest of
    /// `mean + sigmas·σ`, `mean·ratio` and `mean + floor`. Default: 6.
    pub sigmas: f64,
    /// Multiple of the mean. Default: 10.
    pub ratio: f64,
    /// Calls (or errors) per minute above the mean, at the least. Default: 5.
    pub floor: f64,
    /// Errors in one minute that start an error-rate Insight on a key whose baseline is
    /// below one error per week. Default: 5.
    pub rare_error_minute: u32,
    /// Mean calls per minute from which a drop to zero for
    /// [`InsightsConfig::start_minutes`] closed minutes is an Insight (while the account
    /// and Region keep calling other APIs). Default: 10.
    pub collapse_mean: f64,
    /// How far back (minutes before now) an arriving event still counts for detection;
    /// older events only feed baselines and metrics. Default: 10.
    pub live_minutes: u32,
    /// Seconds after a minute ends before it counts as closed (for End and for
    /// collapses): events of a minute may arrive a little late. Default: 60.
    pub close_grace_seconds: u32,
    /// Seconds between baseline recomputations when late events (imports) changed the
    /// baseline window; baselines are also recomputed at every UTC midnight. Default: 300.
    pub late_recompute_seconds: u32,
}

impl Default for InsightsConfig {
    fn default() -> InsightsConfig {
        InsightsConfig {
            baseline_days: 28,
            min_baseline_days: 7,
            start_minutes: 2,
            end_minutes: 10,
            sigmas: 6.0,
            ratio: 10.0,
            floor: 5.0,
            rare_error_minute: 5,
            collapse_mean: 10.0,
            live_minutes: 10,
            close_grace_seconds: 60,
            late_recompute_seconds: 300,
        }
    }
}

impl InsightsConfig {
    /// Checks the ranges; the message names the setting.
    ///
    /// # Errors
    ///
    /// A setting out of range.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=90).contains(&self.baseline_days) {
            return Err(format!(
                "insights.baseline_days must be 1 to 90, not {}",
                self.baseline_days
            ));
        }
        if self.min_baseline_days > self.baseline_days {
            return Err(format!(
                "insights.min_baseline_days ({}) must not exceed insights.baseline_days ({})",
                self.min_baseline_days, self.baseline_days
            ));
        }
        if !(1..=60).contains(&self.start_minutes) {
            return Err(format!(
                "insights.start_minutes must be 1 to 60, not {}",
                self.start_minutes
            ));
        }
        if !(1..=1440).contains(&self.end_minutes) {
            return Err(format!(
                "insights.end_minutes must be 1 to 1440, not {}",
                self.end_minutes
            ));
        }
        for (name, value) in [
            ("sigmas", self.sigmas),
            ("ratio", self.ratio),
            ("floor", self.floor),
            ("collapse_mean", self.collapse_mean),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(format!(
                    "insights.{name} must be a finite number ≥ 0, not {value}"
                ));
            }
        }
        if self.rare_error_minute == 0 {
            return Err(String::from(
                "insights.rare_error_minute must be at least 1",
            ));
        }
        if !(1..=1440).contains(&self.live_minutes) {
            return Err(format!(
                "insights.live_minutes must be 1 to 1440, not {}",
                self.live_minutes
            ));
        }
        Ok(())
    }

    /// The count a minute must pass to be unusual for a key with this `mean` and `std`.
    pub fn threshold(&self, mean: f64, std: f64) -> f64 {
        (mean + self.sigmas * std)
            .max(mean * self.ratio)
            .max(mean + self.floor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_takes_the_largest_bound() {
        let config = InsightsConfig::default();
        assert_eq!(config.threshold(0.0, 0.0), 5.0);
        assert_eq!(config.threshold(2.0, 0.5), 20.0);
        assert_eq!(config.threshold(2.0, 5.0), 32.0);
        assert!(config.check().is_ok());
        let bad = InsightsConfig {
            min_baseline_days: 40,
            ..InsightsConfig::default()
        };
        assert!(bad.check().unwrap_err().contains("min_baseline_days"));
    }
}
