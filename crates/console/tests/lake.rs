//! The Lake pages (the editor, a finished query with results and a chart, a running
//! query, a failed one), rendered from fixed view models and compared with goldens;
//! escaping, labels, CSRF fields and read-only views checked.

use std::path::PathBuf;

use opentrail_console::chart::{BarChart, BarItem, LineChart, LineSeries, XTick};
use opentrail_console::pages::lake::{
    ChartKind, LakeEditor, QueryPage, RecentQuery, ResultChart, ResultChartView, ResultsView,
    SampleLink, SavedQueryRow, StoreOption, lake_editor, query_page,
};
use opentrail_testkit::golden::assert_golden;

use crate::trails::{assert_forms_carry_csrf, assert_labelled};

const HOSTILE: &str = r#"<script>alert("x")</script>"#;
const STORE: &str = "a1b2c3d4-0000-4000-8000-000000000001";
const QUERY: &str = "5f0e9c1e-2b7a-4d51-9a3e-0c5d8a7b6f21";
const CSRF: &str = "csrf-token";

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/lake")
        .join(name)
}

fn editor_view(read_only: bool) -> LakeEditor {
    LakeEditor {
        csrf: CSRF.to_owned(),
        read_only,
        stores: vec![
            StoreOption {
                id: STORE.to_owned(),
                name: String::from("s1"),
                status: String::from("ENABLED"),
            },
            StoreOption {
                id: String::from("b1b2c3d4-0000-4000-8000-000000000002"),
                name: HOSTILE.to_owned(),
                status: String::from("STOPPED_INGESTION"),
            },
        ],
        stores_error: None,
        store: STORE.to_owned(),
        sql: format!(
            "SELECT eventName, count(*) AS events FROM {STORE} WHERE eventName <> '{HOSTILE}' GROUP BY eventName ORDER BY events DESC LIMIT 10"
        ),
        name: String::new(),
        samples: vec![
            SampleLink {
                title: String::from("API calls by service and action, busiest first"),
                href: format!("/console/lake?store={STORE}&sample=0"),
            },
            SampleLink {
                title: String::from("Console sign-ins"),
                href: format!("/console/lake?store={STORE}&sample=4"),
            },
        ],
        saved: vec![
            SavedQueryRow {
                id: String::from("0d7c0c6e-1111-4222-8333-444455556666"),
                name: String::from("Errors by user"),
                sql: format!(
                    "SELECT userIdentity.arn AS principal, COUNT(*) AS errors\nFROM {STORE}\nWHERE errorCode IS NOT NULL\nGROUP BY userIdentity.arn"
                ),
                open_href: format!(
                    "/console/lake?store={STORE}&saved=0d7c0c6e-1111-4222-8333-444455556666"
                ),
            },
            SavedQueryRow {
                id: String::from("id with/slash"),
                name: HOSTILE.to_owned(),
                sql: format!("SELECT '{HOSTILE}' FROM {STORE}"),
                open_href: format!("/console/lake?store={STORE}&saved=id+with%2Fslash"),
            },
        ],
        max_saved: 100,
        saved_error: None,
        recent: vec![
            RecentQuery {
                query_id: QUERY.to_owned(),
                status: String::from("FINISHED"),
                created: String::from("2026-03-05 02:14:00 UTC"),
                href: format!("/console/lake/queries/{QUERY}?store={STORE}"),
            },
            RecentQuery {
                query_id: String::from("6a0e9c1e-2b7a-4d51-9a3e-0c5d8a7b6f22"),
                status: String::from("FAILED"),
                created: String::from("2026-03-05 02:10:00 UTC"),
                href: format!(
                    "/console/lake/queries/6a0e9c1e-2b7a-4d51-9a3e-0c5d8a7b6f22?store={STORE}"
                ),
            },
        ],
        recent_error: None,
    }
}

