//! One behaviour suite, run on every back end (local directory and moto's S3).

use std::collections::BTreeMap;

use bytes::Bytes;
use opentrail_blob::{Bucket, ErrorKind, PutOptions};

/// Metadata of a digest file, as spec §2.4 stores it.
pub fn digest_metadata() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("signature".to_owned(), "9f".repeat(256)),
        ("signature-algorithm".to_owned(), "SHA256withRSA".to_owned()),
        (
            "backfill-generation-timestamp".to_owned(),
            "2026-03-04T17:05:21Z".to_owned(),
        ),
    ])
}

fn with_metadata(metadata: BTreeMap<String, String>) -> PutOptions {
    PutOptions {
        metadata,
        ..PutOptions::default()
    }
}

fn create_only() -> PutOptions {
    PutOptions {
        create_only: true,
        ..PutOptions::default()
    }
}

/// Keys that exercise bytewise order across nested folders:
/// `-` (0x2D) < `.` (0x2E) < `/` (0x2F) < `0` (0x30), so `CloudTrail-Digest/` sorts before
/// `CloudTrail/`.
pub const ORDER_KEYS: &[&str] = &[
    "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/04/d1.json.gz",
    "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/04/f1.json.gz",
    "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/05/f2.json.gz",
    "a.b",
    "a/x",
    "a/y/z",
    "a0",
    "ab",
    "z",
];

/// Runs every scenario on `bucket`, which must be empty.
pub async fn run_all(bucket: &Bucket) {
    round_trip_keeps_body_and_metadata(bucket).await;
    overwrite_replaces_body_and_metadata(bucket).await;
    create_only_never_replaces(bucket).await;
    missing_objects(bucket).await;
    invalid_keys_and_metadata_are_rejected(bucket).await;
    listing_is_sorted_and_pages_with_start_after(bucket).await;
    delete_removes_the_object(bucket).await;
}

async fn round_trip_keeps_body_and_metadata(bucket: &Bucket) {
    let key = "rt/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/04/digest.json.gz";
    let body = Bytes::from_static(b"\x1f\x8b digest bytes");
    bucket
        .put(key, body.clone(), &with_metadata(digest_metadata()))
        .await
        .unwrap();
    let object = bucket.get(key).await.unwrap();
    assert_eq!(object.body, body);
    assert_eq!(object.metadata, digest_metadata());
    assert!(object.last_modified.is_some());
    let info = bucket
        .head(key)
        .await
        .unwrap()
        .expect("head finds the object");
    assert_eq!((info.key.as_str(), info.size), (key, body.len() as u64));

    let plain = "rt/plain.json.gz";
    bucket
        .put(plain, Bytes::new(), &PutOptions::default())
        .await
        .unwrap();
    let object = bucket.get(plain).await.unwrap();
    assert!(object.body.is_empty());
    assert!(object.metadata.is_empty());
    cleanup(bucket, &[key, plain]).await;
}

async fn overwrite_replaces_body_and_metadata(bucket: &Bucket) {
    let key = "ow/object";
    bucket
        .put(
            key,
            Bytes::from_static(b"one"),
            &with_metadata(digest_metadata()),
        )
        .await
        .unwrap();
    bucket
        .put(key, Bytes::from_static(b"two"), &PutOptions::default())
        .await
        .unwrap();
    let object = bucket.get(key).await.unwrap();
    assert_eq!(object.body, Bytes::from_static(b"two"));
    assert!(
        object.metadata.is_empty(),
        "stale metadata: {:?}",
        object.metadata
    );
    cleanup(bucket, &[key]).await;
}

async fn create_only_never_replaces(bucket: &Bucket) {
    let key = "co/object";
    let first = PutOptions {
        metadata: BTreeMap::from([("signature".to_owned(), "aa".to_owned())]),
        create_only: true,
        ..PutOptions::default()
    };
    bucket
        .put(key, Bytes::from_static(b"first"), &first)
        .await
        .unwrap();
    let second = PutOptions {
        metadata: BTreeMap::from([("signature".to_owned(), "bb".to_owned())]),
        ..first.clone()
    };
    let error = bucket
        .put(key, Bytes::from_static(b"second"), &second)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyExists, "{error}");
    assert_eq!(error.code(), "PreconditionFailed");
    assert!(!error.is_retryable());
    let error = bucket
        .put(key, Bytes::new(), &create_only())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyExists);
    let object = bucket.get(key).await.unwrap();
    assert_eq!(object.body, Bytes::from_static(b"first"));
    assert_eq!(object.metadata["signature"], "aa");
    cleanup(bucket, &[key]).await;
}

async fn missing_objects(bucket: &Bucket) {
    let error = bucket.get("missing/key").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound, "{error}");
    assert_eq!(error.code(), "NoSuchKey");
    assert!(!error.is_retryable());
    assert_eq!(bucket.head("missing/key").await.unwrap(), None);
    bucket.delete("missing/key").await.unwrap();
    assert!(bucket.exists().await.unwrap());
}

