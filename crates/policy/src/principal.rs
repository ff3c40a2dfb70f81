//! The `Principal` and `NotPrincipal` elements: parsing and matching.
//!
//! Follows the IAM User Guide, "AWS JSON policy elements: Principal"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>)
//! and "... NotPrincipal"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>):
//!
//! - `"*"` and `{"AWS": "*"}` mean everyone, anonymous callers included.
//! - A 12-digit account ID and `arn:aws:iam::ID:root` mean every principal of the account.
//! - Any other ARN means that principal. A role ARN also covers the role's sessions
//!   (`arn:aws:sts::ID:assumed-role/NAME/SESSION`), compared by partition, account and role
//!   name, since session ARNs drop the role's path.
//! - Partial wildcards (`arn:aws:iam::*:role/x`) are refused: IAM does not allow them.
//! - `Service`, `Federated` and `CanonicalUser` entries are accepted but never match: a
//!   [`crate::Principal`] can only describe an IAM identity (ARN and account), so no request
//!   this crate sees can be a service, web-identity or canonical-user principal.
//!
//! `NotPrincipal` (only with `Deny`; IAM does not support it with `Allow`) applies unless
//! every identity in the caller's chain is listed: the account, then for a role session the
//! role, then the principal itself. This is why the IAM guide says to list the account
//! alongside a user or role: a `Deny` with `NotPrincipal` naming only a user still denies
//! that user, because the user's account is not excluded.

use crate::error::{PolicyError, PolicyErrorKind, Result};
use crate::json::Json;
use crate::pattern::has_wildcard;
use crate::request::Principal;

/// A checked `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrincipalElement {
    /// `NotPrincipal`.
    negated: bool,
    /// `"*"` or `{"AWS": "*"}` somewhere in the element.
    everyone: bool,
    entries: Vec<PrincipalEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PrincipalEntry {
    /// An account ID or `arn:PARTITION:iam::ID:root`: every principal of the account.
    Account(Box<str>),
    /// One principal's ARN; `role` is set for a role ARN, to match its sessions.
    Arn { arn: Box<str>, role: Option<RoleId> },
    /// A `Service`, `Federated` or `CanonicalUser` value: kept, never matched.
    Unmatchable,
}

/// A role's identity as it appears in its session ARNs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RoleId {
    partition: Box<str>,
    account: Box<str>,
    name: Box<str>,
}

/// One identity in a caller's chain.
enum Identity<'a> {
    Account(&'a str),
    Role(RoleRef<'a>),
    Arn { arn: &'a str, account: &'a str },
}

#[derive(Clone, Copy)]
struct RoleRef<'a> {
    partition: &'a str,
    account: &'a str,
    name: &'a str,
}

impl PrincipalElement {
    /// The `"Principal": "*"` of the full-access policy.
    pub(crate) fn everyone() -> PrincipalElement {
        PrincipalElement {
            negated: false,
            everyone: true,
            entries: Vec::new(),
        }
    }

    /// Checks a `Principal` (or, with `negated`, `NotPrincipal`) value.
    pub(crate) fn parse(value: &Json, negated: bool, statement: usize) -> Result<PrincipalElement> {
        let mut element = PrincipalElement {
            negated,
            everyone: false,
            entries: Vec::new(),
        };
        let members = match value {
            Json::String(text) if text == "*" => {
                element.everyone = true;
                return Ok(element);
            }
            Json::Object(members) if !members.is_empty() => members,
            other => return Err(invalid_principal(statement, &compact(other))),
        };
        let mut seen: Vec<&str> = Vec::new();
        for (principal_type, values) in members {
            if seen.contains(&principal_type.as_str()) {
                return Err(PolicyError::new(
                    PolicyErrorKind::DuplicateElement,
                    Some(statement),
                    format_args!(
                        "statement {statement}: principal type `{principal_type}` appears twice"
                    ),
                ));
            }
            seen.push(principal_type);
            let texts = principal_values(principal_type, values, statement)?;
            for text in texts {
                let entry = match principal_type.as_str() {
                    "AWS" if text == "*" => {
                        element.everyone = true;
                        continue;
                    }
                    "AWS" => parse_aws_principal(text).ok_or_else(|| {
                        invalid_principal(statement, &format!("\"AWS\":\"{text}\""))
                    })?,
                    "Service" | "Federated" | "CanonicalUser" if !text.is_empty() => {
                        PrincipalEntry::Unmatchable
                    }
                    _ => {
                        return Err(invalid_principal(
                            statement,
                            &format!("\"{principal_type}\":\"{text}\""),
                        ));
                    }
                };
                element.entries.push(entry);
            }
        }
        Ok(element)
    }

