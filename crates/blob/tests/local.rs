//! The local-directory store (spec §1.9).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use opentrail_blob::{Bucket, ErrorKind, PutOptions};

use crate::conformance::{self, digest_metadata, list_all};

fn new_bucket() -> (tempfile::TempDir, Bucket) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("my-bucket");
    std::fs::create_dir(&root).unwrap();
    (dir, Bucket::local("my-bucket", root))
}

fn metadata_options(metadata: BTreeMap<String, String>) -> PutOptions {
    PutOptions {
        metadata,
        ..PutOptions::default()
    }
}

/// Returns every file name below `root`, as `/`-joined relative paths, sorted.
fn files_on_disk(root: &Path) -> Vec<String> {
    fn walk(root: &Path, folder: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

#[tokio::test]
async fn local_bucket_passes_the_conformance_suite() {
    let (_dir, bucket) = new_bucket();
    assert!(bucket.is_local());
    assert_eq!(bucket.name(), "my-bucket");
    conformance::run_all(&bucket).await;
}

#[tokio::test]
async fn sidecar_matches_the_golden_file_and_tracks_the_object() {
    let (dir, bucket) = new_bucket();
    let root = dir.path().join("my-bucket");
    let key = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/04/d.json.gz";
    bucket
        .put(
            key,
            Bytes::from_static(b"digest"),
            &metadata_options(digest_metadata()),
        )
        .await
        .unwrap();

    let sidecar = std::fs::read(root.join(format!("{key}.meta.json"))).unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/digest.meta.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &sidecar).unwrap();
    }
    assert_eq!(
        String::from_utf8(sidecar).unwrap(),
        std::fs::read_to_string(&golden).unwrap()
    );
    assert_eq!(
        std::fs::read(root.join(key)).unwrap(),
        b"digest",
        "the object bytes are stored as given"
    );
    // Only the object and its sidecar: no temporary file is left behind.
    assert_eq!(
        files_on_disk(&root),
        [key.to_owned(), format!("{key}.meta.json")]
    );

    // An overwrite without metadata removes the sidecar; no metadata, no sidecar.
    bucket
        .put(key, Bytes::from_static(b"v2"), &PutOptions::default())
        .await
        .unwrap();
    assert_eq!(files_on_disk(&root), [key.to_owned()]);
    bucket
        .put(
            key,
            Bytes::from_static(b"v3"),
            &metadata_options(digest_metadata()),
        )
        .await
        .unwrap();
    bucket.delete(key).await.unwrap();
    assert!(files_on_disk(&root).is_empty());
}

#[tokio::test]
async fn sidecars_written_by_hand_are_read_back() {
    let (dir, bucket) = new_bucket();
    let root = dir.path().join("my-bucket");
    std::fs::write(root.join("obj"), b"x").unwrap();
    std::fs::write(
        root.join("obj.meta.json"),
        br#"{"signature": "ab", "signature-algorithm": "SHA256withRSA"}"#,
    )
    .unwrap();
    let object = bucket.get("obj").await.unwrap();
    assert_eq!(object.metadata["signature"], "ab");
    assert_eq!(object.metadata["signature-algorithm"], "SHA256withRSA");

    std::fs::write(root.join("obj.meta.json"), b"[1]").unwrap();
    let error = bucket.get("obj").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Other);
    assert!(
        error.to_string().contains("metadata sidecar of `obj`"),
        "{error}"
    );
}

#[tokio::test]
async fn sidecars_temp_files_and_folders_are_never_listed() {
    let (dir, bucket) = new_bucket();
    let root = dir.path().join("my-bucket");
    bucket
        .put(
            "a/obj",
            Bytes::from_static(b"x"),
            &metadata_options(digest_metadata()),
        )
        .await
        .unwrap();
    std::fs::write(root.join("a/.tmp-999-1"), b"partial").unwrap();
    std::fs::write(root.join("stray.meta.json"), b"{}").unwrap();
    std::fs::create_dir_all(root.join("empty/folder")).unwrap();
    let page = bucket.list_page("", None, 1000).await.unwrap();
    let keys: Vec<&str> = page
        .objects
        .iter()
        .map(|object| object.key.as_str())
        .collect();
    assert_eq!(keys, ["a/obj"]);
    // Reserved names cannot be written either.
    for key in ["x.meta.json", "a/.tmp-1"] {
        let error = bucket
            .put(key, Bytes::new(), &PutOptions::default())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidKey, "{key}");
    }
}

