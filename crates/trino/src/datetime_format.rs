//! Date-time patterns: MySQL specifiers (`date_format`, `date_parse`), Joda patterns
//! (`format_datetime`) and ISO 8601 text (`from_iso8601_*`, `to_iso8601`). All times are UTC.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};

use crate::error::Error;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn month_name(time: &NaiveDateTime) -> &'static str {
    MONTHS[time.month0() as usize]
}

fn weekday_name(time: &NaiveDateTime) -> &'static str {
    WEEKDAYS[time.weekday().num_days_from_monday() as usize]
}

fn hour12(time: &NaiveDateTime) -> u32 {
    match time.hour() % 12 {
        0 => 12,
        hour => hour,
    }
}

fn english_suffix(day: u32) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

fn unsupported_specifier(function: &'static str, specifier: char) -> Error {
    Error::invalid_argument(
        function,
        format!("%{specifier} not supported in date format string"),
    )
}

/// Formats `time` with MySQL specifiers, as Trino's `date_format`.
pub(crate) fn format_mysql(time: &NaiveDateTime, format: &str) -> Result<String, Error> {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(format.len() + 8);
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(specifier) = chars.next() else {
            break;
        };
        // `write!` into a String cannot fail.
        let _ = match specifier {
            'a' => write!(out, "{}", &weekday_name(time)[..3]),
            'b' => write!(out, "{}", &month_name(time)[..3]),
            'c' => write!(out, "{}", time.month()),
            'D' => write!(out, "{}{}", time.day(), english_suffix(time.day())),
            'd' => write!(out, "{:02}", time.day()),
            'e' => write!(out, "{}", time.day()),
            'f' => write!(out, "{:06}", time.nanosecond() / 1_000_000 * 1000),
            'H' => write!(out, "{:02}", time.hour()),
            'h' | 'I' => write!(out, "{:02}", hour12(time)),
            'i' => write!(out, "{:02}", time.minute()),
            'j' => write!(out, "{:03}", time.ordinal()),
            'k' => write!(out, "{}", time.hour()),
            'l' => write!(out, "{}", hour12(time)),
            'M' => write!(out, "{}", month_name(time)),
            'm' => write!(out, "{:02}", time.month()),
            'p' => write!(out, "{}", if time.hour() < 12 { "AM" } else { "PM" }),
            'r' => write!(
                out,
                "{:02}:{:02}:{:02} {}",
                hour12(time),
                time.minute(),
                time.second(),
                if time.hour() < 12 { "AM" } else { "PM" }
            ),
            'S' | 's' => write!(out, "{:02}", time.second()),
            'T' => write!(
                out,
                "{:02}:{:02}:{:02}",
                time.hour(),
                time.minute(),
                time.second()
            ),
            'v' => write!(out, "{:02}", time.iso_week().week()),
            'W' => write!(out, "{}", weekday_name(time)),
            'x' => write!(out, "{:04}", time.iso_week().year()),
            'Y' => write!(out, "{:04}", time.year()),
            'y' => write!(out, "{:02}", time.year().rem_euclid(100)),
            'U' | 'u' | 'V' | 'w' | 'X' => {
                return Err(unsupported_specifier("date_format", specifier));
            }
            other => write!(out, "{other}"),
        };
    }
    Ok(out)
}

/// A cursor over the text being parsed by `date_parse`.
struct Input<'a> {
    text: &'a str,
    position: usize,
}

impl Input<'_> {
    fn number(&mut self, max_digits: usize) -> Option<u32> {
        let rest = &self.text[self.position..];
        let digits = rest
            .bytes()
            .take(max_digits)
            .take_while(u8::is_ascii_digit)
            .count();
        if digits == 0 {
            return None;
        }
        self.position += digits;
        rest[..digits].parse().ok()
    }

    fn word(&mut self, words: &[&str], length: Option<usize>) -> Option<usize> {
        let rest = &self.text[self.position..];
        for (index, word) in words.iter().enumerate() {
            let word = length.map_or(*word, |length| &word[..length]);
            if rest.len() >= word.len()
                && rest.is_char_boundary(word.len())
                && rest[..word.len()].eq_ignore_ascii_case(word)
            {
                self.position += word.len();
                return Some(index);
            }
        }
        None
    }

    fn literal(&mut self, expected: char) -> Option<()> {
        let next = self.text[self.position..].chars().next()?;
        (next == expected).then(|| self.position += next.len_utf8())
    }
}

