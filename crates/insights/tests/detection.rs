//! Start and End decisions, baselines and their daily recomputation, with a paused clock.

use opentrail_insights::{InsightState, InsightType, InsightsConfig};
use opentrail_types::Timestamp;

use crate::support::{Call, Driver, day0, minutes};

const CLEANUP: &str = "arn:aws:sts::111122223333:assumed-role/Cleanup/fn";
const BOTO: &str = "Boto3/1.35.1";

fn at_day(day: i64, minute_of_day: i64) -> Timestamp {
    day0().saturating_add_millis(minutes(day * 1440 + minute_of_day))
}

/// Eight days of 2 RunInstances calls a minute.
fn eight_quiet_days() -> Driver {
    let mut driver = Driver::new(InsightsConfig::default());
    let run = Call::write("ec2.amazonaws.com", "RunInstances");
    driver.steady(&run, day0(), 8 * 1440, 2);
    driver
}

#[test]
fn burst_starts_within_two_minutes_and_ends_after_ten_calm_minutes() {
    let mut driver = eight_quiet_days();
    assert!(driver.events.is_empty(), "steady traffic is normal");
    let run = Call::write("ec2.amazonaws.com", "RunInstances");
    let burst = run.clone().by(CLEANUP, BOTO);
    let begin = at_day(8, 600);
    for minute in 0..40 {
        let time = begin.saturating_add_millis(minutes(minute));
        driver.steady(&run, time, 1, 2);
        if minute < 5 {
            driver.steady(&burst, time, 1, 40);
        }
    }
    driver.advance_to(at_day(8, 700));
    let events = &driver.events;
    assert_eq!(events.len(), 2, "{events:#?}");
    let (start, end) = (&events[0], &events[1]);
    assert_eq!(start.state, InsightState::Start);
    assert_eq!(start.key.insight_type, InsightType::ApiCallRateInsight);
    assert_eq!(start.key.event_name, "RunInstances");
    assert_eq!(start.event_time, begin);
    let delay = start.emitted_at.as_millis() - begin.as_millis();
    assert!(
        delay <= 120_000,
        "Start decided {delay} ms after the burst began"
    );
    assert_eq!(start.baseline_average, 2.0);
    assert_eq!(start.baseline_duration, 8 * 1440);
    assert_eq!(start.insight_duration, 2);
    let who = &start.attributions[0];
    assert_eq!(who.attribute, "userIdentityArn");
    assert_eq!(who.insight[0].0, CLEANUP);
    assert_eq!(who.baseline[0].0, "arn:aws:iam::111122223333:user/alice");
    assert_eq!(who.baseline[0].1, 2.0);

    assert_eq!(end.state, InsightState::End);
    assert_eq!(end.shared_event_id, start.shared_event_id);
    assert_ne!(end.event_id, start.event_id);
    assert_eq!(end.event_time, begin.saturating_add_millis(minutes(5)));
    assert_eq!(end.insight_duration, 5);
    assert_eq!(end.insight_average, 42.0);
    assert_eq!(end.baseline_duration, start.baseline_duration);
    let who = &end.attributions[0];
    assert_eq!(who.insight[0], (String::from(CLEANUP), 40.0));
    assert_eq!(
        who.insight[1],
        (String::from("arn:aws:iam::111122223333:user/alice"), 2.0)
    );
    // End is decided after ten calm, closed minutes.
    assert!(end.emitted_at >= begin.saturating_add_millis(minutes(15)));
}

#[test]
fn nothing_is_detected_before_seven_days_of_history() {
    let mut driver = Driver::new(InsightsConfig::default());
    let run = Call::write("ec2.amazonaws.com", "RunInstances");
    driver.steady(&run, day0(), 6 * 1440, 2);
    driver.steady(&run, at_day(6, 60), 10, 200);
    driver.advance_to(at_day(6, 200));
    assert!(driver.events.is_empty(), "{:#?}", driver.events);
}

