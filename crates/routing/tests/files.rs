//! File and stdout targets, and retry timing on tokio's paused clock.

use std::sync::Arc;
use std::time::Duration;

use opentrail_routing::{Deliverer, Outcome, TargetsConfig};
use opentrail_types::{ManualClock, SeededIds};
use serde_json::json;

use crate::support::{TokioClock, fast_config, job, json_lines, start_time, target, test_envelope};

#[tokio::test]
async fn file_targets_append_one_json_line_per_event() {
    let dir = tempfile::tempdir().unwrap();
    let config = fast_config(dir.path());
    let path = config.file_dir.join("alerts/iam.ndjson");
    let clock = Arc::new(ManualClock::new(start_time()));
    let deliverer = Deliverer::new(config, clock).unwrap();

    let whole = target(json!({"id": "whole", "arn": "file:alerts/iam.ndjson"}));
    let name = target(json!({
        "id": "name",
        "arn": "file:alerts/iam.ndjson",
        "input_path": "$.detail.eventName"
    }));
    let text = target(json!({
        "id": "text",
        "arn": "file:alerts/iam.ndjson",
        "input_transformer": {
            "input_paths_map": [["user", "$.detail.requestParameters.userName"]],
            "input_template": "<user>\nwas created"
        }
    }));
    for file_target in [whole, name, text] {
        let outcome = deliverer.deliver(&job(file_target, start_time())).await;
        assert_eq!(outcome, Outcome::Delivered { attempts: 1 });
    }
    let content = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = content.lines().collect();
    assert_eq!(lines.len(), 3, "{content}");
    assert_eq!(lines[0], test_envelope().json());
    assert_eq!(lines[1], r#""CreateUser""#);
    // A text body is written as a JSON string, so the line stays one line.
    assert_eq!(lines[2], r#""build-bot\nwas created""#);
    assert!(content.ends_with('\n'));
    assert_eq!(json_lines(&path).len(), 3);
}

#[tokio::test]
async fn stdout_targets_deliver() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(start_time()));
    let deliverer = Deliverer::new(fast_config(dir.path()), clock).unwrap();
    let stdout = target(json!({"id": "out", "arn": "stdout:", "input": "{\"stdout\": \"test\"}"}));
    let outcome = deliverer.deliver(&job(stdout, start_time())).await;
    assert_eq!(outcome, Outcome::Delivered { attempts: 1 });
}

#[tokio::test]
async fn rendering_errors_are_dead_lettered_without_an_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let config = fast_config(dir.path());
    let dead_letter_file = config.dead_letter_file.clone();
    let clock = Arc::new(ManualClock::new(start_time()));
    let deliverer = Deliverer::new(config, clock).unwrap();
    let missing = target(json!({
        "id": "missing",
        "arn": "file:out.ndjson",
        "input_path": "$.detail.notThere"
    }));
    let outcome = deliverer.deliver(&job(missing, start_time())).await;
    let Outcome::DeadLettered { attempts, reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!((attempts, reason.code()), (0, "input"));
    assert_eq!(json_lines(&dead_letter_file).len(), 1);
}

/// Settings whose file target cannot be written: `rules/blocked` is a file, so
/// `file:blocked/out.ndjson` fails on every attempt.
fn blocked_config(dir: &std::path::Path, initial_secs: u64, max_secs: u64) -> TargetsConfig {
    let mut config = fast_config(dir);
    config.backoff_initial = Duration::from_secs(initial_secs);
    config.backoff_max = Duration::from_secs(max_secs);
    std::fs::create_dir_all(&config.file_dir).unwrap();
    std::fs::write(config.file_dir.join("blocked"), b"").unwrap();
    config
}

#[tokio::test(start_paused = true)]
async fn backoff_waits_stay_within_their_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let config = blocked_config(dir.path(), 1, 4);
    let clock = Arc::new(ManualClock::new(start_time()));
    let deliverer = Deliverer::with_ids(config, clock, Arc::new(SeededIds::new(1))).unwrap();
    let blocked = target(json!({
        "id": "blocked",
        "arn": "file:blocked/out.ndjson",
        "retry_policy": {"maximum_retry_attempts": 5}
    }));
    let started = tokio::time::Instant::now();
    let outcome = deliverer.deliver(&job(blocked, start_time())).await;
    let waited = started.elapsed();
    let Outcome::DeadLettered { attempts, reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!((attempts, reason.code()), (6, "retry_attempts_exhausted"));
    // Five waits, each at most 1, 2, 4, 4 and 4 s.
    assert!(waited <= Duration::from_secs(15), "{waited:?}");
    assert!(waited > Duration::ZERO, "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn full_jitter_spreads_waits_over_the_whole_range() {
    // With many retries at a fixed cap, waits average about half the cap.
    let dir = tempfile::tempdir().unwrap();
    let config = blocked_config(dir.path(), 2, 2);
    let clock = Arc::new(ManualClock::new(start_time()));
    let deliverer = Deliverer::with_ids(config, clock, Arc::new(SeededIds::new(2))).unwrap();
    let blocked = target(json!({
        "id": "blocked",
        "arn": "file:blocked/out.ndjson",
        "retry_policy": {"maximum_retry_attempts": 100}
    }));
    let started = tokio::time::Instant::now();
    let outcome = deliverer.deliver(&job(blocked, start_time())).await;
    let waited = started.elapsed();
    assert!(matches!(
        outcome,
        Outcome::DeadLettered { attempts: 101, .. }
    ));
    assert!(
        waited > Duration::from_secs(60) && waited < Duration::from_secs(140),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_event_age_limit_ends_retries() {
    let dir = tempfile::tempdir().unwrap();
    let config = blocked_config(dir.path(), 1, 30);
    let clock = Arc::new(TokioClock::new(start_time()));
    let deliverer = Deliverer::with_ids(config, clock, Arc::new(SeededIds::new(3))).unwrap();
    let blocked = target(json!({
        "id": "blocked",
        "arn": "file:blocked/out.ndjson",
        "retry_policy": {"maximum_event_age_in_seconds": 60}
    }));
    let started = tokio::time::Instant::now();
    let outcome = deliverer.deliver(&job(blocked, start_time())).await;
    let waited = started.elapsed();
    let Outcome::DeadLettered { reason, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(reason.code(), "event_age_exceeded");
    assert!(
        waited > Duration::from_secs(60) && waited <= Duration::from_secs(90),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_dead_letter_write_is_retried_until_it_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = blocked_config(dir.path(), 1, 8);
    // The dead-letter folder is blocked too, until the "operator" fixes it.
    config.dead_letter_file = config.file_dir.join("blocked/dead-letter.ndjson");
    let blocker = config.file_dir.join("blocked");
    let dead_letter_file = config.dead_letter_file.clone();
    let clock = Arc::new(ManualClock::new(start_time()));
    let deliverer = Deliverer::with_ids(config, clock, Arc::new(SeededIds::new(4))).unwrap();
    let blocked = target(json!({
        "id": "blocked",
        "arn": "file:blocked/out.ndjson",
        "retry_policy": {"maximum_retry_attempts": 0}
    }));
    let fix = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        std::fs::remove_file(&blocker).unwrap();
    });
    let started = tokio::time::Instant::now();
    let outcome = deliverer.deliver(&job(blocked, start_time())).await;
    assert!(started.elapsed() >= Duration::from_secs(30));
    assert!(matches!(outcome, Outcome::DeadLettered { attempts: 1, .. }));
    fix.await.unwrap();
    assert_eq!(json_lines(&dead_letter_file).len(), 1);
}
