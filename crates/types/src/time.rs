//! Instants with millisecond precision and CloudTrail's textual time forms.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// An instant, in milliseconds since the Unix epoch (UTC).
///
/// CloudTrail writes `eventTime` with second precision (`2026-03-04T17:05:21Z`); the API
/// takes epoch seconds with an optional fraction. Milliseconds hold both without loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

/// Stored (state files, not the wire) as the number of milliseconds since the epoch.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Timestamp)
    }
}

/// A time string that is not in a form OpenTrail accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an ISO-8601 UTC time such as `2026-03-04T17:05:21Z`")]
pub struct TimestampError {
    text: String,
}

impl Timestamp {
    /// The Unix epoch.
    pub const EPOCH: Timestamp = Timestamp(0);
    /// The latest representable instant.
    pub const MAX: Timestamp = Timestamp(i64::MAX);
    /// The earliest representable instant.
    pub const MIN: Timestamp = Timestamp(i64::MIN);

    /// Returns the instant `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: i64) -> Timestamp {
        Timestamp(millis)
    }

    /// Returns the instant `secs` whole seconds after the epoch, saturating.
    pub const fn from_secs(secs: i64) -> Timestamp {
        Timestamp(secs.saturating_mul(1000))
    }

    /// Returns the instant for fractional epoch seconds as the AWS JSON protocol sends them
    /// (`1424476529.25`), rounded down to the millisecond. `None` for NaN or out-of-range values.
    pub fn from_epoch_seconds_f64(secs: f64) -> Option<Timestamp> {
        if !secs.is_finite() {
            return None;
        }
        let millis = (secs * 1000.0).floor();
        if millis < i64::MIN as f64 || millis > i64::MAX as f64 {
            return None;
        }
        #[expect(clippy::cast_possible_truncation, reason = "range checked just above")]
        Some(Timestamp(millis as i64))
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    pub const fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Epoch seconds as a float, the form of timestamps on the AWS JSON 1.1 wire.
    pub fn as_epoch_seconds_f64(self) -> f64 {
        #[expect(
            clippy::cast_precision_loss,
            reason = "epoch millis fit in f64's 53-bit mantissa"
        )]
        let millis = self.0 as f64;
        millis / 1000.0
    }

    /// Returns this instant moved by `millis` (negative moves back), saturating.
    pub const fn saturating_add_millis(self, millis: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(millis))
    }

    /// The UTC calendar day of this instant, as days since the epoch.
    pub const fn epoch_day(self) -> i64 {
        self.0.div_euclid(86_400_000)
    }

    /// Converts to a chrono UTC date-time; `None` outside chrono's range.
    pub fn to_datetime(self) -> Option<DateTime<Utc>> {
        Utc.timestamp_millis_opt(self.0).single()
    }

    /// Converts from a chrono date-time.
    pub fn from_datetime<Tz: TimeZone>(datetime: &DateTime<Tz>) -> Timestamp {
        Timestamp(datetime.timestamp_millis())
    }

    /// Parses an `eventTime`-style string.
    ///
    /// Accepts RFC 3339 (`2026-03-04T17:05:21Z`, fractions, offsets), the basic form AWS uses
    /// in some `creationDate` values (`20131102T010628Z`), and a bare UTC date-time without a
    /// zone (`2026-03-04T17:05:21`).
    ///
    /// # Errors
    ///
    /// Returns [`TimestampError`] naming the text when none of those forms match.
    pub fn parse_event_time(text: &str) -> Result<Timestamp, TimestampError> {
        if let Some(fast) = parse_canonical_event_time(text.as_bytes()) {
            return Ok(fast);
        }
        if let Ok(parsed) = DateTime::parse_from_rfc3339(text) {
            return Ok(Timestamp::from_datetime(&parsed));
        }
        for format in [
            "%Y%m%dT%H%M%SZ",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.fZ",
        ] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
                return Ok(Timestamp(naive.and_utc().timestamp_millis()));
            }
        }
        Err(TimestampError {
            text: text.to_owned(),
        })
    }

    /// Parses the time forms the `aws` CLI accepts for timestamp parameters: epoch seconds
    /// (integer or fraction), a date (`2026-03-04`, midnight UTC), or any form
    /// [`Timestamp::parse_event_time`] accepts.
    ///
    /// # Errors
    ///
    /// Returns [`TimestampError`] when the text matches none of them.
    pub fn parse_cli_time(text: &str) -> Result<Timestamp, TimestampError> {
        let trimmed = text.trim();
        if let Ok(secs) = trimmed.parse::<f64>() {
            return Timestamp::from_epoch_seconds_f64(secs).ok_or_else(|| TimestampError {
                text: text.to_owned(),
            });
        }
        if let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
            let midnight = date
                .and_hms_opt(0, 0, 0)
                .map(|naive| naive.and_utc().timestamp_millis());
            if let Some(millis) = midnight {
                return Ok(Timestamp(millis));
            }
        }
        Timestamp::parse_event_time(trimmed).map_err(|_| TimestampError {
            text: text.to_owned(),
        })
    }

    /// Formats as CloudTrail's `eventTime`: `YYYY-MM-DDTHH:MM:SSZ`, seconds truncated.
    pub fn format_event_time(self) -> String {
        match self.to_datetime() {
            Some(datetime) => datetime.to_rfc3339_opts(SecondsFormat::Secs, true),
            None => String::from("1970-01-01T00:00:00Z"),
        }
    }

    /// Formats with an explicit pattern (chrono `strftime` syntax), in UTC.
    ///
    /// Used for log-file names (`%Y%m%dT%H%MZ`) and S3 key folders (`%Y/%m/%d`).
    pub fn format_utc(self, pattern: &str) -> String {
        match self.to_datetime() {
            Some(datetime) => datetime.format(pattern).to_string(),
            None => String::new(),
        }
    }
}