#[test]
fn imported_history_builds_the_baseline_at_once() {
    let mut driver = Driver::new(InsightsConfig::default());
    // The clock is at day 30; history of days 20 to 29 arrives now, as an import would.
    driver.advance_to(at_day(30, 60));
    let run = Call::write("ec2.amazonaws.com", "RunInstances");
    for minute in 0..(9 * 1440) {
        let time = at_day(21, minute);
        let record = run.record(time);
        let observation = opentrail_insights::Observation::parse(&record).unwrap();
        driver
            .analyzer
            .observe(&observation, driver.now, &driver.enabled);
    }
    // The late events are taken into the baseline at the next recomputation, five
    // minutes later by default, not the next midnight.
    driver.advance_to(at_day(30, 66));
    driver.steady(&run.clone().by(CLEANUP, BOTO), at_day(30, 67), 3, 30);
    let starts: Vec<_> = driver
        .events
        .iter()
        .filter(|event| event.state == InsightState::Start)
        .collect();
    assert_eq!(starts.len(), 1, "{:#?}", driver.events);
    assert_eq!(starts[0].baseline_average, 1.0);
    assert_eq!(starts[0].baseline_duration, 9 * 1440);
    assert_eq!(starts[0].event_time, at_day(30, 67));
}

#[test]
fn late_history_read_with_a_burst_is_in_the_baseline_the_burst_is_judged_on() {
    let mut driver = Driver::new(InsightsConfig {
        late_recompute_seconds: 0,
        ..InsightsConfig::default()
    });
    driver.advance_to(at_day(30, 60));
    let run = Call::write("ec2.amazonaws.com", "RunInstances");
    // One batch: history at 3 calls a minute, then a burst now, with no tick between.
    for minute in 0..(9 * 1440) {
        let record = run.record(at_day(21, minute));
        let observation = opentrail_insights::Observation::parse(&record).unwrap();
        for _ in 0..3 {
            driver
                .analyzer
                .observe(&observation, driver.now, &driver.enabled);
        }
    }
    driver.steady(&run.clone().by(CLEANUP, BOTO), at_day(30, 59), 2, 60);
    let start = &driver.events[0];
    assert_eq!(start.state, InsightState::Start);
    assert_eq!(start.baseline_average, 3.0);
}

#[test]
fn the_daily_recomputation_takes_in_a_new_level_and_ends_the_insight() {
    let mut driver = eight_quiet_days();
    let run = Call::write("ec2.amazonaws.com", "RunInstances");
    // From day 8 the API is called 30 times a minute, for good.
    driver.steady(&run, at_day(8, 0), 1440 + 60, 30);
    let events = &driver.events;
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(events[0].state, InsightState::Start);
    assert_eq!(events[0].event_time, at_day(8, 0));
    // Midnight's recomputation puts the mean near 5 and σ near 9: 30 a minute is normal
    // from then on, and after ten calm minutes the Insight ends. Minutes close a minute
    // after they end, so the last two of day 8 are judged with the new baseline too.
    assert_eq!(events[1].state, InsightState::End);
    assert_eq!(events[1].event_time, at_day(8, 1438));
    assert_eq!(events[1].insight_duration, 1438);
    assert_eq!(events[1].baseline_average, 2.0);
}

