//! The EventBridge conformance cases in `testdata/eventbridge/`: localstack's
//! AWS-validated pattern/event pairs (with AWS's exact refusal messages) and event-ruler's
//! array-consistency and `$or` cases.

use std::collections::BTreeMap;

use opentrail_patterns::Pattern;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::support::{cross_check, read_testdata};

const LOCALSTACK: &str = "eventbridge/localstack-patterns";
const EVENT_RULER: &str = "eventbridge/event-ruler";
const RAW_PAIR: &str = "complex_multi_key_event.json + complex_multi_key_event_pattern.json";

/// One localstack case: the pattern and event as written in the file.
struct Case {
    name: String,
    pattern: String,
    event: String,
    expected: String,
    message: Option<String>,
}

fn localstack_cases() -> Vec<Case> {
    let expected: Value =
        serde_json::from_str(&read_testdata(&format!("{LOCALSTACK}/EXPECTED.json"))).unwrap();
    let listed = expected["cases"].as_object().unwrap();
    let mut cases = Vec::new();
    for (name, outcome) in listed {
        if name == RAW_PAIR {
            continue;
        }
        // The pattern's own text (key order, duplicates, number spelling kept).
        let file: BTreeMap<String, Box<RawValue>> =
            serde_json::from_str(&read_testdata(&format!("{LOCALSTACK}/{name}"))).unwrap();
        cases.push(Case {
            name: name.clone(),
            pattern: file["EventPattern"].get().to_owned(),
            event: file["Event"].get().to_owned(),
            expected: outcome["expected"].as_str().unwrap().to_owned(),
            message: outcome["aws_error"]["message"].as_str().map(str::to_owned),
        });
    }
    cases
}

#[test]
fn every_localstack_file_is_an_expected_case() {
    let expected: Value =
        serde_json::from_str(&read_testdata(&format!("{LOCALSTACK}/EXPECTED.json"))).unwrap();
    let listed = expected["cases"].as_object().unwrap();
    let folder = crate::support::testdata().join(LOCALSTACK);
    let mut files = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name == "EXPECTED.json" || name.starts_with("complex_multi_key_event") {
            continue;
        }
        assert!(listed.contains_key(&name), "{name} has no expected outcome");
        files += 1;
    }
    // 93 converted cases plus the raw duplicate-key pair, which EXPECTED.json lists (and
    // counts among its 41 matches) as one case.
    assert_eq!(files, 93);
    assert_eq!(listed.len(), 94);
}

