//! Test trails in local bucket directories: signed digest chains and their log files,
//! tampering helpers, and running the validator with captured output.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use opentrail_blob::{Bucket, PutOptions};
use opentrail_digest::file::{
    METADATA_BACKFILL_GENERATION_TIMESTAMP, METADATA_SIGNATURE, METADATA_SIGNATURE_ALGORITHM,
};
use opentrail_digest::gzip::gzip;
use opentrail_digest::naming::DigestKey;
use opentrail_digest::{
    DigestFile, LogFileEntry, PreviousDigest, SIGNATURE_ALGORITHM, Signer, sha256_hex, sign_digest,
    string_to_sign,
};
use opentrail_types::{ManualClock, Timestamp};
use opentrail_validate::{
    KeySource, ObjectStore, Output, PublicKeyInfo, Sources, TrailInfo, TrailSource,
    ValidateOptions, run_validate_logs,
};

pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";
pub const TRAIL: &str = "main-trail";
pub const BUCKET: &str = "audit-archive";
/// The clock of every run (for runs without an end time).
pub const NOW: &str = "2026-03-04T00:00:00Z";
pub const HOUR: i64 = 3_600_000;
pub const MINUTE: i64 = 60_000;

pub fn at(text: &str) -> Timestamp {
    Timestamp::parse_event_time(text).unwrap()
}

/// `crates/validate/<relative>`.
pub fn crate_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Test-only key `a` (signs the trails) or `b` (another key), from `testdata/`.
pub fn signer(name: &str) -> Signer {
    let der = std::fs::read(crate_path(&format!(
        "testdata/test-only-key-{name}.pk8.der"
    )))
    .unwrap();
    Signer::from_pkcs8_der(&der).unwrap()
}

/// A key list as `ListPublicKeys` would give it, without validity limits.
pub fn keys_of(signers: &[&Signer]) -> KeySource {
    KeySource::Fixed(
        signers
            .iter()
            .map(|signer| public_key(signer, None, None))
            .collect(),
    )
}

pub fn public_key(
    signer: &Signer,
    from: Option<Timestamp>,
    until: Option<Timestamp>,
) -> PublicKeyInfo {
    PublicKeyInfo {
        value: Some(signer.public_key_base64()),
        validity_start: from,
        validity_end: until,
        fingerprint: signer.fingerprint().to_owned(),
    }
}

/// Where a trail writes.
#[derive(Debug, Clone)]
pub struct Trail {
    pub bucket: String,
    pub prefix: Option<String>,
    pub org_id: Option<String>,
    pub account: String,
    pub region: String,
    pub name: String,
    pub home: String,
}

impl Trail {
    pub fn main() -> Trail {
        Trail {
            bucket: BUCKET.to_owned(),
            prefix: None,
            org_id: None,
            account: ACCOUNT.to_owned(),
            region: REGION.to_owned(),
            name: TRAIL.to_owned(),
            home: REGION.to_owned(),
        }
    }

    pub fn arn(&self) -> String {
        format!(
            "arn:aws:cloudtrail:{}:{}:trail/{}",
            self.home, self.account, self.name
        )
    }

    pub fn digest_key(&self, end: Timestamp, backfill: bool) -> String {
        DigestKey {
            prefix: self.prefix.clone(),
            org_id: self.org_id.clone(),
            account_id: self.account.clone(),
            source_region: self.region.clone(),
            trail_name: self.name.clone(),
            home_region: self.home.clone(),
            end,
            backfill,
        }
        .object_key()
    }

    pub fn log_key(&self, delivered: Timestamp, unique: &str) -> String {
        let mut key = String::new();
        if let Some(prefix) = &self.prefix {
            key.push_str(prefix);
            key.push('/');
        }
        key.push_str("AWSLogs/");
        if let Some(org) = &self.org_id {
            key.push_str(org);
            key.push('/');
        }
        key.push_str(&format!(
            "{account}/CloudTrail/{region}/{day}/{account}_CloudTrail_{region}_{minute}_{unique}.json.gz",
            account = self.account,
            region = self.region,
            day = delivered.format_utc("%Y/%m/%d"),
            minute = delivered.format_utc("%Y%m%dT%H%MZ"),
        ));
        key
    }

    /// Options reading this trail's bucket and prefix directly (`--s3-bucket`).
    pub fn options(&self, start: &str, end: &str) -> ValidateOptions {
        let mut options = ValidateOptions::new(self.arn(), at(start));
        options.end = Some(at(end));
        options.s3_bucket = Some(self.bucket.clone());
        options.s3_prefix = self.prefix.clone();
        options.source_region = Some(self.region.clone());
        options.concurrency = 4;
        options
    }

    /// What `DescribeTrails` says of this trail.
    pub fn info(&self) -> TrailInfo {
        TrailInfo {
            trail_arn: Some(self.arn()),
            s3_bucket_name: Some(self.bucket.clone()),
            s3_key_prefix: self.prefix.clone(),
            is_organization_trail: Some(self.org_id.is_some()),
        }
    }
}

