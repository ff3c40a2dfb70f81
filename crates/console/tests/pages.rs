//! The frame, the sign-in page, event history, one record and the dashboard, rendered
//! from fixed view models and compared with goldens; escaping and links checked.

use std::path::PathBuf;

use opentrail_console::layout::{Frame, Notice, Section, User, page};
use opentrail_console::pages::dashboard::{Choice, Dashboard, InsightItem, Panel, dashboard};
use opentrail_console::pages::events::{
    Column, EventDetail, EventHistory, EventRow, SignIn, event_detail, event_history, sign_in,
};
use opentrail_testkit::golden::assert_golden;

const HOSTILE: &str = r#"<script>alert("x")</script>"#;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/pages")
        .join(name)
}

fn user() -> User {
    User {
        arn: String::from("arn:aws:iam::111111111111:user/admin"),
        account_id: String::from("111111111111"),
        read_only: false,
    }
}

fn history_view() -> EventHistory {
    EventHistory {
        filters: vec![(String::from("EventName"), String::from("ConsoleLogin"))],
        range: String::from("1d"),
        start: String::from("2026-11-21T07:00"),
        end: String::from("2026-11-22T07:00"),
        columns: Column::DEFAULT.to_vec(),
        page_size: 50,
        rows: vec![
            EventRow {
                event_id: String::from("6d1bd6a4-9c83-4c3e-9a46-0f1f5d9a3a11"),
                event_time: String::from("2026-11-22 06:43:53 UTC"),
                username: String::from("admin"),
                event_name: String::from("ConsoleLogin"),
                event_source: String::from("signin.amazonaws.com"),
                access_key_id: String::from("AKIAEXAMPLE000000000"),
                source_ip: String::from("127.0.0.1"),
                ..EventRow::default()
            },
            EventRow {
                event_id: String::from("a/b?c"),
                event_time: String::from("2026-11-22 06:40:00 UTC"),
                username: String::from(HOSTILE),
                event_name: String::from("DeleteTrail"),
                resource_types: vec![String::from("AWS::CloudTrail::Trail")],
                resource_names: vec![String::from("main")],
                event_source: String::from("cloudtrail.amazonaws.com"),
                error_code: String::from("TrailNotFoundException"),
                ..EventRow::default()
            },
        ],
        page: 2,
        previous_href: Some(String::from("/console/events?range=1d&back=")),
        next_href: Some(String::from(
            "/console/events?range=1d&back=&back=x&token=y",
        )),
        filter_query: String::from("attr=EventName&value=ConsoleLogin&range=1d"),
        max_download: 100_000,
        error: None,
    }
}

#[test]
fn event_history_renders_filters_rows_and_paging() {
    let body = event_history(&history_view());
    assert_golden(&golden("events.html"), &body);
    // Data never becomes markup; ids become safe path segments.
    assert!(!body.contains(HOSTILE));
    assert!(body.contains("&lt;script&gt;"));
    assert!(body.contains("href=\"/console/events/a%2Fb%3Fc\""));
    assert!(body.contains(
        "href=\"/console/events.csv?attr=EventName&amp;value=ConsoleLogin&amp;range=1d\""
    ));
    // Every input has a label.
    for id in ["attr0", "value0", "range", "start", "end", "n"] {
        assert!(body.contains(&format!("<label for=\"{id}\"")), "{id}");
    }
}

#[test]
fn event_history_shows_an_error_instead_of_the_table() {
    let view = EventHistory {
        error: Some(String::from("InvalidLookupAttributesException: no")),
        ..history_view()
    };
    let body = event_history(&view);
    assert!(body.contains("role=\"alert\">InvalidLookupAttributesException: no<"));
    assert!(!body.contains("<table"));
}