#[tokio::test]
async fn folders_are_not_objects() {
    let (_dir, bucket) = new_bucket();
    bucket
        .put("a/b/c", Bytes::from_static(b"x"), &PutOptions::default())
        .await
        .unwrap();
    assert_eq!(
        bucket.get("a/b").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(bucket.head("a/b").await.unwrap(), None);
    bucket.delete("a/b").await.unwrap();
    // A key under an object, or a key naming a folder, cannot be stored on a file system.
    let error = bucket
        .put("a/b/c/d", Bytes::new(), &PutOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidKey, "{error}");
    for create_only in [false, true] {
        let options = PutOptions {
            create_only,
            ..PutOptions::default()
        };
        let error = bucket.put("a/b", Bytes::new(), &options).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidKey, "{error}");
    }
    assert_eq!(
        bucket.get("a/b/c/d").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        bucket.get("a/b/c").await.unwrap().body,
        Bytes::from_static(b"x")
    );
}

#[tokio::test]
async fn a_missing_bucket_folder_is_no_such_bucket() {
    let dir = tempfile::tempdir().unwrap();
    let bucket = Bucket::local("gone", dir.path().join("gone"));
    assert!(!bucket.exists().await.unwrap());
    let error = bucket
        .put("k", Bytes::new(), &PutOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.code()),
        (ErrorKind::NoSuchBucket, "NoSuchBucket")
    );
    assert!(error.to_string().contains("`gone`"), "{error}");
    assert_eq!(
        bucket.get("k").await.unwrap_err().kind(),
        ErrorKind::NoSuchBucket
    );
    assert_eq!(
        bucket.list_page("", None, 10).await.unwrap_err().kind(),
        ErrorKind::NoSuchBucket
    );
    assert_eq!(
        bucket.delete("k").await.unwrap_err().kind(),
        ErrorKind::NoSuchBucket
    );
    assert_eq!(bucket.head("k").await.unwrap(), None);
    // Nothing was created on the way.
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[tokio::test]
async fn reads_above_the_cap_are_refused() {
    let (_dir, bucket) = new_bucket();
    bucket
        .put("big", Bytes::from_static(b"12345"), &PutOptions::default())
        .await
        .unwrap();
    let capped = bucket.clone().with_max_object_bytes(4);
    let error = capped.get("big").await.unwrap_err();
    assert_eq!(
        (error.kind(), error.code()),
        (ErrorKind::TooLarge, "EntityTooLarge")
    );
    assert_eq!(
        bucket
            .clone()
            .with_max_object_bytes(5)
            .get("big")
            .await
            .unwrap()
            .body
            .len(),
        5
    );
}

