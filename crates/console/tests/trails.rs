//! The trail pages (list, forms, one trail, its selectors), rendered from fixed view
//! models and compared with goldens; escaping, labels and read-only views checked.

use std::path::PathBuf;

use opentrail_console::layout::{Frame, Notice, Section, User, page};
use opentrail_console::pages::trails::{
    AdvancedSelectorView, BasicSelectorView, SelectorsForm, SelectorsView, TrailDetail, TrailForm,
    TrailList, TrailRow, TrailStatusView, selectors_form, trail_detail, trail_form, trail_list,
};
use opentrail_testkit::golden::assert_golden;

const HOSTILE: &str = r#"<script>alert("x")</script>"#;
const ARN: &str = "arn:aws:cloudtrail:us-east-1:111111111111:trail/management-events";

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/trails")
        .join(name)
}

/// Every visible form control has an id and a `<label for>` naming it.
pub(crate) fn assert_labelled(body: &str) {
    for tag in ["<input ", "<textarea ", "<select "] {
        for (at, _) in body.match_indices(tag) {
            let element = &body[at..at + body[at..].find('>').unwrap()];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id_at = element
                .find(" id=\"")
                .unwrap_or_else(|| panic!("no id: {element}"));
            let id = &element[id_at + 5..];
            let id = &id[..id.find('"').unwrap()];
            assert!(
                body.contains(&format!("<label for=\"{id}\"")),
                "no label for `{id}`"
            );
        }
    }
}

/// Every `POST` form carries the CSRF token.
pub(crate) fn assert_forms_carry_csrf(body: &str, csrf: &str) {
    let forms = body.matches("<form method=\"post\"").count();
    let tokens = body
        .matches(&format!(
            "<input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">"
        ))
        .count();
    assert_eq!(forms, tokens, "every form needs its CSRF field");
}

fn list_view(can_change: bool) -> TrailList {
    TrailList {
        rows: vec![
            TrailRow {
                key: String::from("management-events"),
                name: String::from("management-events"),
                home_region: String::from("us-east-1"),
                multi_region: true,
                bucket: String::from("audit-logs"),
                prefix: String::from("org"),
                logging: Some(true),
                last_delivery: String::from("2026-11-22 06:45:10 UTC"),
                last_delivery_error: String::new(),
                log_file_validation: true,
            },
            TrailRow {
                key: String::from("arn:aws:cloudtrail:eu-west-1:111111111111:trail/eu"),
                name: String::from("eu"),
                home_region: String::from("eu-west-1"),
                multi_region: true,
                bucket: String::from(HOSTILE),
                prefix: String::new(),
                logging: None,
                last_delivery: String::new(),
                last_delivery_error: String::new(),
                log_file_validation: false,
            },
            TrailRow {
                key: String::from("broken"),
                name: String::from("broken"),
                home_region: String::from("us-east-1"),
                multi_region: false,
                bucket: String::from("gone"),
                prefix: String::new(),
                logging: Some(false),
                last_delivery: String::from("2026-11-20 01:00:00 UTC"),
                last_delivery_error: String::from("NoSuchBucket"),
                log_file_validation: false,
            },
        ],
        can_change,
        error: None,
    }
}

#[test]
fn the_list_shows_status_and_links() {
    let body = trail_list(&list_view(true));
    assert_golden(&golden("list.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert!(body.contains("href=\"/console/trails/new\">Create trail</a>"));
    assert!(body.contains("href=\"/console/trails/management-events\">management-events</a>"));
    // A trail of another region is reached by its ARN, one path segment.
    assert!(body.contains(
        "href=\"/console/trails/arn%3Aaws%3Acloudtrail%3Aeu-west-1%3A111111111111%3Atrail%2Feu\""
    ));
    assert!(body.contains("<span class=\"badge bad\">NoSuchBucket</span>"));
}

#[test]
fn read_only_principals_get_no_create_button() {
    let body = trail_list(&list_view(false));
    assert_golden(&golden("list-read-only.html"), &body);
    assert!(!body.contains("Create trail"));
}

#[test]
fn a_failed_list_says_why() {
    let view = TrailList {
        error: Some(format!("AccessDeniedException: {HOSTILE}")),
        can_change: true,
        ..TrailList::default()
    };
    let body = trail_list(&view);
    assert!(body.contains(
        "<div class=\"notice error\" role=\"alert\">AccessDeniedException: &lt;script&gt;"
    ));
    assert!(!body.contains("<table"));
    let empty = trail_list(&TrailList::default());
    assert!(empty.contains("No trails yet."));
}

