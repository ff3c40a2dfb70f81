//! What an `S3LocationUri` names, and the account of a destination store ARN.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// The place an import reads from, parsed from `S3LocationUri`.
///
/// | URI | Location |
/// | --- | --- |
/// | `s3://bucket`, `s3://bucket/prefix[/]` | [`ImportLocation::Bucket`]; the caller resolves the bucket name with `opentrail_blob::BucketResolver` (a local bucket directory or an S3-compatible store) |
/// | `/dir`, `file:///dir` | [`ImportLocation::Directory`], read with `std::fs` |
///
/// The prefix is taken as a folder: `s3://b/AWSLogs/1` reads `AWSLogs/1/…`, never
/// `AWSLogs/111/…`. No percent-decoding is done on `file://` URIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportLocation {
    /// A bucket and a key prefix (empty, or ending in `/`).
    Bucket {
        /// The bucket name (S3 naming rules checked).
        bucket: String,
        /// The key prefix: empty for the whole bucket, else ending in `/`.
        prefix: String,
    },
    /// An absolute local directory.
    Directory(PathBuf),
}

impl ImportLocation {
    /// Parses `S3LocationUri`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidImportSource`] for another scheme, a bad bucket name, an empty
    /// path segment, a relative local path or a `..` component.
    pub fn parse(uri: &str) -> Result<ImportLocation> {
        let invalid = |why: &str| {
            Error::new(
                ErrorKind::InvalidImportSource,
                format!("`{uri}` is not a valid import source: {why}"),
            )
        };
        if let Some(rest) = uri.strip_prefix("s3://") {
            let (bucket, path) = rest.split_once('/').unwrap_or((rest, ""));
            opentrail_blob::validate_bucket_name(bucket)
                .map_err(|_| invalid(&format!("`{bucket}` is not a valid bucket name")))?;
            let path = path.strip_suffix('/').unwrap_or(path);
            if path.split('/').any(str::is_empty) && !path.is_empty() {
                return Err(invalid("the key prefix has an empty segment"));
            }
            let prefix = if path.is_empty() {
                String::new()
            } else {
                format!("{path}/")
            };
            return Ok(ImportLocation::Bucket {
                bucket: bucket.to_owned(),
                prefix,
            });
        }
        let path_text = match uri.strip_prefix("file://") {
            Some(rest) => rest,
            None if uri.contains("://") => {
                return Err(invalid("the scheme must be `s3://` or `file://`"));
            }
            None => uri,
        };
        let path = Path::new(path_text);
        if !path.is_absolute() {
            return Err(invalid("a local path must be absolute"));
        }
        if path
            .components()
            .any(|component| component == Component::ParentDir)
        {
            return Err(invalid("a local path must not contain `..`"));
        }
        Ok(ImportLocation::Directory(path.to_path_buf()))
    }
}

/// Checks that `arn` is an event data store ARN
/// (`arn:<partition>:cloudtrail:<region>:<account>:eventdatastore/<id>`) and returns its
/// account.
///
/// # Errors
///
/// [`ErrorKind::EventDataStoreArnInvalid`] otherwise.
pub fn store_arn_account(arn: &str) -> Result<&str> {
    let invalid = || {
        Error::new(
            ErrorKind::EventDataStoreArnInvalid,
            format!("`{arn}` is not an event data store ARN"),
        )
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [scheme, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(invalid());
    };
    let id = resource
        .strip_prefix("eventdatastore/")
        .ok_or_else(invalid)?;
    let account_ok = account.len() == 12 && account.bytes().all(|byte| byte.is_ascii_digit());
    if *scheme != "arn"
        || partition.is_empty()
        || *service != "cloudtrail"
        || region.is_empty()
        || !account_ok
        || id.is_empty()
        || id.contains(['/', ':'])
    {
        return Err(invalid());
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_uris_become_a_bucket_and_a_folder_prefix() {
        let cases = [
            ("s3://trail-bucket", "trail-bucket", ""),
            ("s3://trail-bucket/", "trail-bucket", ""),
            ("s3://trail-bucket/AWSLogs/1", "trail-bucket", "AWSLogs/1/"),
            ("s3://trail-bucket/a/b/", "trail-bucket", "a/b/"),
        ];
        for (uri, bucket, prefix) in cases {
            assert_eq!(
                ImportLocation::parse(uri).unwrap(),
                ImportLocation::Bucket {
                    bucket: bucket.into(),
                    prefix: prefix.into()
                },
                "{uri}"
            );
        }
    }

    #[test]
    fn local_paths_and_file_uris_are_directories() {
        for uri in ["/data/logs", "file:///data/logs"] {
            assert_eq!(
                ImportLocation::parse(uri).unwrap(),
                ImportLocation::Directory(PathBuf::from("/data/logs"))
            );
        }
    }

    #[test]
    fn bad_locations_are_invalid_import_sources() {
        for uri in [
            "",
            "s3://",
            "s3://Bad_Bucket/x",
            "s3://bucket/a//b",
            "https://example.com/bucket",
            "relative/dir",
            "file://relative",
            "/data/../etc",
        ] {
            let error = ImportLocation::parse(uri).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidImportSource, "{uri}");
        }
    }

    #[test]
    fn store_arns_give_their_account() {
        let arn = "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f";
        assert_eq!(store_arn_account(arn).unwrap(), "123456789012");
        for bad in [
            "arn:aws:cloudtrail:us-east-1:123456789012:trail/x",
            "arn:aws:cloudtrail:us-east-1:1234:eventdatastore/x",
            "arn:aws:s3:us-east-1:123456789012:eventdatastore/x",
            "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/",
            "not-an-arn",
        ] {
            assert_eq!(
                store_arn_account(bad).unwrap_err().kind(),
                ErrorKind::EventDataStoreArnInvalid,
                "{bad}"
            );
        }
    }
}
