//! `import`, `lookup-events` and `generate` from the outside.

use crate::support::{import_fixtures, opentrail, stderr, stdout};

#[test]
fn import_then_lookup_finds_the_fixture_events() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let output = import_fixtures(&data);
    let summary = stdout(&output);
    assert!(summary.contains("1 digest files skipped"), "{summary}");
    assert!(summary.contains("0 rejected"), "{summary}");

    let output = opentrail()
        .args(["lookup-events", "--data-dir"])
        .arg(&data)
        .args([
            "--lookup-attributes",
            "AttributeKey=EventName,AttributeValue=StopLogging",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let events = result["Events"].as_array().unwrap();
    assert!(!events.is_empty());
    for event in events {
        assert_eq!(event["EventName"], "StopLogging");
        let record: serde_json::Value =
            serde_json::from_str(event["CloudTrailEvent"].as_str().unwrap()).unwrap();
        assert_eq!(record["eventName"], "StopLogging");
    }

    // Re-importing adds nothing, and the exit code is still 0.
    let again = import_fixtures(&data);
    assert!(
        stdout(&again).starts_with("imported 0 events"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn several_attributes_are_anded_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    import_fixtures(&data);
    let output = opentrail()
        .args(["lookup-events", "--data-dir"])
        .arg(&data)
        .args([
            "--lookup-attributes",
            "AttributeKey=EventSource,AttributeValue=ec2.amazonaws.com",
            "AttributeKey=ReadOnly,AttributeValue=false",
            "--start-time",
            "2023-07-10",
            "--page-size",
            "7",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let result: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let events = result["Events"].as_array().unwrap();
    assert!(
        events.len() > 7,
        "all pages should be printed, got {}",
        events.len()
    );
    for event in events {
        assert_eq!(event["EventSource"], "ec2.amazonaws.com");
        assert_eq!(event["ReadOnly"], "false");
    }
}

#[test]
fn bad_requests_fail_with_the_aws_wording_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = opentrail()
        .args(["lookup-events", "--data-dir"])
        .arg(dir.path())
        .args(["--lookup-attributes", "AttributeKey=Nope,AttributeValue=x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("An error occurred (InvalidLookupAttributesException) when calling the LookupEvents operation: unknown lookup attribute `Nope`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn imports_with_failures_exit_1_and_list_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.json");
    std::fs::write(&input, r#"{"Records":[{"eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"x"}]}"#).unwrap();
    let output = opentrail()
        .args(["import", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let summary = stdout(&output);
    assert!(
        summary.contains("record 0: field `eventTime` is missing"),
        "{summary}"
    );
}

#[test]
fn looking_up_in_a_missing_data_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo");
    let output = opentrail()
        .args(["lookup-events", "--data-dir"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("does not exist"),
        "{}",
        stderr(&output)
    );
    assert!(!missing.try_exists().unwrap());
}

#[test]
fn a_locked_data_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _held = opentrail_store::DataDir::open(dir.path()).unwrap();
    let output = opentrail()
        .args(["lookup-events", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is in use by another process"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn config_files_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("opentrail.toml");
    std::fs::write(&config, "[history]\nretention_dayz = 3\n").unwrap();
    let output = opentrail()
        .args(["lookup-events", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("retention_dayz"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn generated_logs_import_cleanly_and_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let output = opentrail()
            .args([
                "generate",
                "--events",
                "3000",
                "--seed",
                "7",
                "--duration",
                "2h",
                "--out",
            ])
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let listing = |root: &std::path::Path| {
        let mut files = Vec::new();
        let mut pending = vec![root.to_path_buf()];
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    files.push((
                        path.strip_prefix(root).unwrap().to_path_buf(),
                        std::fs::read(&path).unwrap(),
                    ));
                }
            }
        }
        files.sort();
        files
    };
    assert_eq!(
        listing(&dir.path().join("a")),
        listing(&dir.path().join("b"))
    );
    let output = opentrail()
        .args(["import", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg(dir.path().join("a"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("0 rejected"),
        "{}",
        stdout(&output)
    );
}
