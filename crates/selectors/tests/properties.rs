//! Property tests: selectors built from an event's own values, prefixes and suffixes,
//! idempotent normalisation, and a parser that never panics.

use opentrail_selectors::{
    AdvancedEventSelector, AdvancedFieldSelector, CompiledSelectors, DataResource, EventSelector,
    EventView, NetworkSources, ReadWriteType, SelectorConfig, validate_for_trail,
};
use proptest::prelude::*;
use serde_json::json;

/// Values with quotes, backslashes and non-ASCII text, so escaped (copied) strings are
/// exercised as well as borrowed ones.
fn value_strategy() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9:/._-]{1,40}", "[ -~]{1,40}", "\\PC{1,20}",]
}

/// A Data record whose fields hold the given values.
fn data_record(values: &[String; 6]) -> String {
    json!({
        "eventVersion": "1.10",
        "eventCategory": "Data",
        "eventName": values[0],
        "eventSource": values[1],
        "eventType": values[2],
        "userIdentity": { "type": "IAMUser", "arn": values[3] },
        "sessionCredentialFromConsole": values[4],
        "readOnly": true,
        "requestParameters": { "ignored": [values[0], { "deep": null }] },
        "resources": [
            { "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::unrelated" },
            { "type": "AWS::S3::Object", "ARN": values[5] }
        ]
    })
    .to_string()
}

const FIELDS: [&str; 6] = [
    "eventName",
    "eventSource",
    "eventType",
    "userIdentity.arn",
    "sessionCredentialFromConsole",
    "resources.ARN",
];

fn condition(field: &str, operator: &str, operand: &str) -> AdvancedFieldSelector {
    let mut selector = AdvancedFieldSelector {
        field: field.to_owned(),
        ..AdvancedFieldSelector::default()
    };
    let list = Some(vec![operand.to_owned()]);
    match operator {
        "Equals" => selector.equals = list,
        "NotEquals" => selector.not_equals = list,
        "StartsWith" => selector.starts_with = list,
        "NotStartsWith" => selector.not_starts_with = list,
        "EndsWith" => selector.ends_with = list,
        _ => selector.not_ends_with = list,
    }
    selector
}

/// A Data selector on S3 objects with one extra condition. Built directly, not validated:
/// random operands are not exact ARNs, which `Equals` on `resources.ARN` would require.
fn data_selector(extra: AdvancedFieldSelector) -> CompiledSelectors {
    CompiledSelectors::new(&SelectorConfig::Advanced(vec![AdvancedEventSelector {
        name: None,
        field_selectors: vec![
            condition("eventCategory", "Equals", "Data"),
            condition("resources.type", "Equals", "AWS::S3::Object"),
            extra,
        ],
    }]))
}

fn matches(compiled: &CompiledSelectors, record: &str) -> bool {
    compiled.matches(&EventView::parse(record.as_bytes()).unwrap())
}

/// A byte index of `value` on a character boundary, strictly inside or at the end.
fn split_point(value: &str, pick: prop::sample::Index) -> usize {
    let boundaries: Vec<usize> = value
        .char_indices()
        .map(|(index, _)| index)
        .skip(1)
        .chain(std::iter::once(value.len()))
        .collect();
    boundaries[pick.index(boundaries.len())]
}

fn basic_selector_strategy() -> impl Strategy<Value = EventSelector> {
    let read_write = prop::option::of(prop_oneof![
        Just(ReadWriteType::ReadOnly),
        Just(ReadWriteType::WriteOnly),
        Just(ReadWriteType::All),
    ]);
    let sources = prop::option::of(prop::collection::vec(
        prop::sample::select(vec![
            "kms.amazonaws.com",
            "rdsdata.amazonaws.com",
            "s3.amazonaws.com",
        ]),
        0..3,
    ));
    let data_resource = (
        prop::option::of(prop::sample::select(vec![
            "AWS::S3::Object",
            "AWS::Lambda::Function",
            "AWS::DynamoDB::Table",
            "AWS::S3::Bucket",
        ])),
        prop::option::of(prop::collection::vec(
            prop::sample::select(vec![
                "arn:aws:s3",
                "arn:aws:s3:::",
                "arn:aws:s3:::bucket/",
                "arn:aws:s3:::bucket",
                "arn:aws:lambda",
                "arn:aws:lambda:us-east-1:111122223333:function:f",
                "arn:aws:dynamodb",
                "arn:aws:dynamodb:us-east-1:111122223333:table/Music",
            ]),
            0..3,
        )),
    )
        .prop_map(|(resource_type, values)| DataResource {
            resource_type: resource_type.map(str::to_owned),
            values: values.map(|values| values.into_iter().map(str::to_owned).collect()),
        });
    (
        read_write,
        prop::option::of(any::<bool>()),
        prop::option::of(prop::collection::vec(data_resource, 0..3)),
        sources,
    )
        .prop_map(
            |(read_write_type, include, data_resources, sources)| EventSelector {
                read_write_type,
                include_management_events: include,
                data_resources,
                exclude_management_event_sources: sources
                    .map(|sources| sources.into_iter().map(str::to_owned).collect()),
            },
        )
}

