//! `channelArn` and `externalId`.

use opentrail_dataapi::{ChannelReference, PutAuditEventsQuery, RequestErrorCode};

const ARN: &str =
    "arn:aws:cloudtrail:us-east-1:210987654321:channel/0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84";

#[test]
fn channel_arn_accepts_the_arn_and_the_id_form() {
    assert_eq!(
        ChannelReference::parse(ARN).unwrap(),
        ChannelReference::Arn {
            partition: String::from("aws"),
            region: String::from("us-east-1"),
            account: String::from("210987654321"),
            id: String::from("0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84"),
        }
    );
    let id = ChannelReference::parse("0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84").unwrap();
    assert_eq!(
        id,
        ChannelReference::Id(String::from("0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84"))
    );
    assert_eq!(id.id(), "0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84");
    let gov = "arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:channel/abc";
    assert!(ChannelReference::parse(gov).is_ok());
    assert!(ChannelReference::parse(&"a".repeat(128)).is_ok());
}

#[test]
fn malformed_channel_arns_are_invalid_channel_arn() {
    let long_id = "a".repeat(129);
    let long_arn = format!("arn:aws:cloudtrail:us-east-1:210987654321:channel/{long_id}");
    for bad in [
        "",
        "arn:",
        "arn:aws:cloudtrail:us-east-1:210987654321:eventdatastore/abc",
        "arn:aws:cloudtrail:us-east-1:21098765432:channel/abc",
        "arn:aws:cloudtrail::210987654321:channel/abc",
        "arn:aws:cloudtrail:us-east-1:210987654321:channel/",
        "arn:aws:cloudtrail:us-east-1:210987654321:channel/a b",
        "arn:aws:s3:::bucket",
        "arn::cloudtrail:us-east-1:210987654321:channel/abc",
        "not an id",
        "id/with/slash",
        long_id.as_str(),
        long_arn.as_str(),
    ] {
        let error = PutAuditEventsQuery::parse(Some(bad), None).unwrap_err();
        assert_eq!(error.kind(), RequestErrorCode::InvalidChannelArn, "{bad:?}");
        assert_eq!(error.to_error_response().error_type(), "InvalidChannelARN");
        assert_eq!(error.to_error_response().status(), 400);
    }
}

#[test]
fn channel_arn_is_required() {
    let error = PutAuditEventsQuery::parse(None, Some("ab")).unwrap_err();
    assert_eq!(error.kind(), RequestErrorCode::ValidationException);
    assert!(
        error.message().contains("`channelArn`"),
        "{}",
        error.message()
    );
}

#[test]
fn external_id_length_and_pattern() {
    let cases: [(String, bool); 9] = [
        (String::from("a"), false),
        (String::from("ab"), true),
        ("x".repeat(1224), true),
        ("x".repeat(1225), false),
        (String::from("Az09_+=,.@:/-"), true),
        (String::from("has space"), false),
        (String::from("hash#"), false),
        (String::from("caf\u{e9}"), false),
        (String::new(), false),
    ];
    for (external_id, accepted) in cases {
        let result = PutAuditEventsQuery::parse(Some(ARN), Some(&external_id));
        match result {
            Ok(query) => {
                assert!(accepted, "{external_id:?} accepted");
                assert_eq!(query.external_id.as_deref(), Some(external_id.as_str()));
            }
            Err(error) => {
                assert!(!accepted, "{external_id:?} refused: {error}");
                assert_eq!(error.kind(), RequestErrorCode::ValidationException);
                assert!(error.message().contains("`externalId`"));
            }
        }
    }
}

#[test]
fn query_strings_are_percent_decoded() {
    let query = PutAuditEventsQuery::from_query_string(
        "channelArn=arn%3Aaws%3Acloudtrail%3Aus-east-1%3A210987654321%3Achannel%2F0d7c3e21-8f4a-4b6e-a9c2-5e1f0b3d7a84&externalId=a+b%2Fc&other=1",
    )
    .unwrap();
    assert_eq!(query.channel, ChannelReference::parse(ARN).unwrap());
    assert_eq!(query.external_id.as_deref(), Some("a+b/c"));

    let unencoded = PutAuditEventsQuery::from_query_string(&format!("channelArn={ARN}")).unwrap();
    assert_eq!(unencoded.external_id, None);
}

#[test]
fn query_string_errors() {
    let cases = [
        ("", RequestErrorCode::ValidationException),
        ("externalId=abc", RequestErrorCode::ValidationException),
        (
            "channelArn=abc&channelArn=abd",
            RequestErrorCode::ValidationException,
        ),
        ("channelArn=%FF", RequestErrorCode::ValidationException),
        ("channelArn=", RequestErrorCode::InvalidChannelArn),
        ("channelArn=arn%3Afoo", RequestErrorCode::InvalidChannelArn),
        (
            "channelArn=abc&externalId=%20x",
            RequestErrorCode::ValidationException,
        ),
    ];
    for (query, code) in cases {
        let error = PutAuditEventsQuery::from_query_string(query).unwrap_err();
        assert_eq!(error.kind(), code, "{query:?}: {error}");
    }
}
