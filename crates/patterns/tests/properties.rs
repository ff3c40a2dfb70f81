//! Property tests: patterns built from an event's own values match it, and one matcher
//! agrees with every pattern evaluated alone (and with the reference evaluation) on
//! random patterns and events.

use std::collections::BTreeMap;

use opentrail_patterns::Pattern;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::support::cross_check;

fn key() -> impl Strategy<Value = String> {
    prop_oneof![Just("a"), Just("b"), Just("c"), Just("a.b"), Just("É")].prop_map(String::from)
}

/// Leaf values from a small universe, so random patterns often hit them.
fn small_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("x")),
        Just(json!("y")),
        Just(json!("X")),
        Just(json!("xy")),
        Just(json!("")),
        Just(json!("10.1.2.3")),
        Just(json!(0)),
        Just(json!(1)),
        Just(json!(1.0)),
        Just(json!(2.5)),
        Just(json!(-1)),
        Just(json!(true)),
        Just(json!(false)),
        Just(Value::Null),
    ]
}

/// Leaf values from a wide universe, for patterns built from the event's own values.
fn wide_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-zA-Z0-9 *\\\\.é:/-]{0,12}".prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn tree(leaf: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    let object = leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 1..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    });
    prop::collection::btree_map(key(), object, 0..6)
        .prop_map(|members| Value::Object(members.into_iter().collect()))
}

/// A leaf of an event: dot-joined path, value, and (array, index) of the elements around it.
struct FlatLeaf {
    path: String,
    value: Value,
    elements: Vec<(usize, usize)>,
}

fn flatten(
    value: &Value,
    path: &str,
    elements: &mut Vec<(usize, usize)>,
    arrays: &mut usize,
    out: &mut Vec<FlatLeaf>,
) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(member, &child, elements, arrays, out);
            }
        }
        Value::Array(items) => {
            let array = *arrays;
            *arrays += 1;
            for (index, item) in items.iter().enumerate() {
                elements.push((array, index));
                flatten(item, path, elements, arrays, out);
                elements.pop();
            }
        }
        _ => out.push(FlatLeaf {
            path: path.to_owned(),
            value: value.clone(),
            elements: elements.clone(),
        }),
    }
}

fn compatible(left: &FlatLeaf, right: &FlatLeaf) -> bool {
    left.elements.iter().all(|(array, index)| {
        right
            .elements
            .iter()
            .all(|(other, other_index)| array != other || index == other_index)
    })
}

/// Escapes a literal for a `wildcard` operand.
fn wildcard_literal(text: &str) -> String {
    text.replace('\\', "\\\\").replace('*', "\\*")
}

/// A condition `value` satisfies, chosen by `seed`.
fn condition_for(value: &Value, seed: u32) -> Value {
    if seed.is_multiple_of(9) {
        return json!({"exists": true});
    }
    match value {
        Value::String(text) => {
            let chars: Vec<char> = text.chars().collect();
            let cut = (seed as usize / 9) % (chars.len() + 1);
            let head: String = chars[..cut].iter().collect();
            let tail: String = chars[cut..].iter().collect();
            match seed % 9 {
                1 => json!({"prefix": head}),
                2 => json!({"suffix": tail}),
                3 => json!({"equals-ignore-case": text.to_uppercase()}),
                4 => json!({"prefix": {"equals-ignore-case": head.to_uppercase()}}),
                5 => json!({"suffix": {"equals-ignore-case": tail.to_lowercase()}}),
                6 => {
                    json!({"wildcard": format!("{}*{}", wildcard_literal(&head), wildcard_literal(&tail))})
                }
                7 if text != "zz" => json!({"anything-but": ["zz", format!("{text}!")]}),
                _ => json!([value.clone()])[0].clone(),
            }
        }
        Value::Number(number) => {
            let float = number.as_f64().unwrap_or(0.0);
            match seed % 9 {
                1 => json!({"numeric": [">=", float - 1.0, "<", float + 1.0]}),
                2 => json!({"numeric": ["=", float]}),
                3 => json!({"anything-but": [float + 0.5]}),
                4 => json!({"numeric": ["<=", float]}),
                _ => value.clone(),
            }
        }
        _ => value.clone(),
    }
}

/// A pattern built from some of `event`'s own leaves (array-consistent among themselves),
/// which must therefore match it.
fn pattern_from(event: &Value, seeds: &[u32]) -> Option<String> {
    pattern_from_leaves(event, seeds, true)
}