#[test]
fn the_editor_offers_stores_samples_saved_and_recent_queries() {
    let body = lake_editor(&editor_view(false));
    assert_golden(&golden("editor.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert_labelled(&body);
    assert_forms_carry_csrf(&body, CSRF);
    assert!(body.contains("<form method=\"post\" action=\"/console/lake/run\" id=\"query-form\">"));
    assert!(body.contains("<button type=\"submit\" class=\"primary\">Run query</button>"));
    assert!(body.contains("formaction=\"/console/lake/saved\">Save query</button>"));
    assert!(body.contains(&format!(
        "<option value=\"{STORE}\" selected>s1 ({STORE}) · ENABLED</option>"
    )));
    // The saved query's id is one path segment of the delete form.
    assert!(body.contains("action=\"/console/lake/saved/id%20with%2Fslash/delete\""));
    assert!(body.contains("<table id=\"saved-queries\">"));
    assert!(body.contains("<table id=\"recent-queries\">"));
    assert!(body.contains("<span class=\"badge bad\">FAILED</span>"));
}

#[test]
fn read_only_principals_get_no_run_save_or_delete() {
    let body = lake_editor(&editor_view(true));
    assert_golden(&golden("editor-read-only.html"), &body);
    assert!(!body.contains("Run query"));
    assert!(!body.contains("Save query"));
    assert!(!body.contains(">Delete</button>"));
    assert!(body.contains("id=\"read-only-note\""));
    // The SQL is still shown to copy.
    assert!(body.contains("<textarea id=\"sql\""));
}

#[test]
fn an_editor_without_stores_says_how_to_get_one() {
    let view = LakeEditor {
        csrf: CSRF.to_owned(),
        sql: String::from(
            "SELECT eventName, count(*) AS events FROM EVENT_DATA_STORE_ID GROUP BY eventName ORDER BY events DESC LIMIT 10",
        ),
        max_saved: 100,
        saved_error: Some(String::from("The saved queries could not be read.")),
        ..LakeEditor::default()
    };
    let body = lake_editor(&view);
    assert_golden(&golden("editor-no-stores.html"), &body);
    assert!(body.contains("id=\"no-stores\""));
    assert!(body.contains("href=\"/console/stores\""));
    assert!(!body.contains("Recent queries"));
    assert!(body.contains("The saved queries could not be read."));
}

fn facts() -> Vec<(String, String)> {
    vec![
        (String::from("Events matched"), String::from("1,234")),
        (String::from("Events scanned"), String::from("5,678")),
        (
            String::from("Bytes scanned"),
            String::from("1.5 MB (1,572,864 bytes)"),
        ),
        (String::from("Execution time"), String::from("850 ms")),
        (
            String::from("Created"),
            String::from("2026-03-05 02:14:00 UTC"),
        ),
    ]
}

fn finished_view() -> QueryPage {
    let sql = format!(
        "SELECT eventName, count(*) AS events FROM {STORE} GROUP BY eventName ORDER BY events DESC LIMIT 10"
    );
    let rows = vec![
        vec![Some(String::from("ConsoleLogin")), Some(String::from("12"))],
        vec![Some(HOSTILE.to_owned()), Some(String::from("7"))],
        vec![None, Some(String::from("3"))],
    ];
    let chart = ResultChart::Bar(BarChart {
        title: String::from("events by eventName"),
        items: rows
            .iter()
            .map(|row| BarItem {
                label: row[0].clone().unwrap_or_else(|| String::from("NULL")),
                value: row[1].as_deref().unwrap().parse().unwrap(),
                href: None,
            })
            .collect(),
    });
    QueryPage {
        csrf: CSRF.to_owned(),
        query_id: QUERY.to_owned(),
        store: STORE.to_owned(),
        status: String::from("FINISHED"),
        facts: facts(),
        error_message: None,
        edit_href: format!("/console/lake?store={STORE}&sql=SELECT+eventName"),
        sql,
        can_cancel: false,
        results: Some(ResultsView {
            columns: vec![String::from("eventName"), String::from("events")],
            numeric: vec![false, true],
            rows,
            first_row: 51,
            total: 103,
            previous_href: Some(format!("/console/lake/queries/{QUERY}?store={STORE}&back=")),
            next_href: Some(format!(
                "/console/lake/queries/{QUERY}?store={STORE}&back=&back=t1&token=t2"
            )),
            csv_href: format!("/console/lake/queries/{QUERY}.csv"),
            max_download: 100_000,
            chart: Some(ResultChartView {
                action: format!("/console/lake/queries/{QUERY}"),
                hidden: vec![
                    (String::from("store"), STORE.to_owned()),
                    (String::from("back"), String::new()),
                    (String::from("token"), String::from("t1")),
                ],
                kind: ChartKind::Bar,
                columns: vec![String::from("eventName"), String::from("events")],
                numeric_columns: vec![String::from("events")],
                label_column: String::from("eventName"),
                value_columns: vec![String::from("events")],
                chart: Some(chart),
                note: String::from("The chart shows the first 3 rows of 103."),
            }),
        }),
        results_error: None,
    }
}

#[test]
fn a_finished_query_shows_statistics_results_and_a_chart() {
    let view = finished_view();
    let body = query_page(&view);
    assert_golden(&golden("query-finished.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert!(!body.contains("data-refresh"));
    assert!(!body.contains("Cancel query"));
    assert_labelled(&body);
    assert!(body.contains("<span class=\"badge good\">FINISHED</span>"));
    assert!(body.contains("<table id=\"results\">"));
    assert!(body.contains("<th scope=\"col\" class=\"num\">events</th>"));
    assert!(body.contains("<td class=\"muted\">NULL</td>"));
    assert!(body.contains("Rows 51–53 of 103"));
    assert!(body.contains(&format!(
        "href=\"/console/lake/queries/{QUERY}.csv\" download>Download CSV</a>"
    )));
    assert!(body.contains(">Edit in editor</a>"));
    assert!(body.contains("<svg "));
    assert!(body.contains("<select id=\"chart-kind\" name=\"chart\">"));
    assert!(body.contains("name=\"y\" value=\"events\" checked"));
    assert!(body.contains(">Draw chart</button>"));
}

#[test]
fn a_line_chart_of_several_series_is_drawn() {
    let mut view = finished_view();
    let results = view.results.as_mut().unwrap();
    results.columns = vec![
        String::from("hour"),
        String::from("events"),
        String::from("errors"),
    ];
    results.numeric = vec![false, true, true];
    results.rows = vec![
        vec![
            Some(String::from("2026-03-05 00:00:00.000")),
            Some(String::from("40")),
            Some(String::from("2")),
        ],
        vec![
            Some(String::from("2026-03-05 01:00:00.000")),
            Some(String::from("55")),
            Some(String::from("0")),
        ],
    ];
    results.first_row = 1;
    results.total = 2;
    results.previous_href = None;
    results.next_href = None;
    let chart = results.chart.as_mut().unwrap();
    chart.kind = ChartKind::Line;
    chart.columns = results.columns.clone();
    chart.numeric_columns = vec![String::from("events"), String::from("errors")];
    chart.label_column = String::from("hour");
    chart.value_columns = chart.numeric_columns.clone();
    chart.hidden = vec![(String::from("store"), STORE.to_owned())];
    chart.note = String::from("The chart shows all 2 rows.");
    chart.chart = Some(ResultChart::Line(LineChart {
        title: String::from("events, errors by hour"),
        series: vec![
            LineSeries {
                name: String::from("events"),
                points: vec![(0.0, 40.0), (1.0, 55.0)],
            },
            LineSeries {
                name: String::from("errors"),
                points: vec![(0.0, 2.0), (1.0, 0.0)],
            },
        ],
        x_ticks: vec![
            XTick {
                x: 0.0,
                label: String::from("2026-03-05 00:00:00.000"),
            },
            XTick {
                x: 1.0,
                label: String::from("2026-03-05 01:00:00.000"),
            },
        ],
        baseline: None,
        windows: Vec::new(),
    }));
    let body = query_page(&view);
    assert_golden(&golden("query-line-chart.html"), &body);
    assert!(body.contains("<option value=\"line\" selected>Line</option>"));
    assert!(body.contains("chart-line"));
    assert!(body.contains("<button type=\"button\" disabled>Previous page</button>"));
    assert!(body.contains("Rows 1–2 of 2"));
}

#[test]
fn a_running_query_reloads_and_can_be_cancelled() {
    let view = QueryPage {
        csrf: CSRF.to_owned(),
        query_id: QUERY.to_owned(),
        store: STORE.to_owned(),
        status: String::from("RUNNING"),
        facts: facts(),
        sql: format!("SELECT * FROM {STORE}"),
        edit_href: format!("/console/lake?store={STORE}&sql=SELECT+*"),
        can_cancel: true,
        ..QueryPage::default()
    };
    let body = query_page(&view);
    assert_golden(&golden("query-running.html"), &body);
    assert!(body.contains("<p id=\"query-status\" data-refresh=\"1000\""));
    assert!(body.contains(&format!(
        "<form method=\"post\" action=\"/console/lake/queries/{QUERY}/cancel\" data-confirm=\"Cancel this query?\">"
    )));
    assert!(body.contains("<button type=\"submit\" class=\"danger\">Cancel query</button>"));
    assert_forms_carry_csrf(&body, CSRF);
    assert!(!body.contains("id=\"results\""));
    // A read-only principal sees the status but no cancel button.
    let read_only = QueryPage {
        can_cancel: false,
        ..view
    };
    assert!(!query_page(&read_only).contains("Cancel query"));
}

#[test]
fn a_failed_query_shows_its_error() {
    let view = QueryPage {
        csrf: CSRF.to_owned(),
        query_id: QUERY.to_owned(),
        status: String::from("FAILED"),
        facts: facts(),
        error_message: Some(format!("column `{HOSTILE}` does not exist")),
        sql: format!("SELECT nope FROM {STORE}"),
        edit_href: String::from("/console/lake?sql=SELECT+nope"),
        ..QueryPage::default()
    };
    let body = query_page(&view);
    assert_golden(&golden("query-failed.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert!(body.contains("<span class=\"badge bad\">FAILED</span>"));
    assert!(body.contains("<div class=\"notice error\" role=\"alert\">column `&lt;script&gt;"));
    assert!(body.contains("<a href=\"/console/lake\">← Lake query editor</a>"));
}
