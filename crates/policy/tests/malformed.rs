//! Malformed documents: each is refused with its exact message, kind and statement index.

use std::error::Error as _;

use opentrail_policy::{MAX_DOCUMENT_CHARS, MAX_STATEMENTS, Policy, PolicyErrorKind};

/// A valid statement to build documents from.
const OK: &str = r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}"#;

#[track_caller]
fn assert_refused(document: &str, kind: PolicyErrorKind, statement: Option<usize>, message: &str) {
    let error = Policy::parse(document).expect_err("document should be refused");
    assert_eq!(error.message(), message, "{document}");
    assert_eq!(error.to_string(), message);
    assert_eq!(error.kind(), kind, "{document}");
    assert_eq!(error.statement(), statement, "{document}");
}

/// A document whose only statement is `statement`.
fn single(statement: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#)
}

#[test]
fn not_json() {
    for text in ["", "nope", "{", r#"{"Statement": []"#, "{} {}"] {
        assert_refused(
            text,
            PolicyErrorKind::Syntax,
            None,
            "Syntax errors in policy.",
        );
    }
    let error = Policy::parse("{\n  \"Statement\": [,]\n}").unwrap_err();
    let source = error.source().expect("the JSON error is kept");
    assert!(source.to_string().contains("line 2"), "{source}");
}

#[test]
fn not_an_object() {
    assert_refused(
        "[]",
        PolicyErrorKind::Syntax,
        None,
        "policy document must be a JSON object, not an array",
    );
    assert_refused(
        r#""{}""#,
        PolicyErrorKind::Syntax,
        None,
        "policy document must be a JSON object, not a string",
    );
}

#[test]
fn unknown_top_level_element() {
    assert_refused(
        &format!(r#"{{"Statement": [{OK}], "Comment": "x"}}"#),
        PolicyErrorKind::UnknownElement,
        None,
        "policy document has unknown element `Comment`",
    );
    assert_refused(
        &format!(r#"{{"statement": [{OK}]}}"#),
        PolicyErrorKind::UnknownElement,
        None,
        "policy document has unknown element `statement`",
    );
}

#[test]
fn unknown_statement_element() {
    assert_refused(
        &single(r#"{"effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}"#),
        PolicyErrorKind::UnknownElement,
        Some(0),
        "statement 0 has unknown element `effect`",
    );
    assert_refused(
        &format!(
            r#"{{"Statement": [{OK}, {{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Comment": "x"}}]}}"#
        ),
        PolicyErrorKind::UnknownElement,
        Some(1),
        "statement 1 has unknown element `Comment`",
    );
}

#[test]
fn duplicate_elements() {
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}"#,
        ),
        PolicyErrorKind::DuplicateElement,
        Some(0),
        "statement 0 has element `Effect` twice",
    );
    assert_refused(
        &format!(r#"{{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": [{OK}]}}"#),
        PolicyErrorKind::DuplicateElement,
        None,
        "policy document has element `Version` twice",
    );
}

#[test]
fn bad_effect() {
    assert_refused(
        &single(r#"{"Effect": "Permit", "Principal": "*", "Action": "*", "Resource": "*"}"#),
        PolicyErrorKind::InvalidEffect,
        Some(0),
        "Invalid effect: Permit",
    );
    assert_refused(
        &single(r#"{"Effect": "allow", "Principal": "*", "Action": "*", "Resource": "*"}"#),
        PolicyErrorKind::InvalidEffect,
        Some(0),
        "Invalid effect: allow",
    );
    assert_refused(
        &single(r#"{"Effect": true, "Principal": "*", "Action": "*", "Resource": "*"}"#),
        PolicyErrorKind::Syntax,
        Some(0),
        "statement 0: `Effect` must be a string, not a boolean",
    );
    assert_refused(
        &single(r#"{"Principal": "*", "Action": "*", "Resource": "*"}"#),
        PolicyErrorKind::MissingElement,
        Some(0),
        "statement 0 must contain an `Effect` element",
    );
}

#[test]
fn missing_action_resource_or_principal() {
    assert_refused(
        &single(r#"{"Effect": "Allow", "Principal": "*", "Resource": "*"}"#),
        PolicyErrorKind::MissingElement,
        Some(0),
        "Policy statement must contain actions.",
    );
    assert_refused(
        &single(r#"{"Effect": "Allow", "Principal": "*", "Action": [], "Resource": "*"}"#),
        PolicyErrorKind::MissingElement,
        Some(0),
        "Policy statement must contain actions.",
    );
    assert_refused(
        &single(r#"{"Effect": "Allow", "Principal": "*", "Action": "*"}"#),
        PolicyErrorKind::MissingElement,
        Some(0),
        "Policy statement must contain resources.",
    );
    assert_refused(
        &single(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#),
        PolicyErrorKind::MissingElement,
        Some(0),
        "Missing required field Principal",
    );
}

#[test]
fn both_halves_of_a_pair() {
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "NotAction": "iam:*", "Resource": "*"}"#,
        ),
        PolicyErrorKind::ConflictingElements,
        Some(0),
        "statement 0 has both `Action` and `NotAction`; use exactly one",
    );
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "NotResource": "arn:aws:s3:::b"}"#,
        ),
        PolicyErrorKind::ConflictingElements,
        Some(0),
        "statement 0 has both `Resource` and `NotResource`; use exactly one",
    );
    assert_refused(
        &single(
            r#"{"Effect": "Deny", "Principal": "*", "NotPrincipal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"}"#,
        ),
        PolicyErrorKind::ConflictingElements,
        Some(0),
        "statement 0 has both `Principal` and `NotPrincipal`; use exactly one",
    );
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"}"#,
        ),
        PolicyErrorKind::ConflictingElements,
        Some(0),
        "statement 0: `NotPrincipal` can only be used with `\"Effect\": \"Deny\"`",
    );
}

#[test]
fn bad_actions() {
    assert_refused(
        &single(r#"{"Effect": "Allow", "Principal": "*", "Action": "GetObject", "Resource": "*"}"#),
        PolicyErrorKind::InvalidAction,
        Some(0),
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    );
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:Get:Object", "Resource": "*"}"#,
        ),
        PolicyErrorKind::InvalidAction,
        Some(0),
        "Actions/Condition can contain only one colon.",
    );
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", 7], "Resource": "*"}"#,
        ),
        PolicyErrorKind::Syntax,
        Some(0),
        "statement 0: `Action` must be a string or an array of strings, not a number",
    );
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "Principal": "*", "NotAction": {"s3": "*"}, "Resource": "*"}"#,
        ),
        PolicyErrorKind::Syntax,
        Some(0),
        "statement 0: `NotAction` must be a string or an array of strings, not an object",
    );
}

