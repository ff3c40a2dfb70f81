//! IAM policy documents for endpoint policies: the policy that OpenTrail's recording proxy
//! (the self-hosted counterpart of an AWS VPC endpoint) enforces on every API call passing
//! through it. Pure logic: no I/O, no HTTP.
//!
//! - [`Policy::parse`] checks a document as IAM does for a VPC endpoint policy and compiles
//!   it, refusing it with a [`PolicyError`] (IAM's `MalformedPolicyDocument` wording where
//!   known).
//! - [`Policy::evaluate`] decides one [`Request`] (action, resources, [`Principal`],
//!   condition-key [`Context`]) and returns a [`Decision`].
//! - [`Policy::full_access`] is the policy AWS attaches to an endpoint by default.
//!
//! ```
//! use opentrail_policy::{Context, Decision, Policy, Principal, Request};
//!
//! let policy = Policy::parse(
//!     r#"{
//!       "Version": "2012-10-17",
//!       "Statement": [
//!         {"Sid": "OrgOnly", "Effect": "Allow", "Principal": "*", "Action": "s3:*",
//!          "Resource": "*",
//!          "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorgid"}}},
//!         {"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*",
//!          "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::audit-logs/*"}
//!       ]
//!     }"#,
//! )?;
//!
//! let mut context = Context::new();
//! context.insert("aws:PrincipalOrgID", "o-exampleorgid");
//! let resources = ["arn:aws:s3:::audit-logs/2024/01/01.json.gz".to_owned()];
//! let principal = Some(Principal { arn: Some("arn:aws:iam::111122223333:user/alice"), account: None });
//!
//! let read = Request { action: "s3:GetObject", resources: &resources, principal, context: &context };
//! assert_eq!(policy.evaluate(&read), Decision::Allow);
//!
//! let delete = Request { action: "s3:DeleteObject", ..read };
//! assert_eq!(policy.evaluate(&delete), Decision::ExplicitDeny { statement: Some("NoDeletes".into()) });
//!
//! let outsider = Request { context: &Context::new(), ..read };
//! assert_eq!(policy.evaluate(&outsider), Decision::ImplicitDeny);
//! # Ok::<(), opentrail_policy::PolicyError>(())
//! ```
//!
//! # Semantics
//!
//! IAM's, from the IAM User Guide ("Policy evaluation logic" and "IAM JSON policy elements
//! reference"); each module cites the page it follows.
//!
//! - **Document.** `Version` is `2012-10-17` or `2008-10-17` or absent; `Id` is optional;
//!   `Statement` is one object or an array. A statement has an optional `Sid`, `Effect`
//!   (`Allow` or `Deny`, case-sensitive), exactly one of `Principal`/`NotPrincipal`
//!   (endpoint policies require one), exactly one of `Action`/`NotAction`, exactly one of
//!   `Resource`/`NotResource`, and an optional `Condition`. Element names are
//!   case-sensitive; values that may be a string or an array accept both.
//! - **Principal.** `"*"` and `{"AWS": "*"}` match everyone, anonymous callers included;
//!   account IDs and `arn:aws:iam::ID:root` match every principal of the account; other
//!   ARNs match that principal, and a role ARN also its sessions. `NotPrincipal` (with
//!   `Deny` only) applies unless the caller's account, role and own ARN are all listed.
//!   `Service`, `Federated` and `CanonicalUser` entries parse but never match, because a
//!   [`Principal`] only describes IAM identities.
//! - **Action.** `service:Action` with `*` and `?`, case-insensitive.
//! - **Resource.** `*` or an ARN with `*` and `?` (which may span `/` and `:`),
//!   case-sensitive. A request with no resource is matched as the resource `*`; with
//!   several resources, each must be allowed and none denied.
//! - **Condition.** Operators AND, keys AND, a key's values OR (NOR for negated
//!   operators). Keys are case-insensitive. An absent key makes positive operators false
//!   and negated ones (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...) **true**, as
//!   the IAM guide's "Condition operators" page states; `...IfExists` makes it true;
//!   `ForAllValues:` is true and `ForAnyValue:` false for an absent key. Supported:
//!   `String*` (equals, ignore-case, like, and their negations), `Numeric*`, `Bool`,
//!   `IpAddress`/`NotIpAddress` (IPv4 and IPv6, CIDR blocks or single addresses), `Arn*`
//!   (component by component), `Null`, with `IfExists` and the set prefixes.
//! - **Policy variables** (`${aws:username}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`)
//!   are replaced from the [`Context`] in `Resource` and in `String*`/`Arn*` condition
//!   values under `"Version": "2012-10-17"`; otherwise they are literal text, as in IAM.
//!   A variable whose key is absent (without default) or multivalued matches nothing.
//! - **Evaluation.** An explicit `Deny` in any applicable statement wins; otherwise any
//!   applicable `Allow` allows; otherwise the call is implicitly denied.
//!
//! # Refused documents
//!
//! Beyond what IAM refuses, the crate refuses what it cannot evaluate faithfully, so a
//! policy never silently means less than it says: the `Date*` operators and
//! `BinaryEquals` ([`PolicyErrorKind::UnsupportedCondition`]), `Arn*` values that are not
//! six-component ARNs, partial wildcards in principals, duplicate JSON member names, and
//! an empty `Statement` array.
//!
//! # Limits
//!
//! - A document is at most [`MAX_DOCUMENT_CHARS`] characters, the VPC endpoint policy
//!   limit, and holds at most [`MAX_STATEMENTS`] statements (a project bound: AWS documents
//!   none, but twenty kilobytes cannot usefully hold more).
//! - JSON nesting is bounded by `serde_json`'s recursion limit (128); a valid policy nests
//!   six levels deep.
//!
//! # Performance
//!
//! Parsing compiles everything evaluation needs: wildcard patterns are split into tokens
//! with fast paths for `*`, exact text and `prefix*`; CIDR blocks, numbers and booleans
//! are parsed; condition keys are lower-cased. [`Policy::evaluate`] allocates nothing
//! except the `Sid` it returns with an explicit deny.