#[test]
fn the_create_form_has_the_consoles_defaults() {
    let body = trail_form(&TrailForm::new_trail("csrf-token"));
    assert_golden(&golden("new.html"), &body);
    assert_labelled(&body);
    assert_forms_carry_csrf(&body, "csrf-token");
    for name in [
        "multi_region",
        "global_events",
        "log_file_validation",
        "start_logging",
    ] {
        assert!(
            body.contains(&format!("name=\"{name}\" value=\"on\" checked>")),
            "{name}"
        );
    }
}

#[test]
fn a_refused_create_shows_the_error_above_the_values_typed() {
    let view = TrailForm {
        csrf: String::from("csrf-token"),
        name: String::from("audit\"><b>"),
        bucket: String::from("missing-bucket"),
        prefix: String::from("logs"),
        multi_region: false,
        include_global_events: true,
        log_file_validation: false,
        start_logging: true,
        editing: None,
    };
    let user = User {
        arn: String::from("arn:aws:iam::111111111111:user/admin"),
        account_id: String::from("111111111111"),
        read_only: false,
    };
    let notice = Notice::Failed(String::from(
        "S3BucketDoesNotExistException: bucket `missing-bucket` does not exist",
    ));
    let frame = Frame {
        title: "Create trail",
        section: Some(Section::Trails),
        user: Some(&user),
        csrf: "csrf-token",
        notice: Some(&notice),
    };
    let html = page(&frame, &trail_form(&view));
    assert_golden(&golden("create-failed.html"), &html);
    assert!(html.contains("value=\"audit&quot;&gt;&lt;b&gt;\""));
    assert!(html.contains("name=\"multi_region\" value=\"on\">"));
}

#[test]
fn the_edit_form_names_the_trail_and_has_no_start_box() {
    let view = TrailForm {
        csrf: String::from("csrf-token"),
        editing: Some((
            String::from("management-events"),
            String::from("management-events"),
        )),
        name: String::from("management-events"),
        bucket: String::from("audit-logs"),
        prefix: String::from("org"),
        multi_region: true,
        include_global_events: true,
        log_file_validation: true,
        start_logging: false,
    };
    let body = trail_form(&view);
    assert_golden(&golden("edit.html"), &body);
    assert_labelled(&body);
    assert_forms_carry_csrf(&body, "csrf-token");
    assert!(body.contains("action=\"/console/trails/management-events/edit\""));
    assert!(!body.contains("start_logging"));
    assert!(!body.contains("name=\"name\""));
}

fn detail_view(can_change: bool) -> TrailDetail {
    TrailDetail {
        csrf: String::from("csrf-token"),
        can_change,
        key: String::from("management-events"),
        name: String::from("management-events"),
        arn: String::from(ARN),
        home_region: String::from("us-east-1"),
        home: true,
        multi_region: true,
        include_global_events: true,
        log_file_validation: true,
        organization: false,
        bucket: String::from("audit-logs"),
        prefix: String::from("org"),
        kms_key_id: String::new(),
        sns_topic_arn: String::new(),
        log_group_arn: String::new(),
        status: Some(TrailStatusView {
            logging: true,
            latest_delivery_time: String::from("2026-11-22 06:45:10 UTC"),
            latest_delivery_error: String::new(),
            latest_digest_delivery_time: String::from("2026-11-22 06:00:31 UTC"),
            latest_digest_delivery_error: String::from("AccessDenied"),
            start_logging_time: String::from("2026-11-01 09:00:00 UTC"),
            stop_logging_time: String::new(),
            latest_notification_time: String::new(),
            latest_notification_error: String::new(),
        }),
        status_error: None,
        selectors: SelectorsView::Basic(vec![BasicSelectorView {
            read_write_type: String::from("All"),
            include_management_events: true,
            excluded_sources: vec![String::from("kms.amazonaws.com")],
            data_resources: vec![(
                String::from("AWS::S3::Object"),
                vec![String::from("arn:aws:s3:::audit-data/")],
            )],
        }]),
        selectors_json: String::from(concat!(
            "{\n  \"EventSelectors\": [\n    {\n      \"ReadWriteType\": \"All\",\n",
            "      \"IncludeManagementEvents\": true,\n      \"DataResources\": [\n        {\n",
            "          \"Type\": \"AWS::S3::Object\",\n          \"Values\": [\n",
            "            \"arn:aws:s3:::audit-data/\"\n          ]\n        }\n      ],\n",
            "      \"ExcludeManagementEventSources\": [\n        \"kms.amazonaws.com\"\n      ]\n",
            "    }\n  ]\n}"
        )),
        selectors_error: None,
        api_call_rate_insight: true,
        api_error_rate_insight: false,
        insights_error: None,
    }
}