/// Conditions any value might or might not meet, to mutate derived patterns with.
const MUTATIONS: &[&str] = &[
    r#""x""#,
    r#"1"#,
    r#"null"#,
    r#"{"exists": false}"#,
    r#"{"anything-but": "x"}"#,
    r#"{"prefix": "x"}"#,
    r#"{"numeric": [">", 0]}"#,
    r#"{"equals-ignore-case": "X"}"#,
    r#"{"wildcard": "*y"}"#,
    r#"{"cidr": "10.0.0.0/8"}"#,
];

/// A pattern built from some of `event`'s leaves; unless `consistent_only`, the leaves may
/// sit in different elements of one array, so the pattern may or may not match.
fn pattern_from_leaves(event: &Value, seeds: &[u32], consistent_only: bool) -> Option<String> {
    let mut leaves = Vec::new();
    flatten(event, "", &mut Vec::new(), &mut 0, &mut leaves);
    if leaves.is_empty() {
        return None;
    }
    let mut chosen: Vec<&FlatLeaf> = Vec::new();
    let mut fields: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for &seed in seeds {
        let leaf = &leaves[seed as usize % leaves.len()];
        if fields.contains_key(&leaf.path)
            || (consistent_only && !chosen.iter().all(|other| compatible(other, leaf)))
        {
            continue;
        }
        chosen.push(leaf);
        let mut condition = condition_for(&leaf.value, seed / 7);
        if !consistent_only && seed % 5 == 0 {
            let mutation = MUTATIONS[(seed as usize / 5) % MUTATIONS.len()];
            condition = serde_json::from_str(mutation).unwrap_or(condition);
        }
        fields.insert(leaf.path.clone(), vec![condition]);
    }
    // A path no key spelling can produce: absent, so `exists: false` holds.
    fields.insert("zz".to_owned(), vec![json!({"exists": false})]);
    let pattern: Map<String, Value> = fields
        .into_iter()
        .map(|(path, conditions)| (path, Value::from(conditions)))
        .collect();
    Some(Value::Object(pattern).to_string())
}

/// A random condition over the small universe.
fn random_condition() -> impl Strategy<Value = Value> {
    let text = prop_oneof![Just("x"), Just("X"), Just("y"), Just("")];
    prop_oneof![
        small_leaf(),
        text.clone().prop_map(|text| json!({"prefix": text})),
        text.clone().prop_map(|text| json!({"suffix": text})),
        text.clone()
            .prop_map(|text| json!({"equals-ignore-case": text})),
        text.clone()
            .prop_map(|text| json!({"prefix": {"equals-ignore-case": text}})),
        text.prop_map(|text| json!({"exactly": text})),
        prop_oneof![Just("x*"), Just("*y"), Just("*"), Just("x*y"), Just("")]
            .prop_map(|text| json!({"wildcard": text})),
        prop_oneof![
            Just(json!("x")),
            Just(json!(["x", "y"])),
            Just(json!(1)),
            Just(json!([0, 2.5])),
            Just(json!({"prefix": "x"})),
            Just(json!({"suffix": ["y", "X"]})),
            Just(json!({"equals-ignore-case": "X"})),
            Just(json!({"wildcard": "x*"})),
        ]
        .prop_map(|operand| json!({"anything-but": operand})),
        prop_oneof![
            Just(json!([">", 0])),
            Just(json!(["<=", 1])),
            Just(json!([">=", 0, "<", 2])),
            Just(json!(["=", 1])),
        ]
        .prop_map(|operand| json!({"numeric": operand})),
        any::<bool>().prop_map(|exists| json!({"exists": exists})),
        Just(json!({"cidr": "10.0.0.0/8"})),
    ]
}

fn random_pattern_object() -> impl Strategy<Value = Value> {
    let leaf = prop::collection::vec(random_condition(), 1..4).prop_map(Value::Array);
    let node = leaf.prop_recursive(2, 6, 2, |inner| {
        prop::collection::btree_map(key(), inner, 1..3)
            .prop_map(|members| Value::Object(members.into_iter().collect()))
    });
    prop::collection::btree_map(key(), node, 1..3)
        .prop_map(|members| Value::Object(members.into_iter().collect()))
}