#[test]
fn an_event_record_is_shown_with_its_facts() {
    let view = EventDetail {
        facts: vec![
            (
                String::from("User name"),
                String::from("admin"),
                Some(String::from("/console/events?attr=Username&value=admin")),
            ),
            (String::from("Error code"), String::new(), None),
        ],
        resources: vec![(String::from("AWS::S3::Bucket"), String::from(HOSTILE))],
        record_json: String::from(
            "{\n  \"eventName\": \"ConsoleLogin\",\n  \"readOnly\": false,\n  \"n\": -1.5e3,\n  \"x\": null,\n  \"s\": \"<b>\\\"q\\\"</b>\"\n}",
        ),
    };
    let body = event_detail(&view);
    assert_golden(&golden("event.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert!(body.contains("<span class=\"k\">&quot;eventName&quot;</span>"));
    assert!(body.contains("<span class=\"n\">-1.5e3</span>"));
    assert!(
        body.contains("<span class=\"s\">&quot;&lt;b&gt;\\&quot;q\\&quot;&lt;/b&gt;&quot;</span>")
    );
}

#[test]
fn the_frame_marks_the_section_and_signs_out_with_the_token() {
    let user = user();
    let notice = Notice::Done(String::from("Trail created"));
    let frame = Frame {
        title: "Trails",
        section: Some(Section::Trails),
        user: Some(&user),
        csrf: "token\"1",
        notice: Some(&notice),
    };
    let html = page(&frame, "<p>body</p>");
    assert_golden(&golden("frame.html"), &html);
    assert!(html.contains("<a href=\"/console/trails\" aria-current=\"page\">Trails</a>"));
    assert!(html.contains("name=\"csrf\" value=\"token&quot;1\""));
    assert!(html.contains("role=\"status\">Trail created<"));
}

#[test]
fn the_sign_in_page_has_labelled_fields_and_no_navigation() {
    let body = sign_in(&SignIn {
        csrf: String::from("abc"),
        access_key_id: String::from("AKIA\"x"),
        next: String::from("/console/events"),
    });
    assert_golden(&golden("signin.html"), &body);
    assert!(body.contains("value=\"AKIA&quot;x\""));
    let frame = Frame {
        title: "Sign in",
        section: None,
        user: None,
        csrf: "",
        notice: None,
    };
    let html = page(&frame, &body);
    assert!(!html.contains("<nav"));
    assert!(!html.contains("Sign out"));
}

#[test]
fn the_dashboard_links_every_chart_to_history() {
    let view = Dashboard {
        ranges: vec![
            Choice {
                label: String::from("1 hour"),
                href: String::from("/console/?range=1h"),
                current: false,
            },
            Choice {
                label: String::from("1 day"),
                href: String::from("/console/?range=1d"),
                current: true,
            },
        ],
        groupings: vec![Choice {
            label: String::from("By category"),
            href: String::from("/console/?by=category"),
            current: true,
        }],
        range_text: String::from("2026-11-21 07:00:00 UTC – 2026-11-22 07:00:00 UTC"),
        total: String::from("1,234"),
        history_href: String::from("/console/events?range=1d"),
        over_time: String::from("<svg class=\"chart\"></svg>"),
        panels: vec![Panel {
            title: String::from("Top event names"),
            chart: String::from("<svg class=\"chart\"></svg>"),
            history_href: String::from("/console/events?range=1d"),
        }],
        insights: vec![InsightItem {
            summary: String::from("ApiCallRateInsight on RunInstances"),
            state: String::from("Start"),
            time: String::from("2026-11-22 06:00:00 UTC"),
            href: String::from("/console/insights/abc"),
        }],
        error: None,
    };
    let body = dashboard(&view);
    assert_golden(&golden("dashboard.html"), &body);
    assert!(body.contains("<a href=\"/console/?range=1d\" aria-current=\"true\">1 day</a>"));
    assert!(body.contains("<a href=\"/console/events?range=1d\">1,234 events</a>"));
    assert!(body.contains("href=\"/console/insights/abc\""));
}