#[test]
fn an_error_storm_on_a_quiet_api_starts_in_its_first_minute() {
    let mut driver = eight_quiet_days();
    let terminate = Call::write("ec2.amazonaws.com", "TerminateInstances");
    driver.steady(&terminate, day0(), 8 * 1440, 1);
    let denied = terminate.clone().failing("AccessDenied").by(CLEANUP, BOTO);
    let begin = at_day(8, 300);
    // 8 failing calls a minute: the call rate (9) stays under its threshold (10).
    driver.steady(&denied, begin, 3, 8);
    driver.advance_to(at_day(8, 400));
    let errors: Vec<_> = driver
        .events
        .iter()
        .filter(|event| event.key.insight_type == InsightType::ApiErrorRateInsight)
        .collect();
    assert_eq!(errors.len(), 2, "{:#?}", driver.events);
    let start = errors[0];
    assert_eq!(start.key.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(start.event_time, begin);
    assert!(start.emitted_at < begin.saturating_add_millis(minutes(1)));
    let codes = start
        .attributions
        .iter()
        .find(|attribution| attribution.attribute == "errorCode")
        .unwrap();
    assert_eq!(codes.insight[0].0, "AccessDenied");
    assert_eq!(errors[1].state, InsightState::End);
    assert_eq!(errors[1].insight_duration, 3);
    // Every unusual minute's calls are in the End's contributors, the first included.
    let codes = errors[1]
        .attributions
        .iter()
        .find(|attribution| attribution.attribute == "errorCode")
        .unwrap();
    assert_eq!(codes.insight[0], (String::from("AccessDenied"), 8.0));
    assert!(
        driver
            .events
            .iter()
            .all(|event| event.key.insight_type == InsightType::ApiErrorRateInsight)
    );
}

#[test]
fn a_one_minute_insight_ends_with_its_contributors() {
    let mut driver = eight_quiet_days();
    let terminate = Call::write("ec2.amazonaws.com", "TerminateInstances");
    let denied = terminate.failing("AccessDenied").by(CLEANUP, BOTO);
    driver.steady(&denied, at_day(8, 300), 1, 9);
    driver.advance_to(at_day(8, 400));
    assert_eq!(driver.events.len(), 2, "{:#?}", driver.events);
    let end = &driver.events[1];
    assert_eq!(end.state, InsightState::End);
    assert_eq!(end.insight_duration, 1);
    assert_eq!(end.insight_average, 9.0);
    assert_eq!(end.attributions[0].insight[0], (String::from(CLEANUP), 9.0));
}

#[test]
fn read_only_calls_feed_error_rates_only() {
    let mut driver = eight_quiet_days();
    let describe = Call::read("ec2.amazonaws.com", "DescribeInstances");
    driver.steady(&describe, at_day(8, 10), 5, 300);
    driver.advance_to(at_day(8, 60));
    assert!(driver.events.is_empty(), "{:#?}", driver.events);
    driver.steady(&describe.failing("Throttling"), at_day(8, 70), 2, 50);
    driver.advance_to(at_day(8, 120));
    assert_eq!(driver.events.len(), 2);
    assert_eq!(
        driver.events[0].key.insight_type,
        InsightType::ApiErrorRateInsight
    );
}

#[test]
fn a_busy_api_falling_silent_starts_a_collapse() {
    let mut driver = Driver::new(InsightsConfig::default());
    let busy = Call::write("sqs.amazonaws.com", "SendMessage");
    let other = Call::write("ec2.amazonaws.com", "CreateTags");
    for minute in 0..(8 * 1440 + 60) {
        let time = day0().saturating_add_millis(minutes(minute));
        driver.steady(&other, time, 1, 1);
        let silent = (8 * 1440 + 10..8 * 1440 + 25).contains(&minute);
        if !silent {
            driver.steady(&busy, time, 1, 20);
        }
    }
    driver.advance_to(at_day(8, 90));
    let events = &driver.events;
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(events[0].state, InsightState::Start);
    assert_eq!(events[0].event_time, at_day(8, 10));
    assert_eq!(events[0].insight_average, 0.0);
    assert_eq!(events[1].state, InsightState::End);
    assert_eq!(events[1].event_time, at_day(8, 25));
    assert_eq!(events[1].insight_duration, 15);
}

#[test]
fn an_insight_nobody_enabled_stays_silent_to_its_end() {
    let mut driver = eight_quiet_days();
    driver.enabled = |_| false;
    let burst = Call::write("ec2.amazonaws.com", "RunInstances").by(CLEANUP, BOTO);
    driver.steady(&burst, at_day(8, 600), 5, 40);
    // Enabled mid-way: the End of an Insight whose Start nobody received is not sent.
    driver.enabled = |_| true;
    driver.advance_to(at_day(8, 700));
    assert!(driver.events.is_empty(), "{:#?}", driver.events);
    // The next burst is reported.
    driver.steady(&burst, at_day(8, 800), 5, 40);
    assert_eq!(driver.events.len(), 1);
}

#[test]
fn same_events_and_clock_give_the_same_ids() {
    let run = |_: ()| {
        let mut driver = eight_quiet_days();
        let burst = Call::write("ec2.amazonaws.com", "RunInstances").by(CLEANUP, BOTO);
        driver.steady(&burst, at_day(8, 600), 5, 40);
        driver.advance_to(at_day(8, 700));
        driver
            .events
            .iter()
            .map(|event| (event.event_id.clone(), event.shared_event_id.clone()))
            .collect::<Vec<_>>()
    };
    let first = run(());
    assert_eq!(first.len(), 2);
    assert_eq!(first, run(()));
}
