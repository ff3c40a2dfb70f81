//! The CLI's date handling: `dateutil.parser.parse` for the forms people and digests use,
//! Python's naive/aware `datetime` comparisons, and its two output formats.
//!
//! The CLI *normalizes* a parsed time by replacing its zone with UTC (`date.replace(
//! tzinfo=tzutc())`), so `2026-03-02T10:00:00+02:00` counts as 10:00 UTC: a
//! [`PyDateTime`] keeps the wall-clock reading and the offset apart to reproduce that, and
//! the comparisons the CLI makes without normalizing (found times in the summary).

use std::cmp::Ordering;

use opentrail_types::Timestamp;

/// The CLI's key-name time format (`DATE_FORMAT`).
pub(crate) const KEY_DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";
/// The CLI's display format (`DISPLAY_DATE_FORMAT`).
pub(crate) const DISPLAY_DATE_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

const HOUR_MILLIS: i64 = 3_600_000;

/// A parsed Python `datetime`: its wall-clock reading (as if it were UTC) and its UTC
/// offset, `None` for a naive time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PyDateTime {
    wall: Timestamp,
    offset_secs: Option<i64>,
}

/// Python's `TypeError` text for comparing a naive and an aware `datetime`.
pub(crate) const NAIVE_AWARE_COMPARE: &str =
    "can't compare offset-naive and offset-aware datetimes";

impl PyDateTime {
    /// An aware UTC time.
    pub(crate) fn utc(instant: Timestamp) -> PyDateTime {
        PyDateTime {
            wall: instant,
            offset_secs: Some(0),
        }
    }

    /// `normalize_date`: the wall-clock reading, taken as UTC.
    pub(crate) fn normalized(self) -> Timestamp {
        self.wall
    }

    /// Compares as Python does: aware times by instant, naive times by wall clock.
    ///
    /// # Errors
    ///
    /// Python's `TypeError` text when one is naive and the other aware.
    pub(crate) fn compare(self, other: PyDateTime) -> Result<Ordering, &'static str> {
        match (self.offset_secs, other.offset_secs) {
            (Some(mine), Some(theirs)) => Ok(self
                .wall
                .saturating_add_millis(-mine * 1000)
                .cmp(&other.wall.saturating_add_millis(-theirs * 1000))),
            (None, None) => Ok(self.wall.cmp(&other.wall)),
            _ => Err(NAIVE_AWARE_COMPARE),
        }
    }

    /// `strftime('%Y-%m-%dT%H:%M:%SZ')`: the wall clock, whatever the zone.
    pub(crate) fn display(self) -> String {
        display_date(self.wall)
    }
}

/// Formats a normalized time as the CLI displays it.
pub(crate) fn display_date(instant: Timestamp) -> String {
    instant.format_utc(DISPLAY_DATE_FORMAT)
}

/// Formats a normalized time as the CLI writes it in keys.
pub(crate) fn key_date(instant: Timestamp) -> String {
    instant.format_utc(KEY_DATE_FORMAT)
}

/// Moves a time by whole hours.
pub(crate) fn add_hours(instant: Timestamp, hours: i64) -> Timestamp {
    instant.saturating_add_millis(hours * HOUR_MILLIS)
}

/// The CLI's `parse_date`: `dateutil.parser.parse`, with its error text.
///
/// # Errors
///
/// `Unable to parse date value: <text>` for a string none of the supported forms match.
pub(crate) fn parse_date(text: &str) -> Result<PyDateTime, String> {
    parse_any(text.trim()).ok_or_else(|| format!("Unable to parse date value: {text}"))
}

/// Date and time fields before validation.
#[derive(Debug, Default, Clone, Copy)]
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
}

fn parse_any(text: &str) -> Option<PyDateTime> {
    parse_iso(text)
        .or_else(|| parse_slashed(text))
        .or_else(|| parse_with_month_name(text))
}

/// `YYYY-MM-DD` or `YYYYMMDD`, then optionally `T`/`t`/space and a time, then a zone.
fn parse_iso(text: &str) -> Option<PyDateTime> {
    let bytes = text.as_bytes();
    let (mut fields, rest) = if bytes.len() >= 10 && bytes[4] == b'-' && bytes[7] == b'-' {
        let fields = Fields {
            year: number(&text[0..4])?,
            month: number(&text[5..7])?,
            day: number(&text[8..10])?,
            ..Fields::default()
        };
        (fields, &text[10..])
    } else if bytes.len() >= 8
        && bytes[..8].iter().all(u8::is_ascii_digit)
        && bytes
            .get(8)
            .is_none_or(|next| matches!(next, b'T' | b't' | b' '))
    {
        let fields = Fields {
            year: number(&text[0..4])?,
            month: number(&text[4..6])?,
            day: number(&text[6..8])?,
            ..Fields::default()
        };
        (fields, &text[8..])
    } else {
        return None;
    };
    let offset = parse_time_and_zone(rest, &mut fields)?;
    build(fields, offset)
}

