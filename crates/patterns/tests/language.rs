//! The pattern language operator by operator (spec §5.2): what matches what.

use crate::support::{matches, pattern, refusal};

#[test]
fn literals_match_exactly_and_by_type() {
    assert!(matches(r#"{"a": ["Text"]}"#, r#"{"a": "Text"}"#));
    assert!(!matches(r#"{"a": ["Text"]}"#, r#"{"a": "text"}"#));
    assert!(!matches(r#"{"a": ["Text"]}"#, r#"{"a": "Text "}"#));
    assert!(matches(r#"{"a": [""]}"#, r#"{"a": ""}"#));
    assert!(!matches(r#"{"a": [""]}"#, r#"{"a": null}"#));
    assert!(matches(r#"{"a": [null]}"#, r#"{"a": null}"#));
    assert!(!matches(r#"{"a": [null]}"#, r#"{"b": 1}"#));
    assert!(!matches(r#"{"a": [null]}"#, r#"{"a": ""}"#));
    assert!(!matches(r#"{"a": [null]}"#, r#"{"a": "null"}"#));
    assert!(matches(r#"{"a": [true]}"#, r#"{"a": true}"#));
    assert!(!matches(r#"{"a": [true]}"#, r#"{"a": "true"}"#));
    assert!(!matches(r#"{"a": [false]}"#, r#"{"a": true}"#));
    assert!(matches(r#"{"a": ["x", "y"]}"#, r#"{"a": "y"}"#));
    assert!(matches(r#"{"a": ["\u00e9\n"]}"#, "{\"a\": \"\u{e9}\\n\"}"));
}

#[test]
fn numbers_match_by_value_and_never_strings() {
    assert!(matches(r#"{"n": [300]}"#, r#"{"n": 300.0}"#));
    assert!(matches(r#"{"n": [300]}"#, r#"{"n": 3e2}"#));
    assert!(matches(r#"{"n": [3.0e2]}"#, r#"{"n": 300}"#));
    assert!(matches(r#"{"n": [0]}"#, r#"{"n": -0.0}"#));
    assert!(!matches(r#"{"n": [300]}"#, r#"{"n": "300"}"#));
    assert!(!matches(r#"{"n": ["300"]}"#, r#"{"n": 300}"#));
    // Not a finite double: the same text still matches.
    assert!(matches(r#"{"n": [1e400]}"#, r#"{"n": 1e400}"#));
    assert!(!matches(r#"{"n": [1e400]}"#, r#"{"n": 2e400}"#));
    // Account numbers written as numbers.
    assert!(matches(
        r#"{"n": [123456789012]}"#,
        r#"{"n": 123456789012}"#
    ));
}

#[test]
fn ip_literals_match_any_spelling_but_exactly_does_not() {
    assert!(matches(
        r#"{"ip": ["2001:db8::1"]}"#,
        r#"{"ip": "2001:0DB8:0:0:0:0:0:1"}"#
    ));
    assert!(matches(r#"{"ip": ["10.0.0.1"]}"#, r#"{"ip": "10.0.0.1"}"#));
    assert!(!matches(r#"{"ip": ["10.0.0.1"]}"#, r#"{"ip": "10.0.0.2"}"#));
    assert!(!matches(
        r#"{"ip": [{"exactly": "2001:db8::1"}]}"#,
        r#"{"ip": "2001:DB8::1"}"#
    ));
    assert!(matches(
        r#"{"ip": [{"exactly": "2001:db8::1"}]}"#,
        r#"{"ip": "2001:db8::1"}"#
    ));
}

#[test]
fn nested_objects_and_dotted_names_are_the_same_path() {
    for pattern_text in [r#"{"a": {"b": ["x"]}}"#, r#"{"a.b": ["x"]}"#] {
        assert!(matches(pattern_text, r#"{"a": {"b": "x"}}"#));
        assert!(matches(pattern_text, r#"{"a.b": "x"}"#));
        assert!(!matches(pattern_text, r#"{"a": {"b.c": "x"}}"#));
    }
    assert!(matches(
        r#"{"a": {"b": {"c": ["x"]}}}"#,
        r#"{"a.b": {"c": "x"}}"#
    ));
}

#[test]
fn a_path_written_twice_keeps_its_last_leaf_array() {
    let text = r#"{"a": ["x"], "a": ["y"]}"#;
    assert!(matches(text, r#"{"a": "y"}"#));
    assert!(!matches(text, r#"{"a": "x"}"#));
    // Objects written twice contribute all their paths.
    let text = r#"{"o": {"b": ["x"]}, "o": {"c": ["y"]}}"#;
    assert!(matches(text, r#"{"o": {"b": "x", "c": "y"}}"#));
    assert!(!matches(text, r#"{"o": {"b": "x"}}"#));
    // A dotted name and a nested object reaching the same path: the later one wins.
    assert!(matches(
        r#"{"a.b": ["x"], "a": {"b": ["y"]}}"#,
        r#"{"a": {"b": "y"}}"#
    ));
}

#[test]
fn event_arrays_match_when_any_element_matches() {
    assert!(matches(r#"{"r": ["b"]}"#, r#"{"r": ["a", "b"]}"#));
    assert!(!matches(r#"{"r": ["c"]}"#, r#"{"r": ["a", "b"]}"#));
    assert!(matches(r#"{"r": ["b"]}"#, r#"{"r": [["a"], ["b"]]}"#));
    assert!(!matches(r#"{"r": ["b"]}"#, r#"{"r": []}"#));
    assert!(matches(
        r#"{"r": {"x": [1]}}"#,
        r#"{"r": [{"x": 2}, {"x": 1}]}"#
    ));
}

#[test]
fn fields_of_one_pattern_object_must_match_within_one_array_element() {
    let event = r#"{"employees": [
        {"first": "John", "last": "Doe"},
        {"first": "Anna", "last": "Smith"},
        {"first": "Peter", "last": "Jones"}]}"#;
    assert!(matches(
        r#"{"employees": {"first": ["Anna"], "last": ["Smith"]}}"#,
        event
    ));
    assert!(!matches(
        r#"{"employees": {"first": ["Anna"], "last": ["Jones"]}}"#,
        event
    ));
    assert!(matches(
        r#"{"employees": {"first": ["Anna"], "last": ["Jones", "Smith"]}}"#,
        event
    ));
    // Nested arrays: the outer element must agree too.
    let nested = r#"{"g": [[{"a": 1, "b": 2}], [{"a": 3, "b": 4}]]}"#;
    assert!(matches(r#"{"g": {"a": [1], "b": [2]}}"#, nested));
    assert!(!matches(r#"{"g": {"a": [1], "b": [4]}}"#, nested));
    // A field outside the array constrains nothing.
    let mixed = r#"{"top": "t", "items": [{"a": 1}, {"b": 2}]}"#;
    assert!(matches(r#"{"top": ["t"], "items": {"b": [2]}}"#, mixed));
    assert!(!matches(r#"{"items": {"a": [1], "b": [2]}}"#, mixed));
    // Different arrays are independent.
    let two = r#"{"x": [{"a": 1}, {"a": 2}], "y": [{"b": 1}, {"b": 2}]}"#;
    assert!(matches(r#"{"x": {"a": [2]}, "y": {"b": [1]}}"#, two));
}

#[test]
fn exists_false_inside_arrays_looks_at_the_chosen_element() {
    let event = r#"{"items": [{"a": 1, "b": 2}, {"a": 1}]}"#;
    assert!(matches(
        r#"{"items": {"a": [1], "b": [{"exists": false}]}}"#,
        event
    ));
    let event = r#"{"items": [{"a": 1, "b": 2}, {"a": 3, "b": 4}]}"#;
    assert!(!matches(
        r#"{"items": {"a": [1], "b": [{"exists": false}]}}"#,
        event
    ));
    // Outside arrays, any value at the path means it exists.
    assert!(!matches(
        r#"{"items": {"a": [1]}, "c": [{"exists": false}]}"#,
        r#"{"items": [{"a": 1}], "c": [5]}"#
    ));
}

#[test]
fn prefix_and_suffix_match_strings_only() {
    assert!(matches(
        r#"{"t": [{"prefix": "2017-10"}]}"#,
        r#"{"t": "2017-10-02T18:43:48Z"}"#
    ));
    assert!(!matches(
        r#"{"t": [{"prefix": "2017-10"}]}"#,
        r#"{"t": "2017-11-02"}"#
    ));
    assert!(!matches(r#"{"t": [{"prefix": "1"}]}"#, r#"{"t": 12}"#));
    assert!(matches(
        r#"{"t": [{"prefix": ""}]}"#,
        r#"{"t": "anything"}"#
    ));
    assert!(!matches(r#"{"t": [{"prefix": ""}]}"#, r#"{"t": null}"#));
    assert!(matches(
        r#"{"f": [{"suffix": ".png"}]}"#,
        r#"{"f": "a.png"}"#
    ));
    assert!(!matches(
        r#"{"f": [{"suffix": ".png"}]}"#,
        r#"{"f": "a.PNG"}"#
    ));
    assert!(matches(
        r#"{"f": [{"suffix": {"equals-ignore-case": ".png"}}]}"#,
        r#"{"f": "a.PNG"}"#
    ));
    assert!(matches(
        r#"{"s": [{"prefix": {"equals-ignore-case": "EventB"}}]}"#,
        r#"{"s": "eventbridge"}"#
    ));
    assert!(!matches(
        r#"{"s": [{"prefix": {"equals-ignore-case": "EventB"}}]}"#,
        r#"{"s": "event"}"#
    ));
    assert!(matches(r#"{"s": [{"prefix": "é"}]}"#, r#"{"s": "été"}"#));
}

#[test]
fn equals_ignore_case_folds_unicode() {
    let text = r#"{"name": [{"equals-ignore-case": "alice"}]}"#;
    assert!(matches(text, r#"{"name": "ALICE"}"#));
    assert!(matches(text, r#"{"name": "aLiCe"}"#));
    assert!(!matches(text, r#"{"name": "alicia"}"#));
    assert!(matches(
        r#"{"s": [{"equals-ignore-case": "straße"}]}"#,
        r#"{"s": "STRASSE"}"#
    ));
    assert!(matches(
        r#"{"s": [{"equals-ignore-case": "ΟΔΟΣ"}]}"#,
        r#"{"s": "οδος"}"#
    ));
    assert!(matches(
        r#"{"s": [{"equals-ignore-case": ""}]}"#,
        r#"{"s": ""}"#
    ));
    assert!(!matches(
        r#"{"s": [{"equals-ignore-case": "1"}]}"#,
        r#"{"s": 1}"#
    ));
}

#[test]
fn wildcards_match_runs_and_honour_escapes() {
    let text = r#"{"k": [{"wildcard": "dir/*.png"}]}"#;
    assert!(matches(text, r#"{"k": "dir/a/b.png"}"#));
    assert!(!matches(text, r#"{"k": "dir/a.jpg"}"#));
    assert!(matches(
        r#"{"k": [{"wildcard": "a\\*b"}]}"#,
        r#"{"k": "a*b"}"#
    ));
    assert!(!matches(
        r#"{"k": [{"wildcard": "a\\*b"}]}"#,
        r#"{"k": "axb"}"#
    ));
    assert!(matches(
        r#"{"k": [{"wildcard": "a\\\\b"}]}"#,
        r#"{"k": "a\\b"}"#
    ));
    assert!(!matches(r#"{"k": [{"wildcard": "*"}]}"#, r#"{"k": 5}"#));
    assert_eq!(
        refusal(r#"{"k": [{"wildcard": "a\\b"}]}"#),
        "Invalid escape character at pos 2"
    );
    assert_eq!(
        refusal(r#"{"k": [{"wildcard": "a**"}]}"#),
        "Consecutive wildcard characters at pos 2"
    );
    assert_eq!(
        refusal(r#"{"k": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}"#),
        "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"
    );
    // Complexity adds up over the wildcards of one path.
    assert_eq!(
        refusal(
            r#"{"k": [{"wildcard": "*/d/*.a"}, {"wildcard": "*/d/*.b"}, {"wildcard": "*/d/*.c"}, {"wildcard": "*/d/*.e"}]}"#
        ),
        "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"
    );
    pattern(r#"{"k": [{"wildcard": "*/d/*.a"}], "j": [{"wildcard": "*/d/*.b"}]}"#);
}

#[test]
fn anything_but_needs_a_present_value_of_another_kind() {
    let text = r#"{"s": [{"anything-but": "initializing"}]}"#;
    assert!(matches(text, r#"{"s": "running"}"#));
    assert!(!matches(text, r#"{"s": "initializing"}"#));
    assert!(!matches(text, r#"{"other": "x"}"#));
    assert!(matches(text, r#"{"s": null}"#));
    assert!(matches(text, r#"{"s": 5}"#));
    assert!(matches(text, r#"{"s": ["initializing", "running"]}"#));
    assert!(!matches(text, r#"{"s": {"nested": "x"}}"#));
    let list = r#"{"s": [{"anything-but": ["stopped", "overloaded"]}]}"#;
    assert!(!matches(list, r#"{"s": "stopped"}"#));
    assert!(matches(list, r#"{"s": null}"#));
    let numbers = r#"{"n": [{"anything-but": [100, 200]}]}"#;
    assert!(!matches(numbers, r#"{"n": 1e2}"#));
    assert!(matches(numbers, r#"{"n": 150}"#));
    assert!(matches(numbers, r#"{"n": "100"}"#));
    assert!(matches(r#"{"n": [{"anything-but": 0}]}"#, r#"{"n": 789}"#));
    let prefix = r#"{"s": [{"anything-but": {"prefix": "init"}}]}"#;
    assert!(!matches(prefix, r#"{"s": "initializing"}"#));
    assert!(matches(prefix, r#"{"s": "running"}"#));
    assert!(matches(prefix, r#"{"s": 12}"#));
    let suffix = r#"{"f": [{"anything-but": {"suffix": [".txt", ".jpg"]}}]}"#;
    assert!(!matches(suffix, r#"{"f": "a.jpg"}"#));
    assert!(matches(suffix, r#"{"f": "a.png"}"#));
    let ignore_case = r#"{"s": [{"anything-but": {"equals-ignore-case": ["Stopped"]}}]}"#;
    assert!(!matches(ignore_case, r#"{"s": "STOPPED"}"#));
    assert!(matches(ignore_case, r#"{"s": "running"}"#));
    let wildcard = r#"{"p": [{"anything-but": {"wildcard": "*/lib/*"}}]}"#;
    assert!(!matches(wildcard, r#"{"p": "/usr/lib/x"}"#));
    assert!(matches(wildcard, r#"{"p": "/usr/bin/x"}"#));
    // An empty exclusion list excludes nothing.
    assert!(matches(
        r#"{"p": [{"anything-but": {"prefix": []}}]}"#,
        r#"{"p": "x"}"#
    ));
}

#[test]
fn numeric_compares_numbers_only() {
    let text = r#"{"c": [{"numeric": [">", 0, "<=", 5]}]}"#;
    assert!(matches(text, r#"{"c": 5}"#));
    assert!(matches(text, r#"{"c": 0.0001}"#));
    assert!(!matches(text, r#"{"c": 0}"#));
    assert!(!matches(text, r#"{"c": 5.0001}"#));
    assert!(!matches(text, r#"{"c": "3"}"#));
    assert!(matches(
        r#"{"c": [{"numeric": [">=", 0, "<", 5]}]}"#,
        r#"{"c": 0}"#
    ));
    assert!(!matches(
        r#"{"c": [{"numeric": [">=", 0, "<", 5]}]}"#,
        r#"{"c": 5}"#
    ));
    assert!(matches(
        r#"{"c": [{"numeric": ["=", 3.018e2]}]}"#,
        r#"{"c": 301.8}"#
    ));
    assert!(matches(
        r#"{"c": [{"numeric": ["<", -1e300]}]}"#,
        r#"{"c": -1.5e300}"#
    ));
    assert!(matches(
        r#"{"c": [{"numeric": [">", 5e9]}]}"#,
        r#"{"c": 6e9}"#
    ));
    assert!(!matches(
        r#"{"c": [{"numeric": [">", 0]}]}"#,
        r#"{"c": 1e400}"#
    ));
    assert!(!matches(
        r#"{"c": [{"numeric": [">", 0]}]}"#,
        r#"{"c": true}"#
    ));
}

#[test]
fn exists_looks_at_leaves_only() {
    assert!(matches(r#"{"a": [{"exists": true}]}"#, r#"{"a": null}"#));
    assert!(matches(r#"{"a": [{"exists": true}]}"#, r#"{"a": ""}"#));
    assert!(!matches(r#"{"a": [{"exists": true}]}"#, r#"{"b": 1}"#));
    assert!(!matches(
        r#"{"a": [{"exists": true}]}"#,
        r#"{"a": {"b": 1}}"#
    ));
    assert!(!matches(r#"{"a": [{"exists": true}]}"#, r#"{"a": []}"#));
    assert!(matches(r#"{"a": [{"exists": false}]}"#, r#"{"b": 1}"#));
    assert!(matches(
        r#"{"a": [{"exists": false}]}"#,
        r#"{"a": {"b": 1}}"#
    ));
    assert!(matches(r#"{"a": [{"exists": false}]}"#, r#"{"a": []}"#));
    assert!(!matches(r#"{"a": [{"exists": false}]}"#, r#"{"a": null}"#));
    let either = r#"{"a": [{"exists": false}, "x"]}"#;
    assert!(matches(either, r#"{"b": 1}"#));
    assert!(matches(either, r#"{"a": "x"}"#));
    assert!(!matches(either, r#"{"a": "y"}"#));
    assert!(matches(either, r#"{"a": ["y", "x"]}"#));
}

#[test]
fn cidr_matches_addresses_in_the_block() {
    let text = r#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#;
    assert!(matches(text, r#"{"ip": "10.0.0.255"}"#));
    assert!(!matches(text, r#"{"ip": "10.0.1.0"}"#));
    assert!(!matches(text, r#"{"ip": "not an ip"}"#));
    assert!(!matches(text, r#"{"ip": 10}"#));
    assert!(!matches(text, r#"{"ip": "2001:db8::1"}"#));
    let v6 = r#"{"ip": [{"cidr": "2001:db8:1234:1a00::/64"}]}"#;
    assert!(matches(
        v6,
        r#"{"ip": "2001:db8:1234:1a00:9691:9503:25ad:1761"}"#
    ));
    assert!(!matches(v6, r#"{"ip": "2001:db8:1234:1a01::1"}"#));
}

#[test]
fn or_alternatives_nest_and_combine_with_siblings() {
    let text = r#"{"source": ["aws.ec2"], "$or": [{"a": [1]}, {"b": [2], "$or": [{"c": [3]}, {"d": [4]}]}]}"#;
    assert_eq!(pattern(text).alternatives(), 3);
    assert!(matches(text, r#"{"source": "aws.ec2", "a": 1}"#));
    assert!(matches(text, r#"{"source": "aws.ec2", "b": 2, "d": 4}"#));
    assert!(!matches(text, r#"{"source": "aws.ec2", "b": 2}"#));
    assert!(!matches(text, r#"{"source": "aws.s3", "a": 1}"#));
    // Siblings written after the `$or` apply to every alternative too.
    let after = r#"{"$or": [{"a": [1]}, {"b": [2]}], "source": ["aws.ec2"]}"#;
    assert!(!matches(after, r#"{"a": 1}"#));
    assert!(matches(after, r#"{"b": 2, "source": "aws.ec2"}"#));
    // Inside an object, the alternatives' paths are under it.
    assert!(matches(
        r#"{"detail": {"$or": [{"x": [1]}, {"y": [2]}]}}"#,
        r#"{"detail": {"y": 2}}"#
    ));
}

#[test]
fn or_that_cannot_be_alternatives_is_an_ordinary_field_name() {
    let legacy = r#"{"$or": [{"numeric": [">", 0]}]}"#;
    assert_eq!(pattern(legacy).alternatives(), 1);
    assert!(matches(legacy, r#"{"$or": 5}"#));
    assert!(matches(
        r#"{"$or": {"a": ["x"]}}"#,
        r#"{"$or": {"a": "x"}}"#
    ));
    // Neither reading works: the `$or` reading's reason is given.
    assert_eq!(
        refusal(r#"{"$or": [{"a": ["x"]}]}"#),
        "There must have at least 2 Objects in $or relationship."
    );
    assert_eq!(
        refusal(r#"{"$or": [{"prefix": ["x"]}, {"b": ["y"]}]}"#),
        "prefix is Ruler reserved fieldName which cannot be used inside $or."
    );
    assert_eq!(
        refusal(r#"{"$or": [{"a": ["x"]}, "b"]}"#),
        "Only JSON object is allowed in array of $or relationship."
    );
    assert_eq!(
        refusal(r#"{"$or": "x"}"#),
        "It must be an Array followed with $or."
    );
}
