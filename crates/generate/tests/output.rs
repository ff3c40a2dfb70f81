//! The format of the files and records.

use std::collections::BTreeSet;

use opentrail_event::{Event, RecordLimits};
use opentrail_generate::{Burst, GenerateConfig};
use opentrail_types::Timestamp;
use serde_json::Value;

use crate::support::{gunzip_single_member, read_output, run, small_config, top_level_keys};

/// CloudTrail's member order (`spec/events-and-queries.md` §1.1).
const FIELD_ORDER: [&str; 29] = [
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "apiVersion",
    "managementEvent",
    "recipientAccountId",
    "serviceEventDetails",
    "sharedEventID",
    "vpcEndpointId",
    "vpcEndpointAccountId",
    "eventCategory",
    "addendum",
    "sessionCredentialFromConsole",
    "tlsDetails",
];

fn full_config() -> GenerateConfig {
    let start = crate::support::monday();
    GenerateConfig {
        data_event_fraction: 0.3,
        max_records_per_file: 150,
        bursts: vec![
            Burst::new(
                start.saturating_add_millis(3_600_000),
                3,
                "iam.amazonaws.com",
                "ListRoles",
                50,
            ),
            Burst::new(
                start.saturating_add_millis(7_200_000),
                2,
                "bedrock.amazonaws.com",
                "InvokeModel",
                20,
            )
            .with_error_code("ThrottlingException")
            .in_region("eu-west-1"),
        ],
        ..small_config(6_000)
    }
}