/// `YYYY/MM/DD` or `MM/DD/YYYY`, then optionally a space and a time, then a zone.
fn parse_slashed(text: &str) -> Option<PyDateTime> {
    let (date, rest) = match text.find([' ', 'T']) {
        Some(split) => (&text[..split], &text[split..]),
        None => (text, ""),
    };
    let parts: Vec<&str> = date.split('/').collect();
    let [first, second, third] = parts.as_slice() else {
        return None;
    };
    let mut fields = if first.len() == 4 {
        Fields {
            year: number(first)?,
            month: number(second)?,
            day: number(third)?,
            ..Fields::default()
        }
    } else if third.len() == 4 {
        Fields {
            year: number(third)?,
            month: number(first)?,
            day: number(second)?,
            ..Fields::default()
        }
    } else {
        return None;
    };
    let offset = parse_time_and_zone(rest, &mut fields)?;
    build(fields, offset)
}

/// `August 25, 2015 00:00:00 UTC`, `Aug 25 2015`, `25 Aug 2015 10:00`.
fn parse_with_month_name(text: &str) -> Option<PyDateTime> {
    let mut fields = Fields::default();
    let (mut month, mut year, mut day) = (None, None, None);
    let mut time_and_zone = String::new();
    for token in text
        .split(|character: char| character.is_whitespace() || character == ',')
        .filter(|token| !token.is_empty())
    {
        if !time_and_zone.is_empty() || token.contains(':') {
            time_and_zone.push(' ');
            time_and_zone.push_str(token);
        } else if let Some(found) = month_number(token) {
            month = Some(found);
        } else if token.len() == 4 && year.is_none() {
            year = Some(number(token)?);
        } else if token.len() <= 2 && day.is_none() {
            day = Some(number(token)?);
        } else if month.is_some() && year.is_some() && day.is_some() {
            // A zone name after the date (`UTC`).
            time_and_zone.push(' ');
            time_and_zone.push_str(token);
        } else {
            return None;
        }
    }
    fields.month = month?;
    fields.year = year?;
    fields.day = day?;
    let offset = parse_time_and_zone(&time_and_zone, &mut fields)?;
    build(fields, offset)
}

/// Reads an optional time (after `T`, `t` or spaces) and an optional zone into `fields`;
/// returns the offset (`Some(None)` for a naive time), `None` when `rest` is not a time.
fn parse_time_and_zone(rest: &str, fields: &mut Fields) -> Option<Option<i64>> {
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .unwrap_or(rest);
    let time_length = rest
        .find(|character: char| {
            !(character.is_ascii_digit() || matches!(character, ':' | '.' | ','))
        })
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_length);
    if !time.is_empty() {
        parse_time(time, fields)?;
    }
    parse_zone(zone.trim())
}

fn parse_time(time: &str, fields: &mut Fields) -> Option<()> {
    let (clock, fraction) = match time.find(['.', ',']) {
        Some(dot) => (&time[..dot], Some(&time[dot + 1..])),
        None => (time, None),
    };
    let parts: Vec<&str> = if clock.contains(':') {
        clock.split(':').collect()
    } else {
        // Basic form: HH, HHMM or HHMMSS.
        match clock.len() {
            2 => vec![&clock[0..2]],
            4 => vec![&clock[0..2], &clock[2..4]],
            6 => vec![&clock[0..2], &clock[2..4], &clock[4..6]],
            _ => return None,
        }
    };
    if parts.is_empty()
        || parts.len() > 3
        || parts.iter().any(|part| part.is_empty() || part.len() > 2)
    {
        return None;
    }
    fields.hour = number(parts[0])?;
    fields.minute = parts.get(1).map_or(Some(0), |part| number(part))?;
    fields.second = parts.get(2).map_or(Some(0), |part| number(part))?;
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let mut millis = 0;
        for (index, digit) in fraction.bytes().take(3).enumerate() {
            millis += i64::from(digit - b'0') * [100, 10, 1][index];
        }
        fields.millis = millis;
    }
    Some(())
}

/// `Z`, `UTC`, `GMT` (any case), `±HH[:MM]`, `±HHMM`; another word is a zone name
/// dateutil does not know and ignores (naive); nothing is naive.
fn parse_zone(zone: &str) -> Option<Option<i64>> {
    if zone.is_empty() {
        return Some(None);
    }
    if ["z", "utc", "gmt"]
        .iter()
        .any(|name| zone.eq_ignore_ascii_case(name))
    {
        return Some(Some(0));
    }
    if let Some(sign) = zone.chars().next().filter(|sign| matches!(sign, '+' | '-')) {
        let digits: String = zone[1..]
            .chars()
            .filter(|character| *character != ':')
            .collect();
        if !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let (hours, minutes) = match digits.len() {
            2 => (number(&digits)?, 0),
            4 => (number(&digits[..2])?, number(&digits[2..])?),
            _ => return None,
        };
        let magnitude = hours * 3600 + minutes * 60;
        return Some(Some(if sign == '-' { -magnitude } else { magnitude }));
    }
    zone.chars()
        .all(|character| character.is_ascii_alphabetic())
        .then_some(None)
}