proptest! {
    /// (a) `Equals` with the event's own value selects it; `NotEquals` with it does not.
    #[test]
    fn equals_own_value_matches_and_not_equals_does_not(
        values in prop::array::uniform6(value_strategy()),
        field_index in 0..FIELDS.len(),
    ) {
        let record = data_record(&values);
        let field = FIELDS[field_index];
        let own = &values[field_index];
        prop_assert!(matches(&data_selector(condition(field, "Equals", own)), &record));
        prop_assert!(!matches(&data_selector(condition(field, "NotEquals", own)), &record));
    }

    /// (b) `StartsWith` any prefix of the value selects the event (`NotStartsWith` does not);
    /// the same for suffixes and `EndsWith`.
    #[test]
    fn any_prefix_or_suffix_of_the_value_matches(
        values in prop::array::uniform6(value_strategy()),
        field_index in 0..FIELDS.len(),
        pick in any::<prop::sample::Index>(),
    ) {
        let record = data_record(&values);
        let field = FIELDS[field_index];
        let own = &values[field_index];
        let split = split_point(own, pick);
        let prefix = &own[..split];
        let suffix_start = own.len() - split;
        let suffix = own.get(suffix_start..).filter(|suffix| !suffix.is_empty()).unwrap_or(own);
        prop_assert!(matches(&data_selector(condition(field, "StartsWith", prefix)), &record));
        prop_assert!(!matches(&data_selector(condition(field, "NotStartsWith", prefix)), &record));
        prop_assert!(matches(&data_selector(condition(field, "EndsWith", suffix)), &record));
        prop_assert!(!matches(&data_selector(condition(field, "NotEndsWith", suffix)), &record));
    }

    /// (c) Normalising basic selectors is idempotent: a stored form validates to itself.
    #[test]
    fn basic_normalization_is_idempotent(
        selectors in prop::collection::vec(basic_selector_strategy(), 0..7),
    ) {
        let sources = NetworkSources::default();
        if let Ok(once) = validate_for_trail(SelectorConfig::Basic(selectors), &sources) {
            let twice = validate_for_trail(once.clone(), &sources);
            prop_assert_eq!(twice.ok(), Some(once));
        }
    }

    /// (d) `EventView::parse` never panics, on any bytes.
    #[test]
    fn event_view_parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let compiled = CompiledSelectors::new(&SelectorConfig::trail_default());
        if let Ok(view) = EventView::parse(&bytes) {
            let _ = compiled.matches(&view);
        }
    }

    /// (d) ... nor on text made of the members it reads, in any shape.
    #[test]
    fn event_view_parse_never_panics_on_record_like_text(
        parts in prop::collection::vec(prop::sample::select(vec![
            "{", "}", "[", "]", ",", ":", "null", "true", "false", "1", "\"x\"", "\"\\u00e9\"",
            "\"readOnly\"", "\"eventCategory\"", "\"resources\"", "\"type\"", "\"ARN\"",
            "\"userIdentity\"", "\"arn\"", "\"insightDetails\"", "\"managementEvent\"",
            "\"sessionCredentialFromConsole\"", "\"Data\"", "\"true\"",
        ]), 0..40),
    ) {
        let text = parts.concat();
        let compiled = CompiledSelectors::new(&SelectorConfig::trail_default());
        if let Ok(view) = EventView::parse(text.as_bytes()) {
            let _ = compiled.matches(&view);
        }
    }
}

/// Sanity check of the generator: it produces valid and invalid configurations, so the
/// idempotence property is not vacuous.
#[test]
fn basic_selector_generator_yields_valid_configs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = prop::collection::vec(basic_selector_strategy(), 1..3);
    let sources = NetworkSources::default();
    let mut valid = 0;
    for _ in 0..200 {
        let selectors = strategy.new_tree(&mut runner).unwrap().current();
        valid +=
            usize::from(validate_for_trail(SelectorConfig::Basic(selectors), &sources).is_ok());
    }
    assert!(
        (20..200).contains(&valid),
        "{valid} of 200 generated configs were valid"
    );
}