/// A digest written to a bucket.
#[derive(Debug, Clone)]
pub struct Written {
    pub bucket: String,
    pub key: String,
    pub json: Vec<u8>,
    pub sha256: String,
    pub signature: String,
    pub logs: Vec<LogFileEntry>,
}

impl Written {
    pub fn as_previous(&self) -> PreviousDigest {
        PreviousDigest {
            s3_bucket: self.bucket.clone(),
            s3_object: self.key.clone(),
            hash_value: self.sha256.clone(),
            signature: self.signature.clone(),
        }
    }
}

/// A temporary directory of local buckets, and a runtime to drive them.
pub struct Fixture {
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().unwrap(),
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub fn bucket(&self, name: &str) -> Bucket {
        let root = self.root().join(name);
        std::fs::create_dir_all(&root).unwrap();
        Bucket::local(name, root)
    }

    pub fn put(&self, bucket: &str, key: &str, body: Vec<u8>, metadata: BTreeMap<String, String>) {
        let bucket = self.bucket(bucket);
        let options = PutOptions {
            metadata,
            ..PutOptions::default()
        };
        self.block_on(bucket.put(key, Bytes::from(body), &options))
            .unwrap();
    }

    pub fn object_path(&self, bucket: &str, key: &str) -> PathBuf {
        self.root().join(bucket).join(key)
    }

    pub fn read(&self, bucket: &str, key: &str) -> Vec<u8> {
        std::fs::read(self.object_path(bucket, key)).unwrap()
    }

    pub fn overwrite(&self, bucket: &str, key: &str, body: &[u8]) {
        std::fs::write(self.object_path(bucket, key), body).unwrap();
    }

    pub fn remove(&self, bucket: &str, key: &str) {
        self.block_on(self.bucket(bucket).delete(key)).unwrap();
    }

    /// Writes a gzipped log file and returns its digest entry.
    pub fn write_log(
        &self,
        bucket: &str,
        key: &str,
        json: &[u8],
        event_time: Timestamp,
    ) -> LogFileEntry {
        self.put(bucket, key, gzip(json), BTreeMap::new());
        LogFileEntry {
            s3_bucket: bucket.to_owned(),
            s3_object: key.to_owned(),
            hash_value: sha256_hex(json),
            newest_event_time: event_time,
            oldest_event_time: event_time,
        }
    }

    /// Signs `file` with its own signer (as the delivery engine does) and stores it.
    pub fn write_digest(
        &self,
        file: &DigestFile,
        signer: &Signer,
        backfill: Option<Timestamp>,
    ) -> Written {
        let signed = sign_digest(file, signer, backfill).unwrap();
        self.put(
            &file.digest_s3_bucket,
            &signed.key,
            signed.gzipped.clone(),
            signed.metadata.clone(),
        );
        Written {
            bucket: file.digest_s3_bucket.clone(),
            key: signed.key.clone(),
            json: signed.json,
            sha256: signed.sha256,
            signature: signed.signature_hex,
            logs: file.log_files.clone(),
        }
    }

    /// Stores arbitrary digest JSON at `bucket`/`key`, signed by `signer` over the string to
    /// sign built from the JSON's own members (for digests no producer would write).
    pub fn write_raw_digest(
        &self,
        bucket: &str,
        key: &str,
        json: &serde_json::Value,
        signer: &Signer,
        backfill: Option<Timestamp>,
    ) -> Written {
        let bytes = serde_json::to_vec(json).unwrap();
        let sha256 = sha256_hex(&bytes);
        // Python's `str()` of each member, as the CLI builds the string to sign.
        let text = |name: &str| match &json[name] {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Null => "None".to_owned(),
            serde_json::Value::Bool(flag) => if *flag { "True" } else { "False" }.to_owned(),
            other => other.to_string(),
        };
        let message = string_to_sign(
            &text("digestEndTime"),
            &text("digestS3Bucket"),
            &text("digestS3Object"),
            &sha256,
            json["previousDigestSignature"].as_str(),
        );
        let signature = hex::encode(signer.sign(message.as_bytes()).unwrap());
        let mut metadata = BTreeMap::from([
            (METADATA_SIGNATURE.to_owned(), signature.clone()),
            (
                METADATA_SIGNATURE_ALGORITHM.to_owned(),
                SIGNATURE_ALGORITHM.to_owned(),
            ),
        ]);
        if let Some(generated) = backfill {
            metadata.insert(
                METADATA_BACKFILL_GENERATION_TIMESTAMP.to_owned(),
                generated.format_event_time(),
            );
        }
        self.put(bucket, key, gzip(&bytes), metadata);
        Written {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            json: bytes,
            sha256,
            signature,
            logs: Vec::new(),
        }
    }

    /// Runs the validator on these buckets, with `DescribeTrails` knowing `trails`.
    pub fn run_with(
        &self,
        options: &ValidateOptions,
        keys: KeySource,
        trails: Vec<TrailInfo>,
    ) -> Outcome {
        let sources = Sources {
            trails: TrailSource::Fixed {
                trails,
                organization_id: Some("o-exampleorgid".to_owned()),
            },
            keys,
            objects: ObjectStore::local(self.root()),
            clock: Arc::new(ManualClock::new(at(NOW))),
        };
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let exit = {
            let mut output = Output {
                stdout: &mut stdout,
                stderr: &mut stderr,
            };
            self.block_on(run_validate_logs(options, &sources, &mut output))
        };
        let outcome = Outcome {
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
            exit,
        };
        if let Some(dump) = std::env::var_os("VALIDATE_DUMP_DIR") {
            crate::dump::dump_case(self.root(), Path::new(&dump), options, &sources, &outcome);
        }
        outcome
    }

