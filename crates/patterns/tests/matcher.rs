//! The shared matcher's contract: keys once and in order, replacement of a key, empty
//! matchers, scratch reuse, thread safety, bounded work on large arrays.

use opentrail_patterns::{Matcher, MatcherBuilder, Pattern, Scratch};

use crate::support::pattern;

#[test]
fn matcher_returns_each_key_once_in_ascending_order() {
    let mut builder = MatcherBuilder::new();
    builder.add(30u64, &pattern(r#"{"a": ["x"]}"#));
    builder.add(10u64, &pattern(r#"{"$or": [{"a": ["x"]}, {"b": ["y"]}]}"#));
    builder.add(20u64, &pattern(r#"{"a": ["nope"]}"#));
    builder.add(20u64, &pattern(r#"{"b": [{"exists": false}]}"#));
    let matcher = builder.build();
    assert_eq!(matcher.len(), 3);
    let mut out = vec![99];
    matcher
        .matching(br#"{"a": "x", "c": 1}"#, &mut out)
        .unwrap();
    assert_eq!(out, [10, 20, 30]);
    matcher
        .matching(br#"{"a": "z", "b": "y"}"#, &mut out)
        .unwrap();
    assert_eq!(out, [10]);
    assert!(matcher.matching(b"not json", &mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn an_empty_matcher_still_validates_events() {
    let matcher: Matcher<u8> = MatcherBuilder::new().build();
    assert!(matcher.is_empty());
    let mut out = Vec::new();
    matcher.matching(br#"{"a": 1}"#, &mut out).unwrap();
    assert!(out.is_empty());
    assert!(matcher.matching(br#"{"a": }"#, &mut out).is_err());
}

#[test]
fn one_scratch_serves_several_matchers_in_turn() {
    let mut first = MatcherBuilder::new();
    first.add(1u8, &pattern(r#"{"a": ["x"]}"#));
    let first = first.build();
    let mut second = MatcherBuilder::new();
    for key in 0..50u8 {
        second.add(key, &pattern(&format!(r#"{{"n": [{key}]}}"#)));
    }
    let second = second.build();
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    for round in 0..3u8 {
        first
            .matching_with(br#"{"a": "x", "n": 7}"#, &mut out, &mut scratch)
            .unwrap();
        assert_eq!(out, [1]);
        second
            .matching_with(
                format!(r#"{{"a": "x", "n": {round}}}"#).as_bytes(),
                &mut out,
                &mut scratch,
            )
            .unwrap();
        assert_eq!(out, [round]);
    }
}

#[test]
fn public_types_are_thread_safe() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Pattern>();
    assert_send_sync::<Matcher<u32>>();
    assert_send_sync::<MatcherBuilder<u32>>();
    assert_send_sync::<opentrail_patterns::Error>();
    assert_send_sync::<opentrail_patterns::EventError>();
}

#[test]
fn large_arrays_with_absent_fields_are_decided_quickly_and_exactly() {
    let elements = 20_000;
    let mut items: Vec<String> = (0..elements)
        .map(|_| r#"{"a":1,"b":2}"#.to_owned())
        .collect();
    let all_have_b = format!(r#"{{"items":[{}]}}"#, items.join(","));
    items.push(r#"{"a":1}"#.to_owned());
    let last_lacks_b = format!(r#"{{"items":[{}]}}"#, items.join(","));
    let text = pattern(r#"{"items": {"a": [1], "b": [{"exists": false}]}}"#);
    let started = std::time::Instant::now();
    assert!(!text.matches(all_have_b.as_bytes()).unwrap());
    assert!(text.matches(last_lacks_b.as_bytes()).unwrap());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
