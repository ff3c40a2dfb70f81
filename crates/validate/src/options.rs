//! What to validate: [`ValidateOptions`], the CLI's argument checks, and the parts of the
//! trail ARN it uses.

use opentrail_types::Timestamp;

use crate::error::{Error, ErrorKind, Result};
use crate::pytime;

/// The options of one validation run, as `aws cloudtrail validate-logs` takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateOptions {
    /// `--trail-arn`: `arn:<partition>:cloudtrail:<home-region>:<account>:trail/<name>`.
    pub trail_arn: String,
    /// `--start-time`, already normalized (see [`parse_cli_date`]).
    pub start: Timestamp,
    /// `--end-time`; `None` means now, read from the run's clock.
    pub end: Option<Timestamp>,
    /// `--s3-bucket`: skips `DescribeTrails` (and organization detection) entirely.
    pub s3_bucket: Option<String>,
    /// `--s3-prefix`: only used together with `s3_bucket`, as in the CLI (limitation 10).
    pub s3_prefix: Option<String>,
    /// `--account-id`: the account whose digests to check; required for organization
    /// trails; default the ARN's account.
    pub account_id: Option<String>,
    /// `--verbose`: also print `valid` lines.
    pub verbose: bool,
    /// The source region (the CLI's `--region`): digests are read from
    /// `CloudTrail-Digest/<source_region>/`. `None` falls back to the trail's home region
    /// (the aws CLI refuses to run without a region instead).
    pub source_region: Option<String>,
    /// Strict mode (spec §3.11): extra checks with their own `STRICT:` lines.
    pub strict: bool,
    /// Log files fetched and hashed at once, and digests prefetched ahead of the walk;
    /// `0` means twice the number of CPUs.
    pub concurrency: usize,
}

impl ValidateOptions {
    /// Options with the CLI's defaults for everything but the two required arguments.
    pub fn new(trail_arn: impl Into<String>, start: Timestamp) -> ValidateOptions {
        ValidateOptions {
            trail_arn: trail_arn.into(),
            start,
            end: None,
            s3_bucket: None,
            s3_prefix: None,
            account_id: None,
            verbose: false,
            source_region: None,
            strict: false,
            concurrency: 0,
        }
    }
}

/// Parses a `--start-time`/`--end-time` value as the CLI does: `dateutil`'s forms (ISO 8601
/// with or without time and zone, `YYYY-MM-DD HH:MM:SS`, `YYYY/MM/DD`, `August 25, 2015`),
/// then the zone is *replaced* by UTC, not converted (limitation 3):
/// `2026-03-02T10:00:00+02:00` means 10:00 UTC. Epoch seconds are not a date to `dateutil`.
///
/// ```
/// use opentrail_validate::parse_cli_date;
/// let start = parse_cli_date("2026-03-02T10:00:00+02:00").unwrap();
/// assert_eq!(start.format_event_time(), "2026-03-02T10:00:00Z");
/// assert_eq!(parse_cli_date("yesterday").unwrap_err().to_string(), "Unable to parse date value: yesterday");
/// ```
///
/// # Errors
///
/// [`ErrorKind::InvalidArgument`] with the CLI's text `Unable to parse date value: <text>`.
pub fn parse_cli_date(text: &str) -> Result<Timestamp> {
    pytime::parse_date(text)
        .map(pytime::PyDateTime::normalized)
        .map_err(|message| Error::new(ErrorKind::InvalidArgument, message))
}

/// The parts of a trail ARN the CLI uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrailArn {
    /// The 4th `:` field.
    pub home_region: String,
    /// The 5th `:` field.
    pub account_id: String,
    /// The text after the last `/`.
    pub trail_name: String,
}

impl TrailArn {
    /// Checks `arn` against the CLI's `arn:.+:cloudtrail:.+:\d{12}:trail/.+` (matched at
    /// the start only) and splits it as the CLI does.
    pub(crate) fn parse(arn: &str) -> Result<TrailArn> {
        if !matches_cli_arn_pattern(arn) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("Invalid trail ARN provided: {arn}"),
            ));
        }
        let fields: Vec<&str> = arn.split(':').collect();
        Ok(TrailArn {
            home_region: fields.get(3).copied().unwrap_or_default().to_owned(),
            account_id: fields.get(4).copied().unwrap_or_default().to_owned(),
            trail_name: arn.rsplit('/').next().unwrap_or_default().to_owned(),
        })
    }
}

/// `re.match(r'arn:.+:cloudtrail:.+:\d{12}:trail/.+', arn)`: `.` is any character but a
/// newline, the match may stop before the end of the text.
fn matches_cli_arn_pattern(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("arn:") else {
        return false;
    };
    let chars: Vec<char> = rest.chars().collect();
    // The longest run without a newline bounds every `.+`.
    let line = chars
        .iter()
        .position(|character| *character == '\n')
        .unwrap_or(chars.len());
    let chars = &chars[..line];
    let starts = |at: usize, literal: &str| {
        chars[at..]
            .iter()
            .copied()
            .take(literal.chars().count())
            .eq(literal.chars())
    };
    const CLOUDTRAIL: &str = ":cloudtrail:";
    const TRAIL: &str = ":trail/";
    for first in 1..chars.len() {
        if !starts(first, CLOUDTRAIL) {
            continue;
        }
        let after = first + CLOUDTRAIL.len();
        for colon in after + 1..chars.len() {
            if chars[colon] != ':' {
                continue;
            }
            let digits = colon + 1;
            let trail = digits + 12;
            if trail + TRAIL.len() < chars.len()
                && chars[digits..trail].iter().all(char::is_ascii_digit)
                && starts(trail, TRAIL)
            {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_are_checked_like_the_cli() {
        let good = [
            "arn:aws:cloudtrail:us-east-1:123456789012:trail/foo",
            "arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/a.b_c-d",
            "arn:aws:cloudtrail:us-east-1:123456789012:trail/foo\nbar",
        ];
        for arn in good {
            assert!(TrailArn::parse(arn).is_ok(), "{arn}");
        }
        let bad = [
            "foo:bar:baz",
            "arn:aws:cloudtrail:us-east-1:123456789012:foo",
            "arn:aws:cloudtrail:us-east-1:12345678901:trail/foo",
            "arn:aws:cloudtrail:us-east-1:123456789012:trail/",
            "arn::cloudtrail:us-east-1:123456789012:trail/foo",
            "arn:aws:cloudtrail::123456789012:trail/foo",
        ];
        for arn in bad {
            let error = TrailArn::parse(arn).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("Invalid trail ARN provided: {arn}")
            );
            assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        }
    }

    #[test]
    fn arns_split_like_the_cli() {
        let arn =
            TrailArn::parse("arn:aws:cloudtrail:us-west-2:123456789012:trail/path/foo").unwrap();
        assert_eq!(arn.home_region, "us-west-2");
        assert_eq!(arn.account_id, "123456789012");
        assert_eq!(arn.trail_name, "foo");
    }
}
