//! The event data store pages (list, forms, one store), rendered from fixed view models
//! and compared with goldens; escaping, labels, lifecycle buttons and read-only views
//! checked.

use std::path::PathBuf;

use opentrail_console::layout::{Frame, Notice, Section, User, page};
use opentrail_console::pages::stores::{
    StoreDetail, StoreForm, StoreList, StoreRow, store_detail, store_form, store_list,
};
use opentrail_testkit::golden::assert_golden;

use crate::trails::{assert_forms_carry_csrf, assert_labelled};

const HOSTILE: &str = r#"<script>alert("x")</script>"#;
const ID: &str = "EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";
const ARN: &str =
    "arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";
const SELECTORS: &str = concat!(
    "{\n  \"AdvancedEventSelectors\": [\n    {\n      \"Name\": \"Default management events\",\n",
    "      \"FieldSelectors\": [\n        {\n          \"Field\": \"eventCategory\",\n",
    "          \"Equals\": [\n            \"Management\"\n          ]\n        }\n      ]\n    }\n  ]\n}"
);

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/stores")
        .join(name)
}

fn list_view(can_change: bool) -> StoreList {
    StoreList {
        rows: vec![
            StoreRow {
                id: String::from(ID),
                name: String::from("management-store"),
                status: String::from("ENABLED"),
                retention_days: 366,
                termination_protection: true,
                multi_region: true,
                created: String::from("2026-11-01 09:00:00 UTC"),
                arn: String::from(ARN),
            },
            StoreRow {
                id: String::from("a/b"),
                name: String::from(HOSTILE),
                status: String::from("PENDING_DELETION"),
                retention_days: 7,
                termination_protection: false,
                multi_region: false,
                created: String::from("2026-11-02 10:30:00 UTC"),
                arn: String::from("arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore/a/b"),
            },
            StoreRow {
                id: String::from("stopped"),
                name: String::from("stopped-store"),
                status: String::from("STOPPED_INGESTION"),
                retention_days: 2557,
                termination_protection: false,
                multi_region: true,
                created: String::from("2026-11-03 11:00:00 UTC"),
                arn: String::from(
                    "arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore/stopped",
                ),
            },
        ],
        can_change,
        error: None,
    }
}

#[test]
fn the_list_shows_status_retention_and_protection() {
    let body = store_list(&list_view(true));
    assert_golden(&golden("list.html"), &body);
    assert!(!body.contains(HOSTILE));
    assert!(body.contains("href=\"/console/stores/new\">Create event data store</a>"));
    assert!(body.contains(&format!(
        "href=\"/console/stores/{ID}\">management-store</a>"
    )));
    assert!(body.contains("href=\"/console/stores/a%2Fb\""));
    assert!(body.contains("<span class=\"badge good\">Enabled</span>"));
    assert!(body.contains("<span class=\"badge bad\">Pending deletion</span>"));
    assert!(body.contains("<span class=\"badge warn\">Stopped ingestion</span>"));
}

#[test]
fn read_only_principals_get_no_create_button() {
    let body = store_list(&list_view(false));
    assert_golden(&golden("list-read-only.html"), &body);
    assert!(!body.contains("Create event data store"));
    let failed = store_list(&StoreList {
        error: Some(String::from("AccessDeniedException: no")),
        ..StoreList::default()
    });
    assert!(failed.contains("role=\"alert\">AccessDeniedException: no</div>"));
    assert!(!failed.contains("<table"));
}

fn new_form() -> StoreForm {
    StoreForm {
        csrf: String::from("csrf-token"),
        editing: None,
        name: String::new(),
        retention: String::from("366"),
        termination_protection: true,
        multi_region: true,
        kind: String::from("management"),
        selectors: String::from(SELECTORS),
        start_ingestion: true,
    }
}

#[test]
fn the_create_form_defaults_to_a_protected_management_store() {
    let body = store_form(&new_form());
    assert_golden(&golden("new.html"), &body);
    assert_labelled(&body);
    assert_forms_carry_csrf(&body, "csrf-token");
    assert!(body.contains("id=\"kind-management\" value=\"management\" checked>"));
    assert!(body.contains("name=\"termination_protection\" value=\"on\" checked>"));
    assert!(body.contains("name=\"start_ingestion\" value=\"on\" checked>"));
    assert!(body.contains("min=\"7\" max=\"3653\""));
}