#[test]
fn every_record_is_a_valid_cloudtrail_record() {
    let config = full_config();
    let (dir, summary) = run(&config);
    let files = read_output(dir.path());
    assert_eq!(files.len() as u64, summary.files);
    let mut events = 0u64;
    let mut event_ids = BTreeSet::new();
    for file in &files {
        assert!(
            file.json.starts_with(br#"{"Records":["#),
            "{}",
            file.relative
        );
        assert!(
            file.json.ends_with(b"]}"),
            "{}: trailing bytes",
            file.relative
        );
        assert!(!file.records.is_empty());
        assert!(
            file.records.len() <= config.max_records_per_file,
            "{}",
            file.relative
        );
        assert!(summary.account_ids.contains(&file.key.account_id));
        assert!(summary.regions.contains(&file.key.region));
        let window_end = file.key.delivered.as_millis();
        let mut previous = Timestamp::MIN;
        for raw in &file.records {
            let text = raw.get();
            let event = Event::parse(text.as_bytes(), &RecordLimits::STANDARD)
                .unwrap_or_else(|error| panic!("{error}: {text}"));
            // Time: inside the period, inside the file's 5-minute window, in order.
            let time = event.time();
            assert!(time >= config.start && time < config.end, "{text}");
            assert!(
                time.as_millis() < window_end && time.as_millis() >= window_end - 300_000,
                "{}: {text}",
                file.relative
            );
            assert!(
                time >= previous,
                "records out of order in {}",
                file.relative
            );
            previous = time;
            assert!(
                event_ids.insert(event.event_id().unwrap().to_owned()),
                "duplicate eventID"
            );

            let keys = top_level_keys(text);
            let positions: Vec<usize> = keys
                .iter()
                .map(|key| {
                    FIELD_ORDER
                        .iter()
                        .position(|known| known == key)
                        .unwrap_or_else(|| panic!("unknown member `{key}`"))
                })
                .collect();
            assert!(
                positions.windows(2).all(|pair| pair[0] < pair[1]),
                "member order: {keys:?}"
            );
            for required in [
                "eventVersion",
                "eventTime",
                "eventSource",
                "eventName",
                "awsRegion",
                "sourceIPAddress",
                "requestParameters",
                "responseElements",
                "eventID",
                "eventType",
                "recipientAccountId",
                "eventCategory",
                "managementEvent",
                "readOnly",
                "userIdentity",
            ] {
                assert!(
                    keys.iter().any(|key| key == required),
                    "missing {required}: {text}"
                );
            }
            check_record_semantics(
                &serde_json::from_str(text).unwrap(),
                &file.key.account_id,
                &file.key.region,
                text,
            );
            events += 1;
        }
    }
    assert_eq!(events, summary.events);
    assert_eq!(summary.events, 6_000 + 150 + 40);
}

fn check_record_semantics(record: &Value, account: &str, region: &str, text: &str) {
    assert_eq!(record["recipientAccountId"], account, "{text}");
    assert_eq!(record["awsRegion"], region, "{text}");
    let version = record["eventVersion"].as_str().unwrap();
    assert!(
        ["1.08", "1.09", "1.10", "1.11"].contains(&version),
        "{text}"
    );
    let category = record["eventCategory"].as_str().unwrap();
    assert!(category == "Management" || category == "Data");
    assert_eq!(
        record["managementEvent"].as_bool().unwrap(),
        category == "Management",
        "{text}"
    );
    let event_type = record["eventType"].as_str().unwrap();
    assert!(
        ["AwsApiCall", "AwsServiceEvent", "AwsConsoleSignIn"].contains(&event_type),
        "{text}"
    );
    if event_type == "AwsConsoleSignIn" {
        assert_eq!(record["eventSource"], "signin.amazonaws.com");
        assert_eq!(record["eventName"], "ConsoleLogin");
        let outcome = record["responseElements"]["ConsoleLogin"].as_str().unwrap();
        assert!(outcome == "Success" || outcome == "Failure");
    }
    let read_only = record["readOnly"].as_bool().unwrap();
    let source = record["eventSource"].as_str().unwrap();
    if read_only && source != "sts.amazonaws.com" {
        assert!(
            record["responseElements"].is_null(),
            "read-only call with a response: {text}"
        );
    }
    if record.get("errorCode").is_some() {
        assert!(record["responseElements"].is_null(), "{text}");
    }
    let identity = &record["userIdentity"];
    if let Some(attributes) = identity.pointer("/sessionContext/attributes") {
        let mfa = attributes["mfaAuthenticated"].as_str().unwrap();
        assert!(mfa == "true" || mfa == "false");
        Timestamp::parse_event_time(attributes["creationDate"].as_str().unwrap()).unwrap();
    }
    if let Some(key) = identity["accessKeyId"].as_str() {
        if identity.get("sessionContext").is_some() {
            assert!(key.starts_with("ASIA") && key.len() == 20, "{text}");
        } else if !key.is_empty() {
            assert!(key.starts_with("AKIA") && key.len() == 20, "{text}");
        }
    }
    match identity["type"].as_str() {
        Some("AssumedRole") => {
            assert!(identity["arn"].as_str().unwrap().contains(":assumed-role/"));
            assert_eq!(identity["sessionContext"]["sessionIssuer"]["type"], "Role");
        }
        Some("AWSService") => {
            assert_eq!(record["sourceIPAddress"], identity["invokedBy"], "{text}");
            assert!(record.get("tlsDetails").is_none());
        }
        Some("SAMLUser") => assert_eq!(record["eventName"], "AssumeRoleWithSAML"),
        Some("WebIdentityUser") => assert_eq!(record["eventName"], "AssumeRoleWithWebIdentity"),
        Some("IdentityCenterUser") => {
            assert!(
                identity["onBehalfOf"]["identityStoreArn"]
                    .as_str()
                    .unwrap()
                    .starts_with("arn:aws:identitystore::")
            );
        }
        None => assert_eq!(event_type, "AwsServiceEvent", "{text}"),
        _ => {}
    }
    if let Some(resources) = record.get("resources") {
        for resource in resources.as_array().unwrap() {
            assert!(
                resource["ARN"].as_str().unwrap().starts_with("arn:aws:"),
                "{text}"
            );
        }
    }
    let id = record["eventID"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4");
}

#[test]
fn every_identity_type_appears() {
    let config = GenerateConfig {
        seed: 3,
        events: 8_000,
        accounts: 1,
        principals: 17,
        ..small_config(0)
    };
    let (dir, _) = run(&config);
    let mut types = BTreeSet::new();
    let mut event_types = BTreeSet::new();
    for file in read_output(dir.path()) {
        for raw in &file.records {
            let record: Value = serde_json::from_str(raw.get()).unwrap();
            types.insert(
                record["userIdentity"]["type"]
                    .as_str()
                    .unwrap_or("(service event)")
                    .to_owned(),
            );
            event_types.insert(record["eventType"].as_str().unwrap().to_owned());
        }
    }
    let expected = [
        "(service event)",
        "AWSService",
        "AssumedRole",
        "FederatedUser",
        "IAMUser",
        "IdentityCenterUser",
        "Root",
        "SAMLUser",
        "WebIdentityUser",
    ];
    assert_eq!(
        types.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(
        event_types.iter().map(String::as_str).collect::<Vec<_>>(),
        ["AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent"]
    );
}

#[test]
fn the_test_decoder_rejects_two_members() {
    use std::io::Write;
    let member = |text: &[u8]| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    };
    let mut two = member(b"{\"Records\":[]}");
    assert_eq!(gunzip_single_member(&two).unwrap(), b"{\"Records\":[]}");
    two.extend(member(b"more"));
    assert!(gunzip_single_member(&two).is_err());
}

#[test]
fn summary_and_progress_agree_with_the_disk() {
    let config = small_config(2_000);
    let dir = tempfile::tempdir().unwrap();
    let last = std::sync::Mutex::new(None);
    let calls = std::sync::atomic::AtomicU64::new(0);
    let summary = opentrail_generate::generate(&config, dir.path(), |progress| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut last = last.lock().unwrap();
        if last.is_none_or(|previous: opentrail_generate::Progress| progress.files > previous.files)
        {
            *last = Some(progress);
        }
    })
    .unwrap();
    let last = last.into_inner().unwrap().unwrap();
    assert_eq!(calls.into_inner(), summary.files);
    assert_eq!(last.files, summary.files);
    assert_eq!(last.events, summary.events);
    assert_eq!(last.total_events, summary.events);
    assert_eq!(last.bytes_compressed, summary.bytes_compressed);
    let on_disk: u64 = crate::support::files_under(dir.path())
        .iter()
        .map(|path| std::fs::metadata(path).unwrap().len())
        .sum();
    assert_eq!(on_disk, summary.bytes_compressed);
    let raw: u64 = read_output(dir.path())
        .iter()
        .map(|file| file.json.len() as u64)
        .sum();
    assert_eq!(raw, summary.bytes_uncompressed);
    assert_eq!(summary.account_ids.len(), 3);
    assert!(summary.account_ids.iter().all(|id| id.len() == 12));
}

#[test]
fn invalid_configurations_are_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let config = GenerateConfig {
        data_event_fraction: 2.0,
        ..small_config(10)
    };
    let error = opentrail_generate::generate(&config, dir.path(), |_| {}).unwrap_err();
    assert!(matches!(
        error,
        opentrail_generate::Error::InvalidConfig { .. }
    ));
    assert!(
        error.to_string().contains("`data_event_fraction`"),
        "{error}"
    );
    assert!(crate::support::files_under(dir.path()).is_empty());
}

#[test]
fn periods_off_the_window_grid_keep_every_record_inside() {
    let start = crate::support::monday().saturating_add_millis(150_000);
    let end = start.saturating_add_millis(2 * 3_600_000 + 37 * 60_000 + 10_000);
    let config = GenerateConfig {
        events: 1_500,
        start,
        end,
        bursts: vec![Burst::new(
            end.saturating_add_millis(-90_000),
            5,
            "sts.amazonaws.com",
            "GetCallerIdentity",
            30,
        )],
        ..small_config(0)
    };
    let (dir, summary) = run(&config);
    // The burst keeps only the minutes that start before `end`: 2 of 5.
    assert_eq!(summary.bursts[0].minutes.len(), 2);
    assert_eq!(summary.events, 1_500 + 60);
    let mut count = 0u64;
    for file in read_output(dir.path()) {
        for raw in &file.records {
            let event = Event::parse(raw.get().as_bytes(), &RecordLimits::STANDARD).unwrap();
            assert!(event.time() >= start && event.time() < end, "{}", raw.get());
            count += 1;
        }
    }
    assert_eq!(count, summary.events);
}