#[test]
fn one_trail_shows_details_status_selectors_and_actions() {
    let body = trail_detail(&detail_view(true));
    assert_golden(&golden("detail.html"), &body);
    assert_labelled(&body);
    assert_forms_carry_csrf(&body, "csrf-token");
    // A logging trail offers Stop only.
    assert!(body.contains(">Stop logging</button>"));
    assert!(!body.contains(">Start logging</button>"));
    assert!(body.contains("action=\"/console/trails/management-events/logging\""));
    assert!(body.contains("data-confirm=\"Delete trail management-events?"));
    assert!(body.contains("<span class=\"badge bad\">AccessDenied</span>"));
    assert!(body.contains("name=\"api_call_rate\" value=\"on\" checked>"));
    assert!(body.contains("name=\"api_error_rate\" value=\"on\">"));
}

#[test]
fn read_only_principals_see_advanced_selectors_and_no_buttons() {
    let mut view = detail_view(false);
    view.status = None;
    view.status_error = Some(String::from("TrailNotFoundException: gone"));
    view.selectors = SelectorsView::Advanced(vec![
        AdvancedSelectorView {
            name: String::from("Log writes"),
            conditions: vec![
                (
                    String::from("eventCategory"),
                    String::from("Equals"),
                    vec![String::from("Management")],
                ),
                (
                    String::from("readOnly"),
                    String::from("Equals"),
                    vec![String::from("false")],
                ),
            ],
        },
        AdvancedSelectorView {
            name: String::new(),
            conditions: vec![(
                String::from("eventSource"),
                String::from("NotStartsWith"),
                vec![String::from(HOSTILE), String::from("kms")],
            )],
        },
    ]);
    view.selectors_json = String::from("{\n  \"AdvancedEventSelectors\": []\n}");
    let body = trail_detail(&view);
    assert_golden(&golden("detail-read-only.html"), &body);
    assert!(!body.contains("<form"));
    assert!(!body.contains("<button"));
    assert!(!body.contains("/edit"));
    assert!(!body.contains(HOSTILE));
    assert!(body.contains("<p>API call rate</p>"));
    assert!(body.contains("Selector 2"));
}

#[test]
fn a_stopped_trail_offers_start_and_a_shadow_trail_offers_nothing() {
    let mut view = detail_view(true);
    if let Some(status) = view.status.as_mut() {
        status.logging = false;
    }
    let body = trail_detail(&view);
    assert!(body.contains(">Start logging</button>"));
    assert!(!body.contains(">Stop logging</button>"));
    view.home = false;
    view.home_region = String::from("eu-west-1");
    let body = trail_detail(&view);
    assert!(!body.contains("<form"));
    assert!(body.contains("home region is eu-west-1"));
}

#[test]
fn the_selectors_page_has_the_form_and_the_json_editor() {
    let view = SelectorsForm {
        csrf: String::from("csrf-token"),
        key: String::from("management-events"),
        name: String::from("management-events"),
        read_write: String::from("WriteOnly"),
        exclude_kms: true,
        exclude_rds_data: false,
        json: String::from(
            "{\n  \"EventSelectors\": [\n    {\n      \"ReadWriteType\": \"WriteOnly\"\n    }\n  ]\n}",
        ),
    };
    let body = selectors_form(&view);
    assert_golden(&golden("selectors.html"), &body);
    assert_labelled(&body);
    assert_forms_carry_csrf(&body, "csrf-token");
    assert!(body.contains("id=\"rw-WriteOnly\" value=\"WriteOnly\" checked>"));
    assert!(body.contains("<input type=\"hidden\" name=\"mode\" value=\"basic\">"));
    assert!(body.contains("<input type=\"hidden\" name=\"mode\" value=\"json\">"));
    assert!(body.contains("&quot;EventSelectors&quot;"));
}

#[test]
fn a_bad_json_document_comes_back_with_its_error() {
    let view = SelectorsForm {
        csrf: String::from("csrf-token"),
        key: String::from("management-events"),
        name: String::from("management-events"),
        read_write: String::from("All"),
        json: String::from("{\"AdvancedEventSelectors\": [</textarea><script>"),
        ..SelectorsForm::default()
    };
    let user = User {
        arn: String::from("arn:aws:iam::111111111111:user/admin"),
        account_id: String::from("111111111111"),
        read_only: false,
    };
    let notice = Notice::Failed(String::from(
        "The selectors JSON is not valid at line 1, column 29: expected value.",
    ));
    let frame = Frame {
        title: "Event selectors · management-events",
        section: Some(Section::Trails),
        user: Some(&user),
        csrf: "csrf-token",
        notice: Some(&notice),
    };
    let html = page(&frame, &selectors_form(&view));
    assert_golden(&golden("selectors-failed.html"), &html);
    assert!(!html.contains("</textarea><script>"));
    assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;</textarea>"));
}