#[test]
fn a_refused_create_shows_the_error_above_the_values_typed() {
    let view = StoreForm {
        name: String::from("x"),
        retention: String::from("abc"),
        kind: String::from("json"),
        selectors: String::from("{\"AdvancedEventSelectors\": [}"),
        termination_protection: false,
        ..new_form()
    };
    let user = User {
        arn: String::from("arn:aws:iam::111111111111:user/admin"),
        account_id: String::from("111111111111"),
        read_only: false,
    };
    let notice = Notice::Failed(String::from(
        "The retention period `abc` is not a whole number of days; give 7 to 3653.",
    ));
    let frame = Frame {
        title: "Create event data store",
        section: Some(Section::Stores),
        user: Some(&user),
        csrf: "csrf-token",
        notice: Some(&notice),
    };
    let html = page(&frame, &store_form(&view));
    assert_golden(&golden("create-failed.html"), &html);
    assert!(html.contains("id=\"kind-json\" value=\"json\" checked>"));
    assert!(html.contains("name=\"termination_protection\" value=\"on\">"));
}

#[test]
fn the_edit_form_has_no_kind_or_ingestion_choice() {
    let view = StoreForm {
        editing: Some((String::from(ID), String::from("management-store"))),
        name: String::from("management-store"),
        kind: String::from("json"),
        start_ingestion: false,
        ..new_form()
    };
    let body = store_form(&view);
    assert_golden(&golden("edit.html"), &body);
    assert_labelled(&body);
    assert!(body.contains(&format!("action=\"/console/stores/{ID}/edit\"")));
    assert!(!body.contains("name=\"kind\""));
    assert!(!body.contains("start_ingestion"));
    assert!(body.contains(">Save changes</button>"));
}

fn detail_view(status: &str, can_change: bool) -> StoreDetail {
    StoreDetail {
        csrf: String::from("csrf-token"),
        can_change,
        id: String::from(ID),
        name: String::from("management-store"),
        arn: String::from(ARN),
        status: String::from(status),
        retention_days: 366,
        termination_protection: true,
        multi_region: true,
        organization: false,
        billing_mode: String::from("EXTENDABLE_RETENTION_PRICING"),
        kms_key_id: String::new(),
        federation_status: String::from("DISABLED"),
        created: String::from("2026-11-01 09:00:00 UTC"),
        updated: String::from("2026-11-05 12:00:00 UTC"),
        selectors_json: String::from(SELECTORS),
    }
}

#[test]
fn one_store_shows_everything_and_its_lifecycle_buttons() {
    let body = store_detail(&detail_view("ENABLED", true));
    assert_golden(&golden("detail.html"), &body);
    assert_forms_carry_csrf(&body, "csrf-token");
    assert!(body.contains(&format!(
        "href=\"/console/lake?store={ID}\">Query this store</a>"
    )));
    assert!(body.contains(">Stop ingestion</button>"));
    assert!(!body.contains(">Start ingestion</button>"));
    assert!(body.contains(">Delete event data store</button>"));
    assert!(body.contains("data-confirm=\"Delete event data store management-store?"));
    assert!(!body.contains("Restore"));

    let stopped = store_detail(&detail_view("STOPPED_INGESTION", true));
    assert!(stopped.contains(">Start ingestion</button>"));
    assert!(!stopped.contains(">Stop ingestion</button>"));
}

#[test]
fn a_store_pending_deletion_offers_restore_only() {
    let body = store_detail(&detail_view("PENDING_DELETION", true));
    assert_golden(&golden("detail-pending-deletion.html"), &body);
    assert!(body.contains(">Restore event data store</button>"));
    assert!(!body.contains("Delete event data store</button>"));
    assert!(!body.contains("Query this store"));
    assert!(!body.contains("/edit"));
}

#[test]
fn read_only_principals_see_no_buttons() {
    let body = store_detail(&detail_view("ENABLED", false));
    assert_golden(&golden("detail-read-only.html"), &body);
    assert!(!body.contains("<form"));
    assert!(!body.contains("<button"));
    assert!(body.contains("Query this store"));
}

#[test]
fn a_protected_store_that_was_not_deleted_says_why() {
    let user = User {
        arn: String::from("arn:aws:iam::111111111111:user/admin"),
        account_id: String::from("111111111111"),
        read_only: false,
    };
    let notice = Notice::Failed(String::from(
        "EventDataStoreTerminationProtectedException: event data store has termination protection on",
    ));
    let frame = Frame {
        title: "management-store",
        section: Some(Section::Stores),
        user: Some(&user),
        csrf: "csrf-token",
        notice: Some(&notice),
    };
    let html = page(&frame, &store_detail(&detail_view("ENABLED", true)));
    assert_golden(&golden("delete-refused.html"), &html);
    assert!(html.contains(
        "<div class=\"notice error\" role=\"alert\">EventDataStoreTerminationProtectedException"
    ));
}
