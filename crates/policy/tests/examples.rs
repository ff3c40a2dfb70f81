//! Realistic endpoint policies, most from the AWS PrivateLink and S3 guides ("Control access
//! to VPC endpoints using endpoint policies", "Endpoint policies for Amazon S3") and the
//! AWS data-perimeter examples, each call checked against the exact decision.

use opentrail_policy::{Context, Decision, Policy, Principal};

use crate::support::{ADMIN_SESSION, ALICE, MALLORY, context, decide, denied_by, policy};

const BUCKET: &str = "arn:aws:s3:::my-secure-bucket";
const OBJECT: &str = "arn:aws:s3:::my-secure-bucket/reports/2024.csv";
const OTHER_OBJECT: &str = "arn:aws:s3:::someone-elses-bucket/x";

#[test]
fn default_policy_allows_everything() {
    let policy = Policy::full_access();
    let empty = Context::new();
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(ALICE), &empty),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], None, &empty),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "cloudtrail:LookupEvents",
            &[],
            Some(MALLORY),
            &empty
        ),
        Decision::Allow
    );
}

#[test]
fn restrict_to_an_organization() {
    let policy = policy(
        r#"{
          "Version": "2012-10-17",
          "Statement": [{
            "Sid": "AllowOrgOnly",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
          }]
        }"#,
    );
    let member = context(&[("aws:PrincipalOrgID", &["o-a1b2c3d4e5"])]);
    let outsider = context(&[("aws:PrincipalOrgID", &["o-zzzzzzzzzz"])]);
    let anonymous = Context::new();
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(ALICE), &member),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(MALLORY), &outsider),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], None, &anonymous),
        Decision::ImplicitDeny,
        "no org ID in the context: StringEquals on an absent key is false"
    );
    // Condition values compare case-sensitively, key names do not.
    let shouting = context(&[("AWS:PRINCIPALORGID", &["o-a1b2c3d4e5"])]);
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(ALICE), &shouting),
        Decision::Allow
    );
    let upper_value = context(&[("aws:PrincipalOrgID", &["O-A1B2C3D4E5"])]);
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ALICE),
            &upper_value
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn restrict_to_specific_buckets() {
    let policy = policy(
        r#"{
          "Statement": [{
            "Sid": "Access-to-specific-bucket-only",
            "Principal": "*",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            "Effect": "Allow",
            "Resource": ["arn:aws:s3:::my-secure-bucket", "arn:aws:s3:::my-secure-bucket/*"]
          }]
        }"#,
    );
    let empty = Context::new();
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(ALICE), &empty),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, "S3:getobject", &[OBJECT], Some(ALICE), &empty),
        Decision::Allow,
        "actions are case-insensitive"
    );
    assert_eq!(
        decide(&policy, "s3:ListBucket", &[BUCKET], Some(ALICE), &empty),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OTHER_OBJECT],
            Some(ALICE),
            &empty
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &["arn:aws:s3:::MY-SECURE-BUCKET/reports/2024.csv"],
            Some(ALICE),
            &empty
        ),
        Decision::ImplicitDeny,
        "resources are case-sensitive"
    );
    assert_eq!(
        decide(&policy, "s3:DeleteObject", &[OBJECT], Some(ALICE), &empty),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(&policy, "s3:ListAllMyBuckets", &[], Some(ALICE), &empty),
        Decision::ImplicitDeny,
        "an action without a resource only matches \"Resource\": \"*\""
    );
    assert_eq!(
        decide(
            &policy,
            "s3:PutObject",
            &[OBJECT, OTHER_OBJECT],
            Some(ALICE),
            &empty
        ),
        Decision::ImplicitDeny,
        "every resource must be allowed"
    );
}

