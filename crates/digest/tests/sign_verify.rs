//! Signing and verification: round trips, error kinds, and the digest JSON round trip.

use std::sync::LazyLock;

use aws_lc_rs::encoding::AsDer as _;
use opentrail_digest::naming::DigestKey;
use opentrail_digest::{
    DigestFile, ErrorKind, PreviousDigest, Signer, sign_digest, verify_signature,
};
use opentrail_types::Timestamp;
use proptest::prelude::*;

use crate::common::{at, log_entry, sample_digest, sample_key, test_signer};

static SIGNER: LazyLock<Signer> = LazyLock::new(test_signer);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn signatures_verify_and_any_change_breaks_them(
        message in proptest::collection::vec(any::<u8>(), 0..512),
        flip_at in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let signature = SIGNER.sign(&message).unwrap();
        prop_assert_eq!(signature.len(), 256);
        verify_signature(SIGNER.public_key_der(), &message, &signature).unwrap();

        let mut bad_signature = signature.clone();
        let index = flip_at.index(bad_signature.len());
        bad_signature[index] ^= 1 << bit;
        let error = verify_signature(SIGNER.public_key_der(), &message, &bad_signature).unwrap_err();
        prop_assert_eq!(error.kind(), ErrorKind::BadSignature);

        let mut other_message = message.clone();
        other_message.push(b'x');
        let error = verify_signature(SIGNER.public_key_der(), &other_message, &signature).unwrap_err();
        prop_assert_eq!(error.kind(), ErrorKind::BadSignature);
    }

    #[test]
    fn digest_keys_parse_back(
        prefix in proptest::option::of("[a-z0-9]{1,8}(/[a-z0-9.-]{1,8}){0,2}"),
        org_id in proptest::option::of("o-[a-z0-9]{10}"),
        trail_name in "[A-Za-z0-9][A-Za-z0-9._-]{2,40}",
        source_region in "(us|eu|ap)-(east|west|south)-[1-3]",
        home_region in "(us|eu|ap)-(east|west|south)-[1-3]",
        end_secs in 0i64..4_102_444_800,
        backfill in any::<bool>(),
    ) {
        let key = DigestKey {
            prefix,
            org_id,
            account_id: String::from("111122223333"),
            source_region,
            trail_name,
            home_region,
            end: Timestamp::from_secs(end_secs),
            backfill,
        };
        let text = key.object_key();
        prop_assert_eq!(DigestKey::parse(&text), Some(key.clone()));
        prop_assert!(key.matches_cli_filter(&text));
        prop_assert_eq!(
            opentrail_digest::naming::cli_key_time_text(&text),
            key.end.format_utc("%Y%m%dT%H%M%SZ")
        );
    }

    #[test]
    fn digest_json_round_trips(
        files in proptest::collection::vec(("[ -~]{0,30}", 0i64..2_000_000_000, 0i64..1_000_000), 0..4),
        linked in any::<bool>(),
        bucket in "[a-z0-9.-]{3,20}",
    ) {
        let key = sample_key(None, None, "2026-03-02T10:17:05Z", false);
        let log_files = files
            .iter()
            .map(|(name, oldest, span)| {
                let mut entry = log_entry(name, name.as_bytes(), "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
                entry.oldest_event_time = Timestamp::from_secs(*oldest);
                entry.newest_event_time = Timestamp::from_secs(oldest + span);
                entry
            })
            .collect();
        let previous = linked.then(|| PreviousDigest {
            s3_bucket: bucket.clone(),
            s3_object: String::from("AWSLogs/x\"y\\z"),
            hash_value: String::from("00"),
            signature: String::from("ab"),
        });
        let mut digest = sample_digest(&key, "2026-03-02T09:17:05Z", "ff", previous, log_files);
        digest.digest_s3_bucket = bucket;
        let json = digest.to_json();
        // Valid JSON that serde_json reads back to the same values.
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        prop_assert_eq!(value["logFiles"].as_array().map(Vec::len), Some(files.len()));
        prop_assert_eq!(DigestFile::from_json(&json).unwrap(), digest);
    }
}

#[test]
fn x509_public_keys_are_bad_public_keys() {
    // The CLI's PKCS#1 loader rejects SubjectPublicKeyInfo; so do we, even though the
    // signature would verify with it.
    let key_pair = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(
        &std::fs::read(crate::common::crate_path(
            "testdata/test-only-signing-key.pk8.der",
        ))
        .unwrap(),
    )
    .unwrap();
    let spki = aws_lc_rs::signature::KeyPair::public_key(&key_pair)
        .as_der()
        .unwrap();
    let signature = SIGNER.sign(b"m").unwrap();
    let error = verify_signature(spki.as_ref(), b"m", &signature).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadPublicKey);
    assert!(
        error
            .to_string()
            .contains(&opentrail_digest::fingerprint(spki.as_ref()))
    );
    let error = verify_signature(b"garbage", b"m", &signature).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadPublicKey);
}

#[test]
fn pkcs8_export_round_trips() {
    let again = Signer::from_pkcs8_der(&SIGNER.to_pkcs8_der().unwrap()).unwrap();
    assert_eq!(again.fingerprint(), SIGNER.fingerprint());
    assert_eq!(SIGNER.sign(b"same").unwrap(), again.sign(b"same").unwrap());
    assert_eq!(&SIGNER.public_key_der()[..4], &[0x30, 0x82, 0x01, 0x0a]);
    assert_eq!(
        SIGNER.fingerprint(),
        opentrail_digest::fingerprint(SIGNER.public_key_der())
    );
    assert!(!format!("{:?}", *SIGNER).contains("key_pair"));
    let error = Signer::from_pkcs8_der(b"not a key").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadPrivateKey);
}

#[test]
fn sign_digest_refuses_inconsistent_input() {
    let key = sample_key(None, None, "2026-03-02T10:17:05Z", false);
    let foreign = sample_digest(
        &key,
        "2026-03-02T09:17:05Z",
        "00000000000000000000000000000000",
        None,
        Vec::new(),
    );
    let error = sign_digest(&foreign, &SIGNER, None).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InconsistentDigest);

    let standard = sample_digest(
        &key,
        "2026-03-02T09:17:05Z",
        SIGNER.fingerprint(),
        None,
        Vec::new(),
    );
    let error = sign_digest(&standard, &SIGNER, Some(at("2026-03-02T10:30:00Z"))).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InconsistentDigest);

    let backfill_key = sample_key(None, None, "2026-03-02T10:17:05Z", true);
    let backfill = sample_digest(
        &backfill_key,
        "2026-03-02T09:17:05Z",
        SIGNER.fingerprint(),
        None,
        Vec::new(),
    );
    let error = sign_digest(&backfill, &SIGNER, None).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InconsistentDigest);
    let signed = sign_digest(&backfill, &SIGNER, Some(at("2026-03-02T10:30:00Z"))).unwrap();
    assert_eq!(
        signed.metadata["backfill-generation-timestamp"],
        "2026-03-02T10:30:00Z"
    );
}

#[test]
fn generated_keys_are_2048_bit_and_distinct() {
    let first = Signer::generate().unwrap();
    let second = Signer::generate().unwrap();
    assert_ne!(first.fingerprint(), second.fingerprint());
    assert_eq!(first.sign(b"x").unwrap().len(), 256);
    assert_eq!(&first.public_key_der()[..4], &[0x30, 0x82, 0x01, 0x0a]);
}
