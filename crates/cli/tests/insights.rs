//! `opentrail insights evaluate` and `opentrail insights detect` (issue 6).

use serde_json::Value;

use crate::support::{opentrail, stderr, stdout};

fn number(report: &Value, field: &str) -> f64 {
    report[field]
        .as_f64()
        .unwrap_or_else(|| panic!("`{field}` is not a number in {report:#}"))
}

#[test]
fn insights_evaluate_scores_a_small_generated_workload() {
    let output = opentrail()
        .args([
            "insights",
            "evaluate",
            "--days",
            "8",
            "--events-per-day",
            "20000",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();

    let workload = &report["workload"];
    assert_eq!(workload["days"], 8);
    assert_eq!(workload["anomaly_days"], serde_json::json!(["2026-03-09"]));
    assert!(workload["background_events"].as_u64().unwrap() >= 160_000);
    assert!(workload["injected_events"].as_u64().unwrap() > 0);

    assert_eq!(report["anomalies"], 40);
    assert_eq!(report["decoys"], 15);
    let injections = report["injections"].as_array().unwrap();
    assert_eq!(injections.len(), 55);
    let anomalies = number(&report, "anomalies");
    let detected = number(&report, "detected");
    assert!(detected <= anomalies);
    assert!((number(&report, "recall") - detected / anomalies).abs() < 1e-9);
    let starts = number(&report, "starts");
    let true_starts = number(&report, "true_starts");
    assert!(true_starts <= starts);
    let precision = if starts == 0.0 {
        1.0
    } else {
        true_starts / starts
    };
    assert!((number(&report, "precision") - precision).abs() < 1e-9);
    assert_eq!(
        report["missed"].as_array().unwrap().len() as f64,
        anomalies - detected
    );
    assert_eq!(
        report["false_starts"].as_array().unwrap().len() as f64,
        starts - true_starts
    );
    if detected > 0.0 {
        assert!(number(&report, "median_delay_seconds") <= number(&report, "max_delay_seconds"));
    }
    assert!(number(&report, "events_replayed") > 160_000.0);
    assert!(number(&report, "analyzer_events_per_second") > 0.0);

    let bars = report["bars"].as_object().unwrap();
    for bar in ["recall", "precision", "max_delay_seconds"] {
        assert!(bars[bar]["holds"].is_boolean(), "{bar}");
    }
    for injection in injections {
        let anomalous = injection["anomalous"].as_bool().unwrap();
        assert_eq!(injection["detected"].is_boolean(), anomalous);
        assert_eq!(injection["reported"].is_boolean(), !anomalous);
        assert!(injection["per_minute"].as_u64().unwrap() >= 1);
        if anomalous {
            assert!(injection["per_minute"].as_u64().unwrap() >= 15);
        }
    }
}

fn fixture_logs() -> std::path::PathBuf {
    opentrail_testkit::testdata::root().join("cloudtrail-logs")
}

#[test]
fn insights_detect_needs_history_before_the_day_it_judges() {
    let output = opentrail()
        .args(["insights", "detect"])
        .arg(fixture_logs())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("read 1784 records from 33 files"), "{text}");
    assert!(text.contains("insights: 0 started, 0 ended"), "{text}");
    assert!(text.contains("nothing can be detected"), "{text}");
}

#[test]
fn insights_detect_finds_the_fixture_throttling_bursts() {
    let output = opentrail()
        .args(["insights", "detect", "--assume-quiet-days", "7"])
        .arg(fixture_logs())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for api in [
        "ssm.amazonaws.com PutParameter ThrottlingException",
        "ssm.amazonaws.com DescribeParameters ThrottlingException",
        "ssm.amazonaws.com DeleteParameter ThrottlingException",
    ] {
        let starts = text
            .lines()
            .filter(|line| line.contains(" Start ") && line.contains(api))
            .count();
        assert_eq!(starts, 1, "one Start for `{api}` in\n{text}");
    }
    assert!(text.contains("assumed 7 quiet days"), "{text}");

    let output = opentrail()
        .args([
            "insights",
            "detect",
            "--assume-quiet-days",
            "7",
            "--records",
        ])
        .arg(fixture_logs())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("insights:"), "{}", stderr(&output));
    let records: Vec<Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(!records.is_empty());
    let mut open = std::collections::BTreeMap::new();
    for record in &records {
        assert_eq!(record["eventType"], "AwsCloudTrailInsight");
        assert_eq!(record["eventCategory"], "Insight");
        assert_eq!(record["recipientAccountId"], "123837392027");
        let details = &record["insightDetails"];
        assert_eq!(
            details["insightContext"]["statistics"]["baselineDuration"],
            10080
        );
        let shared = record["sharedEventID"].as_str().unwrap().to_owned();
        match details["state"].as_str().unwrap() {
            "Start" => assert!(open.insert(shared, ()).is_none()),
            "End" => assert!(open.remove(&shared).is_some(), "an End without its Start"),
            other => panic!("state `{other}`"),
        }
    }
    assert!(open.is_empty(), "every Insight ended within the hour after");
}

#[test]
fn insights_detect_reads_detection_settings() {
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join("insights.toml");
    std::fs::write(&config, "rare_error_minute = 50\n").unwrap();
    let output = opentrail()
        .args(["insights", "detect", "--assume-quiet-days", "7", "--config"])
        .arg(&config)
        .arg(fixture_logs())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains("PutParameter ThrottlingException"), "{text}");

    std::fs::write(&config, "start_minute = 3\n").unwrap();
    let output = opentrail()
        .args(["insights", "detect", "--config"])
        .arg(&config)
        .arg(fixture_logs())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("start_minute"),
        "{}",
        stderr(&output)
    );
}
