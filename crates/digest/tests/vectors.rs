//! Public test vectors (`spec/trails-and-integrity.md` §2.5, §2.6, §2.7, §3.10).

use opentrail_digest::gzip::{gzip, sha256_of_gzip_member};
use opentrail_digest::{
    DigestFile, ErrorKind, LogFileEntry, PreviousDigest, fingerprint, public_key_from_base64,
    sha256_hex, string_to_sign,
};

use crate::common::{at, sample_key};

/// `VALID_TEST_KEY` of aws/aws-cli `tests/unit/customizations/cloudtrail/test_validation.py`
/// (Apache-2.0): a real 2048-bit PKCS#1 public key, published without its private half.
/// Copied verbatim; the same key appears in the CloudTrail User Guide's ListPublicKeys
/// example.
const AWS_CLI_VALID_TEST_KEY: &str = concat!(
    "MIIBCgKCAQEAn11L2YZ9h7onug2ILi1MWyHiMRsTQjfWE+pHVRLk1QjfW",
    "hirG+lpOa8NrwQ/r7Ah5bNL6HepznOU9XTDSfmmnP97mqyc7z/upfZdS/",
    "AHhYcGaz7n6Wc/RRBU6VmiPCrAUojuSk6/GjvA8iOPFsYDuBtviXarvuL",
    "PlrT9kAd4Lb+rFfR5peEgBEkhlzc5HuWO7S0y+KunqxX6jQBnXGMtxmPB",
    "PP0FylgWGNdFtks/4YSKcgqwH0YDcawP9GGGDAeCIqPWIXDLG1jOjRRzW",
    "fCmD0iJUkz8vTsn4hq/5ZxRFE7UBAUiVcGbdnDdvVfhF9C3dQiDq3k7ad",
    "QIziLT0cShgQIDAQAB",
);

#[test]
fn cli_unit_test_string_to_sign() {
    let text = string_to_sign("a", "b", "c", &sha256_hex(b"abc"), None);
    assert_eq!(
        text,
        "a\nb/c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nnull"
    );
}

#[test]
fn cli_valid_test_key_fingerprint() {
    let der = public_key_from_base64(AWS_CLI_VALID_TEST_KEY).unwrap();
    assert_eq!(&der[..4], &[0x30, 0x82, 0x01, 0x0a]);
    assert_eq!(fingerprint(&der), "8eba5db5bea9b640d1c96a77256fe7f2");
}

#[test]
fn cli_valid_test_key_is_loadable_and_rejects_a_foreign_signature() {
    let der = public_key_from_base64(AWS_CLI_VALID_TEST_KEY).unwrap();
    let error = opentrail_digest::verify_signature(&der, b"message", &[0x42; 256]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadSignature);
}

#[test]
fn cli_functional_test_log_hash_of_empty_object() {
    assert_eq!(
        sha256_of_gzip_member(&gzip(b"{}"), 1024).unwrap(),
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    );
}

const DIGEST_1_KEY: &str = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_main-trail_us-east-1_20260302T091705Z.json.gz";

/// Digest 1 of §2.7, verbatim.
const DIGEST_1_BYTES: &str = r#"{"awsAccountId":"111122223333","digestStartTime":"2026-03-02T08:17:05Z","digestEndTime":"2026-03-02T09:17:05Z","digestS3Bucket":"audit-archive","digestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_main-trail_us-east-1_20260302T091705Z.json.gz","digestPublicKeyFingerprint":"4060c6c337d95510867a03f5912da536","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":null,"oldestEventTime":null,"previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null,"logFiles":[]}"#;

/// The log file of §2.7, verbatim.
const LOG_FILE_BYTES: &str = r#"{"Records":[{"eventVersion":"1.11","eventTime":"2026-03-02T09:58:12Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","eventID":"0b5a8f0e-1c2d-4e3f-9a8b-7c6d5e4f3a2b","eventType":"AwsApiCall","recipientAccountId":"111122223333"}]}"#;

const LOG_FILE_KEY: &str = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T1000Z_q7Rk2LmX9pVt4NcA.json.gz";

fn worked_example_digest_1() -> DigestFile {
    let key = sample_key(None, None, "2026-03-02T09:17:05Z", false);
    assert_eq!(key.object_key(), DIGEST_1_KEY);
    DigestFile {
        aws_account_id: String::from("111122223333"),
        digest_start_time: at("2026-03-02T08:17:05Z"),
        digest_end_time: at("2026-03-02T09:17:05Z"),
        digest_s3_bucket: String::from("audit-archive"),
        digest_s3_object: key.object_key(),
        digest_public_key_fingerprint: String::from("4060c6c337d95510867a03f5912da536"),
        newest_event_time: None,
        oldest_event_time: None,
        previous: None,
        log_files: Vec::new(),
    }
}

