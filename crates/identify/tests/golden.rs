//! The golden table: `tests/data/cases.txt` lists requests and how they are named.
//!
//! Each line is `service | method | url | headers | form body => eventName | action |
//! readOnly | category | bucket | key`; `-` means none. The test sends each request the way
//! the proxy sees it (origin-form path and query, `Host` from the URL's authority unless a
//! `host` header is listed), re-renders the whole file from the answers and compares it with
//! the committed one, so `UPDATE_GOLDEN=1` rewrites the expected columns and the reviewer
//! reads the diff. `tests/data/calls.golden.jsonl` holds the full [`Call`] of every row
//! (request parameters, resources, condition keys) in the same order.
//!
//! Every S3 row sent path-style to `s3.localhost` is sent again virtual-hosted
//! (`<bucket>.s3.localhost`) and must be named the same way.

use std::path::{Path, PathBuf};

use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri, header::HOST};
use opentrail_identify::{Call, Endpoint, identify};
use opentrail_testkit::golden::assert_golden;

const CASES: &str = "tests/data/cases.txt";
const CALLS: &str = "tests/data/calls.golden.jsonl";
const PATH_STYLE_HOST: &str = "s3.localhost";

fn crate_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn suffixes() -> Vec<String> {
    vec!["s3.localhost".to_owned(), "s3.amazonaws.com".to_owned()]
}

/// One row's inputs, as written in the table.
#[derive(Debug)]
struct Case {
    /// The input columns exactly as written, for re-rendering.
    inputs: String,
    service: String,
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    form_body: Option<String>,
}

fn none_if_dash(cell: &str) -> Option<&str> {
    (cell != "-" && !cell.is_empty()).then_some(cell)
}

