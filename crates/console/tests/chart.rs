//! Chart rendering: goldens for each chart kind, plus the behaviour pages rely on
//! (escaping, links, label thinning, empty and extreme data, well-formed markup).
// The crate's `tests.rs` does not allow these yet; the helpers below fail by panicking.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

use std::path::PathBuf;

use opentrail_console::chart::{
    BarChart, BarItem, ColumnChart, ColumnSeries, LineChart, LineSeries, StackedColumns,
    TimeBucket, XTick, XWindow, bar_chart, column_chart, line_chart, stacked_columns,
};
use opentrail_testkit::golden::assert_golden;

/// The layout's per-character width estimate, used to check that labels do not overlap.
const CHAR_WIDTH: f64 = 7.2;
const HOSTILE: &str = r#"<script>alert("x")</script> & 'q'"#;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/chart")
        .join(name)
}

fn top_events() -> BarChart {
    let item = |label: &str, value, href: Option<&str>| BarItem {
        label: label.to_owned(),
        value,
        href: href.map(str::to_owned),
    };
    BarChart {
        title: "Top event names".to_owned(),
        items: vec![
            item("ConsoleLogin", 1234, Some("/events?EventName=ConsoleLogin")),
            item(
                "GetObject",
                987,
                Some("/events?EventName=GetObject&ReadOnly=true"),
            ),
            item("AssumeRole", 456, Some("/events?EventName=AssumeRole")),
            item("DescribeInstanceAttributeWithAVeryLongName", 78, None),
            item("PutObject", 0, None),
        ],
    }
}

fn events_over_time(bucket_count: usize) -> StackedColumns {
    let buckets = (0..bucket_count)
        .map(|index| TimeBucket {
            label: format!("{:02}:{:02}", 10 + index / 6, index % 6 * 10),
            href: (index % 2 == 0).then(|| format!("/events?StartTime={index}")),
            values: vec![
                (index as u64 * 7) % 23 + 3,
                (index as u64 * 3) % 5,
                u64::from(index == 3),
            ],
        })
        .collect();
    StackedColumns {
        title: "Events over time".to_owned(),
        series: vec![
            "Management".to_owned(),
            "Data".to_owned(),
            "Insight".to_owned(),
        ],
        buckets,
    }
}

fn api_call_rate() -> LineChart {
    let calls = [
        12.0, 14.0, 11.0, 13.0, 15.0, 12.0, 48.0, 61.0, 55.0, 14.0, 12.0, 13.0,
    ];
    LineChart {
        title: "AssumeRole call rate".to_owned(),
        series: vec![
            LineSeries {
                name: "API calls per minute".to_owned(),
                points: calls
                    .iter()
                    .enumerate()
                    .map(|(x, &y)| (x as f64, y))
                    .collect(),
            },
            LineSeries {
                name: "Errors".to_owned(),
                // Minutes 3 to 5 are missing; the points arrive out of order.
                points: vec![
                    (8.0, 4.0),
                    (0.0, 0.0),
                    (1.0, 1.0),
                    (2.0, 0.0),
                    (6.0, 9.5),
                    (7.0, 12.25),
                ],
            },
        ],
        x_ticks: (0..12)
            .step_by(2)
            .map(|x| XTick {
                x: f64::from(x),
                label: format!("10:{:02}", x * 5),
            })
            .collect(),
        baseline: Some(13.5),
        windows: vec![XWindow {
            start: 6.0,
            end: 8.0,
            label: "Insight 10:30–10:40".to_owned(),
        }],
    }
}

fn calls_by_region() -> ColumnChart {
    ColumnChart {
        title: "Calls by region".to_owned(),
        categories: ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"]
            .map(str::to_owned)
            .to_vec(),
        series: vec![
            ColumnSeries {
                name: "Read".to_owned(),
                values: vec![120.0, 75.5, 33.0, 8.0],
            },
            // No value for sa-east-1.
            ColumnSeries {
                name: "Write".to_owned(),
                values: vec![40.0, 22.0, f64::NAN],
            },
        ],
    }
}