    /// Returns whether the statement applies to `principal` (`None`: anonymous).
    pub(crate) fn applies(&self, principal: Option<&Principal<'_>>) -> bool {
        if self.negated {
            !self.covers_whole_chain(principal)
        } else {
            self.covers_caller(principal)
        }
    }

    /// `Principal`: the caller itself is listed (or its account, or its role).
    fn covers_caller(&self, principal: Option<&Principal<'_>>) -> bool {
        if self.everyone {
            return true;
        }
        let Some(principal) = principal else {
            return false;
        };
        let account = principal.account_id();
        let identity = match (principal.arn, account) {
            (Some(arn), Some(account)) => Identity::Arn { arn, account },
            (None, Some(account)) => Identity::Account(account),
            (Some(_), None) | (None, None) => return false,
        };
        self.covers(&identity)
    }

    /// `NotPrincipal`: every identity of the caller's chain is listed. An anonymous caller,
    /// or one about whom nothing is known, has no listed identity.
    fn covers_whole_chain(&self, principal: Option<&Principal<'_>>) -> bool {
        if self.everyone {
            return true;
        }
        let Some(principal) = principal else {
            return false;
        };
        let Some(account) = principal.account_id() else {
            return false;
        };
        if !self.covers(&Identity::Account(account)) {
            return false;
        }
        let Some(arn) = principal.arn else {
            return true;
        };
        if let Some(role) = session_role(arn)
            && !self.covers(&Identity::Role(role))
        {
            return false;
        }
        self.covers(&Identity::Arn { arn, account })
    }

    fn covers(&self, identity: &Identity<'_>) -> bool {
        self.entries.iter().any(|entry| entry.covers(identity))
    }
}

impl PrincipalEntry {
    fn covers(&self, identity: &Identity<'_>) -> bool {
        let identity_account: &str = match identity {
            Identity::Account(account) => account,
            Identity::Role(role) => role.account,
            Identity::Arn { account, .. } => account,
        };
        match self {
            PrincipalEntry::Account(listed) => **listed == *identity_account,
            PrincipalEntry::Arn { arn: listed, role } => match identity {
                Identity::Account(_) => false,
                Identity::Role(session_role) => role.as_ref().is_some_and(|r| r.is(session_role)),
                Identity::Arn { arn, .. } => {
                    **listed == **arn
                        || role
                            .as_ref()
                            .zip(session_role(arn))
                            .is_some_and(|(listed_role, caller_role)| listed_role.is(&caller_role))
                }
            },
            PrincipalEntry::Unmatchable => false,
        }
    }
}

impl RoleId {
    fn is(&self, role: &RoleRef<'_>) -> bool {
        *self.partition == *role.partition
            && *self.account == *role.account
            && *self.name == *role.name
    }
}

/// Returns the role of an assumed-role session ARN
/// (`arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION`).
fn session_role(arn: &str) -> Option<RoleRef<'_>> {
    let [_, partition, service, _, account, resource] = split_arn(arn)?;
    if service != "sts" {
        return None;
    }
    let (name, _session) = resource.strip_prefix("assumed-role/")?.split_once('/')?;
    Some(RoleRef {
        partition,
        account,
        name,
    })
}

