//! Tags on rules: TagResource, UntagResource, ListTagsForResource.

use opentrail_rules::input::{TagInput, TagResourceInput, UntagResourceInput};
use opentrail_rules::{Caller, ErrorKind};

use crate::support::{caller, open, put_rule};

const ARN: &str = "arn:aws:events:us-east-1:111122223333:rule/r1";

fn tags(pairs: &[(&str, &str)]) -> Option<Vec<TagInput>> {
    Some(
        pairs
            .iter()
            .map(|(key, value)| TagInput {
                key: Some((*key).to_owned()),
                value: Some((*value).to_owned()),
            })
            .collect(),
    )
}

#[test]
fn tags_are_added_replaced_listed_and_removed() {
    let (_dir, store) = open();
    put_rule(&store, &caller(), "r1");
    let tag = |pairs: &[(&str, &str)]| {
        store.tag_resource(
            &caller(),
            TagResourceInput {
                resource_arn: Some(ARN.to_owned()),
                tags: tags(pairs),
            },
        )
    };
    tag(&[("team", "a"), ("env", "prod")]).unwrap();
    tag(&[("team", "b")]).unwrap();
    let listed = store
        .list_tags_for_resource(&caller(), Some(ARN.to_owned()))
        .unwrap();
    assert_eq!(
        listed,
        vec![
            (String::from("team"), String::from("b")),
            (String::from("env"), String::from("prod")),
        ]
    );
    store
        .untag_resource(
            &caller(),
            UntagResourceInput {
                resource_arn: Some(ARN.to_owned()),
                tag_keys: Some(vec![String::from("team"), String::from("unknown")]),
            },
        )
        .unwrap();
    assert_eq!(
        store
            .list_tags_for_resource(&caller(), Some(ARN.to_owned()))
            .unwrap(),
        vec![(String::from("env"), String::from("prod"))]
    );
    let error = tag(&[("aws:created", "x")]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
}

#[test]
fn unknown_rules_and_foreign_arns_are_refused() {
    let (_dir, store) = open();
    put_rule(&store, &caller(), "r1");
    let other = Caller::new("444455556666", "us-east-1");
    let error = store
        .list_tags_for_resource(&other, Some(ARN.to_owned()))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResourceNotFound);
    assert_eq!(
        error.message(),
        "Rule r1 does not exist on EventBus default."
    );
    let error = store.list_tags_for_resource(&caller(), None).unwrap_err();
    assert_eq!(
        error.message(),
        "1 validation error detected: Value null at 'resourceARN' failed to satisfy constraint: Member must not be null"
    );
    let error = store
        .tag_resource(
            &caller(),
            TagResourceInput {
                resource_arn: Some(String::from(
                    "arn:aws:events:us-east-1:111122223333:event-bus/default",
                )),
                tags: tags(&[("team", "a")]),
            },
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    assert!(
        store
            .list_tags_for_resource(
                &caller(),
                Some(String::from(
                    "arn:aws:events:us-east-1:111122223333:event-bus/default"
                ))
            )
            .unwrap()
            .is_empty()
    );
}