#[test]
fn deny_a_source_ip_range() {
    let policy = policy(
        r#"{
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "AllowAll", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Sid": "DenyRange", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
             "Condition": {"IpAddress": {"aws:VpcSourceIp": ["10.1.0.0/16", "2001:db8:1::/48"]}}}
          ]
        }"#,
    );
    let inside = context(&[("aws:VpcSourceIp", &["10.1.44.7"])]);
    let inside_v6 = context(&[("aws:VpcSourceIp", &["2001:db8:1:ff::9"])]);
    let outside = context(&[("aws:VpcSourceIp", &["10.2.0.1"])]);
    let unknown = Context::new();
    assert_eq!(
        decide(&policy, "kms:Decrypt", &[], Some(ALICE), &inside),
        denied_by("DenyRange")
    );
    assert_eq!(
        decide(&policy, "kms:Decrypt", &[], Some(ALICE), &inside_v6),
        denied_by("DenyRange")
    );
    assert_eq!(
        decide(&policy, "kms:Decrypt", &[], Some(ALICE), &outside),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, "kms:Decrypt", &[], Some(ALICE), &unknown),
        Decision::Allow,
        "IpAddress on an absent key is false, so the deny does not apply"
    );
}

#[test]
fn allow_only_outside_a_range_with_not_ip_address() {
    let policy = policy(
        r#"{
          "Statement": [
            {"Sid": "AllowAll", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Sid": "OnlyFromOffice", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}
          ]
        }"#,
    );
    let office = context(&[("aws:SourceIp", &["192.0.2.77"])]);
    let home = context(&[("aws:SourceIp", &["198.51.100.4"])]);
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(ALICE), &office),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(ALICE), &home),
        denied_by("OnlyFromOffice")
    );
    // IAM: a negated operator on an absent key is true, so the deny applies.
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ALICE),
            &Context::new()
        ),
        denied_by("OnlyFromOffice")
    );
}

#[test]
fn allow_only_a_principal_arn() {
    let policy = policy(
        r#"{
          "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"},
            "Action": "*",
            "Resource": "*"
          }]
        }"#,
    );
    let empty = Context::new();
    assert_eq!(
        decide(&policy, "sqs:SendMessage", &[], Some(ADMIN_SESSION), &empty),
        Decision::Allow,
        "a role ARN covers the role's sessions"
    );
    assert_eq!(
        decide(&policy, "sqs:SendMessage", &[], Some(ALICE), &empty),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(&policy, "sqs:SendMessage", &[], None, &empty),
        Decision::ImplicitDeny
    );
    let account_only = Principal {
        arn: None,
        account: Some("111122223333"),
    };
    assert_eq!(
        decide(&policy, "sqs:SendMessage", &[], Some(account_only), &empty),
        Decision::ImplicitDeny,
        "an ARN principal needs the caller's ARN"
    );
}

#[test]
fn allow_only_a_principal_arn_by_condition() {
    let policy = policy(
        r#"{
          "Version": "2012-10-17",
          "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
            "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Admin"}}
          }]
        }"#,
    );
    let admin = context(&[(
        "aws:PrincipalArn",
        &["arn:aws:iam::111122223333:role/Admin"],
    )]);
    let other = context(&[(
        "aws:PrincipalArn",
        &["arn:aws:iam::111122223333:role/Reader"],
    )]);
    assert_eq!(
        decide(
            &policy,
            "dynamodb:GetItem",
            &[],
            Some(ADMIN_SESSION),
            &admin
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "dynamodb:GetItem",
            &[],
            Some(ADMIN_SESSION),
            &other
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn account_principals() {
    let policy = policy(
        r#"{
          "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": ["111122223333", "arn:aws:iam::777788889999:root"]},
            "Action": ["cloudtrail:LookupEvents", "cloudtrail:Describe*", "cloudtrail:Get*"],
            "Resource": "*"
          }]
        }"#,
    );
    let empty = Context::new();
    let access_key_account_only = Principal {
        arn: None,
        account: Some("777788889999"),
    };
    assert_eq!(
        decide(&policy, "cloudtrail:LookupEvents", &[], Some(ALICE), &empty),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "cloudtrail:DescribeTrails",
            &[],
            Some(access_key_account_only),
            &empty
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "cloudtrail:LookupEvents",
            &[],
            Some(MALLORY),
            &empty
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(&policy, "cloudtrail:DeleteTrail", &[], Some(ALICE), &empty),
        Decision::ImplicitDeny
    );
}

