//! The Insights record form (spec §4.4, §4.7), pinned by a golden file.

use std::path::Path;

use opentrail_insights::InsightsConfig;
use opentrail_testkit::golden::assert_golden;

use crate::support::{Call, Driver, day0, minutes};

#[test]
fn start_and_end_records_match_the_golden() {
    let mut driver = Driver::new(InsightsConfig::default());
    let terminate = Call::write("ec2.amazonaws.com", "TerminateInstances");
    driver.steady(&terminate, day0(), 8 * 1440, 1);
    let begin = day0().saturating_add_millis(minutes(8 * 1440 + 134));
    let denied = terminate.failing("AccessDenied").by(
        "arn:aws:sts::111122223333:assumed-role/Cleanup/fn",
        "Boto3/1.35.1",
    );
    driver.steady(&denied, begin, 2, 12);
    driver.advance_to(begin.saturating_add_millis(minutes(30)));
    let mut text = String::new();
    for event in &driver.events {
        text.push_str(std::str::from_utf8(&event.to_record()).unwrap());
        text.push('\n');
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/error-rate.ndjson");
    assert_golden(&golden, &text);
}
