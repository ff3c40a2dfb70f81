//! The S3 back end against a real `moto_server` (fails, never skips, when moto is missing).

use std::collections::BTreeMap;

use bytes::Bytes;
use futures::StreamExt;
use opentrail_blob::{
    Bucket, BucketConfig, BucketResolver, Encryption, ErrorKind, PutOptions, S3Settings,
};

use crate::conformance::{self, digest_metadata, list_all};
use crate::moto::MotoServer;

#[tokio::test]
async fn s3_bucket_passes_the_conformance_suite() {
    let moto = MotoServer::shared();
    let bucket = moto.bucket("conformance");
    assert!(!bucket.is_local());
    conformance::run_all(&bucket).await;
}

#[tokio::test]
async fn local_and_s3_list_the_same_keys_in_the_same_order() {
    let moto = MotoServer::shared();
    let s3 = moto.bucket("same");
    let dir = tempfile::tempdir().unwrap();
    let local = Bucket::local("same", dir.path().to_path_buf());
    let keys = ["b/2", "b/10", "a.b", "a/x", "a0", "a/y/z", "é", "e/f", "B"];
    for bucket in [&s3, &local] {
        for key in keys {
            bucket
                .put(key, Bytes::from(key), &PutOptions::default())
                .await
                .unwrap();
        }
    }
    for (prefix, start_after, page_size) in [
        ("", None, 2),
        ("a", None, 1),
        ("", Some("a/"), 3),
        ("b/", Some("b/10"), 5),
    ] {
        let from_s3 = list_all(&s3, prefix, start_after, page_size).await;
        let from_local = list_all(&local, prefix, start_after, page_size).await;
        assert_eq!(
            from_s3, from_local,
            "prefix {prefix:?} after {start_after:?}"
        );
    }
    let page_s3 = s3.list_page("", None, 1000).await.unwrap();
    let page_local = local.list_page("", None, 1000).await.unwrap();
    let sizes = |page: &opentrail_blob::ListPage| {
        page.objects
            .iter()
            .map(|o| (o.key.clone(), o.size))
            .collect::<Vec<_>>()
    };
    assert_eq!(sizes(&page_s3), sizes(&page_local));
}

#[tokio::test]
async fn metadata_travels_as_x_amz_meta_headers() {
    let moto = MotoServer::shared();
    let name = moto.create_bucket("meta");
    let bucket = Bucket::s3(&name, &moto.settings()).unwrap();
    let options = PutOptions {
        metadata: digest_metadata(),
        ..PutOptions::default()
    };
    bucket
        .put("digest.json.gz", Bytes::from_static(b"d"), &options)
        .await
        .unwrap();
    let head = moto.boto3_head_object(&name, "digest.json.gz");
    let seen: BTreeMap<String, String> = serde_json::from_value(head["Metadata"].clone()).unwrap();
    assert_eq!(seen, digest_metadata());
}

#[tokio::test]
async fn encryption_headers_are_passed_through() {
    let moto = MotoServer::shared();
    let name = moto.create_bucket("sse");
    let bucket = Bucket::s3(&name, &moto.settings()).unwrap();
    let key_id = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let cases = [
        (
            "plain",
            None,
            serde_json::Value::Null,
            serde_json::Value::Null,
        ),
        (
            "aes",
            Some(Encryption::S3Managed),
            "AES256".into(),
            serde_json::Value::Null,
        ),
        (
            "kms",
            Some(Encryption::Kms {
                key_id: key_id.to_owned(),
            }),
            "aws:kms".into(),
            key_id.into(),
        ),
    ];
    for (key, encryption, algorithm, kms_key) in cases {
        let options = PutOptions {
            encryption,
            metadata: digest_metadata(),
            ..PutOptions::default()
        };
        bucket
            .put(key, Bytes::from_static(b"x"), &options)
            .await
            .unwrap();
        let head = moto.boto3_head_object(&name, key);
        assert_eq!(head["ServerSideEncryption"], algorithm, "{key}: {head}");
        assert_eq!(head["SSEKMSKeyId"], kms_key, "{key}: {head}");
        // Encrypted or not, our reads see the same bytes and metadata.
        let object = bucket.get(key).await.unwrap();
        assert_eq!(object.body, Bytes::from_static(b"x"));
        assert_eq!(object.metadata, digest_metadata());
    }
}