#[test]
fn localstack_cases_match_refuse_and_word_refusals_as_aws() {
    let cases = localstack_cases();
    let mut counts = BTreeMap::new();
    let mut failures = Vec::new();
    for case in &cases {
        *counts.entry(case.expected.as_str()).or_insert(0) += 1;
        let parsed = Pattern::parse(&case.pattern);
        let outcome = match (&parsed, case.expected.as_str()) {
            (Err(error), "invalid_pattern") => {
                let want = case.message.as_deref().unwrap();
                (error.message() == want)
                    .then_some(())
                    .ok_or_else(|| format!("message {:?}, want {want:?}", error.message()))
            }
            (Err(error), _) => Err(format!("refused: {error}")),
            (Ok(_), "invalid_pattern") => Err("accepted".to_owned()),
            (Ok(pattern), expected) => {
                let want = expected == "match";
                let fast = pattern.matches(case.event.as_bytes()).unwrap();
                let reference = pattern.matches_reference(case.event.as_bytes()).unwrap();
                if fast == want && reference == want {
                    Ok(())
                } else {
                    Err(format!(
                        "matches {fast}, reference {reference}, want {want}"
                    ))
                }
            }
        };
        if let Err(problem) = outcome {
            failures.push(format!(
                "{}: {problem}\n  pattern {}",
                case.name, case.pattern
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The 41st match is the raw pair, checked by its own test.
    assert_eq!(counts.get("match"), Some(&40));
    assert_eq!(counts.get("no_match"), Some(&26));
    assert_eq!(counts.get("invalid_pattern"), Some(&27));
}

#[test]
fn duplicate_key_pattern_matches_with_the_last_occurrence() {
    let pattern_text = read_testdata(&format!(
        "{LOCALSTACK}/complex_multi_key_event_pattern.json"
    ));
    let event = read_testdata(&format!("{LOCALSTACK}/complex_multi_key_event.json"));
    // The first `location` (prefix "us-") would refuse "eu-central-1"; the last one wins.
    assert!(pattern_text.matches("\"location\"").count() == 2);
    let pattern = Pattern::parse(&pattern_text).unwrap();
    assert!(pattern.matches(event.as_bytes()).unwrap());
    assert!(pattern.matches_reference(event.as_bytes()).unwrap());
}

#[test]
fn one_matcher_with_every_fixture_pattern_agrees_with_each_pattern_alone() {
    let mut patterns = Vec::new();
    let mut events = Vec::new();
    for case in localstack_cases() {
        if let Ok(pattern) = Pattern::parse(&case.pattern) {
            patterns.push(pattern);
        }
        events.push(case.event);
    }
    patterns.push(
        Pattern::parse(&read_testdata(&format!(
            "{LOCALSTACK}/complex_multi_key_event_pattern.json"
        )))
        .unwrap(),
    );
    events.push(read_testdata(&format!(
        "{LOCALSTACK}/complex_multi_key_event.json"
    )));
    for rule in ["arrayRule1", "arrayRule2", "arrayRule3"] {
        patterns
            .push(Pattern::parse(&read_testdata(&format!("{EVENT_RULER}/{rule}.json"))).unwrap());
    }
    for rule in or_rules() {
        patterns.push(Pattern::parse(&rule).unwrap());
    }
    for event in ["arrayEvent1", "arrayEvent2", "arrayEvent3", "arrayEvent4"] {
        events.push(read_testdata(&format!("{EVENT_RULER}/{event}.json")));
    }
    assert_eq!(patterns.len(), 66 + 1 + 3 + 5);
    cross_check(&patterns, &events);
}

/// The rules of `orRelationshipRules.json`, each as its own text.
fn or_rules() -> Vec<String> {
    let rules: Vec<Box<RawValue>> = serde_json::from_str(&read_testdata(&format!(
        "{EVENT_RULER}/orRelationshipRules.json"
    )))
    .unwrap();
    rules.iter().map(|rule| rule.get().to_owned()).collect()
}

fn event_ruler_expected() -> Value {
    serde_json::from_str(&read_testdata(&format!("{EVENT_RULER}/EXPECTED.json"))).unwrap()
}

#[test]
fn event_ruler_array_cases_match_array_consistently() {
    let expected = event_ruler_expected();
    let matching = &expected["array_matching"];
    let rules: Vec<(String, Pattern)> = matching["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            let file = file.as_str().unwrap();
            let text = read_testdata(&format!("{EVENT_RULER}/{file}"));
            (
                file.trim_end_matches(".json").to_owned(),
                Pattern::parse(&text).unwrap(),
            )
        })
        .collect();
    let mut builder = opentrail_patterns::MatcherBuilder::new();
    for (key, (_, pattern)) in rules.iter().enumerate() {
        builder.add(key, pattern);
    }
    let matcher = builder.build();
    for (event_file, outcome) in matching["results"].as_object().unwrap() {
        let event = read_testdata(&format!("{EVENT_RULER}/{event_file}"));
        let want: Vec<&str> = outcome["array_consistent"]
            .as_array()
            .unwrap()
            .iter()
            .map(|name| name.as_str().unwrap())
            .collect();
        let alone: Vec<&str> = rules
            .iter()
            .filter(|(_, pattern)| pattern.matches(event.as_bytes()).unwrap())
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(alone, want, "{event_file}");
        let mut keys = Vec::new();
        matcher.matching(event.as_bytes(), &mut keys).unwrap();
        let shared: Vec<&str> = keys.iter().map(|&key| rules[key].0.as_str()).collect();
        assert_eq!(shared, want, "{event_file} through the shared matcher");
    }
}

#[test]
fn event_ruler_or_rules_expand_to_the_expected_alternatives() {
    let expected = event_ruler_expected();
    let counts: Vec<usize> = expected["or_rules"]["sub_rule_count_after_expanding_$or"]
        .as_array()
        .unwrap()
        .iter()
        .map(|count| count.as_u64().unwrap() as usize)
        .collect();
    let got: Vec<usize> = or_rules()
        .iter()
        .map(|rule| Pattern::parse(rule).unwrap().alternatives())
        .collect();
    assert_eq!(got, counts);
}