#[test]
fn bad_resources() {
    assert_refused(
        &single(r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "my-bucket"}"#),
        PolicyErrorKind::InvalidResource,
        Some(0),
        "Resource my-bucket must be in ARN format or \"*\".",
    );
    assert_refused(
        &single(r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": []}"#),
        PolicyErrorKind::MissingElement,
        Some(0),
        "Policy statement must contain resources.",
    );
}

#[test]
fn bad_principals() {
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "Principal": {"AWS": "alice"}, "Action": "*", "Resource": "*"}"#,
        ),
        PolicyErrorKind::InvalidPrincipal,
        Some(0),
        r#"Invalid principal in policy: "AWS":"alice""#,
    );
    assert_refused(
        &single(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"}, "Action": "*", "Resource": "*"}"#,
        ),
        PolicyErrorKind::InvalidPrincipal,
        Some(0),
        r#"Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/*""#,
    );
}

#[test]
fn bad_conditions() {
    let with_condition = |condition: &str| {
        single(&format!(
            r#"{{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {condition}}}"#
        ))
    };
    assert_refused(
        &with_condition(r#"{"StringEqualz": {"aws:PrincipalOrgID": "o-1"}}"#),
        PolicyErrorKind::InvalidCondition,
        Some(0),
        "statement 0: `Condition` has unknown operator `StringEqualz`",
    );
    assert_refused(
        &with_condition(r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.999"]}}"#),
        PolicyErrorKind::InvalidCondition,
        Some(0),
        "statement 0: `IpAddress` value `192.0.2.999` for key `aws:SourceIp` is not an IP address or CIDR block",
    );
    assert_refused(
        &with_condition(r#"{"NotIpAddress": {"aws:SourceIp": "2001:db8::/129"}}"#),
        PolicyErrorKind::InvalidCondition,
        Some(0),
        "statement 0: `NotIpAddress` value `2001:db8::/129` for key `aws:SourceIp` is not an IP address or CIDR block",
    );
    assert_refused(
        &with_condition(r#"{"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}"#),
        PolicyErrorKind::UnsupportedCondition,
        Some(0),
        "statement 0: condition operator `DateGreaterThan` is not supported: OpenTrail endpoint policies do not evaluate date or binary conditions",
    );
    assert_refused(
        &with_condition(r#"{"ForAnyValue:DateEqualsIfExists": {"aws:CurrentTime": "2024-01-01"}}"#),
        PolicyErrorKind::UnsupportedCondition,
        Some(0),
        "statement 0: condition operator `ForAnyValue:DateEqualsIfExists` is not supported: OpenTrail endpoint policies do not evaluate date or binary conditions",
    );
    assert_refused(
        &with_condition(r#"["StringEquals"]"#),
        PolicyErrorKind::Syntax,
        Some(0),
        "statement 0: `Condition` must be an object, not an array",
    );
}

#[test]
fn bad_version() {
    for version in [r#""2012-10-18""#, r#""2012-10-17 ""#, "2012", "null"] {
        assert_refused(
            &format!(r#"{{"Version": {version}, "Statement": [{OK}]}}"#),
            PolicyErrorKind::InvalidVersion,
            None,
            "The policy failed legacy parsing",
        );
    }
}

#[test]
fn bad_statement_shapes() {
    assert_refused(
        r#"{"Version": "2012-10-17"}"#,
        PolicyErrorKind::MissingElement,
        None,
        "policy document must contain a `Statement` element",
    );
    assert_refused(
        r#"{"Statement": []}"#,
        PolicyErrorKind::MissingElement,
        None,
        "`Statement` must hold at least one statement",
    );
    assert_refused(
        r#"{"Statement": "Allow everything"}"#,
        PolicyErrorKind::Syntax,
        None,
        "`Statement` must be an object or an array of objects, not a string",
    );
    assert_refused(
        &format!(r#"{{"Statement": [{OK}, ["Allow"]]}}"#),
        PolicyErrorKind::Syntax,
        Some(1),
        "statement 1 must be an object, not an array",
    );
    assert_refused(
        &format!(r#"{{"Id": 5, "Statement": [{OK}]}}"#),
        PolicyErrorKind::Syntax,
        None,
        "`Id` must be a string, not a number",
    );
    assert_refused(
        &single(
            r#"{"Sid": 1, "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}"#,
        ),
        PolicyErrorKind::Syntax,
        Some(0),
        "statement 0: `Sid` must be a string, not a number",
    );
}

#[test]
fn duplicate_sids() {
    let statement = |sid: &str| {
        format!(
            r#"{{"Sid": "{sid}", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}"#
        )
    };
    assert_refused(
        &format!(
            r#"{{"Statement": [{}, {}, {}]}}"#,
            statement("A"),
            statement("B"),
            statement("A")
        ),
        PolicyErrorKind::DuplicateSid,
        Some(2),
        "Statement IDs (SID) in a single policy must be unique.",
    );
}

#[test]
fn larger_than_the_endpoint_policy_limit() {
    let document = format!(r#"{{"Statement": [{OK}]}}"#);
    let padded = format!(
        "{document}{}",
        " ".repeat(MAX_DOCUMENT_CHARS + 1 - document.len())
    );
    assert_refused(
        &padded,
        PolicyErrorKind::TooLarge,
        None,
        "policy document is 20481 characters long; an endpoint policy can be at most 20480",
    );
}

#[test]
fn too_many_statements() {
    let compact = r#"{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}"#;
    let at_limit = vec![compact; MAX_STATEMENTS].join(",");
    assert!(Policy::parse(&format!(r#"{{"Statement":[{at_limit}]}}"#)).is_ok());
    let over = vec![compact; MAX_STATEMENTS + 1].join(",");
    assert_refused(
        &format!(r#"{{"Statement":[{over}]}}"#),
        PolicyErrorKind::TooLarge,
        None,
        "policy document has 101 statements; the limit is 100",
    );
}

#[test]
fn hostile_nesting_is_a_syntax_error() {
    let deep = format!(
        r#"{{"Statement": {}{}}}"#,
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    assert_refused(
        &deep,
        PolicyErrorKind::Syntax,
        None,
        "Syntax errors in policy.",
    );
}

#[test]
fn first_bad_statement_is_reported() {
    let bad = r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "bucket"}"#;
    assert_refused(
        &format!(r#"{{"Statement": [{OK}, {OK}, {bad}, {bad}]}}"#),
        PolicyErrorKind::InvalidResource,
        Some(2),
        "Resource bucket must be in ARN format or \"*\".",
    );
}
