//! `BucketResolver`: configured entries, local directories, then S3 from the environment.

use std::path::PathBuf;

use bytes::Bytes;
use opentrail_blob::{BucketConfig, BucketKind, BucketResolver, ErrorKind, PutOptions, S3Settings};

fn entry(json: &str) -> BucketConfig {
    serde_json::from_str(json).unwrap()
}

/// An environment that names an S3 service.
fn env() -> S3Settings {
    S3Settings {
        region: Some("us-east-1".into()),
        endpoint_url: Some("http://127.0.0.1:9".into()),
        allow_http: true,
        force_path_style: true,
        ..S3Settings::default()
    }
}

#[test]
fn bucket_config_parses_with_defaults_and_rejects_unknown_members() {
    let parsed = entry(r#"{"name": "logs"}"#);
    assert_eq!(parsed.kind, BucketKind::S3);
    assert!(!parsed.path_style);
    assert_eq!(
        entry(r#"{"name": "logs", "kind": "local"}"#).kind,
        BucketKind::Local
    );
    let full = entry(
        r#"{"name": "logs", "kind": "s3", "endpoint_url": "http://minio:9000", "region": "eu-west-1",
            "access_key_id": "AKIA", "secret_access_key": "secret", "session_token": "t", "path_style": true}"#,
    );
    assert_eq!(full.endpoint_url.as_deref(), Some("http://minio:9000"));
    assert!(!format!("{full:?}").contains("secret\""), "{full:?}");
    assert!(serde_json::from_str::<BucketConfig>(r#"{"name": "logs", "bogus": 1}"#).is_err());
    assert!(serde_json::from_str::<BucketConfig>(r#"{"name": "logs", "kind": "gcs"}"#).is_err());
}

#[tokio::test]
async fn names_resolve_configured_then_local_directory_then_s3() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("existing-dir")).unwrap();
    let configured = vec![entry(r#"{"name": "configured-local", "kind": "local"}"#)];
    let resolver = BucketResolver::new(root.path().to_path_buf(), configured, env());

    let local = resolver.resolve("configured-local").unwrap();
    assert!(local.is_local());
    assert_eq!(local.name(), "configured-local");
    assert!(
        !local.exists().await.unwrap(),
        "configured local buckets are not created"
    );
    std::fs::create_dir(root.path().join("configured-local")).unwrap();
    local
        .put("k", Bytes::from_static(b"v"), &PutOptions::default())
        .await
        .unwrap();
    assert_eq!(
        std::fs::read(root.path().join("configured-local/k")).unwrap(),
        b"v"
    );

    let existing = resolver.resolve("existing-dir").unwrap();
    assert!(existing.is_local());
    assert!(existing.exists().await.unwrap());

    let remote = resolver.resolve("not-a-dir").unwrap();
    assert!(!remote.is_local());
    // Resolution is cached: a directory created later does not change the answer.
    std::fs::create_dir(root.path().join("not-a-dir")).unwrap();
    assert!(!resolver.resolve("not-a-dir").unwrap().is_local());
    let fresh = BucketResolver::new(root.path().to_path_buf(), Vec::new(), env());
    assert!(fresh.resolve("not-a-dir").unwrap().is_local());
}

#[tokio::test]
async fn without_an_s3_service_every_bucket_is_local() {
    let root = tempfile::tempdir().unwrap();
    let nothing = S3Settings {
        region: Some("us-east-1".into()),
        ..S3Settings::default()
    };
    let resolver = BucketResolver::new(root.path().to_path_buf(), Vec::new(), nothing);
    let missing = resolver.resolve("not-made-yet").unwrap();
    assert!(missing.is_local());
    assert!(!missing.exists().await.unwrap());
    let error = missing
        .put("k", Bytes::from_static(b"v"), &PutOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoSuchBucket);
    std::fs::create_dir(root.path().join("not-made-yet")).unwrap();
    assert!(missing.exists().await.unwrap());
}

#[test]
fn invalid_names_are_rejected_before_anything_else() {
    let root = tempfile::tempdir().unwrap();
    // Even a directory with that name does not make an invalid name acceptable.
    std::fs::create_dir(root.path().join("Bad_Name")).unwrap();
    let resolver = BucketResolver::new(root.path().to_path_buf(), Vec::new(), env());
    for name in ["Bad_Name", "..", "a", "../etc", "192.168.0.1"] {
        let error = resolver.resolve(name).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidBucketName, "{name}");
        assert_eq!(error.code(), "InvalidBucketName");
    }
}

#[test]
fn unusable_entries_are_config_errors() {
    let entries = vec![
        entry(r#"{"name": "local-with-endpoint", "kind": "local", "endpoint_url": "http://x:1"}"#),
        entry(r#"{"name": "half-keys", "access_key_id": "AKIA"}"#),
        entry(r#"{"name": "bad-endpoint", "endpoint_url": "minio:9000"}"#),
    ];
    let resolver = BucketResolver::new(PathBuf::from("/nonexistent-root"), entries, env());
    for name in ["local-with-endpoint", "half-keys", "bad-endpoint"] {
        let error = resolver.resolve(name).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidConfig, "{name}: {error}");
        assert!(error.to_string().contains("bucket"), "{error}");
    }
    let error = resolver.resolve("local-with-endpoint").unwrap_err();
    assert!(error.to_string().contains("endpoint_url"), "{error}");
}