fn number(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn month_number(token: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = token.to_ascii_lowercase();
    let mut found = None;
    for (index, name) in MONTHS.iter().enumerate() {
        if lower == *name || (lower.len() >= 3 && name.starts_with(lower.as_str())) {
            found = Some(index as i64 + 1);
        }
    }
    found
}

fn build(fields: Fields, offset_secs: Option<i64>) -> Option<PyDateTime> {
    if !(1..=9999).contains(&fields.year)
        || !(1..=12).contains(&fields.month)
        || fields.day < 1
        || fields.day > days_in_month(fields.year, fields.month)
        || fields.hour > 23
        || fields.minute > 59
        || fields.second > 59
    {
        return None;
    }
    let days = days_from_civil(fields.year, fields.month, fields.day);
    let seconds = days * 86_400 + fields.hour * 3600 + fields.minute * 60 + fields.second;
    Some(PyDateTime {
        wall: Timestamp::from_millis(seconds * 1000 + fields.millis),
        offset_secs,
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Timestamp {
        Timestamp::parse_event_time(text).unwrap()
    }

    #[test]
    fn dateutil_forms_parse() {
        let cases = [
            ("2015-01-08T05:21:42Z", "2015-01-08T05:21:42Z", Some(0)),
            ("20140810T000000Z", "2014-08-10T00:00:00Z", Some(0)),
            ("2015-01-08", "2015-01-08T00:00:00Z", None),
            ("20150101", "2015-01-01T00:00:00Z", None),
            ("2015-01-08 05:21:42", "2015-01-08T05:21:42Z", None),
            ("2015-01-08 05:21", "2015-01-08T05:21:00Z", None),
            (
                "2015-01-08T05:21:42+02:00",
                "2015-01-08T05:21:42Z",
                Some(7200),
            ),
            (
                "2015-01-08T05:21:42-0130",
                "2015-01-08T05:21:42Z",
                Some(-5400),
            ),
            ("2015-01-08T05:21:42.5Z", "2015-01-08T05:21:42Z", Some(0)),
            ("2015-01-08T05Z", "2015-01-08T05:00:00Z", Some(0)),
            ("2015-01-08T0521Z", "2015-01-08T05:21:00Z", Some(0)),
            ("20150108T052142", "2015-01-08T05:21:42Z", None),
            ("2015-01-08t05:21:42z", "2015-01-08T05:21:42Z", Some(0)),
            ("  2015-01-08  ", "2015-01-08T00:00:00Z", None),
            ("2015/01/08", "2015-01-08T00:00:00Z", None),
            ("01/08/2015", "2015-01-08T00:00:00Z", None),
            (
                "August 25, 2015 00:00:00 UTC",
                "2015-08-25T00:00:00Z",
                Some(0),
            ),
            ("Jan 8 2015", "2015-01-08T00:00:00Z", None),
            ("8 Jan 2015 10:30", "2015-01-08T10:30:00Z", None),
            ("2015-01-08T05:21:42 PST", "2015-01-08T05:21:42Z", None),
        ];
        for (text, wall, offset) in cases {
            let parsed = parse_date(text).unwrap_or_else(|error| panic!("{text}: {error}"));
            assert_eq!(parsed.display(), wall, "{text}");
            assert_eq!(parsed.offset_secs, offset, "{text}");
        }
        assert_eq!(
            parse_date("2015-01-08T05:21:42.5Z")
                .unwrap()
                .normalized()
                .as_millis()
                % 1000,
            500
        );
    }

    #[test]
    fn bad_dates_get_the_cli_text() {
        for text in [
            "foo",
            "2015-13-01",
            "2015-02-30",
            "2015-01-08T24:00:00",
            "1420070400",
            "",
        ] {
            assert_eq!(
                parse_date(text).unwrap_err(),
                format!("Unable to parse date value: {text}"),
                "{text}"
            );
        }
    }

    #[test]
    fn zones_are_replaced_by_normalizing_but_compared_as_instants() {
        let plus_two = parse_date("2026-03-02T10:00:00+02:00").unwrap();
        assert_eq!(plus_two.normalized(), utc("2026-03-02T10:00:00Z"));
        let eight_utc = PyDateTime::utc(utc("2026-03-02T08:00:00Z"));
        assert_eq!(plus_two.compare(eight_utc), Ok(Ordering::Equal));
        let naive = parse_date("2026-03-02T08:00:00").unwrap();
        assert_eq!(naive.compare(eight_utc), Err(NAIVE_AWARE_COMPARE));
    }

    #[test]
    fn civil_days_match_chrono() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2026-12-31T12:00:00Z",
        ] {
            let parsed = parse_date(text).unwrap();
            assert_eq!(parsed.normalized(), utc(text), "{text}");
        }
        assert_eq!(key_date(utc("2014-08-09T23:59:00Z")), "20140809T235900Z");
        assert_eq!(
            add_hours(utc("2014-08-09T23:59:00Z"), 2),
            utc("2014-08-10T01:59:00Z")
        );
    }
}
