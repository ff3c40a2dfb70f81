//! Delivery to webhooks and API destinations against a scripted local receiver.

use std::sync::Arc;
use std::time::Duration;

use opentrail_routing::{
    ApiDestination, DeadLetterReason, Deliverer, HEADER_EVENT_ID, HEADER_RULE, HEADER_SIGNATURE,
    HEADER_TIMESTAMP, Outcome, WEBHOOK_USER_AGENT, sign,
};
use opentrail_types::{ManualClock, SeededIds};
use serde_json::json;

use crate::support::{
    Reply, WebhookServer, fast_config, job, json_lines, rule, start_time, target, test_envelope,
};

fn deliverer(config: opentrail_routing::TargetsConfig) -> Deliverer {
    let clock = Arc::new(ManualClock::new(start_time()));
    Deliverer::with_ids(config, clock, Arc::new(SeededIds::new(7))).unwrap()
}

#[tokio::test]
async fn webhook_delivers_after_server_errors_with_all_headers() {
    let server = WebhookServer::start(vec![
        Reply::Status(503),
        Reply::Status(500),
        Reply::Status(429),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let webhook = target(json!({
        "id": "hook",
        "arn": server.url("/hooks/audit?team=sec"),
        "http_parameters": {
            "header_parameters": [["X-Team", "security"], ["Content-Type", "text/plain"]],
            "query_string_parameters": [["source", "opentrail"]],
            "path_parameter_values": []
        }
    }));
    let outcome = deliverer(fast_config(dir.path()))
        .deliver(&job(webhook, start_time()))
        .await;
    assert_eq!(outcome, Outcome::Delivered { attempts: 4 });

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let last = &requests[3];
    assert_eq!(last.method, "POST");
    assert_eq!(last.target, "/hooks/audit?team=sec&source=opentrail");
    assert_eq!(last.header("content-type"), Some("application/json"));
    assert_eq!(last.header("user-agent"), Some(WEBHOOK_USER_AGENT));
    assert_eq!(last.header(HEADER_RULE), Some(rule().arn.as_str()));
    assert_eq!(last.header(HEADER_EVENT_ID), Some(test_envelope().id()));
    assert_eq!(last.header("x-team"), Some("security"));
    assert_eq!(last.header(HEADER_SIGNATURE), None);
    assert_eq!(last.body, test_envelope().json_bytes());
    // Every attempt carries the same envelope id, so the receiver can drop duplicates.
    assert!(
        requests
            .iter()
            .all(|request| request.header(HEADER_EVENT_ID) == Some(test_envelope().id()))
    );
    server.shutdown().await;
}

#[tokio::test]
async fn timeouts_are_retried() {
    let server = WebhookServer::start(vec![Reply::Delayed(Duration::from_secs(2), 200)]).await;
    let dir = tempfile::tempdir().unwrap();
    let webhook = target(json!({"id": "hook", "arn": server.url("/slow")}));
    let outcome = deliverer(fast_config(dir.path()))
        .deliver(&job(webhook, start_time()))
        .await;
    assert_eq!(outcome, Outcome::Delivered { attempts: 2 });
    assert_eq!(server.requests().len(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn connection_errors_are_retried_until_the_attempts_run_out() {
    // Bind, note the port, and close it again: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let dir = tempfile::tempdir().unwrap();
    let webhook = target(json!({
        "id": "hook",
        "arn": format!("http://{address}/"),
        "retry_policy": {"maximum_retry_attempts": 2, "maximum_event_age_in_seconds": null}
    }));
    let outcome = deliverer(fast_config(dir.path()))
        .deliver(&job(webhook, start_time()))
        .await;
    let Outcome::DeadLettered { attempts, reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(attempts, 3);
    assert_eq!(reason.code(), "retry_attempts_exhausted");
}

#[tokio::test]
async fn api_destination_requests_are_signed() {
    let server = WebhookServer::start(vec![Reply::Status(502)]).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = fast_config(dir.path());
    config.api_destinations.push(ApiDestination {
        name: String::from("alerts"),
        url: server.url("/alerts"),
        secret: Some(String::from("webhook-secret")),
        timeout: Duration::from_secs(2),
        headers: vec![(String::from("Authorization"), String::from("Bearer t0ken"))],
    });
    let destination = target(json!({
        "id": "alerts",
        "arn": "arn:aws:events:us-east-1:210987654321:api-destination/alerts/0f6b8e6c-7e0a-4d6e-9d4b-7d3c2f1e0a9b",
        "input_transformer": {
            "input_paths_map": [["user", "$.detail.requestParameters.userName"]],
            "input_template": "{\"text\": \"new user <user>\", \"rule\": <aws.events.rule-name>}"
        }
    }));
    let outcome = deliverer(config)
        .deliver(&job(destination, start_time()))
        .await;
    assert_eq!(outcome, Outcome::Delivered { attempts: 2 });

    for request in server.requests() {
        assert_eq!(
            request.body,
            br#"{"text":"new user build-bot","rule":"iam-changes"}"#
        );
        assert_eq!(request.header("authorization"), Some("Bearer t0ken"));
        let timestamp = request.header(HEADER_TIMESTAMP).unwrap();
        assert_eq!(timestamp, start_time().as_secs().to_string());
        let expected = sign("webhook-secret", timestamp.parse().unwrap(), &request.body);
        assert_eq!(request.header(HEADER_SIGNATURE), Some(expected.as_str()));
        assert!(expected.starts_with("sha256=") && expected.len() == 7 + 64);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn client_errors_go_to_the_dead_letter_file_at_once() {
    let server = WebhookServer::start(vec![Reply::Status(404)]).await;
    let dir = tempfile::tempdir().unwrap();
    let config = fast_config(dir.path());
    let dead_letter_file = config.dead_letter_file.clone();
    let webhook = target(json!({"id": "hook", "arn": server.url("/missing")}));
    let outcome = deliverer(config)
        .deliver(&job(Arc::clone(&webhook), start_time()))
        .await;
    let Outcome::DeadLettered { attempts, reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(attempts, 1);
    assert!(
        matches!(&reason, DeadLetterReason::NotRetryable { error } if error.contains("404")),
        "{reason}"
    );
    assert_eq!(server.requests().len(), 1);

    let lines = json_lines(&dead_letter_file);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!(line["time"], "2026-03-04T17:05:30.000Z");
    assert_eq!(line["ruleArn"], rule().arn);
    assert_eq!(line["ruleName"], "iam-changes");
    assert_eq!(line["targetId"], "hook");
    assert_eq!(line["targetArn"], webhook.arn);
    assert_eq!(line["attempts"], 1);
    assert_eq!(line["reason"], reason.to_string());
    let event: serde_json::Value = serde_json::from_str(test_envelope().json()).unwrap();
    assert_eq!(line["event"], event);
    server.shutdown().await;
}

#[tokio::test]
async fn a_negative_retry_after_stops_retrying() {
    let server = WebhookServer::start(vec![Reply::WithHeader(503, "Retry-After", "-1")]).await;
    let dir = tempfile::tempdir().unwrap();
    let webhook = target(json!({"id": "hook", "arn": server.url("/")}));
    let outcome = deliverer(fast_config(dir.path()))
        .deliver(&job(webhook, start_time()))
        .await;
    let Outcome::DeadLettered { attempts, reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!((attempts, reason.code()), (1, "not_retryable"));
    server.shutdown().await;
}

#[tokio::test]
async fn maximum_retry_attempts_then_the_targets_dead_letter_file() {
    let replies = vec![Reply::Status(503); 10];
    let server = WebhookServer::start(replies).await;
    let dir = tempfile::tempdir().unwrap();
    let config = fast_config(dir.path());
    let target_dead_letters = config.file_dir.join("dlq/iam.ndjson");
    let webhook = target(json!({
        "id": "hook",
        "arn": server.url("/down"),
        "retry_policy": {"maximum_retry_attempts": 2, "maximum_event_age_in_seconds": 3600},
        "dead_letter_arn": "file:dlq/iam.ndjson"
    }));
    let outcome = deliverer(config).deliver(&job(webhook, start_time())).await;
    let Outcome::DeadLettered { attempts, reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(attempts, 3);
    assert!(
        matches!(&reason, DeadLetterReason::RetryAttemptsExhausted { last_error } if last_error.contains("503")),
        "{reason}"
    );
    assert_eq!(server.requests().len(), 3);
    let lines = json_lines(&target_dead_letters);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["attempts"], 3);
    server.shutdown().await;
}

#[tokio::test]
async fn maximum_event_age_then_dead_letter() {
    let server = WebhookServer::start(vec![Reply::Status(503)]).await;
    let dir = tempfile::tempdir().unwrap();
    let config = fast_config(dir.path());
    let dead_letter_file = config.dead_letter_file.clone();
    let webhook = target(json!({
        "id": "hook",
        "arn": server.url("/"),
        "retry_policy": {"maximum_retry_attempts": null, "maximum_event_age_in_seconds": 60}
    }));
    // Acknowledged 61 s before the clock's now: the first attempt is made, no retry.
    let acknowledged = start_time().saturating_add_millis(-61_000);
    let outcome = deliverer(config).deliver(&job(webhook, acknowledged)).await;
    let Outcome::DeadLettered { attempts, reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(attempts, 1);
    assert_eq!(reason.code(), "event_age_exceeded");
    assert!(reason.to_string().contains("503"), "{reason}");
    assert_eq!(
        json_lines(&dead_letter_file)[0]["reason"],
        reason.to_string()
    );
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_api_destinations_are_dead_lettered_without_an_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let config = fast_config(dir.path());
    let dead_letter_file = config.dead_letter_file.clone();
    let unknown = target(json!({
        "id": "nowhere",
        "arn": "arn:aws:events:us-east-1:210987654321:api-destination/nowhere"
    }));
    let outcome = deliverer(config).deliver(&job(unknown, start_time())).await;
    let Outcome::DeadLettered { attempts, reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!((attempts, reason.code()), (0, "invalid_target"));
    assert!(reason.to_string().contains("`nowhere`"), "{reason}");
    assert_eq!(json_lines(&dead_letter_file)[0]["attempts"], 0);
}

#[tokio::test]
async fn configurations_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(start_time()));
    let mut config = fast_config(dir.path());
    config.api_destinations.push(ApiDestination {
        name: String::from("ftp"),
        url: String::from("ftp://example.com/"),
        secret: None,
        timeout: Duration::from_secs(5),
        headers: Vec::new(),
    });
    let error = Deliverer::new(config, clock.clone()).unwrap_err();
    assert_eq!(error.kind(), opentrail_routing::ErrorKind::Config);
    let mut config = fast_config(dir.path());
    config.backoff_initial = Duration::ZERO;
    assert!(Deliverer::new(config, clock).is_err());
}