#![warn(missing_docs)]

mod condition;
mod document;
mod error;
mod json;
mod operator;
mod pattern;
mod principal;
mod request;
mod statement;

use std::str::FromStr;

pub use error::{PolicyError, PolicyErrorKind, Result};
pub use request::{Context, Principal, Request};

use statement::{Effect, PatternElement, Statement};

/// The largest document accepted, in characters (white space included): the VPC endpoint
/// policy limit.
pub const MAX_DOCUMENT_CHARS: usize = 20_480;

/// The most statements a document may hold (a project bound; see the crate docs).
pub const MAX_STATEMENTS: usize = 100;

/// The text of the default endpoint policy AWS attaches: full access for everyone.
pub const FULL_ACCESS_DOCUMENT: &str =
    r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

/// The resource a request without resources is matched as.
const NO_RESOURCE: &str = "*";

/// A checked, compiled endpoint policy.
///
/// A `Policy` is always valid: the only ways to get one are [`Policy::parse`] and
/// [`Policy::full_access`]. It is cheap to share across threads (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct Policy {
    document: String,
    statements: Vec<Statement>,
}

/// The outcome of evaluating a request against a policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Decision {
    /// An applicable `Allow` statement, and no applicable `Deny`.
    Allow,
    /// An applicable `Deny` statement; `statement` is its `Sid`, when it has one.
    ExplicitDeny {
        /// The `Sid` of the first applicable `Deny` statement.
        statement: Option<String>,
    },
    /// No applicable statement allows the request (for every resource).
    ImplicitDeny,
}

impl Decision {
    /// Returns whether the request may proceed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow)
    }
}

impl Policy {
    /// Checks and compiles a policy document.
    ///
    /// # Errors
    ///
    /// Returns a [`PolicyError`] when the document is not JSON, breaks IAM's grammar for an
    /// endpoint policy, uses a condition this crate does not evaluate, or is over a limit
    /// ([`MAX_DOCUMENT_CHARS`], [`MAX_STATEMENTS`]). See [`PolicyErrorKind`].
    pub fn parse(document: &str) -> Result<Policy> {
        let statements = document::parse_document(document)?;
        Ok(Policy {
            document: document.to_owned(),
            statements,
        })
    }

    /// Returns the default endpoint policy AWS attaches, [`FULL_ACCESS_DOCUMENT`]:
    /// `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`.
    pub fn full_access() -> Policy {
        // Built directly rather than parsed, so this cannot fail; a unit test checks that
        // parsing `FULL_ACCESS_DOCUMENT` gives the same statements.
        Policy {
            document: FULL_ACCESS_DOCUMENT.to_owned(),
            statements: vec![Statement {
                sid: None,
                effect: Effect::Allow,
                principal: principal::PrincipalElement::everyone(),
                action: PatternElement::any(),
                resource: PatternElement::any(),
                conditions: Vec::new(),
            }],
        }
    }

    /// Decides `request`: an explicit deny in any applicable statement wins, else an
    /// applicable allow allows, else the request is implicitly denied. With several
    /// resources, the request is allowed only when every resource is.
    pub fn evaluate(&self, request: &Request<'_>) -> Decision {
        if request.resources.is_empty() {
            return self.evaluate_resources(request, std::iter::once(NO_RESOURCE));
        }
        self.evaluate_resources(request, request.resources.iter().map(String::as_str))
    }

