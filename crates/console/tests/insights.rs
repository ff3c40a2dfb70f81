//! The Insights pages (the list and one Insight with its rate chart, contributors and
//! records), rendered from fixed view models and compared with goldens; escaping and
//! labels checked.

use std::path::PathBuf;

use opentrail_console::chart::{LineChart, LineSeries, XTick, XWindow};
use opentrail_console::pages::insights::{
    Attribution, InsightDetail, InsightList, InsightRecord, InsightRow, insight_detail,
    insight_list,
};
use opentrail_testkit::golden::assert_golden;

use crate::trails::assert_labelled;

const HOSTILE: &str = r#"<script>alert("x")</script>"#;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/insights")
        .join(name)
}

fn list_view() -> InsightList {
    InsightList {
        range: String::from("90d"),
        start: String::from("2025-12-05T03:00"),
        end: String::from("2026-03-05T03:00"),
        rows: vec![
            InsightRow {
                href: String::from(
                    "/console/insights/c0ffee00-0000-4000-8000-000000000001?range=90d&at=1772679600000",
                ),
                event_name: String::from("RunInstances"),
                event_source: String::from("ec2.amazonaws.com"),
                insight_type: String::from("ApiCallRateInsight"),
                error_code: String::new(),
                start_time: String::from("2026-03-05 02:50:00 UTC"),
                end_time: None,
                baseline_average: String::from("1"),
                insight_average: String::from("40"),
            },
            InsightRow {
                href: String::from(
                    "/console/insights/a41c2e7b-0f3d-4b8a-9c6e-2d1f7e5a3b90?range=90d&at=1772679600000",
                ),
                event_name: String::from("TerminateInstances"),
                event_source: String::from("ec2.amazonaws.com"),
                insight_type: String::from("ApiCallRateInsight"),
                error_code: String::new(),
                start_time: String::from("2026-03-05 02:14:00 UTC"),
                end_time: Some(String::from("2026-03-05 02:31:00 UTC")),
                baseline_average: String::from("0.00124"),
                insight_average: String::from("6.235"),
            },
            InsightRow {
                href: String::from("/console/insights/e1?range=90d&at=1772679600000"),
                event_name: String::from("GetObject"),
                event_source: String::from("s3.amazonaws.com"),
                insight_type: String::from("ApiErrorRateInsight"),
                error_code: HOSTILE.to_owned(),
                start_time: String::from("2026-03-01 10:00:00 UTC"),
                end_time: Some(String::from("2026-03-01 10:12:00 UTC")),
                baseline_average: String::from("0.000123"),
                insight_average: String::from("12"),
            },
        ],
        truncated_at: None,
        error: None,
    }
}