async fn invalid_keys_and_metadata_are_rejected(bucket: &Bucket) {
    for key in [
        "",
        "../escape",
        "a/../../escape",
        "/absolute",
        "a//b",
        "a/",
        "a\\b",
        "a\0b",
        "./a",
    ] {
        let error = bucket
            .put(key, Bytes::new(), &PutOptions::default())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidKey, "put {key:?}: {error}");
        let error = bucket.get(key).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidKey, "get {key:?}: {error}");
        assert_eq!(
            bucket.head(key).await.unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
        assert_eq!(
            bucket.delete(key).await.unwrap_err().kind(),
            ErrorKind::InvalidKey
        );
    }
    let bad = with_metadata(BTreeMap::from([("Signature".to_owned(), "x".to_owned())]));
    let error = bucket.put("k", Bytes::new(), &bad).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidMetadata);
    assert_eq!(bucket.head("k").await.unwrap(), None);
}

async fn listing_is_sorted_and_pages_with_start_after(bucket: &Bucket) {
    let mut reversed = ORDER_KEYS.to_vec();
    reversed.reverse();
    for key in &reversed {
        bucket
            .put(
                key,
                Bytes::from(key.to_string()),
                &with_metadata(digest_metadata()),
            )
            .await
            .unwrap();
    }
    let all = list_all(bucket, "", None, 1000).await;
    assert_eq!(all, ORDER_KEYS);
    let page = bucket.list_page("", None, 1000).await.unwrap();
    for object in &page.objects {
        assert_eq!(
            object.size,
            object.key.len() as u64,
            "size of {}",
            object.key
        );
        assert!(object.last_modified.is_some());
    }

    // Paging with every page size gives the same keys.
    for page_size in 1..=4 {
        assert_eq!(
            list_all(bucket, "", None, page_size).await,
            ORDER_KEYS,
            "page size {page_size}"
        );
    }
    // start_after is exclusive and need not be a stored key.
    assert_eq!(list_all(bucket, "", Some("a/x"), 3).await, &ORDER_KEYS[5..]);
    assert_eq!(list_all(bucket, "", Some("a/"), 3).await, &ORDER_KEYS[4..]);
    assert_eq!(
        list_all(bucket, "", Some("zz"), 3).await,
        Vec::<String>::new()
    );
    // Prefixes are plain string prefixes.
    assert_eq!(list_all(bucket, "a", None, 2).await, &ORDER_KEYS[3..8]);
    assert_eq!(list_all(bucket, "a/", None, 2).await, &ORDER_KEYS[4..6]);
    assert_eq!(
        list_all(
            bucket,
            "AWSLogs/111122223333/CloudTrail",
            Some(ORDER_KEYS[0]),
            1
        )
        .await,
        &ORDER_KEYS[1..3]
    );
    assert_eq!(
        list_all(
            bucket,
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1",
            None,
            5
        )
        .await,
        &ORDER_KEYS[..1]
    );
    assert!(list_all(bucket, "nothing", None, 5).await.is_empty());
    // A page exactly filling max_keys is truncated only if more keys follow.
    let page = bucket.list_page("", Some(ORDER_KEYS[6]), 2).await.unwrap();
    assert!(!page.is_truncated);
    let page = bucket.list_page("", Some(ORDER_KEYS[5]), 2).await.unwrap();
    assert!(page.is_truncated);
    // max_keys 0 is treated as 1.
    assert_eq!(
        bucket.list_page("", None, 0).await.unwrap().objects.len(),
        1
    );
    cleanup(bucket, ORDER_KEYS).await;
}

async fn delete_removes_the_object(bucket: &Bucket) {
    bucket
        .put(
            "del/a",
            Bytes::from_static(b"a"),
            &with_metadata(digest_metadata()),
        )
        .await
        .unwrap();
    bucket
        .put("del/b", Bytes::from_static(b"b"), &PutOptions::default())
        .await
        .unwrap();
    bucket.delete("del/a").await.unwrap();
    assert_eq!(
        bucket.get("del/a").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(list_all(bucket, "del/", None, 10).await, ["del/b"]);
    // A new object at the same key does not inherit the old metadata.
    bucket
        .put("del/a", Bytes::from_static(b"again"), &create_only())
        .await
        .unwrap();
    assert!(bucket.get("del/a").await.unwrap().metadata.is_empty());
    cleanup(bucket, &["del/a", "del/b"]).await;
}

/// Lists every key after `start_after` through pages of `page_size`, checking each page.
pub async fn list_all(
    bucket: &Bucket,
    prefix: &str,
    start_after: Option<&str>,
    page_size: usize,
) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut marker = start_after.map(str::to_owned);
    loop {
        let page = bucket
            .list_page(prefix, marker.as_deref(), page_size)
            .await
            .unwrap();
        assert!(page.objects.len() <= page_size.max(1));
        for object in &page.objects {
            assert!(
                object.key.starts_with(prefix),
                "{} outside {prefix}",
                object.key
            );
            if let Some(marker) = &marker {
                assert!(
                    object.key.as_str() > marker.as_str(),
                    "{} not after {marker}",
                    object.key
                );
            }
        }
        keys.extend(page.objects.iter().map(|object| object.key.clone()));
        if !page.is_truncated {
            break;
        }
        marker = Some(keys.last().expect("a truncated page holds keys").clone());
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "keys not in ascending order");
    keys
}

async fn cleanup(bucket: &Bucket, keys: &[&str]) {
    for key in keys {
        bucket.delete(key).await.unwrap();
    }
    assert!(
        bucket
            .list_page("", None, 1000)
            .await
            .unwrap()
            .objects
            .is_empty(),
        "cleanup left objects"
    );
}