    fn evaluate_resources<'r>(
        &self,
        request: &Request<'_>,
        resources: impl Iterator<Item = &'r str>,
    ) -> Decision {
        let mut every_resource_allowed = true;
        for resource in resources {
            let mut allowed = false;
            // No early exit on an allow: a later deny still wins.
            for statement in &self.statements {
                if !statement.applies(request, resource) {
                    continue;
                }
                match statement.effect {
                    Effect::Deny => {
                        return Decision::ExplicitDeny {
                            statement: statement.sid.clone(),
                        };
                    }
                    Effect::Allow => allowed = true,
                }
            }
            every_resource_allowed &= allowed;
        }
        if every_resource_allowed {
            Decision::Allow
        } else {
            Decision::ImplicitDeny
        }
    }

    /// Returns the document text exactly as given to [`Policy::parse`].
    pub fn document(&self) -> &str {
        &self.document
    }

    /// Returns how many statements the policy holds.
    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }
}

impl FromStr for Policy {
    type Err = PolicyError;

    fn from_str(document: &str) -> Result<Policy> {
        Policy::parse(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(action: &'a str, resources: &'a [String], context: &'a Context) -> Request<'a> {
        Request {
            action,
            resources,
            principal: None,
            context,
        }
    }

    #[test]
    fn full_access_is_what_parsing_its_document_gives() {
        let parsed = Policy::parse(FULL_ACCESS_DOCUMENT).unwrap();
        let built = Policy::full_access();
        assert_eq!(parsed.statements, built.statements);
        assert_eq!(built.document(), FULL_ACCESS_DOCUMENT);
    }

    #[test]
    fn full_access_allows_anything_even_anonymous() {
        let context = Context::new();
        let resources = ["arn:aws:kms:us-east-1:111122223333:key/abc".to_owned()];
        let policy = Policy::full_access();
        assert_eq!(
            policy.evaluate(&request("kms:Decrypt", &resources, &context)),
            Decision::Allow
        );
        assert_eq!(
            policy.evaluate(&request("sts:GetCallerIdentity", &[], &context)),
            Decision::Allow
        );
    }

    #[test]
    fn every_resource_must_be_allowed() {
        let policy = Policy::parse(
            r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*",
                "Resource": "arn:aws:s3:::source/*"}}"#,
        )
        .unwrap();
        let context = Context::new();
        let inside = ["arn:aws:s3:::source/a".to_owned()];
        let both = [
            "arn:aws:s3:::source/a".to_owned(),
            "arn:aws:s3:::destination/a".to_owned(),
        ];
        assert_eq!(
            policy.evaluate(&request("s3:CopyObject", &inside, &context)),
            Decision::Allow
        );
        assert_eq!(
            policy.evaluate(&request("s3:CopyObject", &both, &context)),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn a_deny_on_any_resource_denies_the_request() {
        let policy = Policy::parse(
            r#"{"Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "arn:aws:s3:::secret/*"}
            ]}"#,
        )
        .unwrap();
        let context = Context::new();
        let mixed = [
            "arn:aws:s3:::public/a".to_owned(),
            "arn:aws:s3:::secret/a".to_owned(),
        ];
        assert_eq!(
            policy.evaluate(&request("s3:CopyObject", &mixed, &context)),
            Decision::ExplicitDeny { statement: None }
        );
    }

    #[test]
    fn no_resource_matches_only_star() {
        let policy = Policy::parse(
            r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*",
                "Resource": "arn:aws:s3:::*"}}"#,
        )
        .unwrap();
        let context = Context::new();
        assert_eq!(
            policy.evaluate(&request("s3:ListAllMyBuckets", &[], &context)),
            Decision::ImplicitDeny
        );
        let not_resource = Policy::parse(
            r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*",
                "NotResource": "arn:aws:s3:::*"}}"#,
        )
        .unwrap();
        assert_eq!(
            not_resource.evaluate(&request("s3:ListAllMyBuckets", &[], &context)),
            Decision::Allow
        );
    }

    #[test]
    fn from_str_parses() {
        let policy: Policy = FULL_ACCESS_DOCUMENT.parse().unwrap();
        assert_eq!(policy.statement_count(), 1);
        assert!("nope".parse::<Policy>().is_err());
    }

    #[test]
    fn decision_is_allowed() {
        assert!(Decision::Allow.is_allowed());
        assert!(!Decision::ImplicitDeny.is_allowed());
        assert!(!Decision::ExplicitDeny { statement: None }.is_allowed());
    }

    #[test]
    fn policy_is_send_and_sync() {
        fn assert_shareable<T: Send + Sync + Clone + std::fmt::Debug>() {}
        fn assert_send_sync<T: Send + Sync>() {}
        assert_shareable::<Policy>();
        assert_shareable::<Context>();
        assert_send_sync::<PolicyError>();
    }
}