/// Parses exactly `YYYY-MM-DDTHH:MM:SSZ`, the form of nearly every real `eventTime`, without
/// going through the general parser. Returns `None` for anything else (the caller falls back).
fn parse_canonical_event_time(bytes: &[u8]) -> Option<Timestamp> {
    if bytes.len() != 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || bytes[10] != b'T'
        || bytes[13] != b':'
        || bytes[16] != b':'
        || bytes[19] != b'Z'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let mut value = 0u32;
        for &byte in &bytes[range] {
            if !byte.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(byte - b'0');
        }
        Some(value)
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)?;
    let datetime = date.and_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)?;
    Some(Timestamp(datetime.and_utc().timestamp_millis()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_event_time_round_trips() {
        let parsed = Timestamp::parse_event_time("2026-03-04T17:05:21Z").unwrap();
        assert_eq!(parsed.as_secs(), 1_772_643_921);
        assert_eq!(parsed.format_event_time(), "2026-03-04T17:05:21Z");
    }

    #[test]
    fn fast_and_general_parsers_agree() {
        for text in [
            "2023-07-10T11:45:00Z",
            "2000-02-29T23:59:59Z",
            "1999-12-31T00:00:00Z",
        ] {
            let fast = parse_canonical_event_time(text.as_bytes()).unwrap();
            let general = Timestamp::from_datetime(&DateTime::parse_from_rfc3339(text).unwrap());
            assert_eq!(fast, general, "{text}");
        }
    }

    #[test]
    fn other_forms_parse() {
        let expected = Timestamp::parse_event_time("2013-11-02T01:06:28Z").unwrap();
        assert_eq!(
            Timestamp::parse_event_time("20131102T010628Z").unwrap(),
            expected
        );
        assert_eq!(
            Timestamp::parse_event_time("2013-11-02T02:06:28+01:00").unwrap(),
            expected
        );
        assert_eq!(
            Timestamp::parse_event_time("2013-11-02T01:06:28.250Z")
                .unwrap()
                .as_millis(),
            expected.as_millis() + 250
        );
    }

    #[test]
    fn invalid_times_are_rejected_with_the_text() {
        for text in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
        ] {
            let error = Timestamp::parse_event_time(text).unwrap_err();
            assert!(error.to_string().contains(text), "{error}");
        }
    }

    #[test]
    fn cli_times_accept_epoch_and_dates() {
        assert_eq!(
            Timestamp::parse_cli_time("1424476529").unwrap().as_secs(),
            1_424_476_529
        );
        assert_eq!(
            Timestamp::parse_cli_time("1424476529.5")
                .unwrap()
                .as_millis(),
            1_424_476_529_500
        );
        assert_eq!(
            Timestamp::parse_cli_time("2015-02-21").unwrap(),
            Timestamp::parse_event_time("2015-02-21T00:00:00Z").unwrap()
        );
        assert!(Timestamp::parse_cli_time("soon").is_err());
    }

    #[test]
    fn negative_millis_floor_to_seconds() {
        assert_eq!(Timestamp::from_millis(-1).as_secs(), -1);
        assert_eq!(Timestamp::from_millis(-1).epoch_day(), -1);
    }
}