/// Parses `text` with MySQL specifiers, as Trino's `date_parse`; fields not in the format
/// default to 1970-01-01 00:00:00.
pub(crate) fn parse_mysql(text: &str, format: &str) -> Result<NaiveDateTime, Error> {
    let invalid = || {
        Error::invalid_argument(
            "date_parse",
            format!("invalid format: `{text}` does not match `{format}`"),
        )
    };
    let mut input = Input { text, position: 0 };
    let (mut year, mut month, mut day, mut hour, mut minute, mut second, mut nanos) =
        (1970i32, 1u32, 1u32, 0u32, 0u32, 0u32, 0u32);
    let (mut pm, mut ordinal) = (None::<bool>, None::<u32>);
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            input.literal(c).ok_or_else(invalid)?;
            continue;
        }
        let Some(specifier) = chars.next() else {
            break;
        };
        match specifier {
            'Y' => year = input.number(4).ok_or_else(invalid)? as i32,
            'y' => {
                let two_digits = input.number(2).ok_or_else(invalid)? as i32;
                year = if two_digits < 70 {
                    2000 + two_digits
                } else {
                    1900 + two_digits
                };
            }
            'm' | 'c' => month = input.number(2).ok_or_else(invalid)?,
            'd' | 'e' => day = input.number(2).ok_or_else(invalid)?,
            'H' | 'k' => hour = input.number(2).ok_or_else(invalid)?,
            'h' | 'I' | 'l' => hour = input.number(2).ok_or_else(invalid)?,
            'i' => minute = input.number(2).ok_or_else(invalid)?,
            'S' | 's' => second = input.number(2).ok_or_else(invalid)?,
            'f' => {
                let start = input.position;
                let fraction = input.number(9).ok_or_else(invalid)?;
                let digits = (input.position - start) as u32;
                nanos = fraction * 10u32.pow(9 - digits);
            }
            'p' => pm = Some(input.word(&["AM", "PM"], None).ok_or_else(invalid)? == 1),
            'T' => {
                hour = input.number(2).ok_or_else(invalid)?;
                input.literal(':').ok_or_else(invalid)?;
                minute = input.number(2).ok_or_else(invalid)?;
                input.literal(':').ok_or_else(invalid)?;
                second = input.number(2).ok_or_else(invalid)?;
            }
            'b' => month = input.word(&MONTHS, Some(3)).ok_or_else(invalid)? as u32 + 1,
            'M' => month = input.word(&MONTHS, None).ok_or_else(invalid)? as u32 + 1,
            'a' => drop(input.word(&WEEKDAYS, Some(3)).ok_or_else(invalid)?),
            'W' => drop(input.word(&WEEKDAYS, None).ok_or_else(invalid)?),
            'j' => ordinal = Some(input.number(3).ok_or_else(invalid)?),
            '%' => input.literal('%').ok_or_else(invalid)?,
            'D' | 'r' | 'v' | 'x' | 'U' | 'u' | 'V' | 'w' | 'X' => {
                return Err(unsupported_specifier("date_parse", specifier));
            }
            other => input.literal(other).ok_or_else(invalid)?,
        }
    }
    if input.position != text.len() {
        return Err(invalid());
    }
    if let Some(pm) = pm {
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    let date = match ordinal {
        Some(ordinal) => NaiveDate::from_yo_opt(year, ordinal),
        None => NaiveDate::from_ymd_opt(year, month, day),
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos);
    Ok(NaiveDateTime::new(
        date.ok_or_else(invalid)?,
        time.ok_or_else(invalid)?,
    ))
}

