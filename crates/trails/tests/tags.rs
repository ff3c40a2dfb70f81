//! AddTags, RemoveTags, ListTags.

use opentrail_trails::{ErrorKind, Tag, TagInput};

use crate::support::{Fixture, OTHER_ACCOUNT, REGION, arn, caller, caller_in, refused};

fn tag(key: &str, value: Option<&str>) -> TagInput {
    TagInput {
        key: key.to_owned(),
        value: value.map(str::to_owned),
    }
}

#[test]
fn tags_merge_overwrite_and_remove() {
    let fixture = Fixture::new();
    let caller = caller();
    let trail = fixture.create(&caller, "tagged");
    fixture
        .trails
        .add_tags(
            &caller,
            &trail.arn,
            vec![tag("a", Some("1")), tag("b", None)],
        )
        .unwrap();
    fixture
        .trails
        .add_tags(
            &caller,
            &trail.arn,
            vec![tag("a", Some("2")), tag("c", Some("3"))],
        )
        .unwrap();
    let listed = fixture
        .trails
        .list_tags(&caller, std::slice::from_ref(&trail.arn), None)
        .unwrap();
    assert_eq!(listed[0].resource_id, trail.arn);
    assert_eq!(
        listed[0].tags,
        vec![
            Tag {
                key: String::from("a"),
                value: Some(String::from("2"))
            },
            Tag {
                key: String::from("b"),
                value: None
            },
            Tag {
                key: String::from("c"),
                value: Some(String::from("3"))
            },
        ]
    );
    fixture
        .trails
        .remove_tags(
            &caller,
            &trail.arn,
            vec![tag("a", Some("whatever")), tag("zzz", None)],
        )
        .unwrap();
    let listed = fixture
        .trails
        .list_tags(&caller, std::slice::from_ref(&trail.arn), None)
        .unwrap();
    assert_eq!(
        listed[0]
            .tags
            .iter()
            .map(|tag| tag.key.as_str())
            .collect::<Vec<_>>(),
        ["b", "c"]
    );
}

#[test]
fn tag_refusals() {
    let fixture = Fixture::new();
    let caller = caller();
    let trail = fixture.create(&caller, "tagged");
    let add = |tags: Vec<TagInput>| fixture.trails.add_tags(&caller, &trail.arn, tags);
    refused(add(vec![tag("", None)]), ErrorKind::InvalidTagParameter);
    refused(
        add(vec![tag(&"k".repeat(129), None)]),
        ErrorKind::InvalidTagParameter,
    );
    add(vec![tag(&"k".repeat(128), Some(&"v".repeat(256)))]).unwrap();
    refused(
        add(vec![tag("k", Some(&"v".repeat(257)))]),
        ErrorKind::InvalidTagParameter,
    );
    refused(
        add(vec![tag("k", Some(""))]),
        ErrorKind::InvalidTagParameter,
    );
    refused(
        add(vec![tag("aws:reserved", None)]),
        ErrorKind::InvalidTagParameter,
    );
    refused(
        add(vec![tag("dup", None), tag("dup", Some("x"))]),
        ErrorKind::InvalidTagParameter,
    );
    add((0..49)
        .map(|index| tag(&format!("k{index}"), None))
        .collect())
    .unwrap();
    refused(
        add(vec![tag("one-too-many", None)]),
        ErrorKind::TagsLimitExceeded,
    );
    add(vec![tag("k0", Some("overwrite is fine at the limit"))]).unwrap();

    refused(
        fixture.trails.add_tags(&caller, "tagged", Vec::new()),
        ErrorKind::CloudTrailArnInvalid,
    );
    refused(
        fixture
            .trails
            .add_tags(&caller, &arn(REGION, "missing"), Vec::new()),
        ErrorKind::ResourceNotFound,
    );
    refused(
        fixture
            .trails
            .remove_tags(&caller, &arn(REGION, "missing"), Vec::new()),
        ErrorKind::ResourceNotFound,
    );
    let other = caller_in(OTHER_ACCOUNT, REGION);
    assert_eq!(
        refused(
            fixture.trails.add_tags(&other, &trail.arn, Vec::new()),
            ErrorKind::CloudTrailArnInvalid
        ),
        "AccountID in ARN is wrong, you can only access resources with AccountID 444455556666."
    );
    let arns: Vec<String> = (0..21).map(|_| trail.arn.clone()).collect();
    refused(
        fixture.trails.list_tags(&caller, &arns, None),
        ErrorKind::InvalidParameter,
    );
    refused(
        fixture.trails.list_tags(&caller, &[], None),
        ErrorKind::InvalidParameter,
    );
    fixture
        .trails
        .list_tags(&caller, &arns[..20], None)
        .unwrap();
    refused(
        fixture.trails.list_tags(&caller, &arns[..1], Some("token")),
        ErrorKind::InvalidToken,
    );
    refused(
        fixture
            .trails
            .list_tags(&caller, &[arn(REGION, "missing")], None),
        ErrorKind::ResourceNotFound,
    );
    assert_eq!(
        refused(
            fixture.trails.list_tags(
                &caller_in(crate::support::ACCOUNT, "eu-west-1"),
                &arns[..1],
                None
            ),
            ErrorKind::CloudTrailArnInvalid
        ),
        "Region in ARN is wrong, you can only access resources in region eu-west-1."
    );
}
