//! Saved state and the metric series.

use opentrail_insights::{
    Analyzer, InsightState, InsightType, InsightsConfig, MetricQuery, Period, SnapshotError,
    SourceEventCategory,
};

use crate::support::{ACCOUNT, Call, Driver, REGION, day0, minutes};

#[test]
fn a_restored_analyzer_ends_the_insight_it_started() {
    let mut driver = Driver::new(InsightsConfig::default());
    let run = Call::write("ec2.amazonaws.com", "RunInstances");
    driver.steady(&run, day0(), 8 * 1440, 2);
    let begin = day0().saturating_add_millis(minutes(8 * 1440 + 100));
    driver.steady(&run, begin, 3, 50);
    assert_eq!(driver.events.len(), 1);
    let bytes = driver.analyzer.snapshot();
    driver.analyzer = Analyzer::restore(InsightsConfig::default(), &bytes).unwrap();
    driver.advance_to(begin.saturating_add_millis(minutes(60)));
    assert_eq!(driver.events.len(), 2);
    assert_eq!(driver.events[1].state, InsightState::End);
    assert_eq!(
        driver.events[1].shared_event_id,
        driver.events[0].shared_event_id
    );
}

#[test]
fn other_versions_and_garbage_are_refused() {
    let error =
        Analyzer::restore(InsightsConfig::default(), br#"{"version":9,"state":{}}"#).unwrap_err();
    assert!(matches!(error, SnapshotError::Version { found: 9 }));
    assert!(matches!(
        Analyzer::restore(InsightsConfig::default(), b"not json").unwrap_err(),
        SnapshotError::Decode(_)
    ));
}

fn query(period: Period, fill_with_zeros: bool, from: i64, to: i64) -> MetricQuery {
    MetricQuery {
        account: String::from(ACCOUNT),
        region: String::from(REGION),
        category: SourceEventCategory::Management,
        insight_type: InsightType::ApiCallRateInsight,
        event_source: String::from("ec2.amazonaws.com"),
        event_name: String::from("RunInstances"),
        error_code: None,
        start: day0().saturating_add_millis(minutes(from)),
        end: day0().saturating_add_millis(minutes(to)),
        period,
        fill_with_zeros,
    }
}

#[test]
fn metric_series_sum_each_period() {
    let mut driver = Driver::new(InsightsConfig::default());
    let run = Call::write("ec2.amazonaws.com", "RunInstances");
    driver.steady(&run, day0().saturating_add_millis(minutes(3)), 4, 3);
    driver.steady(&run, day0().saturating_add_millis(minutes(61)), 1, 7);
    let now = day0().saturating_add_millis(minutes(120));
    let analyzer = &driver.analyzer;
    let by_minute = analyzer.metric_series(&query(Period::Minute, false, 0, 120), now);
    assert_eq!(by_minute.len(), 5);
    assert_eq!(by_minute[0].0, day0().saturating_add_millis(minutes(3)));
    assert_eq!(by_minute[0].1, 3.0);
    assert_eq!(by_minute[4].1, 7.0);
    let by_five = analyzer.metric_series(&query(Period::FiveMinutes, false, 0, 120), now);
    assert_eq!(
        by_five.iter().map(|point| point.1).collect::<Vec<_>>(),
        vec![6.0, 6.0, 7.0]
    );
    let by_hour = analyzer.metric_series(&query(Period::Hour, true, 0, 180), now);
    assert_eq!(
        by_hour.iter().map(|point| point.1).collect::<Vec<_>>(),
        vec![12.0, 7.0, 0.0]
    );
    // End is exclusive, start inclusive; zeros fill the gaps when asked.
    let zeros = analyzer.metric_series(&query(Period::Minute, true, 3, 5), now);
    assert_eq!(zeros.len(), 2);
    let empty = analyzer.metric_series(&query(Period::Minute, false, 10, 60), now);
    assert!(empty.is_empty());
    // One-minute points are kept 15 days.
    let later = day0().saturating_add_millis(minutes(16 * 1440));
    assert!(
        analyzer
            .metric_series(&query(Period::Minute, true, 0, 120), later)
            .is_empty()
    );
    assert_eq!(
        analyzer
            .metric_series(&query(Period::Hour, false, 0, 120), later)
            .len(),
        2
    );
}
