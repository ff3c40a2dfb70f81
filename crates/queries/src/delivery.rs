//! Delivery of finished results to `DeliveryS3Uri`: the [`ResultSink`] seam, the CSV form
//! and the key layout.
//!
//! # Files
//!
//! One object per finished query, under the URI's prefix:
//!
//! ```text
//! [prefix/]AWSLogs/<account>/CloudTrail-Lake/Query/<yyyy>/<mm>/<dd>/<query-id>/result_1.csv.gz
//! ```
//!
//! as documented for the sign file's location ("Validate saved query results", CloudTrail
//! User Guide, <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-results-file-validation-sign-file-structure.html>:
//! `s3://s3-bucket-name/optional-prefix/AWSLogs/aws-account-ID/CloudTrail-Lake/Query/year/month/date/query-ID/result_sign.json`,
//! result files `result_<n>.csv.gz` beside it). **[project decision]** the account is the
//! account that ran the query, the date is the UTC date the query finished, and all rows go
//! to `result_1.csv.gz` (AWS does not document when it starts a second file).
//!
//! The sign file `result_sign.json` is not written: its members are documented, but the
//! exact signing string and the signing key belong to the digest/signing material, so the
//! delivery status is `SUCCESS` once the result file is written.
//!
//! The content is gzip (no file name, mtime 0) of CSV per RFC 4180: a header row of the
//! column names, then one record per row, fields separated by `,`, records ended by CRLF;
//! a field containing `,`, `"`, CR or LF is quoted with `"` and its `"` doubled; SQL NULL is
//! an empty field and the empty string is `""` so the two stay apart.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use opentrail_types::Timestamp;

use crate::error::{Error, ErrorKind, Result};
use crate::model::DeliveryStatus;

/// Longest `DeliveryS3Uri` (botocore).
pub const MAX_DELIVERY_URI_CHARS: usize = 1024;

/// Name of the one result file of a query.
pub const RESULT_FILE_NAME: &str = "result_1.csv.gz";

/// Writes result files to a bucket. The server implements it on `opentrail-blob`.
pub trait ResultSink: Send + Sync {
    /// Writes `files` (key relative to the URI's prefix, bytes) under `uri` for the query
    /// `query_id` of `account`. Called on a worker thread; may block.
    ///
    /// # Errors
    ///
    /// A [`DeliveryError`] whose status becomes the query's `DeliveryStatus`.
    fn deliver(
        &self,
        uri: &DeliveryUri,
        query_id: &str,
        account: &str,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<(), DeliveryError>;
}

/// A failed delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("delivery of query results failed ({}): {message}", status.as_str())]
pub struct DeliveryError {
    /// The status to report: `FAILED`, `ACCESS_DENIED`, `RESOURCE_NOT_FOUND`, … (a
    /// `SUCCESS` or `PENDING` here is reported as `FAILED`).
    pub status: DeliveryStatus,
    /// What went wrong, for the log.
    pub message: String,
}

/// A checked `DeliveryS3Uri`: `s3://<bucket>[/<prefix>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryUri {
    /// The URI as given.
    pub uri: String,
    /// The bucket name.
    pub bucket: String,
    /// The key prefix without leading or trailing `/`; empty for none.
    pub prefix: String,
}

