//! The SigV4 timestamp: ISO 8601 basic format, `YYYYMMDDTHHMMSSZ`, always UTC.
//!
//! Written by hand (days-from-civil arithmetic) rather than with chrono: the format is
//! fixed and tiny, and parsing must be strict (AWS rejects anything but this exact shape).

use std::fmt;

const SECONDS_PER_DAY: i64 = 86_400;
/// 0000-01-01T00:00:00Z: the first instant with a four-digit year.
const MIN_EPOCH_SECONDS: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z: the last instant with a four-digit year.
const MAX_EPOCH_SECONDS: i64 = 253_402_300_799;

/// A UTC instant with whole-second precision, as written in `X-Amz-Date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AmzDateTime {
    epoch_seconds: i64,
}

impl AmzDateTime {
    /// Returns the instant `epoch_seconds` after the Unix epoch, or `None` outside years
    /// 0000-9999.
    pub fn from_epoch_seconds(epoch_seconds: i64) -> Option<AmzDateTime> {
        (MIN_EPOCH_SECONDS..=MAX_EPOCH_SECONDS)
            .contains(&epoch_seconds)
            .then_some(AmzDateTime { epoch_seconds })
    }

    /// Returns the instant `epoch_ms` milliseconds after the Unix epoch, truncated down to
    /// the whole second, or `None` outside years 0000-9999.
    pub fn from_epoch_millis(epoch_ms: i64) -> Option<AmzDateTime> {
        AmzDateTime::from_epoch_seconds(epoch_ms.div_euclid(1000))
    }

    /// Parses exactly `YYYYMMDDTHHMMSSZ` (16 ASCII characters, a real calendar date, seconds
    /// 00-59); anything else is `None`.
    pub fn parse(text: &str) -> Option<AmzDateTime> {
        let bytes = text.as_bytes();
        if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
            return None;
        }
        let year = parse_digits(&bytes[0..4])?;
        let month = parse_digits(&bytes[4..6])?;
        let day = parse_digits(&bytes[6..8])?;
        let hour = parse_digits(&bytes[9..11])?;
        let minute = parse_digits(&bytes[11..13])?;
        let second = parse_digits(&bytes[13..15])?;
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        AmzDateTime::from_epoch_seconds(days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second)
    }

    /// Seconds since the Unix epoch.
    pub fn epoch_seconds(self) -> i64 {
        self.epoch_seconds
    }

    /// Milliseconds since the Unix epoch.
    pub fn epoch_millis(self) -> i64 {
        // Cannot overflow: |epoch_seconds| < 2.6e11, so the product stays below 2.6e14.
        self.epoch_seconds * 1000
    }

    /// Returns the instant `seconds` later (earlier when negative), or `None` when that leaves
    /// years 0000-9999.
    pub fn checked_add_seconds(self, seconds: i64) -> Option<AmzDateTime> {
        AmzDateTime::from_epoch_seconds(self.epoch_seconds.checked_add(seconds)?)
    }

    /// The date part, `YYYYMMDD`, as used in the credential scope.
    pub fn date_stamp(self) -> String {
        let (year, month, day) = civil_from_days(self.epoch_seconds.div_euclid(SECONDS_PER_DAY));
        format!("{year:04}{month:02}{day:02}")
    }
}

impl fmt::Display for AmzDateTime {
    /// Writes `YYYYMMDDTHHMMSSZ`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.epoch_seconds.div_euclid(SECONDS_PER_DAY);
        let second_of_day = self.epoch_seconds.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        write!(
            formatter,
            "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60
        )
    }
}

fn parse_digits(bytes: &[u8]) -> Option<i64> {
    let mut value = 0_i64;
    for &byte in bytes {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(byte - b'0');
    }
    Some(value)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`,
/// <https://howardhinnant.github.io/date_algorithms.html>).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: `(year, month, day)`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_and_parses_known_instants() {
        let cases = [
            (0, "19700101T000000Z"),
            (1_440_938_160, "20150830T123600Z"),
            (1_767_225_600, "20260101T000000Z"),
            (951_782_400, "20000229T000000Z"),
            (-1, "19691231T235959Z"),
            (MIN_EPOCH_SECONDS, "00000101T000000Z"),
            (MAX_EPOCH_SECONDS, "99991231T235959Z"),
        ];
        for (seconds, text) in cases {
            let instant = AmzDateTime::from_epoch_seconds(seconds).unwrap();
            assert_eq!(instant.to_string(), text);
            assert_eq!(AmzDateTime::parse(text), Some(instant), "{text}");
        }
        assert_eq!(
            AmzDateTime::from_epoch_seconds(1_440_938_160)
                .unwrap()
                .date_stamp(),
            "20150830"
        );
    }

    #[test]
    fn parse_rejects_everything_but_the_basic_format() {
        for text in [
            "",
            "201",
            "20150830T123600",
            "20150830T123600z",
            "20150830t123600Z",
            "2015-08-30T12:36:00Z",
            "20150830T123600ZZ",
            "20151330T123600Z",
            "20150230T123600Z",
            "20190229T000000Z",
            "20150830T243600Z",
            "20150830T126000Z",
            "20150830T123660Z",
            "2015083OT123600Z",
            "+2015830T123600Z",
            "20150830 123600Z",
            "Sun, 30 Aug 2015 12:36:00 GMT",
            "２０１５0830T123600Z",
        ] {
            assert_eq!(AmzDateTime::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn range_is_years_0000_to_9999() {
        assert!(AmzDateTime::from_epoch_seconds(MIN_EPOCH_SECONDS - 1).is_none());
        assert!(AmzDateTime::from_epoch_seconds(MAX_EPOCH_SECONDS + 1).is_none());
        assert!(AmzDateTime::from_epoch_millis(i64::MIN).is_none());
        assert!(AmzDateTime::from_epoch_millis(i64::MAX).is_none());
        assert_eq!(
            AmzDateTime::from_epoch_millis(-1).unwrap().to_string(),
            "19691231T235959Z"
        );
        let last = AmzDateTime::from_epoch_seconds(MAX_EPOCH_SECONDS).unwrap();
        assert!(last.checked_add_seconds(1).is_none());
        assert!(last.checked_add_seconds(i64::MAX).is_none());
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(seconds in MIN_EPOCH_SECONDS..=MAX_EPOCH_SECONDS) {
            let instant = AmzDateTime::from_epoch_seconds(seconds).unwrap();
            prop_assert_eq!(AmzDateTime::parse(&instant.to_string()), Some(instant));
        }

        #[test]
        fn parse_never_panics(text in ".{0,20}") {
            let _ = AmzDateTime::parse(&text);
        }
    }
}
