//! Trail names, trail ARNs, and the name-or-ARN parameters (`spec/trails-and-integrity.md`
//! §4.2).

use crate::error::{Error, ErrorKind, Result};

/// Shortest trail name.
pub const MIN_TRAIL_NAME_CHARS: usize = 3;
/// Longest trail name.
pub const MAX_TRAIL_NAME_CHARS: usize = 128;
/// The partition OpenTrail writes into the ARNs it makes.
pub const PARTITION: &str = "aws";

/// Checks a trail name against CloudTrail's rules, in the order AWS applies them, and
/// answers with AWS's own texts (as moto copies them) where they are known.
///
/// # Errors
///
/// `InvalidTrailName` with the message of the first rule broken.
pub fn validate_trail_name(name: &str) -> Result<()> {
    let length = name.chars().count();
    if length < MIN_TRAIL_NAME_CHARS {
        return Err(invalid_name(format!(
            "Trail name too short. Minimum allowed length: {MIN_TRAIL_NAME_CHARS} characters. \
             Specified name length: {length} characters."
        )));
    }
    if length > MAX_TRAIL_NAME_CHARS {
        return Err(invalid_name(format!(
            "Trail name too long. Maximum allowed length: {MAX_TRAIL_NAME_CHARS} characters. \
             Specified name length: {length} characters."
        )));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(invalid_name(
            "Trail name must starts with a letter or number.",
        ));
    }
    if !name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(invalid_name(
            "Trail name must ends with a letter or number.",
        ));
    }
    if !name.chars().all(is_name_char) {
        return Err(invalid_name(
            "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, \
             periods (.), hyphens (-), and underscores (_).",
        ));
    }
    // The two rules below have no AWS text on record; the wording follows the User
    // Guide's statement of the rule.
    let has_adjacent_punctuation = name
        .as_bytes()
        .windows(2)
        .any(|pair| is_punctuation(pair[0]) && is_punctuation(pair[1]));
    if has_adjacent_punctuation {
        return Err(invalid_name(
            "Trail name cannot contain two adjacent periods (.), hyphens (-), or underscores (_).",
        ));
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err(invalid_name(
            "Trail name cannot be formatted as an IP address.",
        ));
    }
    Ok(())
}

fn is_name_char(character: char) -> bool {
    character.is_ascii_alphanumeric() || matches!(character, '.' | '_' | '-')
}

fn is_punctuation(byte: u8) -> bool {
    matches!(byte, b'.' | b'_' | b'-')
}

fn invalid_name(message: impl Into<String>) -> Error {
    Error::rejected(ErrorKind::InvalidTrailName, message)
}

/// The ARN of the trail `name` of `account` created in `region`.
pub fn trail_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{PARTITION}:cloudtrail:{region}:{account}:trail/{name}")
}

/// A parsed trail ARN: `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailArn {
    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub partition: String,
    /// The trail's home region.
    pub region: String,
    /// The 12-digit account.
    pub account: String,
    /// The trail name (checked against the naming rules).
    pub name: String,
}

impl TrailArn {
    /// Parses `text` as a trail ARN.
    ///
    /// # Errors
    ///
    /// `CloudTrailArnInvalid` when it is not of the form above, `InvalidTrailName` when
    /// the name part breaks the naming rules.
    pub fn parse(text: &str) -> Result<TrailArn> {
        let invalid = || {
            Error::rejected(
                ErrorKind::CloudTrailArnInvalid,
                format!(
                    "`{text}` is not a valid trail ARN; the format is \
                     arn:aws:cloudtrail:<region>:<account>:trail/<name>"
                ),
            )
        };
        let mut parts = text.splitn(6, ':');
        let (Some("arn"), Some(partition), Some("cloudtrail"), Some(region), Some(account)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(invalid());
        };
        let Some(name) = parts
            .next()
            .and_then(|resource| resource.strip_prefix("trail/"))
        else {
            return Err(invalid());
        };
        let partition_ok = !partition.is_empty()
            && partition
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte == b'-');
        let region_ok = !region.is_empty()
            && region
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
        let account_ok = account.len() == 12 && account.bytes().all(|byte| byte.is_ascii_digit());
        if !partition_ok || !region_ok || !account_ok || name.is_empty() {
            return Err(invalid());
        }
        validate_trail_name(name)?;
        Ok(TrailArn {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            name: name.to_owned(),
        })
    }

    /// The ARN as text.
    pub fn to_arn_string(&self) -> String {
        format!(
            "arn:{}:cloudtrail:{}:{}:trail/{}",
            self.partition, self.region, self.account, self.name
        )
    }
}

/// A name-or-ARN parameter (`Name`, `TrailName`, `trailNameList[]`), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrailRef {
    /// A name: looked up among the trails whose home is the caller's region.
    Name(String),
    /// An ARN: may reach a trail of another region.
    Arn(TrailArn),
}

impl TrailRef {
    /// Parses a name-or-ARN parameter: a value starting with `arn:` is an ARN.
    ///
    /// # Errors
    ///
    /// `CloudTrailArnInvalid` or `InvalidTrailName`.
    pub fn parse(text: &str) -> Result<TrailRef> {
        if text.starts_with("arn:") {
            return TrailArn::parse(text).map(TrailRef::Arn);
        }
        validate_trail_name(text)?;
        Ok(TrailRef::Name(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trail_arns_round_trip() {
        let arn =
            TrailArn::parse("arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail").unwrap();
        assert_eq!(arn.region, "us-east-2");
        assert_eq!(arn.account, "123456789012");
        assert_eq!(arn.name, "MyTrail");
        assert_eq!(
            arn.to_arn_string(),
            trail_arn("us-east-2", "123456789012", "MyTrail")
        );
    }

    #[test]
    fn malformed_arns_are_refused() {
        for text in [
            "arn:aws:cloudtrail:us-east-2:123456789012:trail/",
            "arn:aws:cloudtrail:us-east-2:12345678901:trail/abc",
            "arn:aws:cloudtrail::123456789012:trail/abc",
            "arn:aws:s3:us-east-2:123456789012:trail/abc",
            "arn:aws:cloudtrail:us-east-2:123456789012:eventdatastore/abc",
            "arn:aws:cloudtrail:us-east-2:123456789012",
            "arn:",
        ] {
            assert_eq!(
                TrailArn::parse(text).unwrap_err().kind(),
                ErrorKind::CloudTrailArnInvalid,
                "{text}"
            );
        }
        assert_eq!(
            TrailArn::parse("arn:aws:cloudtrail:us-east-2:123456789012:trail/a")
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidTrailName
        );
    }
}
