//! Validation: the reasons EventBridge (aws/event-ruler) gives for refused patterns, the
//! bounds on pattern size and shape, and events the matcher cannot read.

use opentrail_patterns::{EventErrorKind, MAX_EVENT_DEPTH};

use crate::support::{pattern, refusal};

#[test]
fn or_expansions_beyond_a_thousand_are_refused() {
    let or_of = |name: &str, count: usize| {
        let alternatives: Vec<String> = (0..count)
            .map(|value| format!(r#"{{"{name}": [{value}]}}"#))
            .collect();
        format!(r#""$or": [{}]"#, alternatives.join(","))
    };
    let thousand = format!(
        "{{{}, {}, {}}}",
        or_of("a", 10),
        or_of("b", 10),
        or_of("c", 10)
    );
    assert_eq!(pattern(&thousand).alternatives(), 1000);
    let more = format!(
        "{{{}, {}, {}, {}}}",
        or_of("a", 6),
        or_of("b", 6),
        or_of("c", 6),
        or_of("d", 6)
    );
    assert_eq!(
        refusal(&more),
        "Event pattern expands to more than 1000 combinations of $or alternatives"
    );
}

#[test]
fn structural_mistakes_get_the_reference_reasons() {
    let cases = [
        (r#"{"a": []}"#, "Empty arrays are not allowed"),
        (r#"{"a": "x"}"#, r#""a" must be an object or an array"#),
        (r#"{"a": 42}"#, r#""a" must be an object or an array"#),
        (r#"{"a": {}}"#, "Empty objects are not allowed"),
        (r#"{}"#, "Empty objects are not allowed"),
        (r#"[]"#, "Filter is not an object"),
        (r#""x""#, "Filter is not an object"),
        ("  ", "Filter is not an object"),
        ("", "Filter is not an object"),
        (
            r#"{"a": [["x"]]}"#,
            "Match value must be String, number, true, false, or null",
        ),
        (r#"{"a": [{}]}"#, "Match expression name not found"),
        (
            r#"{"a": [{"regex": "x"}]}"#,
            "Unrecognized match type regex",
        ),
        (
            r#"{"a": [{"NUMERIC": ["=", 5]}]}"#,
            "Unrecognized match type NUMERIC",
        ),
        (
            r#"{"a": [{"prefix": "x", "suffix": "y"}]}"#,
            "Only one key allowed in match expression",
        ),
        (
            r#"{"a": [{"exactly": 5}]}"#,
            "exact match pattern must be a string",
        ),
        (
            r#"{"a": [{"prefix": 5}]}"#,
            "prefix match pattern must be a string",
        ),
        (
            r#"{"a": [{"prefix": {}}]}"#,
            "Prefix expression name not found",
        ),
        (
            r#"{"a": [{"prefix": {"wildcard": "x"}}]}"#,
            "Unsupported prefix pattern: wildcard",
        ),
        (
            r#"{"a": [{"suffix": {"equals-ignore-case": 5}}]}"#,
            "equals-ignore-case match pattern must be a string",
        ),
        (
            r#"{"a": [{"suffix": {"x": "y"}}]}"#,
            "Unsupported suffix pattern: x",
        ),
        (
            r#"{"a": [{"exists": "true"}]}"#,
            "exists match pattern must be either true or false.",
        ),
        (
            r#"{"a": [{"exists": true, "b": 1}]}"#,
            "Only one key allowed in match expression",
        ),
        (
            r#"{"a": [{"cidr": 10}]}"#,
            "prefix match pattern must be a string",
        ),
        (
            r#"{"a": [{"cidr": "10.0.0.0"}]}"#,
            "Malformed CIDR, one '/' required",
        ),
        (
            r#"{"a": [{"cidr": "10.0.0.0/33"}]}"#,
            "IPv4 mask bits must be < 32",
        ),
    ];
    for (text, reason) in cases {
        assert_eq!(refusal(text), reason, "{text}");
    }
}

#[test]
fn numeric_mistakes_get_the_reference_reasons() {
    let cases = [
        (
            r#"{"a": [{"numeric": 5}]}"#,
            "Value of numeric must be an array.",
        ),
        (
            r#"{"a": [{"numeric": [5]}]}"#,
            "Invalid member in numeric match: 5",
        ),
        (
            r#"{"a": [{"numeric": []}]}"#,
            "Invalid member in numeric match: ]",
        ),
        (
            r#"{"a": [{"numeric": ["!=", 5]}]}"#,
            "Unrecognized numeric range operator: !=",
        ),
        (
            r#"{"a": [{"numeric": ["=", "5"]}]}"#,
            "Value of equals must be numeric",
        ),
        (
            r#"{"a": [{"numeric": ["=", 5, 6]}]}"#,
            "Too many elements in numeric expression",
        ),
        (
            r#"{"a": [{"numeric": [">=", "x"]}]}"#,
            "Value of >= must be numeric",
        ),
        (
            r#"{"a": [{"numeric": ["<", 5, "<", 6]}]}"#,
            "Too many elements in numeric expression",
        ),
        (
            r#"{"a": [{"numeric": [">", 0, 5]}]}"#,
            "Bad value in numeric range: 5",
        ),
        (
            r#"{"a": [{"numeric": [">", 0, ">", 0]}]}"#,
            "Bad numeric range operator: >",
        ),
        (
            r#"{"a": [{"numeric": [">", 0, "<"]}]}"#,
            "Value of < must be numeric",
        ),
        (
            r#"{"a": [{"numeric": [">", 0, "<", 5, 6]}]}"#,
            "Too many terms in numeric range expression",
        ),
        (
            r#"{"a": [{"numeric": [">", 5, "<", 5]}]}"#,
            "Bottom must be less than top",
        ),
        (
            r#"{"a": [{"numeric": [">", 1], "x": 1}]}"#,
            "Too many elements in numeric expression",
        ),
        (
            r#"{"a": [{"numeric": [">", 1e400]}]}"#,
            "Value of > must be a finite number: 1e400",
        ),
    ];
    for (text, reason) in cases {
        assert_eq!(refusal(text), reason, "{text}");
    }
}

#[test]
fn anything_but_mistakes_get_the_reference_reasons() {
    let cases = [
        (
            r#"{"a": [{"anything-but": null}]}"#,
            "Value of anything-but must be an array or single string/number value.",
        ),
        (
            r#"{"a": [{"anything-but": true}]}"#,
            "Value of anything-but must be an array or single string/number value.",
        ),
        (
            r#"{"a": [{"anything-but": {}}]}"#,
            "Anything-But expression name not found",
        ),
        (
            r#"{"a": [{"anything-but": {"numeric": [">", 1]}}]}"#,
            "Unsupported anything-but pattern: numeric",
        ),
        (
            r#"{"a": [{"anything-but": ["x", 1]}]}"#,
            "Inside anything but list, either all values are number or string, mixed type is not supported",
        ),
        (
            r#"{"a": [{"anything-but": []}]}"#,
            "Inside anything but list, either all values are number or string, mixed type is not supported",
        ),
        (
            r#"{"a": [{"anything-but": ["x", null]}]}"#,
            "Inside anything but list, start|null|boolean is not supported.",
        ),
        (
            r#"{"a": [{"anything-but": {"prefix": ""}}]}"#,
            "Null prefix/suffix not allowed",
        ),
        (
            r#"{"a": [{"anything-but": {"suffix": ["x", ""]}}]}"#,
            "Null prefix/suffix not allowed",
        ),
        (
            r#"{"a": [{"anything-but": {"prefix": 1}}]}"#,
            "prefix/suffix match pattern must be a string",
        ),
        (
            r#"{"a": [{"anything-but": {"wildcard": [1]}}]}"#,
            "wildcard match pattern must be a string",
        ),
        (
            r#"{"a": [{"anything-but": {"wildcard": "a**"}}]}"#,
            "Consecutive wildcard characters at pos 2",
        ),
        (
            r#"{"a": [{"anything-but": {"equals-ignore-case": [true]}}]}"#,
            "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
        ),
        (
            r#"{"a": [{"anything-but": "x", "b": 1}]}"#,
            "Too many elements in numeric expression",
        ),
        (
            r#"{"a": [{"anything-but": {"prefix": "x", "b": 1}}]}"#,
            "Too many elements in numeric expression",
        ),
    ];
    for (text, reason) in cases {
        assert_eq!(refusal(text), reason, "{text}");
    }
}

#[test]
fn bounds_on_pattern_size_and_shape_are_enforced() {
    let long = format!(r#"{{"a": ["{}"]}}"#, "x".repeat(4096));
    assert_eq!(
        refusal(&long),
        "Event pattern is longer than 4096 characters"
    );
    let fits = format!(r#"{{"a": ["{}"]}}"#, "x".repeat(4096 - 11));
    assert_eq!(fits.len(), 4096);
    pattern(&fits);
    // Counted in UTF-16 code units, as EventBridge counts: a rocket takes two.
    let rockets = format!(r#"{{"a": ["{}"]}}"#, "🚀".repeat(2043));
    assert_eq!(rockets.encode_utf16().count(), 4097);
    assert_eq!(
        refusal(&rockets),
        "Event pattern is longer than 4096 characters"
    );
    let deep = format!("{}[1]{}", r#"{"a":"#.repeat(130), "}".repeat(130));
    assert_eq!(
        refusal(&deep),
        "Event pattern is nested deeper than 128 levels"
    );
    let many: Vec<String> = (0..257).map(|field| format!(r#""f{field}":[1]"#)).collect();
    assert_eq!(
        refusal(&format!("{{{}}}", many.join(","))),
        "Size of rule exceeds max value of 256"
    );
    assert!(refusal(r#"{"a": ["x"]} trailing"#).starts_with("Unexpected character ('t'"));
    assert!(refusal(r#"{"a": ["x"]"#).starts_with("Unexpected end-of-input"));
    assert!(refusal(r#"{"a": [tru]}"#).starts_with("Unrecognized token"));
}

#[test]
fn unreadable_events_are_errors_even_where_no_rule_looks() {
    let text = pattern(r#"{"a": ["x"]}"#);
    let kind = |event: &[u8]| text.matches(event).unwrap_err().kind();
    assert_eq!(kind(b"[1]"), EventErrorKind::NotAnObject);
    assert_eq!(kind(b"\"a\""), EventErrorKind::NotAnObject);
    assert_eq!(kind(b"{\"a\": \"\xff\"}"), EventErrorKind::NotUtf8);
    assert_eq!(kind(br#"{"b": [1,]}"#), EventErrorKind::Syntax);
    assert_eq!(kind(br#"{"b": {"c" 1}}"#), EventErrorKind::Syntax);
    assert_eq!(kind(br#"{"a": "x"} {}"#), EventErrorKind::Syntax);
    assert_eq!(kind(b""), EventErrorKind::Syntax);
    let deep = format!(
        r#"{{"b": {}1{}}}"#,
        "[".repeat(MAX_EVENT_DEPTH),
        "]".repeat(MAX_EVENT_DEPTH)
    );
    assert_eq!(kind(deep.as_bytes()), EventErrorKind::TooDeep);
    let error = text.matches(br#"{"b": [1,]}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "event is not valid JSON: expected a value at byte 9"
    );
    let fine = format!(
        r#"{{"a": "x", "b": {}1{}}}"#,
        "[".repeat(126),
        "]".repeat(126)
    );
    assert!(text.matches(fine.as_bytes()).unwrap());
}