/// Splits an ARN into its six components (the last keeps any further colons).
pub(crate) fn split_arn(arn: &str) -> Option<[&str; 6]> {
    let mut parts = arn.splitn(6, ':');
    let components = [
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ];
    (components[0] == "arn").then_some(components)
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Reads an `AWS` principal value (other than `*`); `None` when IAM would refuse it.
fn parse_aws_principal(text: &str) -> Option<PrincipalEntry> {
    if is_account_id(text) {
        return Some(PrincipalEntry::Account(text.into()));
    }
    if has_wildcard(text) {
        return None;
    }
    let [_, partition, service, _region, account, resource] = split_arn(text)?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    if (service == "iam" || service == "sts") && !is_account_id(account) {
        return None;
    }
    if service == "iam" && resource == "root" {
        return Some(PrincipalEntry::Account(account.into()));
    }
    let role = if service == "iam" {
        resource
            .strip_prefix("role/")
            .and_then(|path_and_name| path_and_name.rsplit('/').next())
            .filter(|name| !name.is_empty())
            .map(|name| RoleId {
                partition: partition.into(),
                account: account.into(),
                name: name.into(),
            })
    } else {
        None
    };
    Some(PrincipalEntry::Arn {
        arn: text.into(),
        role,
    })
}

/// The strings of one principal type: a string or a non-empty array of strings.
fn principal_values<'j>(
    principal_type: &str,
    values: &'j Json,
    statement: usize,
) -> Result<Vec<&'j str>> {
    match values {
        Json::String(text) => Ok(vec![text.as_str()]),
        Json::Array(items) if !items.is_empty() => {
            let mut texts = Vec::with_capacity(items.len());
            for item in items {
                let Json::String(text) = item else {
                    return Err(invalid_principal(
                        statement,
                        &format!("\"{principal_type}\":{}", compact(item)),
                    ));
                };
                texts.push(text.as_str());
            }
            Ok(texts)
        }
        other => Err(invalid_principal(
            statement,
            &format!("\"{principal_type}\":{}", compact(other)),
        )),
    }
}

/// IAM's message (`Invalid principal in policy: "AWS":"foo"`).
fn invalid_principal(statement: usize, shown: &str) -> PolicyError {
    PolicyError::new(
        PolicyErrorKind::InvalidPrincipal,
        Some(statement),
        format_args!("Invalid principal in policy: {shown}"),
    )
}