fn parse_case(line: &str) -> Case {
    let inputs = line.split(" => ").next().unwrap_or(line).trim().to_owned();
    let cells: Vec<&str> = inputs.split(" | ").map(str::trim).collect();
    assert_eq!(cells.len(), 5, "five input columns in `{line}`");
    let mut headers = Vec::new();
    if let Some(listed) = none_if_dash(cells[3]) {
        for header in listed.split(" && ") {
            let (name, value) = header
                .split_once(':')
                .unwrap_or_else(|| panic!("`name: value` in `{header}`"));
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    Case {
        service: none_if_dash(cells[0]).unwrap_or("").to_owned(),
        method: Method::from_bytes(cells[1].as_bytes()).expect("method"),
        url: cells[2].to_owned(),
        headers,
        form_body: none_if_dash(cells[4]).map(str::to_owned),
        inputs,
    }
}

/// Sends `url` as a server sees it: origin-form URI and a `Host` header.
fn run(case: &Case, url: &str) -> Call {
    let absolute: Uri = url
        .parse()
        .unwrap_or_else(|error| panic!("url `{url}`: {error}"));
    let path_and_query = absolute
        .path_and_query()
        .map_or("/", |path_and_query| path_and_query.as_str());
    let uri: Uri = path_and_query.parse().expect("origin-form uri");
    let mut headers = HeaderMap::new();
    if let Some(authority) = absolute.authority() {
        headers.insert(
            HOST,
            HeaderValue::from_str(authority.as_str()).expect("host"),
        );
    }
    for (name, value) in &case.headers {
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_str(value).expect("header value"),
        );
    }
    let suffixes = suffixes();
    let endpoint = Endpoint {
        s3_virtual_host_suffixes: &suffixes,
        default_service: "s3",
    };
    let body = case.form_body.as_deref().map(str::as_bytes);
    identify(&case.method, &uri, &headers, &case.service, body, &endpoint)
}

/// Writes a bucket or key so that it reads back unambiguously.
fn cell(value: Option<&str>) -> String {
    match value {
        None => "-".to_owned(),
        Some(value)
            if value == "-"
                || value.is_empty()
                || value.contains(" | ")
                || value.contains(" => ")
                || value.trim() != value
                || value.chars().any(char::is_control) =>
        {
            serde_json::to_string(value).expect("json string")
        }
        Some(value) => value.to_owned(),
    }
}

fn flag(value: Option<bool>, yes: &str, no: &str) -> String {
    match value {
        Some(true) => yes.to_owned(),
        Some(false) => no.to_owned(),
        None => "-".to_owned(),
    }
}

fn render_expected(call: &Call) -> String {
    let s3 = call.s3.as_ref();
    let action = if call.action.is_empty() {
        "-"
    } else {
        &call.action
    };
    format!(
        "{} | {} | {} | {} | {} | {}",
        call.event_name,
        action,
        flag(call.read_only, "true", "false"),
        flag(call.data_event, "data", "management"),
        cell(s3.and_then(|s3| s3.bucket.as_deref())),
        cell(s3.and_then(|s3| s3.key.as_deref())),
    )
}

/// Returns the virtual-hosted form of a path-style URL to `s3.localhost`, if it has a bucket.
fn virtual_hosted(url: &str) -> Option<String> {
    let rest = url.strip_prefix(&format!("http://{PATH_STYLE_HOST}/"))?;
    let (bucket, key) = rest
        .split_once(['/', '?'])
        .map_or((rest, ""), |(bucket, _)| (bucket, &rest[bucket.len()..]));
    if bucket.is_empty() {
        return None;
    }
    let key = if key.starts_with('?') || key.is_empty() {
        format!("/{key}")
    } else {
        key.to_owned()
    };
    Some(format!("http://{bucket}.{PATH_STYLE_HOST}{key}"))
}

/// The parts of a call that must not depend on how the bucket was addressed.
fn addressing_independent(call: &Call) -> serde_json::Value {
    let mut json = serde_json::to_value(call).expect("call as json");
    if let Some(parameters) = json
        .pointer_mut("/s3/requestParameters")
        .and_then(serde_json::Value::as_object_mut)
    {
        parameters.remove("Host");
    }
    json
}

#[test]
fn golden_table_names_every_request_as_committed() {
    let path = crate_path(CASES);
    let committed = std::fs::read_to_string(&path).expect("read cases");
    let mut rendered = String::new();
    let mut calls = String::new();
    let mut virtual_hosted_checks = 0;
    let mut rows = 0;
    for line in committed.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            rendered.push_str(line);
            rendered.push('\n');
            continue;
        }
        rows += 1;
        let case = parse_case(line);
        let call = run(&case, &case.url);
        rendered.push_str(&format!("{} => {}\n", case.inputs, render_expected(&call)));
        let entry = serde_json::json!({"case": case.inputs, "call": call});
        calls.push_str(&serde_json::to_string(&entry).expect("json line"));
        calls.push('\n');

        if call.service == "s3"
            && let Some(url) = virtual_hosted(&case.url)
        {
            let hosted = run(&case, &url);
            assert_eq!(
                addressing_independent(&hosted),
                addressing_independent(&call),
                "`{}` virtual-hosted as `{url}` is named differently",
                case.inputs
            );
            virtual_hosted_checks += 1;
        }
    }
    assert_golden(&path, &rendered);
    assert_golden(&crate_path(CALLS), &calls);
    assert!(rows >= 150, "the table lost rows: {rows}");
    assert!(
        virtual_hosted_checks >= 100,
        "too few virtual-hosted checks: {virtual_hosted_checks}"
    );
}

#[test]
fn virtual_hosted_rewrites_keep_key_and_query() {
    assert_eq!(
        virtual_hosted("http://s3.localhost/bkt/a/b?acl").as_deref(),
        Some("http://bkt.s3.localhost/a/b?acl")
    );
    assert_eq!(
        virtual_hosted("http://s3.localhost/bkt?acl").as_deref(),
        Some("http://bkt.s3.localhost/?acl")
    );
    assert_eq!(
        virtual_hosted("http://s3.localhost/bkt").as_deref(),
        Some("http://bkt.s3.localhost/")
    );
    assert_eq!(virtual_hosted("http://s3.localhost/"), None);
    assert_eq!(virtual_hosted("http://other/bkt"), None);
}
