//! Minimal, fast JSON writing into a byte buffer, and the time forms CloudTrail writes.
//!
//! Records are written by hand rather than through a serializer: the member order is
//! fixed by CloudTrail, most text is static, and this is the hot path of generation.

use rand::RngCore;

/// Appends raw text (already valid JSON where JSON is expected).
#[inline]
pub(crate) fn raw(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(text.as_bytes());
}

/// Appends `text` as a JSON string, with quotes and escapes.
#[inline]
pub(crate) fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    escaped(out, text);
    out.push(b'"');
}

/// Appends `text` escaped for use inside a JSON string, without quotes (serde_json's
/// escaping, so generated text is escaped exactly as the rest of OpenTrail writes it).
pub(crate) fn escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if !bytes
        .iter()
        .any(|byte| *byte < 0x20 || *byte == b'"' || *byte == b'\\')
    {
        out.extend_from_slice(bytes);
        return;
    }
    let start = out.len();
    // Writing a `&str` into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
    out.pop();
    out.remove(start);
}

/// Appends `"key":` (the key must not need escaping).
#[inline]
pub(crate) fn key(out: &mut Vec<u8>, name: &str) {
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Appends `"key":"value"` with `value` escaped.
#[inline]
pub(crate) fn member(out: &mut Vec<u8>, name: &str, value: &str) {
    key(out, name);
    string(out, value);
}

/// Appends an unsigned integer in decimal.
pub(crate) fn number(out: &mut Vec<u8>, value: u64) {
    let mut digits = [0u8; 20];
    let mut position = digits.len();
    let mut rest = value;
    loop {
        position -= 1;
        digits[position] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[position..]);
}

/// Appends `value` as exactly `width` decimal digits (zero-padded, truncated on the left).
pub(crate) fn padded(out: &mut Vec<u8>, value: u64, width: usize) {
    let mut rest = value;
    let start = out.len();
    out.resize(start + width, b'0');
    for position in (start..start + width).rev() {
        out[position] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
}

/// Appends `count` random characters from `alphabet`.
pub(crate) fn random_chars(
    out: &mut Vec<u8>,
    rng: &mut (impl RngCore + ?Sized),
    alphabet: &[u8],
    count: usize,
) {
    let mut bits = 0u64;
    let mut left = 0;
    for _ in 0..count {
        if left == 0 {
            bits = rng.next_u64();
            left = 8;
        }
        let byte = (bits & 0xFF) as usize;
        bits >>= 8;
        left -= 1;
        out.push(alphabet[byte % alphabet.len()]);
    }
}

/// Upper-case letters and digits (S3 request IDs, resource suffixes).
pub(crate) const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// The base-32 alphabet of IAM unique IDs and access keys.
pub(crate) const IAM_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Lower-case hexadecimal digits.
pub(crate) const HEX: &[u8] = b"0123456789abcdef";
/// The standard base64 alphabet.
pub(crate) const BASE64: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// Letters and digits, mixed case.
pub(crate) const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Appends a random version-4 UUID in lower-case 8-4-4-4-12 form (no quotes), built the
/// same way as `opentrail_types::IdGenerator::uuid`.
pub(crate) fn uuid(out: &mut Vec<u8>, rng: &mut (impl RngCore + ?Sized)) {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    out.extend_from_slice(id.hyphenated().encode_lower(&mut text).as_bytes());
}

/// A calendar date and time of day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Civil {
    /// Converts whole seconds since the epoch (chrono does the calendar).
    pub(crate) fn from_epoch_secs(secs: i64) -> Civil {
        use chrono::{Datelike, Timelike};
        let datetime = chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default();
        Civil {
            year: i64::from(datetime.year()),
            month: datetime.month(),
            day: datetime.day(),
            hour: datetime.hour(),
            minute: datetime.minute(),
            second: datetime.second(),
        }
    }
}

/// Appends `YYYY-MM-DDTHH:MM:SSZ` (no quotes).
pub(crate) fn iso_time(out: &mut Vec<u8>, epoch_secs: i64) {
    let civil = Civil::from_epoch_secs(epoch_secs);
    write_date(out, &civil);
    out.push(b'T');
    padded(out, u64::from(civil.hour), 2);
    out.push(b':');
    padded(out, u64::from(civil.minute), 2);
    out.push(b':');
    padded(out, u64::from(civil.second), 2);
    out.push(b'Z');
}

/// Appends `YYYY-MM-DD` (no quotes).
pub(crate) fn iso_date(out: &mut Vec<u8>, epoch_secs: i64) {
    write_date(out, &Civil::from_epoch_secs(epoch_secs));
}

fn write_date(out: &mut Vec<u8>, civil: &Civil) {
    padded(out, civil.year.max(0) as u64, 4);
    out.push(b'-');
    padded(out, u64::from(civil.month), 2);
    out.push(b'-');
    padded(out, u64::from(civil.day), 2);
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Appends the date form AWS SDKs put inside request and response elements:
/// `Mar 4, 2026, 5:05:21 PM` (no quotes).
pub(crate) fn aws_date(out: &mut Vec<u8>, epoch_secs: i64) {
    let civil = Civil::from_epoch_secs(epoch_secs);
    raw(out, MONTHS[(civil.month as usize).saturating_sub(1) % 12]);
    out.push(b' ');
    number(out, u64::from(civil.day));
    out.extend_from_slice(b", ");
    number(out, civil.year.max(0) as u64);
    out.extend_from_slice(b", ");
    let hour12 = match civil.hour % 12 {
        0 => 12,
        other => other,
    };
    number(out, u64::from(hour12));
    out.push(b':');
    padded(out, u64::from(civil.minute), 2);
    out.push(b':');
    padded(out, u64::from(civil.second), 2);
    raw(out, if civil.hour < 12 { " AM" } else { " PM" });
}

#[cfg(test)]
mod tests {
    use opentrail_types::Timestamp;

    use super::*;

    #[test]
    fn civil_matches_chrono_formatting() {
        for secs in [
            0i64,
            951_782_400,
            1_772_643_921,
            4_102_444_799,
            1_709_251_199,
        ] {
            let mut out = Vec::new();
            iso_time(&mut out, secs);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                Timestamp::from_secs(secs).format_event_time()
            );
        }
    }

    #[test]
    fn aws_dates_use_twelve_hour_clock() {
        let mut out = Vec::new();
        aws_date(&mut out, 1_772_643_921);
        assert_eq!(out, b"Mar 4, 2026, 5:05:21 PM");
        out.clear();
        aws_date(&mut out, 1_772_582_400);
        assert_eq!(out, b"Mar 4, 2026, 12:00:00 AM");
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = Vec::new();
        string(&mut out, "a\"b\\c\nd\u{1}");
        assert_eq!(out, br#""a\"b\\c\nd\u0001""#);
        let parsed: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(parsed, "a\"b\\c\nd\u{1}");
    }

    #[test]
    fn numbers_and_padding() {
        let mut out = Vec::new();
        number(&mut out, 0);
        out.push(b' ');
        number(&mut out, 18_446_744_073_709_551_615);
        out.push(b' ');
        padded(&mut out, 7, 3);
        assert_eq!(out, b"0 18446744073709551615 007");
    }
}