#[test]
fn the_list_pairs_start_and_end_in_rows() {
    let body = insight_list(&list_view());
    assert_golden(&golden("list.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert_labelled(&body);
    assert!(body.contains("<table id=\"insights\">"));
    assert!(body.contains(
        "<a href=\"/console/insights/a41c2e7b-0f3d-4b8a-9c6e-2d1f7e5a3b90?range=90d&amp;at=1772679600000\">TerminateInstances</a>"
    ));
    assert!(body.contains("<td class=\"mono\">ongoing</td>"));
    assert!(body.contains("<span class=\"badge warn\">Ongoing</span>"));
    assert!(body.contains("<span class=\"badge good\">Ended</span>"));
    assert!(body.contains("<td>API error rate</td>"));
    assert!(body.contains("<option value=\"90d\" selected>90 days</option>"));
}

#[test]
fn an_empty_or_failed_list_says_so() {
    let empty = InsightList {
        range: String::from("1d"),
        truncated_at: Some(1000),
        ..InsightList::default()
    };
    let body = insight_list(&empty);
    assert!(body.contains("No Insights events in this time range."));
    assert!(body.contains("id=\"insights-truncated\""));
    let failed = InsightList {
        error: Some(format!("InvalidTimeRangeException: {HOSTILE}")),
        ..InsightList::default()
    };
    let body = insight_list(&failed);
    assert_golden(&golden("list-failed.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert!(!body.contains("<table"));
}

fn detail_view() -> InsightDetail {
    // Minutes from 00:14 to 04:31 (epoch ms of 2026-03-05T00:14:00Z is 1772669640000).
    let from = 1_772_669_640_000.0;
    let minute = 60_000.0;
    let points: Vec<(f64, f64)> = (0..258)
        .map(|index| {
            let value = if (120..137).contains(&index) {
                if index < 122 { 14.0 } else { 6.0 }
            } else if index % 97 == 0 {
                1.0
            } else {
                0.0
            };
            (from + index as f64 * minute, value)
        })
        .collect();
    let tick = |minutes: f64, label: &str| XTick {
        x: from + minutes * minute,
        label: label.to_owned(),
    };
    InsightDetail {
        list_href: String::from("/console/insights?range=90d&at=1772679600000"),
        facts: vec![
            (String::from("State"), String::from("Ended")),
            (String::from("Insight type"), String::from("API call rate")),
            (
                String::from("Event source"),
                String::from("ec2.amazonaws.com"),
            ),
            (
                String::from("Event name"),
                String::from("TerminateInstances"),
            ),
            (
                String::from("Start time"),
                String::from("2026-03-05 02:14:00 UTC"),
            ),
            (
                String::from("End time"),
                String::from("2026-03-05 02:31:00 UTC"),
            ),
            (String::from("Duration"), String::from("17 minutes")),
            (
                String::from("Baseline average"),
                String::from("0.00124 per minute"),
            ),
            (
                String::from("Insight average"),
                String::from("6.235 per minute"),
            ),
            (
                String::from("Baseline duration"),
                String::from("11,520 minutes (8 days)"),
            ),
            (String::from("AWS Region"), String::from("us-east-1")),
            (String::from("Shared event ID"), String::new()),
        ],
        rate_heading: String::from("Call rate"),
        chart: LineChart {
            title: String::from("Calls per minute of TerminateInstances"),
            series: vec![LineSeries {
                name: String::from("Calls per minute"),
                points,
            }],
            x_ticks: vec![
                tick(16.0, "00:30"),
                tick(46.0, "01:00"),
                tick(76.0, "01:30"),
                tick(106.0, "02:00"),
                tick(136.0, "02:30"),
                tick(166.0, "03:00"),
                tick(196.0, "03:30"),
                tick(226.0, "04:00"),
                tick(256.0, "04:30"),
            ],
            baseline: Some(0.0012401),
            windows: vec![XWindow {
                start: from + 120.0 * minute,
                end: from + 137.0 * minute,
                label: String::from("Insight 02:14–02:31 UTC"),
            }],
        },
        chart_note: String::from(
            "Calls per minute, each minute, from 2026-03-05 00:14:00 UTC to 2026-03-05 04:31:00 UTC. The dashed line is the baseline average; the shaded band is the Insight.",
        ),
        chart_error: None,
        attributions: vec![
            Attribution {
                attribute: String::from("userIdentityArn"),
                label: String::from("User identity ARN"),
                insight: vec![
                    (
                        String::from(
                            "arn:aws:sts::210987654321:assumed-role/CleanupLambda/cleanup-fn",
                        ),
                        String::from("6"),
                    ),
                    (
                        String::from("arn:aws:iam::210987654321:user/alice"),
                        String::from("0.235"),
                    ),
                ],
                baseline: vec![(
                    String::from("arn:aws:iam::210987654321:user/alice"),
                    String::from("0.00124"),
                )],
            },
            Attribution {
                attribute: String::from("userAgent"),
                label: String::from("User agent"),
                insight: vec![(HOSTILE.to_owned(), String::from("6"))],
                baseline: Vec::new(),
            },
        ],
        history_href: String::from(
            "/console/events?attr=EventName&value=TerminateInstances&range=custom&start=2026-03-05T02%3A14&end=2026-03-05T02%3A32&at=1772679600000",
        ),
        history_label: String::from("TerminateInstances events during the Insight"),
        records: vec![
            InsightRecord {
                state: String::from("Start"),
                event_id: String::from("a41c2e7b-0f3d-4b8a-9c6e-2d1f7e5a3b90"),
                event_time: String::from("2026-03-05 02:14:00 UTC"),
                json: String::from(
                    "{\n  \"eventID\": \"a41c2e7b-0f3d-4b8a-9c6e-2d1f7e5a3b90\",\n  \"insightDetails\": {\n    \"state\": \"Start\"\n  }\n}",
                ),
            },
            InsightRecord {
                state: String::from("End"),
                event_id: String::from("e93d0b5c-7a21-4f6e-b8d4-05c3a2f1e6d7"),
                event_time: String::from("2026-03-05 02:31:00 UTC"),
                json: format!(
                    "{{\n  \"eventID\": \"e93d0b5c-7a21-4f6e-b8d4-05c3a2f1e6d7\",\n  \"note\": \"{}\"\n}}",
                    HOSTILE.replace('"', "\\\"")
                ),
            },
        ],
    }
}

#[test]
fn an_insight_shows_its_rate_against_the_baseline_and_its_contributors() {
    let body = insight_detail(&detail_view());
    assert_golden(&golden("detail.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert!(body.contains("<h2 id=\"rate-heading\">Call rate</h2>"));
    assert!(body.contains("chart-line"));
    assert!(body.contains("class=\"baseline\""));
    assert!(body.contains("class=\"window\""));
    assert!(body.contains("<table id=\"contributors-userIdentityArn\">"));
    assert!(body.contains("<table id=\"baseline-userIdentityArn\">"));
    assert!(body.contains("<details id=\"record-start\">"));
    assert!(body.contains("<details id=\"record-end\">"));
    assert!(body.contains(">TerminateInstances events during the Insight</a>"));
    assert!(
        body.contains(
            "<a href=\"/console/insights?range=90d&amp;at=1772679600000\">← Insights</a>"
        )
    );
    // An empty fact reads as a dash.
    assert!(body.contains("<dt>Shared event ID</dt><dd>—</dd>"));
}

#[test]
fn a_rate_that_cannot_be_read_is_reported_in_place_of_the_chart() {
    let view = InsightDetail {
        chart_error: Some(format!("InvalidParameterException: {HOSTILE}")),
        attributions: Vec::new(),
        ..detail_view()
    };
    let body = insight_detail(&view);
    assert!(!body.contains(HOSTILE));
    assert!(!body.contains("<svg"));
    assert!(body.contains(
        "<div class=\"notice error\" role=\"alert\">InvalidParameterException: &lt;script&gt;"
    ));
    assert!(body.contains("The Insights events name no contributors."));
}