#[test]
fn bar_chart_matches_golden() {
    let svg = bar_chart(&top_events());
    assert_well_formed(&svg);
    assert_golden(&golden("bar.svg"), &svg);
}

#[test]
fn stacked_columns_match_golden() {
    let svg = stacked_columns(&events_over_time(6));
    assert_well_formed(&svg);
    assert_golden(&golden("stacked.svg"), &svg);
}

#[test]
fn line_chart_matches_golden() {
    let svg = line_chart(&api_call_rate());
    assert_well_formed(&svg);
    assert_golden(&golden("line.svg"), &svg);
}

#[test]
fn column_chart_matches_golden() {
    let svg = column_chart(&calls_by_region());
    assert_well_formed(&svg);
    assert_golden(&golden("columns.svg"), &svg);
}

#[test]
fn empty_chart_matches_golden() {
    let svg = bar_chart(&BarChart {
        title: "Top event names".to_owned(),
        items: vec![],
    });
    assert_well_formed(&svg);
    assert_golden(&golden("empty.svg"), &svg);
}

#[test]
fn every_chart_escapes_text_from_data() {
    let hostile = HOSTILE.to_owned();
    let charts = [
        bar_chart(&BarChart {
            title: hostile.clone(),
            items: vec![BarItem {
                label: hostile.clone(),
                value: 3,
                href: Some(hostile.clone()),
            }],
        }),
        stacked_columns(&StackedColumns {
            title: hostile.clone(),
            series: vec![hostile.clone()],
            buckets: vec![TimeBucket {
                label: hostile.clone(),
                href: Some(hostile.clone()),
                values: vec![2],
            }],
        }),
        line_chart(&LineChart {
            title: hostile.clone(),
            series: vec![LineSeries {
                name: hostile.clone(),
                points: vec![(0.0, 1.0), (1.0, 2.0)],
            }],
            x_ticks: vec![XTick {
                x: 0.0,
                label: hostile.clone(),
            }],
            baseline: Some(1.5),
            windows: vec![XWindow {
                start: 0.0,
                end: 0.5,
                label: hostile.clone(),
            }],
        }),
        column_chart(&ColumnChart {
            title: hostile.clone(),
            categories: vec![hostile.clone()],
            series: vec![ColumnSeries {
                name: hostile.clone(),
                values: vec![4.0],
            }],
        }),
        bar_chart(&BarChart {
            title: hostile.clone(),
            items: vec![],
        }),
    ];
    for svg in charts {
        assert_well_formed(&svg);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains(r#"("x")"#), "{svg}");
        assert!(!svg.contains("'q'"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)"), "{svg}");
        assert!(svg.contains(
            r#"aria-label="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;""#
        ));
    }
}

#[test]
fn bar_chart_links_exactly_the_items_with_an_href() {
    let chart = top_events();
    let svg = bar_chart(&chart);
    assert_eq!(svg.matches("<a ").count(), 3);
    assert_eq!(svg.matches(r#"<g class="bar">"#).count(), 2);
    assert!(
        svg.contains(r#"<a class="bar" href="/events?EventName=GetObject&amp;ReadOnly=true">"#)
    );
    for item in &chart.items {
        let title = format!("<title>{}: ", item.label);
        assert_eq!(svg.matches(&title).count(), 1, "{}", item.label);
    }
    // A chart with links must not be role="img", which hides its children from screen readers.
    assert!(svg.contains(r#"role="group""#));
    assert!(
        bar_chart(&BarChart {
            items: chart.items[3..].to_vec(),
            ..chart
        })
        .contains(r#"role="img""#)
    );
}

#[test]
fn bar_chart_cuts_long_labels_but_keeps_them_in_the_title() {
    let svg = bar_chart(&top_events());
    assert!(svg.contains("<title>DescribeInstanceAttributeWithAVeryLongName: 78</title>"));
    assert!(svg.contains(">DescribeInstanceAttribu…</text>"));
    assert!(!svg.contains(">DescribeInstanceAttributeWithAVeryLongName<"));
}

#[test]
fn stacked_columns_link_each_bucket_with_an_href() {
    let chart = events_over_time(6);
    let svg = stacked_columns(&chart);
    assert_eq!(svg.matches(r#"<a class="column""#).count(), 3);
    assert_eq!(svg.matches(r#"<g class="column">"#).count(), 3);
    assert_eq!(svg.matches(r#"class="hit""#).count(), 3);
    assert!(svg.contains(r#"<a class="column" href="/events?StartTime=2">"#));
    assert!(svg.contains("<title>10:30: 29 (Management 24, Data 4, Insight 1)</title>"));
}

#[test]
fn stacked_columns_thin_x_labels_for_many_buckets() {
    let svg = stacked_columns(&events_over_time(200));
    assert_well_formed(&svg);
    let labels = x_labels(&svg);
    assert!((2..=12).contains(&labels.len()), "{labels:?}");
    assert_labels_apart(&labels);
    // Time labels are skipped, never cut.
    assert!(
        labels.iter().all(|(_, text)| !text.contains('…')),
        "{labels:?}"
    );
    assert_eq!(labels[0].1, "10:00");
}

#[test]
fn stacked_columns_show_every_label_when_there_is_room() {
    let labels = x_labels(&stacked_columns(&events_over_time(6)));
    let texts: Vec<&str> = labels.iter().map(|(_, text)| text.as_str()).collect();
    assert_eq!(
        texts,
        ["10:00", "10:10", "10:20", "10:30", "10:40", "10:50"]
    );
}

#[test]
fn line_chart_thins_caller_ticks() {
    let mut chart = api_call_rate();
    chart.x_ticks = (0..200)
        .map(|x| XTick {
            x: f64::from(x) / 20.0,
            label: format!("10:{x:03}"),
        })
        .collect();
    let svg = line_chart(&chart);
    assert_well_formed(&svg);
    let labels = x_labels(&svg);
    assert!((2..=12).contains(&labels.len()), "{labels:?}");
    assert_labels_apart(&labels);
}

#[test]
fn line_chart_draws_baseline_window_and_gapped_series() {
    let svg = line_chart(&api_call_rate());
    assert!(svg.contains(r#"<line class="baseline""#) && svg.contains(r#"stroke-dasharray="6 4""#));
    assert!(svg.contains(r#"<text class="baseline-label""#) && svg.contains(">baseline</text>"));
    assert!(svg.contains(r#"<rect class="window""#));
    assert!(svg.contains("<title>Insight 10:30–10:40</title>"));
    // The window is drawn behind the lines.
    assert!(svg.find(r#"class="window""#) < svg.find("<polyline"));
    assert_eq!(svg.matches("<polyline").count(), 2);
    let errors = svg.split("<polyline").nth(2).unwrap();
    let points = errors
        .split(r#"points=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(points.split(' ').count(), 6, "{points}");
    assert!(svg.contains("Errors: 6 points, min 0, max 12.25."));
}

#[test]
fn column_chart_cuts_or_skips_crowded_categories() {
    let chart = ColumnChart {
        title: "Calls by principal".to_owned(),
        categories: (0..100)
            .map(|index| format!("arn:aws:iam::123456789012:role/Role{index}"))
            .collect(),
        series: vec![ColumnSeries {
            name: "Calls".to_owned(),
            values: (0..100).map(f64::from).collect(),
        }],
    };
    let svg = column_chart(&chart);
    assert_well_formed(&svg);
    let labels = x_labels(&svg);
    assert!((2..=12).contains(&labels.len()), "{labels:?}");
    assert_labels_apart(&labels);
    // Cut labels keep their full text in a title.
    assert!(svg.contains("<title>arn:aws:iam::123456789012:role/Role0</title>"));
}

#[test]
fn every_chart_reports_no_data_when_empty() {
    let charts = [
        bar_chart(&BarChart::default()),
        stacked_columns(&StackedColumns::default()),
        stacked_columns(&StackedColumns {
            series: vec!["Management".to_owned()],
            ..StackedColumns::default()
        }),
        line_chart(&LineChart::default()),
        line_chart(&LineChart {
            series: vec![LineSeries {
                name: "calls".to_owned(),
                points: vec![(f64::NAN, 1.0), (1.0, f64::INFINITY)],
            }],
            ..LineChart::default()
        }),
        column_chart(&ColumnChart::default()),
        column_chart(&ColumnChart {
            categories: vec!["a".to_owned()],
            ..ColumnChart::default()
        }),
    ];
    for svg in charts {
        assert_well_formed(&svg);
        assert!(svg.contains(r#"class="chart chart-empty""#), "{svg}");
        assert!(svg.contains(">No data</text>"), "{svg}");
    }
}

#[test]
fn single_zero_values_draw_without_dividing_by_zero() {
    let charts = [
        bar_chart(&BarChart {
            title: "zero".to_owned(),
            items: vec![BarItem {
                label: "a".to_owned(),
                value: 0,
                href: None,
            }],
        }),
        stacked_columns(&StackedColumns {
            title: "zero".to_owned(),
            series: vec!["a".to_owned()],
            buckets: vec![TimeBucket {
                label: "10:00".to_owned(),
                href: None,
                values: vec![0],
            }],
        }),
        line_chart(&LineChart {
            title: "zero".to_owned(),
            series: vec![LineSeries {
                name: "a".to_owned(),
                points: vec![(0.0, 0.0)],
            }],
            x_ticks: vec![XTick {
                x: 0.0,
                label: "0".to_owned(),
            }],
            baseline: Some(0.0),
            windows: vec![XWindow {
                start: 0.0,
                end: 0.0,
                label: "empty".to_owned(),
            }],
        }),
        column_chart(&ColumnChart {
            title: "zero".to_owned(),
            categories: vec!["a".to_owned()],
            series: vec![ColumnSeries {
                name: "a".to_owned(),
                values: vec![0.0],
            }],
        }),
    ];
    for svg in charts {
        assert_well_formed(&svg);
        assert_finite(&svg);
        assert!(!svg.contains("chart-empty"), "{svg}");
    }
}

#[test]
fn very_large_values_stay_finite_and_compact() {
    let bar = bar_chart(&BarChart {
        title: "big".to_owned(),
        items: vec![
            BarItem {
                label: "max".to_owned(),
                value: u64::MAX,
                href: None,
            },
            BarItem {
                label: "one".to_owned(),
                value: 1,
                href: None,
            },
        ],
    });
    assert!(bar.contains(">18.45E</text>"), "{bar}");
    assert!(bar.contains("<title>max: 18,446,744,073,709,551,615</title>"));
    // The smallest non-zero bar is still visible.
    assert!(bar.contains(r#"width="1""#), "{bar}");

    let stacked = stacked_columns(&StackedColumns {
        title: "big".to_owned(),
        series: vec!["a".to_owned(), "b".to_owned()],
        buckets: vec![
            TimeBucket {
                label: "10:00".to_owned(),
                href: None,
                values: vec![u64::MAX, u64::MAX],
            },
            TimeBucket {
                label: "10:10".to_owned(),
                href: None,
                values: vec![1, 0],
            },
        ],
    });
    assert!(stacked.contains(">20E</text>"), "{stacked}");

    let line = line_chart(&LineChart {
        title: "big".to_owned(),
        series: vec![LineSeries {
            name: "a".to_owned(),
            points: vec![(0.0, f64::MAX), (1.0, -f64::MAX), (f64::MAX, 1e300)],
        }],
        x_ticks: vec![XTick {
            x: -f64::MAX,
            label: "far".to_owned(),
        }],
        baseline: Some(1e300),
        windows: vec![XWindow {
            start: f64::NEG_INFINITY,
            end: f64::INFINITY,
            label: "all".to_owned(),
        }],
    });
    let columns = column_chart(&ColumnChart {
        title: "big".to_owned(),
        categories: vec!["a".to_owned(), "b".to_owned()],
        series: vec![ColumnSeries {
            name: "a".to_owned(),
            values: vec![f64::MAX, 1.0],
        }],
    });
    for svg in [bar, stacked, line, columns] {
        assert_well_formed(&svg);
        assert_finite(&svg);
    }
}

/// Asserts that no coordinate or label came out as `NaN` or infinity.
fn assert_finite(svg: &str) {
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
}

/// The x labels of `svg` (centre and visible text), left to right as written.
fn x_labels(svg: &str) -> Vec<(f64, String)> {
    let mut labels = Vec::new();
    for piece in svg.split(r#"<text class="x-label" x=""#).skip(1) {
        let (x, rest) = piece.split_once('"').unwrap();
        let content = rest
            .split_once('>')
            .unwrap()
            .1
            .split_once("</text>")
            .unwrap()
            .0;
        let visible = content
            .rsplit_once("</title>")
            .map_or(content, |(_, after)| after);
        labels.push((x.parse().unwrap(), visible.to_owned()));
    }
    labels
}

/// Asserts that labels, with the layout's width estimate, stay inside the chart and apart.
fn assert_labels_apart(labels: &[(f64, String)]) {
    let mut previous_right = 0.0;
    for (center, text) in labels {
        let half = text.chars().count() as f64 * CHAR_WIDTH / 2.0;
        assert!(
            center - half >= previous_right,
            "{text} overlaps: {labels:?}"
        );
        assert!(
            center + half <= 480.0,
            "{text} leaves the chart: {labels:?}"
        );
        previous_right = center + half;
    }
}

/// Checks that `svg` is one well-formed XML element: tags balanced and named, attributes
/// quoted and unique, and `&` only in the entities the escaper writes.
fn assert_well_formed(svg: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = svg;
    loop {
        let text_end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..text_end];
        if open.is_empty() {
            assert!(text.trim().is_empty(), "text outside the root: {text:?}");
        }
        assert_text(text);
        if text_end == rest.len() {
            break;
        }
        let tag_end = rest[text_end..].find('>').expect("unclosed tag") + text_end;
        let tag = &rest[text_end + 1..tag_end];
        rest = &rest[tag_end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name), "mismatched closing tag in {svg}");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(is_name(name), "bad tag name {name:?}");
        if open.is_empty() {
            roots += 1;
            assert_eq!(name, "svg");
        }
        let mut seen = Vec::new();
        while !attributes.trim().is_empty() {
            let (attribute, after) = attributes
                .trim_start()
                .split_once("=\"")
                .expect("attribute without a quoted value");
            let (value, after) = after.split_once('"').expect("unterminated attribute value");
            assert!(
                is_name(attribute),
                "bad attribute name {attribute:?} in <{name}>"
            );
            assert!(
                !seen.contains(&attribute),
                "duplicate attribute {attribute} in <{name}>"
            );
            seen.push(attribute);
            assert_text(value);
            attributes = after;
        }
        if !self_closing {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed elements {open:?}");
    assert_eq!(roots, 1);
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
}

fn assert_text(text: &str) {
    assert!(
        !text.contains(['<', '>', '"']),
        "unescaped markup in {text:?}"
    );
    for (at, _) in text.match_indices('&') {
        let entity = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
        assert!(
            entity.iter().any(|entity| text[at..].starts_with(entity)),
            "bare & in {text:?}"
        );
    }
}
