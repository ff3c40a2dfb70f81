//! TestEventPattern: the envelope checks, then the matcher of `opentrail-patterns`.

use opentrail_rules::ErrorKind;
use opentrail_rules::input::TestEventPatternInput;

#[test]
fn test_event_pattern_checks_the_envelope_then_matches() {
    let envelope = |source: &str| {
        serde_json::json!({
            "version": "0", "id": "1", "detail-type": "AWS API Call via CloudTrail",
            "source": source, "account": "111122223333", "time": "2026-03-04T17:05:21Z",
            "region": "us-east-1", "resources": [], "detail": {}
        })
        .to_string()
    };
    let test = |event: String| {
        opentrail_rules::test_event_pattern(TestEventPatternInput {
            event_pattern: Some(String::from(r#"{"source":["aws.iam"]}"#)),
            event: Some(event),
        })
    };
    assert!(test(envelope("aws.iam")).unwrap());
    assert!(!test(envelope("aws.s3")).unwrap());
    let error = test(String::from(r#"{"source":"aws.iam"}"#)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    assert_eq!(
        error.message(),
        "Parameter Event is not valid. Reason: Provided Event is missing required field id."
    );
    let error = test(String::from("not json")).unwrap_err();
    assert_eq!(error.message(), "Parameter Event is not valid.");
    let error = opentrail_rules::test_event_pattern(TestEventPatternInput {
        event_pattern: Some(String::from("[]")),
        event: Some(envelope("aws.iam")),
    })
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidEventPattern);
}