#[test]
fn s3_prefix_on_list_bucket_with_a_policy_variable() {
    let policy = policy(
        r#"{
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "ListOwnHome", "Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket",
             "Resource": "arn:aws:s3:::my-secure-bucket",
             "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}},
            {"Sid": "ReadWriteOwnHome", "Effect": "Allow", "Principal": "*",
             "Action": ["s3:GetObject", "s3:PutObject"],
             "Resource": "arn:aws:s3:::my-secure-bucket/home/${aws:username}/*"}
          ]
        }"#,
    );
    let alice =
        |prefix: &'static str| context(&[("aws:username", &["alice"]), ("s3:prefix", &[prefix])]);
    assert_eq!(
        decide(
            &policy,
            "s3:ListBucket",
            &[BUCKET],
            Some(ALICE),
            &alice("home/alice/2024/")
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "s3:ListBucket",
            &[BUCKET],
            Some(ALICE),
            &alice("home/")
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "s3:ListBucket",
            &[BUCKET],
            Some(ALICE),
            &alice("home/bob/")
        ),
        Decision::ImplicitDeny
    );
    let username_only = context(&[("aws:username", &["alice"])]);
    assert_eq!(
        decide(
            &policy,
            "s3:ListBucket",
            &[BUCKET],
            Some(ALICE),
            &username_only
        ),
        Decision::ImplicitDeny,
        "no s3:prefix in the request: StringLike on an absent key is false"
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &["arn:aws:s3:::my-secure-bucket/home/alice/notes.txt"],
            Some(ALICE),
            &username_only
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &["arn:aws:s3:::my-secure-bucket/home/bob/notes.txt"],
            Some(ALICE),
            &username_only
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &["arn:aws:s3:::my-secure-bucket/home/alice/notes.txt"],
            Some(ADMIN_SESSION),
            &Context::new()
        ),
        Decision::ImplicitDeny,
        "roles have no aws:username: the variable cannot be replaced, so nothing matches"
    );
}