#[tokio::test]
async fn a_missing_bucket_is_reported_as_such() {
    let moto = MotoServer::shared();
    let bucket = Bucket::s3(&moto.unique_bucket_name("missing"), &moto.settings()).unwrap();
    assert!(!bucket.exists().await.unwrap());
    let error = bucket
        .put("k", Bytes::from_static(b"x"), &PutOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.code()),
        (ErrorKind::NoSuchBucket, "NoSuchBucket"),
        "{error}"
    );
    assert!(!error.is_retryable());
    let error = bucket.get("k").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoSuchBucket, "{error}");
    let error = bucket.list_page("", None, 10).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoSuchBucket, "{error}");
    assert!(error.to_string().contains("NoSuchBucket"), "{error}");
    assert!(moto.bucket("present").exists().await.unwrap());
}

#[tokio::test]
async fn listings_past_a_thousand_keys_page_correctly() {
    let moto = MotoServer::shared();
    let bucket = moto.bucket("many");
    let mut expected: Vec<String> = (0..1005)
        .map(|index| {
            format!(
                "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/{:02}/f{index:04}.json.gz",
                index % 7 + 1
            )
        })
        .collect();
    futures::stream::iter(expected.clone())
        .map(|key| {
            let bucket = bucket.clone();
            async move {
                bucket
                    .put(&key, Bytes::from_static(b"{}"), &PutOptions::default())
                    .await
            }
        })
        .buffer_unordered(16)
        .for_each(|result| async move { result.unwrap() })
        .await;
    expected.sort();

    let first = bucket.list_page("AWSLogs/", None, 5000).await.unwrap();
    assert_eq!(first.objects.len(), 1000, "max_keys is capped at 1000");
    assert!(first.is_truncated);
    let second = bucket
        .list_page("AWSLogs/", Some(&first.objects[999].key), 1000)
        .await
        .unwrap();
    assert_eq!(second.objects.len(), 5);
    assert!(!second.is_truncated);
    let listed: Vec<String> = first
        .objects
        .iter()
        .chain(&second.objects)
        .map(|object| object.key.clone())
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(
        list_all(
            &bucket,
            "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/03/",
            None,
            50
        )
        .await
        .len(),
        144
    );
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_retryable_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = S3Settings {
        endpoint_url: Some(format!("http://127.0.0.1:{port}")),
        force_path_style: true,
        allow_http: true,
        ..S3Settings::default()
    };
    let bucket = Bucket::s3("unreachable", &settings).unwrap();
    let error = bucket.get("k").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(error.is_retryable());
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn configured_entries_reach_their_own_endpoint() {
    let moto = MotoServer::shared();
    let name = moto.create_bucket("configured");
    let entry: BucketConfig = serde_json::from_value(serde_json::json!({
        "name": name,
        "endpoint_url": moto.endpoint(),
        "access_key_id": "testing",
        "secret_access_key": "testing",
    }))
    .unwrap();
    // The environment points nowhere useful; the entry must win.
    let env = S3Settings {
        endpoint_url: Some("https://unused.invalid".into()),
        region: Some("eu-west-1".into()),
        ..S3Settings::default()
    };
    let root = tempfile::tempdir().unwrap();
    let resolver = BucketResolver::new(root.path().to_path_buf(), vec![entry], env);
    let bucket = resolver.resolve(&name).unwrap();
    assert!(!bucket.is_local());
    bucket
        .put("k", Bytes::from_static(b"v"), &PutOptions::default())
        .await
        .unwrap();
    assert_eq!(
        bucket.get("k").await.unwrap().body,
        Bytes::from_static(b"v")
    );
}