/// A short JSON rendering of a raw value for error messages.
fn compact(value: &Json) -> String {
    match value {
        Json::Null => "null".to_owned(),
        Json::Bool(flag) => flag.to_string(),
        Json::Number(number) => number.clone(),
        Json::String(text) => format!("\"{text}\""),
        Json::Array(items) if items.is_empty() => "[]".to_owned(),
        Json::Object(members) if members.is_empty() => "{}".to_owned(),
        Json::Array(_) => "[...]".to_owned(),
        Json::Object(_) => "{...}".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn element(text: &str, negated: bool) -> PrincipalElement {
        PrincipalElement::parse(&json::parse(text).unwrap(), negated, 0).unwrap()
    }

    fn error(text: &str) -> String {
        PrincipalElement::parse(&json::parse(text).unwrap(), false, 0)
            .unwrap_err()
            .to_string()
    }

    const ALICE: Principal<'static> = Principal {
        arn: Some("arn:aws:iam::111122223333:user/alice"),
        account: None,
    };
    const ADMIN_SESSION: Principal<'static> = Principal {
        arn: Some("arn:aws:sts::111122223333:assumed-role/Admin/alice"),
        account: None,
    };
    const ACCOUNT_ONLY: Principal<'static> = Principal {
        arn: None,
        account: Some("111122223333"),
    };
    const STRANGER: Principal<'static> = Principal {
        arn: Some("arn:aws:iam::444455556666:user/mallory"),
        account: None,
    };

    #[test]
    fn star_forms_match_everyone_including_anonymous() {
        for text in [
            r#""*""#,
            r#"{"AWS": "*"}"#,
            r#"{"AWS": ["111122223333", "*"]}"#,
        ] {
            let principal = element(text, false);
            assert!(principal.applies(None), "{text}");
            assert!(principal.applies(Some(&STRANGER)), "{text}");
        }
    }

    #[test]
    fn account_forms_match_every_principal_of_the_account() {
        for text in [
            r#"{"AWS": "111122223333"}"#,
            r#"{"AWS": "arn:aws:iam::111122223333:root"}"#,
        ] {
            let principal = element(text, false);
            assert!(principal.applies(Some(&ALICE)), "{text}");
            assert!(principal.applies(Some(&ADMIN_SESSION)), "{text}");
            assert!(principal.applies(Some(&ACCOUNT_ONLY)), "{text}");
            assert!(!principal.applies(Some(&STRANGER)), "{text}");
            assert!(!principal.applies(None), "{text}");
        }
    }

    #[test]
    fn arn_matches_that_principal_only() {
        let principal = element(
            r#"{"AWS": ["arn:aws:iam::111122223333:user/alice"]}"#,
            false,
        );
        assert!(principal.applies(Some(&ALICE)));
        assert!(!principal.applies(Some(&ADMIN_SESSION)));
        assert!(!principal.applies(Some(&ACCOUNT_ONLY)));
        assert!(!principal.applies(None));
    }

    #[test]
    fn role_arn_matches_its_sessions_even_with_a_path() {
        let principal = element(
            r#"{"AWS": "arn:aws:iam::111122223333:role/ops/Admin"}"#,
            false,
        );
        assert!(principal.applies(Some(&ADMIN_SESSION)));
        let other_role = Principal {
            arn: Some("arn:aws:sts::111122223333:assumed-role/Reader/alice"),
            account: None,
        };
        assert!(!principal.applies(Some(&other_role)));
        let other_account = Principal {
            arn: Some("arn:aws:sts::444455556666:assumed-role/Admin/alice"),
            account: None,
        };
        assert!(!principal.applies(Some(&other_account)));
    }

    #[test]
    fn other_principal_types_never_match() {
        let principal = element(
            r#"{"Service": "ec2.amazonaws.com", "Federated": "cognito-identity.amazonaws.com",
                "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#,
            false,
        );
        assert!(!principal.applies(Some(&ALICE)));
        assert!(!principal.applies(None));
    }

    #[test]
    fn not_principal_needs_the_whole_chain_listed() {
        let user_only = element(r#"{"AWS": "arn:aws:iam::111122223333:user/alice"}"#, true);
        assert!(user_only.applies(Some(&ALICE)), "account not excluded");
        let user_and_account = element(
            r#"{"AWS": ["arn:aws:iam::111122223333:user/alice", "111122223333"]}"#,
            true,
        );
        assert!(!user_and_account.applies(Some(&ALICE)));
        assert!(!user_and_account.applies(Some(&ACCOUNT_ONLY)));
        assert!(user_and_account.applies(Some(&STRANGER)));
        assert!(
            user_and_account.applies(None),
            "anonymous is never excluded"
        );
        let role_and_account = element(
            r#"{"AWS": ["arn:aws:iam::111122223333:role/Admin", "arn:aws:iam::111122223333:root"]}"#,
            true,
        );
        assert!(!role_and_account.applies(Some(&ADMIN_SESSION)));
        let unknown = Principal::default();
        assert!(role_and_account.applies(Some(&unknown)));
    }

    #[test]
    fn not_principal_star_excludes_everyone() {
        let everyone = element(r#""*""#, true);
        assert!(!everyone.applies(None));
        assert!(!everyone.applies(Some(&ALICE)));
    }

    #[test]
    fn invalid_principals_are_refused_with_iam_wording() {
        assert_eq!(
            error(r#"{"AWS": "alice"}"#),
            r#"Invalid principal in policy: "AWS":"alice""#
        );
        assert_eq!(
            error(r#"{"AWS": "arn:aws:iam::*:role/Admin"}"#),
            r#"Invalid principal in policy: "AWS":"arn:aws:iam::*:role/Admin""#
        );
        assert_eq!(
            error(r#"{"AWS": "arn:aws:iam::1234:root"}"#),
            r#"Invalid principal in policy: "AWS":"arn:aws:iam::1234:root""#
        );
        assert_eq!(
            error(r#"{"Group": "x"}"#),
            r#"Invalid principal in policy: "Group":"x""#
        );
        assert_eq!(
            error(r#"{"AWS": []}"#),
            r#"Invalid principal in policy: "AWS":[]"#
        );
        assert_eq!(
            error(r#""alice""#),
            r#"Invalid principal in policy: "alice""#
        );
        assert_eq!(error("{}"), "Invalid principal in policy: {}");
        assert_eq!(
            error(r#"{"AWS": [7]}"#),
            r#"Invalid principal in policy: "AWS":7"#
        );
    }

    #[test]
    fn duplicate_principal_types_are_refused() {
        assert_eq!(
            error(r#"{"AWS": "111122223333", "AWS": "444455556666"}"#),
            "statement 0: principal type `AWS` appears twice"
        );
    }
}