#[test]
fn variables_are_literal_without_the_2012_version() {
    let policy = policy(
        r#"{
          "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                         "Resource": "arn:aws:s3:::my-secure-bucket/home/${aws:username}/*"}]
        }"#,
    );
    let alice = context(&[("aws:username", &["alice"])]);
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &["arn:aws:s3:::my-secure-bucket/home/alice/x"],
            Some(ALICE),
            &alice
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &["arn:aws:s3:::my-secure-bucket/home/${aws:username}/x"],
            Some(ALICE),
            &alice
        ),
        Decision::Allow
    );
}

#[test]
fn explicit_deny_wins_whatever_the_order() {
    let allow_then_deny = policy(
        r#"{
          "Statement": [
            {"Sid": "AllowAll", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*",
             "Action": ["s3:DeleteObject", "s3:DeleteBucket*"], "Resource": "*"}
          ]
        }"#,
    );
    let deny_then_allow = policy(
        r#"{
          "Statement": [
            {"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*",
             "Action": ["s3:DeleteObject", "s3:DeleteBucket*"], "Resource": "*"},
            {"Sid": "AllowAll", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
          ]
        }"#,
    );
    let empty = Context::new();
    for policy in [&allow_then_deny, &deny_then_allow] {
        assert_eq!(
            decide(policy, "s3:DeleteObject", &[OBJECT], Some(ALICE), &empty),
            denied_by("NoDeletes")
        );
        assert_eq!(
            decide(
                policy,
                "s3:DeleteBucketPolicy",
                &[BUCKET],
                Some(ALICE),
                &empty
            ),
            denied_by("NoDeletes")
        );
        assert_eq!(
            decide(policy, "s3:GetObject", &[OBJECT], Some(ALICE), &empty),
            Decision::Allow
        );
    }
}

#[test]
fn deny_without_sid_reports_none() {
    let policy = policy(
        r#"{"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}
        ]}"#,
    );
    assert_eq!(
        decide(&policy, "kms:Decrypt", &[], Some(ALICE), &Context::new()),
        Decision::ExplicitDeny { statement: None }
    );
}

#[test]
fn no_matching_allow_is_an_implicit_deny() {
    let policy = policy(
        r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:Get*", "Resource": "*"}}"#,
    );
    let decision = decide(
        &policy,
        "s3:PutObject",
        &[OBJECT],
        Some(ALICE),
        &Context::new(),
    );
    assert_eq!(decision, Decision::ImplicitDeny);
    assert!(!decision.is_allowed());
}

#[test]
fn only_deny_statements_never_allow() {
    let policy = policy(
        r#"{"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:Delete*", "Resource": "*"}}"#,
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ALICE),
            &Context::new()
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn if_exists_lets_requests_without_the_key_through() {
    let policy = policy(
        r#"{
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "AllowFromOurEndpoint", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
             "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}},
            {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
             "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}
          ]
        }"#,
    );
    let secure = |endpoint: &'static str| {
        context(&[
            ("aws:SourceVpce", &[endpoint]),
            ("aws:SecureTransport", &["true"]),
        ])
    };
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ALICE),
            &secure("vpce-1a2b3c4d")
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ALICE),
            &secure("vpce-99999999")
        ),
        Decision::ImplicitDeny
    );
    let no_endpoint = context(&[("aws:SecureTransport", &["true"])]);
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ALICE),
            &no_endpoint
        ),
        Decision::Allow,
        "StringEqualsIfExists holds when the key is absent"
    );
    let plain_http = context(&[("aws:SecureTransport", &["false"])]);
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(ALICE), &plain_http),
        denied_by("DenyPlainHttp")
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ALICE),
            &Context::new()
        ),
        denied_by("DenyPlainHttp"),
        "BoolIfExists holds when the key is absent, so the deny applies"
    );
}

#[test]
fn for_any_value_and_for_all_values_on_tag_keys() {
    let policy = policy(
        r#"{
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "AllowApprovedTags", "Effect": "Allow", "Principal": "*", "Action": "ec2:CreateTags", "Resource": "*",
             "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env", "cost-center"]}}},
            {"Sid": "DenyReservedTags", "Effect": "Deny", "Principal": "*", "Action": "ec2:CreateTags", "Resource": "*",
             "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": ["aws:*", "reserved-*"]}}}
          ]
        }"#,
    );
    let instance = ["arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"];
    let tags = |keys: &'static [&'static str]| context(&[("aws:TagKeys", keys)]);
    assert_eq!(
        decide(
            &policy,
            "ec2:CreateTags",
            &instance,
            Some(ALICE),
            &tags(&["team", "env"])
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "ec2:CreateTags",
            &instance,
            Some(ALICE),
            &tags(&["team", "owner"])
        ),
        Decision::ImplicitDeny,
        "owner is not an approved key"
    );
    assert_eq!(
        decide(
            &policy,
            "ec2:CreateTags",
            &instance,
            Some(ALICE),
            &tags(&["team", "reserved-x"])
        ),
        denied_by("DenyReservedTags")
    );
    assert_eq!(
        decide(
            &policy,
            "ec2:CreateTags",
            &instance,
            Some(ALICE),
            &Context::new()
        ),
        Decision::Allow,
        "ForAllValues holds and ForAnyValue fails when the key is absent"
    );
}

#[test]
fn not_principal_deny_protects_all_but_the_listed_admin() {
    let policy = policy(
        r#"{
          "Statement": [
            {"Sid": "AllowAll", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Sid": "OnlyAdminDeletesTrails", "Effect": "Deny",
             "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/Admin", "arn:aws:iam::111122223333:root"]},
             "Action": ["cloudtrail:DeleteTrail", "cloudtrail:StopLogging"], "Resource": "*"}
          ]
        }"#,
    );
    let empty = Context::new();
    assert_eq!(
        decide(
            &policy,
            "cloudtrail:DeleteTrail",
            &[],
            Some(ADMIN_SESSION),
            &empty
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, "cloudtrail:StopLogging", &[], Some(ALICE), &empty),
        Decision::Allow,
        "the whole account is listed, so alice is excluded from the deny too"
    );
    assert_eq!(
        decide(
            &policy,
            "cloudtrail:DeleteTrail",
            &[],
            Some(MALLORY),
            &empty
        ),
        denied_by("OnlyAdminDeletesTrails")
    );
    assert_eq!(
        decide(&policy, "cloudtrail:DeleteTrail", &[], None, &empty),
        denied_by("OnlyAdminDeletesTrails")
    );
    assert_eq!(
        decide(
            &policy,
            "cloudtrail:LookupEvents",
            &[],
            Some(MALLORY),
            &empty
        ),
        Decision::Allow
    );
}

#[test]
fn data_perimeter_endpoint_policy() {
    let policy = policy(
        r#"{
          "Version": "2012-10-17",
          "Statement": [
            {"Sid": "AllowRequestsByOrgsIdentitiesToOrgsResources", "Effect": "Allow",
             "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:ResourceOrgID": "o-a1b2c3d4e5"}}},
            {"Sid": "AllowRequestsByAWSServicePrincipals", "Effect": "Allow",
             "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
             "Condition": {"Bool": {"aws:PrincipalIsAWSService": "true"}}}
          ]
        }"#,
    );
    let inside = context(&[
        ("aws:PrincipalOrgID", &["o-a1b2c3d4e5"]),
        ("aws:ResourceOrgID", &["o-a1b2c3d4e5"]),
    ]);
    let foreign_resource = context(&[
        ("aws:PrincipalOrgID", &["o-a1b2c3d4e5"]),
        ("aws:ResourceOrgID", &["o-zzzzzzzzzz"]),
    ]);
    let service = context(&[("aws:PrincipalIsAWSService", &["true"])]);
    assert_eq!(
        decide(&policy, "s3:PutObject", &[OBJECT], Some(ALICE), &inside),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "s3:PutObject",
            &[OTHER_OBJECT],
            Some(ALICE),
            &foreign_resource
        ),
        Decision::ImplicitDeny,
        "both keys under one operator must hold"
    );
    assert_eq!(
        decide(&policy, "s3:PutObject", &[OBJECT], None, &service),
        Decision::Allow
    );
}

#[test]
fn not_action_and_not_resource() {
    let policy = policy(
        r#"{
          "Statement": [
            {"Sid": "EverythingButIam", "Effect": "Allow", "Principal": "*", "NotAction": "iam:*", "Resource": "*"},
            {"Sid": "OnlyOurBucket", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "NotResource": ["arn:aws:s3:::my-secure-bucket", "arn:aws:s3:::my-secure-bucket/*"]}
          ]
        }"#,
    );
    let empty = Context::new();
    assert_eq!(
        decide(&policy, "s3:GetObject", &[OBJECT], Some(ALICE), &empty),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, "IAM:CreateUser", &[], Some(ALICE), &empty),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OTHER_OBJECT],
            Some(ALICE),
            &empty
        ),
        denied_by("OnlyOurBucket")
    );
    assert_eq!(
        decide(&policy, "s3:ListAllMyBuckets", &[], Some(ALICE), &empty),
        denied_by("OnlyOurBucket"),
        "the implicit resource `*` is not in the NotResource list"
    );
}

#[test]
fn null_condition_requires_the_key() {
    let policy = policy(
        r#"{
          "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
            {"Sid": "RequireTemporaryCredentials", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
             "Condition": {"Null": {"aws:TokenIssueTime": "true"}}}
          ]
        }"#,
    );
    let temporary = context(&[("aws:TokenIssueTime", &["2024-05-01T12:00:00Z"])]);
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ADMIN_SESSION),
            &temporary
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            &policy,
            "s3:GetObject",
            &[OBJECT],
            Some(ALICE),
            &Context::new()
        ),
        denied_by("RequireTemporaryCredentials")
    );
}

#[test]
fn numeric_condition_caps_list_sizes() {
    let policy = policy(
        r#"{
          "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "*",
                         "Condition": {"NumericLessThanEquals": {"s3:max-keys": "100"}}}]
        }"#,
    );
    let small = context(&[("s3:max-keys", &["50"])]);
    let large = context(&[("s3:max-keys", &["1000"])]);
    assert_eq!(
        decide(&policy, "s3:ListBucket", &[BUCKET], Some(ALICE), &small),
        Decision::Allow
    );
    assert_eq!(
        decide(&policy, "s3:ListBucket", &[BUCKET], Some(ALICE), &large),
        Decision::ImplicitDeny
    );
}

#[test]
fn document_is_kept_as_given() {
    let text = "{ \"Statement\" : {\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"} }\n";
    let policy = policy(text);
    assert_eq!(policy.document(), text);
    assert_eq!(policy.statement_count(), 1);
}
