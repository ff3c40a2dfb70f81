//! The time range of a page: a preset (`1h`, `7d`, ...) counted back from a pinned
//! instant, or a custom start and end (UTC).
//!
//! The instant a preset counts back from travels in the page's links (`at=`), so the
//! second page of "the last hour" is the same hour as the first (a lookup's `NextToken`
//! holds only for the same request).

use opentrail_types::Timestamp;

use super::Params;

/// A resolved time range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TimeRange {
    /// The preset key, or `custom`.
    pub preset: String,
    /// Start, inclusive.
    pub start: Timestamp,
    /// End.
    pub end: Timestamp,
    /// The instant presets count back from (milliseconds).
    pub at_ms: i64,
    /// The custom start as the form shows it (`YYYY-MM-DDTHH:MM`).
    pub start_text: String,
    /// The custom end as the form shows it.
    pub end_text: String,
}

/// Milliseconds a preset covers.
fn preset_ms(preset: &str) -> Option<i64> {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    Some(match preset {
        "30m" => 30 * MINUTE,
        "1h" => HOUR,
        "3h" => 3 * HOUR,
        "12h" => 12 * HOUR,
        "1d" => DAY,
        "7d" => 7 * DAY,
        "30d" => 30 * DAY,
        "90d" => 90 * DAY,
        _ => return None,
    })
}

/// The form's text of an instant (`YYYY-MM-DDTHH:MM`, UTC).
pub(crate) fn form_text(time: Timestamp) -> String {
    time.format_utc("%Y-%m-%dT%H:%M")
}

/// Parses a `datetime-local` value (UTC), with or without seconds.
fn parse_form_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let full = if text.len() == 16 {
        format!("{text}:00")
    } else {
        text.to_owned()
    };
    Timestamp::parse_event_time(&full).ok()
}

impl TimeRange {
    /// The range a page's parameters give; `default` is the preset when none is given.
    ///
    /// # Errors
    ///
    /// A message for an unknown preset or a custom range that is missing, unreadable or
    /// ends before it starts.
    pub fn from_params(
        params: &Params,
        now: Timestamp,
        default: &str,
    ) -> Result<TimeRange, String> {
        let preset = params.get("range").unwrap_or(default);
        let at_ms = params
            .get("at")
            .and_then(|text| text.parse::<i64>().ok())
            .filter(|at| *at > 0 && *at <= now.as_millis())
            .unwrap_or(now.as_millis());
        if preset == "custom" {
            let start_text = params.get("start").unwrap_or("").to_owned();
            let end_text = params.get("end").unwrap_or("").to_owned();
            let start = parse_form_time(&start_text).ok_or_else(|| {
                format!("The custom range's start `{start_text}` is not a date and time.")
            })?;
            let end = match end_text.trim() {
                "" => Timestamp::from_millis(at_ms),
                text => parse_form_time(text).ok_or_else(|| {
                    format!("The custom range's end `{text}` is not a date and time.")
                })?,
            };
            if end < start {
                return Err(String::from("The custom range ends before it starts."));
            }
            return Ok(TimeRange {
                preset: String::from("custom"),
                start,
                end,
                at_ms,
                start_text,
                end_text,
            });
        }
        let span = preset_ms(preset).ok_or_else(|| format!("`{preset}` is not a time range."))?;
        let end = Timestamp::from_millis(at_ms);
        let start = Timestamp::from_millis(at_ms.saturating_sub(span));
        Ok(TimeRange {
            preset: preset.to_owned(),
            start,
            end,
            at_ms,
            start_text: form_text(start),
            end_text: form_text(end),
        })
    }

    /// The parameters that give this range again (pinned to the same instant).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("range", self.preset.clone())];
        if self.preset == "custom" {
            pairs.push(("start", self.start_text.clone()));
            pairs.push(("end", self.end_text.clone()));
        }
        pairs.push(("at", self.at_ms.to_string()));
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(text: &str) -> Params {
        Params::parse(text.as_bytes())
    }

    #[test]
    fn presets_count_back_from_a_pinned_instant() {
        let now = Timestamp::from_secs(1_800_000_000);
        let range = TimeRange::from_params(&params(""), now, "1d").unwrap();
        assert_eq!(range.end, now);
        assert_eq!(range.start.as_millis(), now.as_millis() - 86_400_000);
        let pinned =
            TimeRange::from_params(&params("range=1h&at=1799999000000"), now, "1d").unwrap();
        assert_eq!(pinned.end.as_millis(), 1_799_999_000_000);
        assert_eq!(pinned.start.as_millis(), 1_799_999_000_000 - 3_600_000);
        // An instant in the future is not believed.
        let future = TimeRange::from_params(&params("at=1900000000000"), now, "1d").unwrap();
        assert_eq!(future.end, now);
        assert!(TimeRange::from_params(&params("range=2y"), now, "1d").is_err());
    }

    #[test]
    fn custom_ranges_are_checked() {
        let now = Timestamp::from_secs(1_800_000_000);
        let range = TimeRange::from_params(
            &params("range=custom&start=2026-11-01T10:00&end=2026-11-02T10:30"),
            now,
            "1d",
        )
        .unwrap();
        assert_eq!(range.start.format_event_time(), "2026-11-01T10:00:00Z");
        assert_eq!(range.end.format_event_time(), "2026-11-02T10:30:00Z");
        assert!(
            TimeRange::from_params(&params("range=custom&start=yesterday"), now, "1d").is_err()
        );
        assert!(
            TimeRange::from_params(
                &params("range=custom&start=2026-11-02T10:00&end=2026-11-01T10:00"),
                now,
                "1d"
            )
            .is_err()
        );
    }
}
