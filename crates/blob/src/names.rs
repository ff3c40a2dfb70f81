//! Checks on bucket names, object keys and user-metadata names, shared by both back ends.

use crate::error::{Error, ErrorKind, Result};

/// The longest object key S3 accepts, in bytes.
const MAX_KEY_BYTES: usize = 1024;

/// Suffix of the local store's metadata sidecar files (spec §1.9).
pub(crate) const SIDECAR_SUFFIX: &str = ".meta.json";

/// Prefix of the local store's temporary files.
pub(crate) const TEMP_PREFIX: &str = ".tmp-";

/// Checks `name` against S3's bucket naming rules.
///
/// The rules are those of
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>
/// for general purpose buckets: 3 to 63 characters; lowercase letters, digits, `.` and `-`;
/// starting and ending with a letter or digit; no two adjacent periods; not shaped like an
/// IPv4 address; none of the reserved prefixes (`xn--`, `sthree-`, `amzn-s3-demo-`) or
/// suffixes (`-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`).
///
/// # Errors
///
/// [`ErrorKind::InvalidBucketName`] naming the rule that failed.
pub fn validate_bucket_name(name: &str) -> Result<()> {
    let fail = |rule: &str| {
        Err(Error::new(
            ErrorKind::InvalidBucketName,
            format!("invalid bucket name `{name}`: {rule}"),
        ))
    };
    if !(3..=63).contains(&name.len()) {
        return fail("it must be 3 to 63 characters long");
    }
    let allowed = |byte: u8| byte.is_ascii_lowercase() || byte.is_ascii_digit();
    if !name
        .bytes()
        .all(|byte| allowed(byte) || byte == b'.' || byte == b'-')
    {
        return fail("only lowercase letters, digits, `.` and `-` are allowed");
    }
    let bytes = name.as_bytes();
    if !allowed(bytes[0]) || !allowed(bytes[bytes.len() - 1]) {
        return fail("it must start and end with a letter or digit");
    }
    if name.contains("..") {
        return fail("it must not contain two adjacent periods");
    }
    if looks_like_ipv4(name) {
        return fail("it must not be formatted as an IP address");
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(prefix) {
            return fail(&format!("the prefix `{prefix}` is reserved"));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if name.ends_with(suffix) {
            return fail(&format!("the suffix `{suffix}` is reserved"));
        }
    }
    Ok(())
}

/// Returns whether `name` is four dot-separated decimal numbers, like `192.168.5.4`.
fn looks_like_ipv4(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|part| {
            !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Checks an object key: non-empty, at most 1024 bytes, `/`-separated segments that are
/// neither empty, `.` nor `..`, and no backslash or control character (NUL included).
///
/// These rules keep a key inside a local bucket's directory and make it mean the same thing
/// on every back end.
pub(crate) fn validate_key(key: &str) -> Result<()> {
    let fail = |why: &str| {
        Err(Error::new(
            ErrorKind::InvalidKey,
            format!("invalid object key `{}`: {why}", key.escape_debug()),
        ))
    };
    if key.is_empty() {
        return fail("it is empty");
    }
    if key.len() > MAX_KEY_BYTES {
        return fail("it is longer than 1024 bytes");
    }
    if key.chars().any(|c| c == '\\' || c.is_control()) {
        return fail("it contains a backslash or a control character");
    }
    for segment in key.split('/') {
        if segment.is_empty() {
            return fail("it has an empty path segment (leading, trailing or double `/`)");
        }
        if segment == "." || segment == ".." {
            return fail("it has a `.` or `..` path segment");
        }
    }
    Ok(())
}

/// Checks a key for the local store, which reserves the names of its sidecar and temporary
/// files on top of [`validate_key`]'s rules.
pub(crate) fn validate_local_key(key: &str) -> Result<()> {
    validate_key(key)?;
    let reserved = key.ends_with(SIDECAR_SUFFIX)
        || key
            .split('/')
            .any(|segment| segment.starts_with(TEMP_PREFIX));
    if reserved {
        return Err(Error::new(
            ErrorKind::InvalidKey,
            format!(
                "invalid object key `{key}`: names ending in `{SIDECAR_SUFFIX}` or starting with \
                 `{TEMP_PREFIX}` are reserved by the local store"
            ),
        ));
    }
    Ok(())
}

/// Checks a user-metadata entry so that it round-trips unchanged as an `x-amz-meta-<name>`
/// header: the name is non-empty lowercase ASCII letters, digits, `-` and `_` (S3 lowercases
/// names), and the value is printable ASCII.
pub(crate) fn validate_metadata(name: &str, value: &str) -> Result<()> {
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !name_ok {
        return Err(Error::new(
            ErrorKind::InvalidMetadata,
            format!(
                "invalid metadata name `{}`: use lowercase letters, digits, `-` and `_`",
                name.escape_debug()
            ),
        ));
    }
    if !value.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Err(Error::new(
            ErrorKind::InvalidMetadata,
            format!("invalid value for metadata `{name}`: only printable ASCII is allowed"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_follow_s3_rules() {
        let valid = [
            "abc",
            "my-trail-bucket",
            "logs.example.com",
            "a1b",
            "1-2",
            &"a".repeat(63),
        ];
        for name in valid {
            assert!(validate_bucket_name(name).is_ok(), "{name} should be valid");
        }
        let invalid = [
            "ab",
            &"a".repeat(64),
            "My-Bucket",
            "my_bucket",
            "-abc",
            "abc-",
            ".abc",
            "abc.",
            "a..b",
            "192.168.5.4",
            "xn--abc",
            "sthree-abc",
            "amzn-s3-demo-bucket",
            "abc-s3alias",
            "abc--ol-s3",
            "abc.mrap",
            "abc--x-s3",
            "abc--table-s3",
            "abc def",
            "a/bc",
        ];
        for name in invalid {
            let error = validate_bucket_name(name).expect_err(name);
            assert_eq!(error.kind(), ErrorKind::InvalidBucketName, "{name}");
            assert_eq!(error.code(), "InvalidBucketName");
        }
        // Four numbers only look like an IP address when all four are short numbers.
        assert!(validate_bucket_name("192.168.5.4a").is_ok());
        assert!(validate_bucket_name("1.2.3").is_ok());
    }

    #[test]
    fn keys_that_could_escape_are_rejected() {
        let invalid = [
            "", "/abs", "a//b", "a/", "..", "a/../b", "./a", "a/.", "a\\b", "a\0b", "a\nb",
        ];
        for key in invalid {
            let error = validate_key(key).expect_err(key);
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "{key:?}");
        }
        assert!(validate_key(&"k".repeat(1025)).is_err());
        let valid = [
            "a",
            "a/b/c.json.gz",
            "AWSLogs/1/CloudTrail/x y+z",
            "a..b/.c",
            "é/ü",
        ];
        for key in valid {
            assert!(validate_key(key).is_ok(), "{key}");
        }
    }

    #[test]
    fn local_keys_reserve_sidecar_and_temp_names() {
        for key in ["a.meta.json", "x/y.meta.json", ".tmp-1", "a/.tmp-x/b"] {
            assert_eq!(
                validate_local_key(key).expect_err(key).kind(),
                ErrorKind::InvalidKey
            );
        }
        assert!(validate_local_key("a.meta.json/b").is_ok());
        assert!(validate_local_key("a/.tmp/b").is_ok());
    }

    #[test]
    fn metadata_must_survive_http_headers() {
        assert!(validate_metadata("signature", "00ff").is_ok());
        assert!(validate_metadata("signature-algorithm", "SHA256withRSA").is_ok());
        assert!(validate_metadata("backfill-generation-timestamp", "2026-01-01T00:00:00Z").is_ok());
        for (name, value) in [
            ("", "v"),
            ("Signature", "v"),
            ("a b", "v"),
            ("a", "é"),
            ("a", "x\ny"),
        ] {
            let error = validate_metadata(name, value).expect_err(name);
            assert_eq!(error.kind(), ErrorKind::InvalidMetadata);
        }
    }
}
