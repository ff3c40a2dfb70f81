//! Shared helpers: build requests tersely and evaluate them.

use opentrail_policy::{Context, Decision, Policy, Principal, Request};

/// An IAM user of account 111122223333.
pub const ALICE: Principal<'static> = Principal {
    arn: Some("arn:aws:iam::111122223333:user/alice"),
    account: None,
};

/// A session of role `Admin` in account 111122223333.
pub const ADMIN_SESSION: Principal<'static> = Principal {
    arn: Some("arn:aws:sts::111122223333:assumed-role/Admin/alice"),
    account: None,
};

/// An IAM user of another account.
pub const MALLORY: Principal<'static> = Principal {
    arn: Some("arn:aws:iam::444455556666:user/mallory"),
    account: None,
};

/// Parses `document`, panicking with the error when it is refused.
pub fn policy(document: &str) -> Policy {
    Policy::parse(document).unwrap_or_else(|error| panic!("refused: {error}\n{document}"))
}

/// Evaluates one call.
pub fn decide(
    policy: &Policy,
    action: &str,
    resources: &[&str],
    principal: Option<Principal<'_>>,
    context: &Context,
) -> Decision {
    let resources: Vec<String> = resources.iter().map(|&arn| arn.to_owned()).collect();
    policy.evaluate(&Request {
        action,
        resources: &resources,
        principal,
        context,
    })
}

/// Builds a context from `(key, values)` pairs.
pub fn context(pairs: &[(&str, &[&str])]) -> Context {
    let mut context = Context::new();
    for (key, values) in pairs {
        context.insert_many(key, values.iter().copied());
    }
    context
}

/// Shorthand for an explicit deny by `sid`.
pub fn denied_by(sid: &str) -> Decision {
    Decision::ExplicitDeny {
        statement: Some(sid.to_owned()),
    }
}