fn random_pattern() -> impl Strategy<Value = String> {
    (
        random_pattern_object(),
        prop::option::of((random_pattern_object(), random_pattern_object())),
    )
        .prop_map(|(mut base, alternatives)| {
            if let (Some((first, second)), Value::Object(members)) = (alternatives, &mut base) {
                members.insert("$or".to_owned(), json!([first, second]));
            }
            base.to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        // The test binary's root is tests/tests.rs, where proptest cannot keep its
        // regression files; failures print their minimal case instead.
        failure_persistence: None,
        ..ProptestConfig::with_cases(300)
    })]

    #[test]
    fn patterns_built_from_an_events_values_match_it(
        event in tree(wide_leaf().boxed()),
        seeds in prop::collection::vec(any::<u32>(), 1..8),
    ) {
        let Some(text) = pattern_from(&event, &seeds) else {
            return Ok(());
        };
        let pattern = Pattern::parse(&text).map_err(|error| TestCaseError::fail(format!("{text}: {error}")))?;
        let event_text = event.to_string();
        prop_assert!(pattern.matches(event_text.as_bytes()).unwrap(), "{} on {}", text, event_text);
        prop_assert!(pattern.matches_reference(event_text.as_bytes()).unwrap(), "{} on {}", text, event_text);
    }

    #[test]
    fn one_matcher_agrees_on_patterns_derived_from_events(
        events in prop::collection::vec(tree(small_leaf().boxed()), 1..8),
        seeds in prop::collection::vec(prop::collection::vec(any::<u32>(), 1..6), 1..12),
    ) {
        let mut patterns = Vec::new();
        for (number, pattern_seeds) in seeds.iter().enumerate() {
            let event = &events[number % events.len()];
            if let Some(text) = pattern_from_leaves(event, pattern_seeds, false) {
                patterns.push(Pattern::parse(&text).map_err(|error| TestCaseError::fail(format!("{text}: {error}")))?);
            }
        }
        let events: Vec<String> = events.iter().map(Value::to_string).collect();
        cross_check(&patterns, &events);
    }

    #[test]
    fn one_matcher_agrees_with_each_pattern_alone(
        pattern_texts in prop::collection::vec(random_pattern(), 1..10),
        events in prop::collection::vec(tree(small_leaf().boxed()), 1..8),
    ) {
        // Random operands can be refused (for example a wildcard too complex): skip those.
        let patterns: Vec<Pattern> = pattern_texts.iter().filter_map(|text| Pattern::parse(text).ok()).collect();
        let events: Vec<String> = events.iter().map(Value::to_string).collect();
        cross_check(&patterns, &events);
    }

    #[test]
    fn arbitrary_pattern_text_is_refused_or_accepted_without_panicking(text in any::<String>()) {
        let _ = Pattern::parse(&text);
    }

    #[test]
    fn mutated_patterns_parse_or_refuse_and_then_match_without_panicking(
        base in random_pattern(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(MUTATION_BYTES)), 1..4),
        event in tree(small_leaf().boxed()),
    ) {
        let text = mutate(&base, &edits);
        if let Ok(pattern) = Pattern::parse(&text) {
            let event = event.to_string();
            let fast = pattern.matches(event.as_bytes()).unwrap();
            prop_assert_eq!(fast, pattern.matches_reference(event.as_bytes()).unwrap(), "{}", text);
        }
    }

    #[test]
    fn events_are_accepted_exactly_when_they_are_json_objects(
        event in tree(small_leaf().boxed()),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(MUTATION_BYTES)), 0..3),
    ) {
        let text = mutate(&event.to_string(), &edits);
        let expected = match serde_json::from_str::<Value>(&text) {
            Ok(value) => value.is_object(),
            // serde_json refuses numbers beyond f64; the pattern language keeps their text.
            Err(error) if error.to_string().contains("number out of range") => return Ok(()),
            Err(_) => false,
        };
        let pattern = Pattern::parse(r#"{"a": {"b": [{"exists": true}]}, "c": ["x"]}"#).unwrap();
        let fast = pattern.matches(text.as_bytes());
        let reference = pattern.matches_reference(text.as_bytes());
        prop_assert_eq!(fast.is_ok(), expected, "{}: {:?}", text, fast);
        prop_assert_eq!(reference.is_ok(), expected, "{}: {:?}", text, reference);
        if let (Ok(fast), Ok(reference)) = (fast, reference) {
            prop_assert_eq!(fast, reference);
        }
    }
}

/// Bytes that make or break JSON, inserted into or replacing text by [`mutate`].
const MUTATION_BYTES: &[char] = &[
    '{', '}', '[', ']', '"', ':', ',', '\\', ' ', '0', '-', '.', 'e', 'a', 'u', '\u{1}', '*', '$',
];

/// Applies `edits` to `text`: each either inserts its character at a position or, for even
/// positions, replaces the character there.
fn mutate(text: &str, edits: &[(prop::sample::Index, char)]) -> String {
    let mut characters: Vec<char> = text.chars().collect();
    for (position, character) in edits {
        let at = position.index(characters.len() + 1);
        if at % 2 == 0 && at < characters.len() {
            characters[at] = *character;
        } else {
            characters.insert(at, *character);
        }
    }
    characters.into_iter().collect()
}
