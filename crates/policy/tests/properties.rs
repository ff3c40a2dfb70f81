//! Property tests: wildcard patterns built from a string match it, the matcher agrees with
//! a naive reference, actions ignore case, a deny always wins, negated operators are the
//! negation of their positive twins on present keys, and parsing never panics.

use opentrail_policy::{Context, Decision, Policy};
use proptest::prelude::*;
use serde_json::json;

use crate::support::{ALICE, context, decide};

/// A policy allowing `action` on `resource` (both given as pattern text), JSON-escaped.
fn allow_policy(action: &str, resource: &str) -> Policy {
    let document = json!({
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": action, "Resource": resource}]
    });
    Policy::parse(&document.to_string()).expect("generated policy parses")
}

/// The reference: a direct recursive reading of `*` (any run) and `?` (one character).
fn reference_matches(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|skip| reference_matches(rest, &text[skip..])),
        Some(('?', rest)) => !text.is_empty() && reference_matches(rest, &text[1..]),
        Some((&literal, rest)) => {
            text.first() == Some(&literal) && reference_matches(rest, &text[1..])
        }
    }
}

/// A string plus, for each character, how a pattern built from it treats the character:
/// keep it, replace it with `?`, or fold it (and maybe its neighbours) into a `*`.
fn string_and_pattern() -> impl Strategy<Value = (String, String)> {
    prop::collection::vec(
        (
            prop_oneof![
                prop::char::range('a', 'e'),
                Just('/'),
                Just(':'),
                Just('-'),
                Just('é'),
                Just('$'),
                Just('{'),
                Just('}'),
                Just('Z'),
            ],
            0u8..10,
        ),
        0..24,
    )
    .prop_map(|pieces| {
        let mut text = String::new();
        let mut pattern = String::new();
        for (character, choice) in pieces {
            text.push(character);
            match choice {
                0 => pattern.push('?'),
                1 if !pattern.ends_with('*') => pattern.push('*'),
                1 => {}
                2 => {
                    // A star that matches nothing, before the character.
                    pattern.push('*');
                    pattern.push(character);
                }
                _ => pattern.push(character),
            }
        }
        (text, pattern)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_pattern_built_from_a_resource_matches_it((text, pattern) in string_and_pattern()) {
        let resource = format!("arn:{text}");
        let policy = allow_policy("s3:GetObject", &format!("arn:{pattern}"));
        prop_assert_eq!(
            decide(&policy, "s3:GetObject", &[&resource], Some(ALICE), &Context::new()),
            Decision::Allow,
            "pattern arn:{} text {}", pattern, resource
        );
    }

    #[test]
    fn matching_agrees_with_the_reference(
        pattern in "[ab*?]{0,8}",
        text in "[ab]{0,10}",
    ) {
        let policy = allow_policy("s3:GetObject", &format!("arn:{pattern}"));
        let expected = reference_matches(
            &pattern.chars().collect::<Vec<_>>(),
            &text.chars().collect::<Vec<_>>(),
        );
        let decision = decide(
            &policy,
            "s3:GetObject",
            &[&format!("arn:{text}")],
            Some(ALICE),
            &Context::new(),
        );
        prop_assert_eq!(decision.is_allowed(), expected, "pattern {} text {}", pattern, text);
    }

    #[test]
    fn exact_resources_match_only_themselves(a in "[a-c/:]{0,6}", b in "[a-c/:]{0,6}") {
        let policy = allow_policy("s3:GetObject", &format!("arn:{a}"));
        let decision = decide(&policy, "s3:GetObject", &[&format!("arn:{b}")], Some(ALICE), &Context::new());
        prop_assert_eq!(decision.is_allowed(), a == b);
    }

    #[test]
    fn actions_ignore_case(
        service in "[a-z][a-z0-9-]{0,8}",
        name in "[A-Z][A-Za-z]{0,15}",
        flips in prop::collection::vec(any::<bool>(), 26),
        prefix_length in 0usize..16,
    ) {
        let action = format!("{service}:{name}");
        let requested: String = action
            .chars()
            .zip(flips.iter().cycle())
            .map(|(character, &flip)| {
                if flip { character.to_ascii_uppercase() } else { character.to_ascii_lowercase() }
            })
            .collect();
        let exact = allow_policy(&action, "*");
        prop_assert_eq!(decide(&exact, &requested, &[], Some(ALICE), &Context::new()), Decision::Allow);
        let cut = prefix_length.min(name.len());
        let prefix = allow_policy(&format!("{service}:{}*", &name[..cut]), "*");
        prop_assert_eq!(decide(&prefix, &requested, &[], Some(ALICE), &Context::new()), Decision::Allow);
    }

    #[test]
    fn a_matching_deny_always_wins(
        allows in prop::collection::vec("(s3|kms|sqs):(\\*|Get\\*|Put\\*|GetObject)", 0..6),
        deny_position in 0usize..7,
    ) {
        let mut statements: Vec<serde_json::Value> = allows
            .iter()
            .map(|action| json!({"Effect": "Allow", "Principal": "*", "Action": action, "Resource": "*"}))
            .collect();
        let deny = json!({"Sid": "Stop", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"});
        statements.insert(deny_position.min(statements.len()), deny);
        let policy = Policy::parse(&json!({"Statement": statements}).to_string()).unwrap();
        prop_assert_eq!(
            decide(&policy, "s3:GetObject", &["arn:aws:s3:::b/k"], Some(ALICE), &Context::new()),
            Decision::ExplicitDeny { statement: Some("Stop".to_owned()) }
        );
    }

    #[test]
    fn negated_operators_negate_on_present_keys(
        policy_values in prop::collection::vec("[ab*?]{0,4}", 1..4),
        request_value in "[ab]{0,5}",
        operator in prop_oneof![
            Just(("StringEquals", "StringNotEquals")),
            Just(("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase")),
            Just(("StringLike", "StringNotLike")),
        ],
    ) {
        let (positive, negated) = operator;
        let with = |name: &str| {
            let document = json!({"Statement": [{
                "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
                "Condition": {name: {"aws:username": policy_values}}
            }]});
            Policy::parse(&document.to_string()).unwrap()
        };
        let request = context(&[("aws:username", &[request_value.as_str()])]);
        let positive_allows = decide(&with(positive), "s3:GetObject", &[], Some(ALICE), &request).is_allowed();
        let negated_allows = decide(&with(negated), "s3:GetObject", &[], Some(ALICE), &request).is_allowed();
        prop_assert_ne!(positive_allows, negated_allows);
    }

    #[test]
    fn ip_address_contains_the_addresses_of_its_network(
        octets in any::<[u8; 4]>(),
        prefix in 0u8..=32,
        other in any::<[u8; 4]>(),
    ) {
        let address = std::net::Ipv4Addr::from(octets);
        let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
        let network = std::net::Ipv4Addr::from(u32::from(address) & mask);
        let document = |operator: &str| json!({"Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
            "Condition": {operator: {"aws:SourceIp": format!("{network}/{prefix}")}}
        }]}).to_string();
        let inside = Policy::parse(&document("IpAddress")).unwrap();
        let outside = Policy::parse(&document("NotIpAddress")).unwrap();
        let request = context(&[("aws:SourceIp", &[address.to_string().as_str()])]);
        prop_assert!(decide(&inside, "ec2:RunInstances", &[], Some(ALICE), &request).is_allowed());
        prop_assert!(!decide(&outside, "ec2:RunInstances", &[], Some(ALICE), &request).is_allowed());
        let other = std::net::Ipv4Addr::from(other);
        let other_inside = u32::from(other) & mask == u32::from(network);
        let request = context(&[("aws:SourceIp", &[other.to_string().as_str()])]);
        prop_assert_eq!(decide(&inside, "ec2:RunInstances", &[], Some(ALICE), &request).is_allowed(), other_inside);
        prop_assert_eq!(decide(&outside, "ec2:RunInstances", &[], Some(ALICE), &request).is_allowed(), !other_inside);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = Policy::parse(&text);
    }

    #[test]
    fn parsing_policy_shaped_json_never_panics(document in policy_shaped_json()) {
        let text = document.to_string();
        if let Ok(policy) = Policy::parse(&text) {
            let request = context(&[("aws:username", &["alice"]), ("aws:SourceIp", &["10.0.0.1"])]);
            let _ = decide(&policy, "s3:GetObject", &["arn:aws:s3:::b/k"], Some(ALICE), &request);
            let _ = decide(&policy, "s3:GetObject", &[], None, &request);
        }
    }
}

/// JSON built from policy element names and plausible values, so that generated documents
/// reach deep into the checker (and sometimes parse).
fn policy_shaped_json() -> impl Strategy<Value = serde_json::Value> {
    const NAMES: &[&str] = &[
        "Version",
        "Statement",
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "AWS",
        "Service",
        "StringLike",
        "ForAnyValue:StringNotEqualsIfExists",
        "IpAddress",
        "ArnLike",
        "Null",
        "NumericLessThan",
        "Bool",
        "aws:username",
        "aws:SourceIp",
    ];
    let name = prop::sample::select(NAMES);
    let leaf = prop_oneof![
        Just(json!("*")),
        Just(json!("Allow")),
        Just(json!("Deny")),
        Just(json!("2012-10-17")),
        Just(json!("s3:Get*")),
        Just(json!("arn:aws:s3:::b/${aws:username}/*")),
        Just(json!("arn:*:iam::*:role/?")),
        Just(json!("10.0.0.0/8")),
        Just(json!("111122223333")),
        Just(json!("true")),
        Just(json!(3)),
        Just(json!(null)),
        Just(json!([])),
        Just(json!({})),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec((name.clone(), inner), 0..6).prop_map(|members| {
                serde_json::Value::Object(
                    members
                        .into_iter()
                        .map(|(key, value)| (key.to_owned(), value))
                        .collect(),
                )
            }),
        ]
    })
}
