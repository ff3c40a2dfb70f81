//! Helpers shared by the test modules: request parsing, configs and fixture records.

use std::path::PathBuf;

use opentrail_selectors::{
    AdvancedEventSelector, CompiledSelectors, EventSelector, EventView, NetworkSources, Result,
    SelectorConfig, from_put_request, validate_for_trail,
};
use serde::Deserialize;

/// The request members of `PutEventSelectors` that carry selectors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PutRequest {
    #[serde(rename = "EventSelectors")]
    event_selectors: Option<Vec<EventSelector>>,
    #[serde(rename = "AdvancedEventSelectors")]
    advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
}

/// Parses a `PutEventSelectors`-like JSON body and validates it for a trail with `sources`.
pub fn validate_request_with(json: &str, sources: &NetworkSources) -> Result<SelectorConfig> {
    let request: PutRequest = serde_json::from_str(json)
        .unwrap_or_else(|error| panic!("test request is not valid JSON ({error}): {json}"));
    let config = from_put_request(request.event_selectors, request.advanced_event_selectors)?;
    validate_for_trail(config, sources)
}

/// As [`validate_request_with`], with the default network sources.
pub fn validate_request(json: &str) -> Result<SelectorConfig> {
    validate_request_with(json, &NetworkSources::default())
}

/// Validates `json` (which must be valid) and compiles it.
pub fn compile(json: &str) -> CompiledSelectors {
    let config = validate_request(json)
        .unwrap_or_else(|error| panic!("test config is invalid ({error}): {json}"));
    CompiledSelectors::new(&config)
}

/// Tells whether `compiled` selects the record `json`.
pub fn selects(compiled: &CompiledSelectors, json: &str) -> bool {
    let view = EventView::parse(json.as_bytes())
        .unwrap_or_else(|error| panic!("test record is invalid ({error}): {json}"));
    compiled.matches(&view)
}

/// A path under this crate's `testdata/`.
pub fn testdata(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(relative)
}

/// The records of a fixture file: a `Records` envelope, a JSON array, or one record.
pub fn fixture_records(relative: &str) -> Vec<String> {
    let text = std::fs::read_to_string(testdata(relative)).expect("fixture file");
    let value: serde_json::Value = serde_json::from_str(&text).expect("fixture JSON");
    let records = match value {
        serde_json::Value::Array(records) => records,
        serde_json::Value::Object(mut members) if members.contains_key("Records") => {
            match members.remove("Records") {
                Some(serde_json::Value::Array(records)) => records,
                other => panic!("unexpected Records member: {other:?}"),
            }
        }
        record => vec![record],
    };
    records.iter().map(ToString::to_string).collect()
}

/// One labelled record of a Panther rule file.
#[derive(Debug)]
pub struct PantherCase {
    /// `Name`.
    pub name: String,
    /// `ExpectedResult` of the Panther rule (not of our selectors).
    pub expected: bool,
    /// The `Log` record, as JSON text.
    pub json: String,
}

/// The `Tests:` entries of a Panther rule file. Their `Log` values are JSON objects written
/// as YAML flow text, so they are read by collecting the indented lines under `Log:`.
pub fn panther_cases(relative: &str) -> Vec<PantherCase> {
    let text = std::fs::read_to_string(testdata(relative)).expect("fixture file");
    let mut cases = Vec::new();
    let mut name = String::new();
    let mut expected = false;
    let mut log: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        let ends_log = trimmed.starts_with("- Name:") || !line.starts_with(' ');
        if let Some(json) = log.take_if(|_| ends_log) {
            cases.push(PantherCase {
                name: name.clone(),
                expected,
                json,
            });
        }
        if let Some(json) = log.as_mut() {
            json.push_str(line);
            json.push('\n');
        } else if let Some(rest) = trimmed.strip_prefix("- Name:") {
            name = rest.trim().to_owned();
        } else if let Some(rest) = trimmed.strip_prefix("ExpectedResult:") {
            expected = rest.trim() == "true";
        } else if trimmed == "Log:" {
            log = Some(String::new());
        }
    }
    if let Some(json) = log {
        cases.push(PantherCase {
            name,
            expected,
            json,
        });
    }
    for case in &cases {
        serde_json::from_str::<serde_json::Value>(&case.json)
            .unwrap_or_else(|error| panic!("{}: Log is not JSON ({error})", case.name));
    }
    cases
}