#[test]
fn worked_example_digest_1_bytes_hash_and_string_to_sign() {
    let json = worked_example_digest_1().to_json();
    assert_eq!(String::from_utf8(json.clone()).unwrap(), DIGEST_1_BYTES);
    assert_eq!(json.len(), 634);
    let hash = sha256_hex(&json);
    assert_eq!(
        hash,
        "fd23ad03ab5245d253996bd6e94ae5159d5fa789b93157d5beb3ea2253865355"
    );
    assert_eq!(
        string_to_sign(
            "2026-03-02T09:17:05Z",
            "audit-archive",
            DIGEST_1_KEY,
            &hash,
            None
        ),
        format!("2026-03-02T09:17:05Z\naudit-archive/{DIGEST_1_KEY}\n{hash}\nnull")
    );
    assert_eq!(
        DigestFile::from_json(&json).unwrap(),
        worked_example_digest_1()
    );
}

#[test]
fn worked_example_log_file_hash() {
    assert_eq!(LOG_FILE_BYTES.len(), 264);
    assert_eq!(
        sha256_hex(LOG_FILE_BYTES.as_bytes()),
        "5fc5b2cb00b4d51815ba0ed8436aa405732521f0aa2adffc8d16e99cb25d4747"
    );
    assert_eq!(
        sha256_of_gzip_member(&gzip(LOG_FILE_BYTES.as_bytes()), 1 << 20).unwrap(),
        "5fc5b2cb00b4d51815ba0ed8436aa405732521f0aa2adffc8d16e99cb25d4747"
    );
}

/// Digest 2 of §2.7 as printed there (pretty, with an elided previous signature).
const DIGEST_2_PRETTY: &str = r#"{
  "awsAccountId": "111122223333",
  "digestStartTime": "2026-03-02T09:17:05Z",
  "digestEndTime": "2026-03-02T10:17:05Z",
  "digestS3Bucket": "audit-archive",
  "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_main-trail_us-east-1_20260302T101705Z.json.gz",
  "digestPublicKeyFingerprint": "4060c6c337d95510867a03f5912da536",
  "digestSignatureAlgorithm": "SHA256withRSA",
  "newestEventTime": "2026-03-02T09:58:12Z",
  "oldestEventTime": "2026-03-02T09:58:12Z",
  "previousDigestS3Bucket": "audit-archive",
  "previousDigestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_main-trail_us-east-1_20260302T091705Z.json.gz",
  "previousDigestHashValue": "fd23ad03ab5245d253996bd6e94ae5159d5fa789b93157d5beb3ea2253865355",
  "previousDigestHashAlgorithm": "SHA-256",
  "previousDigestSignature": "62dafb95f4079ab0…(512 hex chars: digest 1's x-amz-meta-signature)",
  "logFiles": [
    {
      "s3Bucket": "audit-archive",
      "s3Object": "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T1000Z_q7Rk2LmX9pVt4NcA.json.gz",
      "hashValue": "5fc5b2cb00b4d51815ba0ed8436aa405732521f0aa2adffc8d16e99cb25d4747",
      "hashAlgorithm": "SHA-256",
      "newestEventTime": "2026-03-02T09:58:12Z",
      "oldestEventTime": "2026-03-02T09:58:12Z"
    }
  ]
}"#;

/// Drops the whitespace outside strings: the compact form of pretty JSON, same member order.
fn minify(pretty: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for character in pretty.chars() {
        if in_string {
            out.push(character);
            match (escaped, character) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if character == '"' {
            in_string = true;
            out.push(character);
        } else if !character.is_whitespace() {
            out.push(character);
        }
    }
    out
}

#[test]
fn worked_example_digest_2_member_order() {
    let key = sample_key(None, None, "2026-03-02T10:17:05Z", false);
    let log_files = vec![LogFileEntry {
        s3_bucket: String::from("audit-archive"),
        s3_object: String::from(LOG_FILE_KEY),
        hash_value: sha256_hex(LOG_FILE_BYTES.as_bytes()),
        newest_event_time: at("2026-03-02T09:58:12Z"),
        oldest_event_time: at("2026-03-02T09:58:12Z"),
    }];
    let (newest, oldest) = DigestFile::event_time_bounds(&log_files);
    let digest = DigestFile {
        aws_account_id: String::from("111122223333"),
        digest_start_time: at("2026-03-02T09:17:05Z"),
        digest_end_time: key.end,
        digest_s3_bucket: String::from("audit-archive"),
        digest_s3_object: key.object_key(),
        digest_public_key_fingerprint: String::from("4060c6c337d95510867a03f5912da536"),
        newest_event_time: newest,
        oldest_event_time: oldest,
        previous: Some(PreviousDigest {
            s3_bucket: String::from("audit-archive"),
            s3_object: String::from(DIGEST_1_KEY),
            hash_value: sha256_hex(DIGEST_1_BYTES.as_bytes()),
            signature: String::from(
                "62dafb95f4079ab0…(512 hex chars: digest 1's x-amz-meta-signature)",
            ),
        }),
        log_files,
    };
    assert_eq!(
        String::from_utf8(digest.to_json()).unwrap(),
        minify(DIGEST_2_PRETTY)
    );
}
