//! Trail name rules, with AWS's messages, through every operation that takes a name.

use opentrail_trails::{ErrorKind, TrailArn, TrailRef, validate_trail_name};

use crate::support::{Fixture, caller, refused};

const TOO_SHORT_1: &str = "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 1 characters.";
const STARTS: &str = "Trail name must starts with a letter or number.";
const ENDS: &str = "Trail name must ends with a letter or number.";
const CHARS: &str = "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).";
const ADJACENT: &str =
    "Trail name cannot contain two adjacent periods (.), hyphens (-), or underscores (_).";
const IP: &str = "Trail name cannot be formatted as an IP address.";

#[test]
fn trail_name_table() {
    let long_129 = "a".repeat(129);
    let long_128 = "a".repeat(128);
    let cases: Vec<(&str, Option<&str>)> = vec![
        ("abc", None),
        ("My.Trail_1-x", None),
        (&long_128, None),
        ("a", Some(TOO_SHORT_1)),
        (
            "ab",
            Some(
                "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.",
            ),
        ),
        (
            "",
            Some(
                "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 0 characters.",
            ),
        ),
        (
            &long_129,
            Some(
                "Trail name too long. Maximum allowed length: 128 characters. Specified name length: 129 characters.",
            ),
        ),
        ("-abc", Some(STARTS)),
        ("_abc", Some(STARTS)),
        ("éabc", Some(STARTS)),
        ("abc.", Some(ENDS)),
        ("abc_", Some(ENDS)),
        ("ab c", Some(CHARS)),
        ("ab/c", Some(CHARS)),
        ("abç1", Some(CHARS)),
        ("my-_x", Some(ADJACENT)),
        ("my--x", Some(ADJACENT)),
        ("my..x", Some(ADJACENT)),
        ("192.168.5.4", Some(IP)),
        ("192.168.5", None),
        ("999.168.5.4", None),
    ];
    for (name, expected) in cases {
        match (validate_trail_name(name), expected) {
            (Ok(()), None) => {}
            (Err(error), Some(message)) => {
                assert_eq!(error.kind(), ErrorKind::InvalidTrailName, "{name}");
                assert_eq!(error.message(), message, "{name}");
            }
            (outcome, expected) => panic!("{name:?}: got {outcome:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn name_or_arn_parameters_are_checked_by_every_operation() {
    let fixture = Fixture::new();
    let caller = caller();
    let trails = &fixture.trails;
    assert_eq!(
        refused(trails.get_trail(&caller, "a"), ErrorKind::InvalidTrailName),
        TOO_SHORT_1
    );
    refused(
        trails.get_trail_status(&caller, "-ab"),
        ErrorKind::InvalidTrailName,
    );
    refused(
        trails.delete_trail(&caller, "ab"),
        ErrorKind::InvalidTrailName,
    );
    refused(
        trails.start_logging(&caller, "ab"),
        ErrorKind::InvalidTrailName,
    );
    refused(
        trails.stop_logging(&caller, "ab"),
        ErrorKind::InvalidTrailName,
    );
    refused(
        trails.get_event_selectors(&caller, "ab"),
        ErrorKind::InvalidTrailName,
    );
    refused(
        trails.describe_trails(&caller, Some(vec![String::from("ab")]), true),
        ErrorKind::InvalidTrailName,
    );
    for bad in [
        "arn:aws:cloudtrail:us-east-1:111122223333:bucket/x",
        "arn:aws:cloudtrail:us-east-1:1111:trail/abc",
        "arn:aws:s3:::bucket",
    ] {
        refused(
            trails.get_trail(&caller, bad),
            ErrorKind::CloudTrailArnInvalid,
        );
        refused(
            trails.delete_trail(&caller, bad),
            ErrorKind::CloudTrailArnInvalid,
        );
        refused(
            trails.describe_trails(&caller, Some(vec![bad.to_owned()]), true),
            ErrorKind::CloudTrailArnInvalid,
        );
    }
    refused(
        trails.get_trail(
            &caller,
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/-x-",
        ),
        ErrorKind::InvalidTrailName,
    );
}

#[test]
fn trail_refs_tell_names_from_arns() {
    assert_eq!(
        TrailRef::parse("abc").unwrap(),
        TrailRef::Name(String::from("abc"))
    );
    let arn = "arn:aws-cn:cloudtrail:cn-north-1:111122223333:trail/abc";
    assert_eq!(
        TrailRef::parse(arn).unwrap(),
        TrailRef::Arn(TrailArn::parse(arn).unwrap())
    );
}