#[tokio::test]
async fn encryption_options_leave_local_bytes_unchanged() {
    let (dir, bucket) = new_bucket();
    let options = PutOptions {
        encryption: Some(opentrail_blob::Encryption::Kms {
            key_id: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
        }),
        ..PutOptions::default()
    };
    bucket
        .put("e", Bytes::from_static(b"plain"), &options)
        .await
        .unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("my-bucket/e")).unwrap(),
        b"plain"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_puts_of_distinct_keys_all_land() {
    let (_dir, bucket) = new_bucket();
    let mut tasks = Vec::new();
    for task in 0..8 {
        let bucket = bucket.clone();
        tasks.push(tokio::spawn(async move {
            for index in 0..25 {
                let key = format!("t{task}/n{index:02}");
                bucket
                    .put(
                        &key,
                        Bytes::from(key.clone()),
                        &metadata_options(digest_metadata()),
                    )
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let keys = list_all(&bucket, "", None, 1000).await;
    assert_eq!(keys.len(), 200);
    for key in &keys {
        let object = bucket.get(key).await.unwrap();
        assert_eq!(object.body, Bytes::from(key.clone()));
        assert_eq!(object.metadata, digest_metadata());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_create_only_puts_have_one_winner_with_its_own_metadata() {
    let (_dir, bucket) = new_bucket();
    for round in 0..10 {
        let key = format!("race/{round}");
        let mut tasks = Vec::new();
        for writer in 0..8 {
            let (bucket, key) = (bucket.clone(), key.clone());
            tasks.push(tokio::spawn(async move {
                let options = PutOptions {
                    metadata: BTreeMap::from([("writer".to_owned(), writer.to_string())]),
                    create_only: true,
                    ..PutOptions::default()
                };
                bucket
                    .put(&key, Bytes::from(writer.to_string()), &options)
                    .await
            }));
        }
        let mut winners = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => winners += 1,
                Err(error) => assert_eq!(error.kind(), ErrorKind::AlreadyExists, "{error}"),
            }
        }
        assert_eq!(winners, 1, "round {round}");
        let object = bucket.get(&key).await.unwrap();
        assert_eq!(
            object.metadata["writer"].as_bytes(),
            object.body.as_ref(),
            "metadata of another writer"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_always_see_an_object_with_its_own_metadata() {
    let (_dir, bucket) = new_bucket();
    let bucket = Arc::new(bucket);
    let options = |version: usize| PutOptions {
        metadata: BTreeMap::from([("version".to_owned(), version.to_string())]),
        ..PutOptions::default()
    };
    bucket
        .put("hot", Bytes::from("0"), &options(0))
        .await
        .unwrap();
    let writer = {
        let bucket = Arc::clone(&bucket);
        tokio::spawn(async move {
            for version in 1..200 {
                bucket
                    .put("hot", Bytes::from(version.to_string()), &options(version))
                    .await
                    .unwrap();
            }
        })
    };
    let mut readers = Vec::new();
    for _ in 0..3 {
        let bucket = Arc::clone(&bucket);
        readers.push(tokio::spawn(async move {
            for _ in 0..200 {
                let object = bucket.get("hot").await.unwrap();
                assert_eq!(object.metadata["version"].as_bytes(), object.body.as_ref());
            }
        }));
    }
    writer.await.unwrap();
    for reader in readers {
        reader.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_ten_thousand_files_pages_in_order() {
    let (dir, bucket) = new_bucket();
    let root = dir.path().join("my-bucket");
    // Written directly: the listing is under test, not the put path.
    let mut expected = Vec::new();
    for day in 1..=20 {
        let folder = format!("AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/{day:02}");
        std::fs::create_dir_all(root.join(&folder)).unwrap();
        for file in 0..500 {
            let key =
                format!("{folder}/111122223333_CloudTrail_us-east-1_20260301T{file:04}Z_x.json.gz");
            std::fs::write(root.join(&key), b"").unwrap();
            if file % 10 == 0 {
                std::fs::write(root.join(format!("{key}.meta.json")), b"{}").unwrap();
            }
            expected.push(key);
        }
    }
    expected.sort();
    let started = std::time::Instant::now();
    let keys = list_all(&bucket, "AWSLogs/", None, 1000).await;
    assert_eq!(keys, expected);
    // A page in the middle starts exactly after its marker.
    let page = bucket
        .list_page("", Some(&expected[7_345]), 3)
        .await
        .unwrap();
    let page_keys: Vec<&String> = page.objects.iter().map(|object| &object.key).collect();
    assert_eq!(
        page_keys,
        [&expected[7_346], &expected[7_347], &expected[7_348]]
    );
    eprintln!("listed {} keys in {:?}", keys.len(), started.elapsed());
}