/// Formats `time` with a Joda-Time pattern, as Trino's `format_datetime` (zone UTC).
pub(crate) fn format_joda(time: &NaiveDateTime, pattern: &str) -> Result<String, Error> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut index = 0;
    while index < chars.len() {
        let letter = chars[index];
        if letter == '\'' {
            // '' is a quote; 'text' is literal text.
            let end = chars[index + 1..]
                .iter()
                .position(|&c| c == '\'')
                .map(|offset| index + 1 + offset);
            match end {
                Some(end) if end == index + 1 => out.push('\''),
                Some(end) => out.extend(&chars[index + 1..end]),
                None => {
                    return Err(Error::invalid_argument(
                        "format_datetime",
                        format!("unterminated quote in `{pattern}`"),
                    ));
                }
            }
            index = end.map_or(chars.len(), |end| end + 1);
            continue;
        }
        if !letter.is_ascii_alphabetic() {
            out.push(letter);
            index += 1;
            continue;
        }
        let count = chars[index..].iter().take_while(|&&c| c == letter).count();
        index += count;
        let number = |value: i64| format!("{value:0count$}");
        let text = match letter {
            'G' => if time.year() > 0 { "AD" } else { "BC" }.to_owned(),
            'C' => number(i64::from(time.year() / 100)),
            'y' | 'Y' if count == 2 => format!("{:02}", time.year().rem_euclid(100)),
            'y' | 'Y' => number(i64::from(time.year())),
            'x' if count == 2 => format!("{:02}", time.iso_week().year().rem_euclid(100)),
            'x' => number(i64::from(time.iso_week().year())),
            'w' => number(i64::from(time.iso_week().week())),
            'e' => number(i64::from(time.weekday().number_from_monday())),
            'E' if count >= 4 => weekday_name(time).to_owned(),
            'E' => weekday_name(time)[..3].to_owned(),
            'D' => number(i64::from(time.ordinal())),
            'M' if count >= 4 => month_name(time).to_owned(),
            'M' if count == 3 => month_name(time)[..3].to_owned(),
            'M' => number(i64::from(time.month())),
            'd' => number(i64::from(time.day())),
            'a' => if time.hour() < 12 { "AM" } else { "PM" }.to_owned(),
            'K' => number(i64::from(time.hour() % 12)),
            'h' => number(i64::from(hour12(time))),
            'H' => number(i64::from(time.hour())),
            'k' => number(i64::from(if time.hour() == 0 { 24 } else { time.hour() })),
            'm' => number(i64::from(time.minute())),
            's' => number(i64::from(time.second())),
            'S' => {
                let nanos = format!("{:09}", time.nanosecond());
                if count <= 9 {
                    nanos[..count].to_owned()
                } else {
                    format!("{nanos:0<count$}")
                }
            }
            'z' => "UTC".to_owned(),
            'Z' if count == 1 => "+0000".to_owned(),
            'Z' if count == 2 => "+00:00".to_owned(),
            'Z' => "UTC".to_owned(),
            other => {
                return Err(Error::invalid_argument(
                    "format_datetime",
                    format!("illegal pattern component `{other}` in `{pattern}`"),
                ));
            }
        };
        out.push_str(&text);
    }
    Ok(out)
}

/// Parses ISO 8601 date-time text (`2026-01-22`, `2026-01-22T10:15`, `…:05.123Z`,
/// `…+01:00`) into UTC; text without a zone is UTC.
pub(crate) fn parse_iso8601_timestamp(text: &str) -> Result<NaiveDateTime, Error> {
    let invalid = || {
        Error::invalid_argument(
            "from_iso8601_timestamp",
            format!("invalid iso 8601 timestamp `{text}`"),
        )
    };
    let (date_text, rest) = match text.split_once('T') {
        Some((_, "")) => return Err(invalid()),
        Some(parts) => parts,
        None => (text, ""),
    };
    let date = parse_iso8601_date_text(date_text).ok_or_else(invalid)?;
    if rest.is_empty() {
        return Ok(date.and_time(NaiveTime::MIN));
    }
    let zone_start = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time_text, zone_text) = rest.split_at(zone_start);
    let mut time_parts = time_text.splitn(3, ':');
    let hour: u32 = time_parts
        .next()
        .filter(|part| part.len() == 2)
        .and_then(|part| part.parse().ok())
        .ok_or_else(invalid)?;
    let minute: u32 = match time_parts.next() {
        Some(part) if part.len() == 2 => part.parse().map_err(|_| invalid())?,
        Some(_) => return Err(invalid()),
        None => 0,
    };
    let (second, nanos) = match time_parts.next() {
        Some(part) => {
            let (whole, fraction) = part.split_once(['.', ',']).unwrap_or((part, ""));
            let second: u32 = if whole.len() == 2 {
                whole.parse().map_err(|_| invalid())?
            } else {
                return Err(invalid());
            };
            if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            let nanos = if fraction.is_empty() {
                0
            } else {
                format!("{fraction:0<9}").parse().map_err(|_| invalid())?
            };
            (second, nanos)
        }
        None => (0, 0),
    };
    let local = date
        .and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or_else(invalid)?);
    let offset_seconds = match zone_text {
        "" | "Z" | "z" => 0,
        zone => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            let (hours, minutes) = match digits.len() {
                2 => (digits.parse::<i32>().map_err(|_| invalid())?, 0),
                4 => (
                    digits[..2].parse::<i32>().map_err(|_| invalid())?,
                    digits[2..].parse::<i32>().map_err(|_| invalid())?,
                ),
                _ => return Err(invalid()),
            };
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let offset = FixedOffset::east_opt(offset_seconds).ok_or_else(invalid)?;
    let zoned: DateTime<FixedOffset> = offset
        .from_local_datetime(&local)
        .single()
        .ok_or_else(invalid)?;
    Ok(zoned.with_timezone(&Utc).naive_utc())
}

