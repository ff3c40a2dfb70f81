//! Measures `Policy::evaluate` on a realistic ten-statement endpoint policy (wildcard
//! actions and resources, a policy variable, string, IP, ARN, bool and set conditions),
//! for an allowed call, a denied call and a call no statement allows.
//!
//! Run with `cargo run --release -p opentrail-policy --example evaluate [iterations]`.

use std::error::Error;
use std::hint::black_box;
use std::time::Instant;

use opentrail_policy::{Context, Decision, Policy, Principal, Request};

const DEFAULT_ITERATIONS: usize = 200_000;

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Id": "endpoint-policy",
  "Statement": [
    {"Sid": "OrgRead", "Effect": "Allow", "Principal": "*",
     "Action": ["s3:Get*", "s3:List*"], "Resource": ["arn:aws:s3:::data-*", "arn:aws:s3:::data-*/*"],
     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}},
    {"Sid": "HomeWrite", "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject",
     "Resource": "arn:aws:s3:::data-home/${aws:username}/*"},
    {"Sid": "Trails", "Effect": "Allow", "Principal": {"AWS": ["111122223333", "444455556666"]},
     "Action": ["cloudtrail:LookupEvents", "cloudtrail:Describe*"], "Resource": "*"},
    {"Sid": "Keys", "Effect": "Allow", "Principal": "*", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
     "Resource": "arn:aws:kms:*:111122223333:key/*",
     "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}}},
    {"Sid": "Queues", "Effect": "Allow", "Principal": "*", "Action": "sqs:*",
     "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs-?"},
    {"Sid": "Tags", "Effect": "Allow", "Principal": "*", "Action": "ec2:CreateTags", "Resource": "*",
     "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}},
    {"Sid": "DenyRange", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
     "Condition": {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}}},
    {"Sid": "DenyHttp", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "DenyDeletes", "Effect": "Deny", "Principal": "*",
     "Action": ["s3:DeleteObject*", "s3:DeleteBucket*"], "Resource": "arn:aws:s3:::data-audit/*"},
    {"Sid": "DenyOutsiders", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
     "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}}}
  ]
}"#;

#[expect(
    clippy::print_stdout,
    reason = "an example reports its measurement on standard output"
)]
fn main() -> Result<(), Box<dyn Error>> {
    let iterations = match std::env::args().nth(1) {
        Some(count) => count.parse()?,
        None => DEFAULT_ITERATIONS,
    };
    let started = Instant::now();
    let policy = Policy::parse(POLICY)?;
    println!(
        "parsed {} statements in {:?}",
        policy.statement_count(),
        started.elapsed()
    );

    let mut context = Context::new();
    context
        .insert("aws:PrincipalOrgID", "o-a1b2c3d4e5")
        .insert("aws:PrincipalAccount", "111122223333")
        .insert(
            "aws:PrincipalArn",
            "arn:aws:iam::111122223333:role/app-reader",
        )
        .insert("aws:SourceIp", "10.20.30.40")
        .insert("aws:SecureTransport", "true")
        .insert("aws:username", "alice");
    let principal = Some(Principal {
        arn: Some("arn:aws:sts::111122223333:assumed-role/app-reader/i-0abc"),
        account: None,
    });
    let read = ["arn:aws:s3:::data-lake/2024/01/01/part-0001.parquet".to_owned()];
    let audit = ["arn:aws:s3:::data-audit/2024/01/01.json.gz".to_owned()];
    let cases = [
        (
            "allowed GetObject",
            "s3:GetObject",
            &read[..],
            Decision::Allow,
        ),
        (
            "denied DeleteObject",
            "s3:DeleteObject",
            &audit[..],
            Decision::ExplicitDeny {
                statement: Some("DenyDeletes".to_owned()),
            },
        ),
        (
            "unmatched iam:CreateUser",
            "iam:CreateUser",
            &[][..],
            Decision::ImplicitDeny,
        ),
    ];
    for (label, action, resources, expected) in cases {
        let request = Request {
            action,
            resources,
            principal,
            context: &context,
        };
        let decision = policy.evaluate(&request);
        if decision != expected {
            return Err(format!("{label}: expected {expected:?}, got {decision:?}").into());
        }
        let started = Instant::now();
        for _ in 0..iterations {
            black_box(policy.evaluate(black_box(&request)));
        }
        let elapsed = started.elapsed();
        println!(
            "{label}: {iterations} evaluations in {elapsed:?} ({:.2} µs each)",
            elapsed.as_secs_f64() * 1e6 / iterations as f64
        );
    }
    Ok(())
}
