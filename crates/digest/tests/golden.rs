//! Goldens made with the committed test-only key and fixed times: digest JSON (the exact
//! inflated bytes), key names, signatures and metadata. `UPDATE_GOLDEN=1` rewrites them.

use std::fmt::Write as _;

use opentrail_digest::gzip::gunzip_single;
use opentrail_digest::naming::DigestKey;
use opentrail_digest::{SignedDigest, sha256_hex, sign_digest, string_to_sign, verify_signature};
use opentrail_testkit::golden::assert_golden;

use crate::common::{at, crate_path, log_entry, sample_digest, sample_key, test_signer};

/// The three digests of the golden chain: a starting digest, a chained one listing two log
/// files, and a backfill digest under a prefix and an organization.
pub fn golden_chain() -> Vec<(String, SignedDigest)> {
    let signer = test_signer();
    let fingerprint = signer.fingerprint().to_owned();

    let first_key = sample_key(None, None, "2026-03-02T09:17:05Z", false);
    let first = sample_digest(
        &first_key,
        "2026-03-02T08:17:05Z",
        &fingerprint,
        None,
        Vec::new(),
    );
    let first_signed = sign_digest(&first, &signer, None).unwrap();

    let second_key = sample_key(None, None, "2026-03-02T10:17:05Z", false);
    let log_files = vec![
        log_entry(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T1000Z_q7Rk2LmX9pVt4NcA.json.gz",
            br#"{"Records":[{"eventTime":"2026-03-02T09:58:12Z"}]}"#,
            "2026-03-02T09:58:12Z",
            "2026-03-02T09:58:12Z",
        ),
        log_entry(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T1005Z_Zx81LmQpRt5sVw2K.json.gz",
            br#"{"Records":[{"eventTime":"2026-03-02T08:59:00Z"},{"eventTime":"2026-03-02T10:01:30Z"}]}"#,
            "2026-03-02T08:59:00Z",
            "2026-03-02T10:01:30Z",
        ),
    ];
    let second = sample_digest(
        &second_key,
        "2026-03-02T09:17:05Z",
        &fingerprint,
        Some(first_signed.as_previous("audit-archive")),
        log_files,
    );
    let second_signed = sign_digest(&second, &signer, None).unwrap();

    let backfill_key = sample_key(
        Some("audit/prod"),
        Some("o-a1b2c3d4e5"),
        "2026-03-02T11:17:05Z",
        true,
    );
    let backfill = sample_digest(
        &backfill_key,
        "2026-03-02T10:17:05Z",
        &fingerprint,
        None,
        vec![log_entry(
            "audit/prod/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T0930Z_Late0000Files001.json.gz",
            b"{\"Records\":[]}",
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:10:00Z",
        )],
    );
    let backfill_signed =
        sign_digest(&backfill, &signer, Some(at("2026-03-02T11:40:00Z"))).unwrap();

    vec![
        (String::from("standard-starting"), first_signed),
        (String::from("standard-chained"), second_signed),
        (String::from("backfill"), backfill_signed),
    ]
}

#[test]
fn digest_json_signatures_and_metadata_match_goldens() {
    let signer = test_signer();
    let mut summary = String::new();
    let mut previous_signature: Option<String> = None;
    for (name, signed) in golden_chain() {
        let json = String::from_utf8(signed.json.clone()).unwrap();
        assert_golden(
            &crate_path(&format!("tests/golden/digest-{name}.json")),
            &json,
        );

        // The stored bytes inflate to the hashed bytes; the signature verifies.
        assert_eq!(
            gunzip_single(&signed.gzipped, 1 << 20).unwrap(),
            signed.json
        );
        assert_eq!(signed.sha256, sha256_hex(&signed.json));
        let parsed = opentrail_digest::DigestFile::from_json(&signed.json).unwrap();
        let message = string_to_sign(
            &parsed.digest_end_time.format_event_time(),
            &parsed.digest_s3_bucket,
            &parsed.digest_s3_object,
            &signed.sha256,
            parsed.previous.as_ref().map(|link| link.signature.as_str()),
        );
        verify_signature(
            signer.public_key_der(),
            message.as_bytes(),
            &hex::decode(&signed.signature_hex).unwrap(),
        )
        .unwrap();
        if name == "standard-chained" {
            assert_eq!(
                parsed.previous.as_ref().map(|link| link.signature.clone()),
                previous_signature
            );
        }
        previous_signature = Some(signed.signature_hex.clone());

        writeln!(summary, "== {name}").unwrap();
        writeln!(summary, "key: {}", signed.key).unwrap();
        writeln!(summary, "sha256: {}", signed.sha256).unwrap();
        writeln!(summary, "string to sign:").unwrap();
        for line in message.split('\n') {
            writeln!(summary, "  | {line}").unwrap();
        }
        writeln!(summary, "metadata:").unwrap();
        for (metadata_name, value) in &signed.metadata {
            writeln!(summary, "  {metadata_name}: {value}").unwrap();
        }
    }
    writeln!(summary, "== signer").unwrap();
    writeln!(summary, "fingerprint: {}", signer.fingerprint()).unwrap();
    writeln!(summary, "public key: {}", signer.public_key_base64()).unwrap();
    assert_golden(&crate_path("tests/golden/signed-digests.txt"), &summary);
}

#[test]
fn digest_key_names_match_goldens() {
    let mut text = String::new();
    let cases = [
        (None, None, false),
        (None, None, true),
        (Some("audit/prod"), None, false),
        (Some("audit/prod"), Some("o-a1b2c3d4e5"), false),
        (Some("audit/prod"), Some("o-a1b2c3d4e5"), true),
        (None, Some("o-a1b2c3d4e5"), true),
        (Some(""), None, false),
    ];
    for (prefix, org_id, backfill) in cases {
        let key = sample_key(prefix, org_id, "2026-12-31T23:59:59Z", backfill);
        let object_key = key.object_key();
        writeln!(text, "{object_key}").unwrap();
        writeln!(text, "  listing prefix: {}", key.listing_prefix()).unwrap();
        let parsed = DigestKey::parse(&object_key).unwrap();
        assert_eq!(parsed.object_key(), object_key);
        assert!(key.matches_cli_filter(&object_key));
        assert_eq!(
            opentrail_digest::naming::cli_key_time_text(&object_key),
            "20261231T235959Z"
        );
    }
    assert_golden(&crate_path("tests/golden/digest-keys.txt"), &text);
}