/// Parses ISO 8601 date text `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
pub(crate) fn parse_iso8601_date_text(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let year = parts.next().filter(|part| part.len() == 4)?.parse().ok()?;
    let month = parts.next().map_or(Some(1), |part| {
        if part.len() == 2 {
            part.parse().ok()
        } else {
            None
        }
    })?;
    let day = parts.next().map_or(Some(1), |part| {
        if part.len() == 2 {
            part.parse().ok()
        } else {
            None
        }
    })?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn mysql_format_covers_trino_specifiers() {
        let time = at("2026-01-02 15:04:05.123");
        let cases = [
            ("%Y-%m-%d %H:%i:%s", "2026-01-02 15:04:05"),
            ("%a %b %c %D %e %f", "Fri Jan 1 2nd 2 123000"),
            ("%h %I %k %l %p %r", "03 03 15 3 PM 03:04:05 PM"),
            (
                "%j %M %T %v %W %x %y %%",
                "002 January 15:04:05 01 Friday 2026 26 %",
            ),
        ];
        for (format, expected) in cases {
            assert_eq!(format_mysql(&time, format).unwrap(), expected, "{format}");
        }
        assert!(format_mysql(&time, "%U").is_err());
    }

    #[test]
    fn mysql_parse_round_trips() {
        let cases = [
            (
                "2026-01-02 15:04:05",
                "%Y-%m-%d %H:%i:%s",
                "2026-01-02 15:04:05",
            ),
            ("2026/1/2", "%Y/%c/%e", "2026-01-02 00:00:00"),
            (
                "02 Jan 26 03:04 PM",
                "%d %b %y %h:%i %p",
                "2026-01-02 15:04:00",
            ),
            ("12:00:00.5", "%T.%f", "1970-01-01 12:00:00.5"),
            ("2026 032", "%Y %j", "2026-02-01 00:00:00"),
        ];
        for (text, format, expected) in cases {
            assert_eq!(
                parse_mysql(text, format).unwrap(),
                at(expected),
                "{text} {format}"
            );
        }
        for (text, format) in [
            ("2026-01", "%Y-%m-%d"),
            ("2026-13-01", "%Y-%m-%d"),
            ("2026x", "%Y"),
            ("x", "%U"),
        ] {
            assert!(parse_mysql(text, format).is_err(), "{text} {format}");
        }
    }

    #[test]
    fn joda_patterns_format() {
        let time = at("2026-01-02 15:04:05.123");
        let cases = [
            ("yyyy-MM-dd HH:mm:ss.SSS", "2026-01-02 15:04:05.123"),
            ("yy MMM MMMM d E EEEE", "26 Jan January 2 Fri Friday"),
            (
                "h:mm a 'at' k K D Z ZZ z",
                "3:04 PM at 15 3 2 +0000 +00:00 UTC",
            ),
            ("xxxx-'W'ww-e ''", "2026-W01-5 '"),
        ];
        for (pattern, expected) in cases {
            assert_eq!(format_joda(&time, pattern).unwrap(), expected, "{pattern}");
        }
        assert!(format_joda(&time, "q").is_err());
    }

    #[test]
    fn iso8601_timestamps_parse_to_utc() {
        let cases = [
            ("2026-01-22", "2026-01-22 00:00:00"),
            ("2026-01-22T10", "2026-01-22 10:00:00"),
            ("2026-01-22T10:15", "2026-01-22 10:15:00"),
            ("2026-01-22T10:15:05.5Z", "2026-01-22 10:15:05.5"),
            ("2026-01-22T10:15:05+01:00", "2026-01-22 09:15:05"),
            ("2026-01-22T10:15:05-0230", "2026-01-22 12:45:05"),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse_iso8601_timestamp(text).unwrap(),
                at(expected),
                "{text}"
            );
        }
        for text in [
            "",
            "2026-1-22",
            "2026-01-22T",
            "2026-01-22 10:00",
            "2026-01-22T25:00",
            "2026-01-22T10:00+1",
        ] {
            assert!(parse_iso8601_timestamp(text).is_err(), "{text}");
        }
    }
}