impl DeliveryUri {
    /// Parses and checks `uri` against botocore's pattern
    /// `s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?`, at most 1024 characters.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` for a URI too long or not `s3://`, `InvalidS3BucketName` for a bad
    /// bucket, `InvalidS3Prefix` for a prefix with empty path segments.
    pub fn parse(uri: &str) -> Result<DeliveryUri> {
        if uri.chars().count() > MAX_DELIVERY_URI_CHARS {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                format!("DeliveryS3Uri is longer than {MAX_DELIVERY_URI_CHARS} characters"),
            ));
        }
        let Some(rest) = uri.strip_prefix("s3://") else {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                format!("DeliveryS3Uri `{uri}` does not start with `s3://`"),
            ));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if !is_valid_bucket_name(bucket) {
            return Err(Error::rejected(
                ErrorKind::InvalidS3BucketName,
                format!("bucket name `{bucket}` in DeliveryS3Uri is not valid"),
            ));
        }
        let prefix = prefix.strip_suffix('/').unwrap_or(prefix);
        if !prefix.is_empty() && prefix.split('/').any(str::is_empty) {
            return Err(Error::rejected(
                ErrorKind::InvalidS3Prefix,
                format!("prefix `{prefix}` in DeliveryS3Uri has an empty path segment"),
            ));
        }
        Ok(DeliveryUri {
            uri: uri.to_owned(),
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    /// The full object key of a file whose key relative to the prefix is `relative`.
    pub fn object_key(&self, relative: &str) -> String {
        if self.prefix.is_empty() {
            relative.to_owned()
        } else {
            format!("{}/{relative}", self.prefix)
        }
    }
}

/// Botocore's bucket part: 3–63 characters of `[a-z0-9.-]`, starting and ending with a
/// letter or digit.
fn is_valid_bucket_name(bucket: &str) -> bool {
    let bytes = bucket.as_bytes();
    let edge_ok = |byte: &u8| byte.is_ascii_lowercase() || byte.is_ascii_digit();
    (3..=63).contains(&bytes.len())
        && bytes.first().is_some_and(edge_ok)
        && bytes.last().is_some_and(edge_ok)
        && bytes
            .iter()
            .all(|byte| edge_ok(byte) || *byte == b'.' || *byte == b'-')
}

/// The folder of a query's result files relative to the URI's prefix:
/// `AWSLogs/<account>/CloudTrail-Lake/Query/<yyyy>/<mm>/<dd>/<query-id>/`.
pub fn result_folder(account: &str, query_id: &str, finished: Timestamp) -> String {
    format!(
        "AWSLogs/{account}/CloudTrail-Lake/Query/{}/{query_id}/",
        finished.format_utc("%Y/%m/%d")
    )
}

/// Renders rows as RFC 4180 CSV with a header row (see the module documentation).
pub fn results_csv(columns: &[String], rows: &[Vec<Option<String>>]) -> String {
    let mut csv = String::new();
    let header: Vec<Option<&str>> = columns.iter().map(|name| Some(name.as_str())).collect();
    push_record(&mut csv, &header);
    for row in rows {
        let fields: Vec<Option<&str>> = row.iter().map(Option::as_deref).collect();
        push_record(&mut csv, &fields);
    }
    csv
}

fn push_record(csv: &mut String, fields: &[Option<&str>]) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            csv.push(',');
        }
        match field {
            None => {}
            Some("") => csv.push_str("\"\""),
            Some(text) if text.contains([',', '"', '\r', '\n']) => {
                csv.push('"');
                csv.push_str(&text.replace('"', "\"\""));
                csv.push('"');
            }
            Some(text) => csv.push_str(text),
        }
    }
    csv.push_str("\r\n");
}

/// Gzips `bytes` (default level, no file name, mtime 0: the same input gives the same
/// output).
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// The files to deliver for a finished query: `(relative key, gzip CSV)`.
///
/// # Errors
///
/// Only if compression fails (it writes to memory, so in practice never).
pub fn delivery_files(
    account: &str,
    query_id: &str,
    finished: Timestamp,
    columns: &[String],
    rows: &[Vec<Option<String>>],
) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let csv = results_csv(columns, rows);
    let key = format!(
        "{}{RESULT_FILE_NAME}",
        result_folder(account, query_id, finished)
    );
    Ok(vec![(key, gzip(csv.as_bytes())?)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_uris_follow_the_botocore_pattern() {
        let uri = DeliveryUri::parse("s3://my-bucket.1/some/prefix/").unwrap();
        assert_eq!(uri.bucket, "my-bucket.1");
        assert_eq!(uri.prefix, "some/prefix");
        assert_eq!(uri.object_key("AWSLogs/x"), "some/prefix/AWSLogs/x");
        let bare = DeliveryUri::parse("s3://bucket").unwrap();
        assert_eq!(bare.object_key("AWSLogs/x"), "AWSLogs/x");

        let cases = [
            ("https://bucket/x", ErrorKind::InvalidParameter),
            ("s3://Bucket", ErrorKind::InvalidS3BucketName),
            ("s3://ab", ErrorKind::InvalidS3BucketName),
            ("s3://-bucket", ErrorKind::InvalidS3BucketName),
            ("s3://bucket_1/x", ErrorKind::InvalidS3BucketName),
            ("s3://bucket//x", ErrorKind::InvalidS3Prefix),
        ];
        for (uri, kind) in cases {
            assert_eq!(DeliveryUri::parse(uri).unwrap_err().kind(), kind, "{uri}");
        }
        let long = format!("s3://bucket/{}", "a".repeat(1020));
        assert_eq!(
            DeliveryUri::parse(&long).unwrap_err().kind(),
            ErrorKind::InvalidParameter
        );
    }

    #[test]
    fn result_folder_uses_the_finish_date() {
        let finished = Timestamp::parse_event_time("2026-03-04T23:59:59Z").unwrap();
        assert_eq!(
            result_folder("123456789012", "q", finished),
            "AWSLogs/123456789012/CloudTrail-Lake/Query/2026/03/04/q/"
        );
    }
}