    pub fn run(&self, options: &ValidateOptions, keys: KeySource) -> Outcome {
        self.run_with(options, keys, Vec::new())
    }
}

/// Writes the digests of one chain.
pub struct ChainWriter<'a> {
    fixture: &'a Fixture,
    pub trail: Trail,
    signer: &'a Signer,
    previous: Option<PreviousDigest>,
    backfill: bool,
    next_unique: u64,
}

impl<'a> ChainWriter<'a> {
    pub fn new(fixture: &'a Fixture, trail: Trail, signer: &'a Signer) -> ChainWriter<'a> {
        ChainWriter {
            fixture,
            trail,
            signer,
            previous: None,
            backfill: false,
            next_unique: 0,
        }
    }

    /// The following digests are backfill digests (their own chain).
    pub fn backfill(mut self) -> ChainWriter<'a> {
        self.backfill = true;
        self
    }

    /// The next digest starts a new chain (validation or logging was restarted).
    pub fn restart(&mut self) {
        self.previous = None;
    }

    /// Links the next digest to `written`.
    pub fn link_to(&mut self, written: &Written) {
        self.previous = Some(written.as_previous());
    }

    /// Writes `count` log files delivered inside `[start, end]`.
    pub fn logs(&mut self, start: Timestamp, count: usize) -> Vec<LogFileEntry> {
        let mut entries = Vec::with_capacity(count);
        for index in 0..count {
            let delivered = start.saturating_add_millis(5 * MINUTE + index as i64 * 10 * MINUTE);
            let event_time = delivered.saturating_add_millis(-2 * MINUTE);
            self.next_unique += 1;
            let unique = format!("Uniq{:012}", self.next_unique);
            let key = self.trail.log_key(delivered, &unique);
            let json = format!(
                r#"{{"Records":[{{"eventVersion":"1.11","eventTime":"{}","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"{}","eventID":"{}","recipientAccountId":"{}"}}]}}"#,
                event_time.format_event_time(),
                self.trail.region,
                unique,
                self.trail.account
            );
            entries.push(self.fixture.write_log(
                &self.trail.bucket,
                &key,
                json.as_bytes(),
                event_time,
            ));
        }
        entries
    }

    /// Writes a digest for `[start, end]` listing `logs`, after `edit` changes it.
    pub fn digest_with(
        &mut self,
        start: Timestamp,
        end: Timestamp,
        logs: Vec<LogFileEntry>,
        edit: impl FnOnce(&mut DigestFile),
    ) -> Written {
        let (newest, oldest) = DigestFile::event_time_bounds(&logs);
        let mut file = DigestFile {
            aws_account_id: self.trail.account.clone(),
            digest_start_time: start,
            digest_end_time: end,
            digest_s3_bucket: self.trail.bucket.clone(),
            digest_s3_object: self.trail.digest_key(end, self.backfill),
            digest_public_key_fingerprint: self.signer.fingerprint().to_owned(),
            newest_event_time: newest,
            oldest_event_time: oldest,
            previous: self.previous.clone(),
            log_files: logs,
        };
        edit(&mut file);
        let generated = self
            .backfill
            .then(|| end.saturating_add_millis(10 * MINUTE));
        let written = self.fixture.write_digest(&file, self.signer, generated);
        self.previous = Some(written.as_previous());
        written
    }

    pub fn digest(&mut self, start: Timestamp, end: Timestamp, logs: Vec<LogFileEntry>) -> Written {
        self.digest_with(start, end, logs, |_| {})
    }

    /// Writes `hours` back-to-back hourly digests from `first_start`, each listing
    /// `logs_per_hour` log files delivered in its window.
    pub fn hourly(
        &mut self,
        first_start: Timestamp,
        hours: usize,
        logs_per_hour: usize,
    ) -> Vec<Written> {
        let mut written = Vec::with_capacity(hours);
        for hour in 0..hours {
            let start = first_start.saturating_add_millis(hour as i64 * HOUR);
            let end = start.saturating_add_millis(HOUR);
            let logs = self.logs(start, logs_per_hour);
            written.push(self.digest(start, end, logs));
        }
        written
    }
}

/// What a run printed and its exit status.
#[derive(Debug)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit: u8,
}

impl Outcome {
    /// One text with the exit status and both streams, for golden files.
    pub fn render(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.exit, self.stdout, self.stderr
        )
    }

    /// Compares with `tests/golden/<name>.txt` (`UPDATE_GOLDEN=1` rewrites it).
    pub fn assert_golden(&self, name: &str) {
        opentrail_testkit::golden::assert_golden(
            &crate_path(&format!("tests/golden/{name}.txt")),
            &self.render(),
        );
    }
}
