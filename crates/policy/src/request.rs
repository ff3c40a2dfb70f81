//! What a policy is evaluated against: the call ([`Request`]), who made it ([`Principal`])
//! and the condition keys known about it ([`Context`]).

use std::collections::HashMap;

/// One API call passing through the endpoint, as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The action, `service:Action` (`s3:GetObject`, `kms:Decrypt`); compared
    /// case-insensitively.
    pub action: &'a str,
    /// The ARNs the call touches. Empty means the action has no resource, which IAM
    /// evaluates as the resource `*`: only `"Resource": "*"` (or a `NotResource` list)
    /// matches it. With several resources the call is allowed only if every one is.
    pub resources: &'a [String],
    /// Who signed the call; `None` for an anonymous (unsigned) call.
    pub principal: Option<Principal<'a>>,
    /// The condition keys and their values.
    pub context: &'a Context,
}

/// The principal that signed a call.
///
/// The caller fills in what it knows: the ARN when the credentials resolve to an identity,
/// only the account when just the access key's account is known. The account defaults to
/// the ARN's account field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Principal<'a> {
    /// The principal's ARN, for example `arn:aws:iam::111122223333:user/alice` or
    /// `arn:aws:sts::111122223333:assumed-role/Admin/alice`.
    pub arn: Option<&'a str>,
    /// The principal's 12-digit account ID.
    pub account: Option<&'a str>,
}

impl<'a> Principal<'a> {
    /// Returns the account: the one given, else the ARN's account field.
    pub fn account_id(&self) -> Option<&'a str> {
        if let Some(account) = self.account {
            return Some(account);
        }
        let account = self.arn?.split(':').nth(4)?;
        (!account.is_empty()).then_some(account)
    }
}

/// The condition keys of a request: each key has one or more string values.
///
/// Key names are case-insensitive, as in IAM (`aws:SourceIp` and `AWS:SOURCEIP` are the
/// same key). A key inserted with no values counts as absent: IAM treats a key whose values
/// resolve to an empty set like a missing key (`Null` is true, `ForAllValues` is true,
/// `ForAnyValue` is false).
///
/// The caller decides what goes in. The policy never derives keys itself: put
/// `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:SourceIp`,
/// `aws:SecureTransport`, `aws:username` (used by `${aws:username}`), service keys such as
/// `s3:prefix`, ... in the context.
///
/// ```
/// use opentrail_policy::Context;
///
/// let mut context = Context::new();
/// context
///     .insert("aws:SourceIp", "192.0.2.10")
///     .insert_many("aws:TagKeys", ["team", "cost-center"]);
/// assert_eq!(context.values("AWS:SOURCEIP"), Some(&["192.0.2.10".to_owned()][..]));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Lower-cased key name to values; never holds an empty list.
    values: HashMap<Box<str>, Vec<String>>,
}

impl Context {
    /// Returns an empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets `key` to the single `value`, replacing any values it had.
    pub fn insert(&mut self, key: &str, value: impl Into<String>) -> &mut Context {
        self.values
            .insert(key.to_lowercase().into_boxed_str(), vec![value.into()]);
        self
    }

    /// Sets `key` to `values` (a multivalued key such as `aws:TagKeys`), replacing any
    /// values it had. No values removes the key.
    pub fn insert_many<I>(&mut self, key: &str, values: I) -> &mut Context
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        let key = key.to_lowercase().into_boxed_str();
        if values.is_empty() {
            self.values.remove(&key);
        } else {
            self.values.insert(key, values);
        }
        self
    }

    /// Returns the values of `key` (case-insensitive), or `None` when it is absent.
    pub fn values(&self, key: &str) -> Option<&[String]> {
        self.values_by_lowercase_key(&key.to_lowercase())
    }

    /// Returns whether the context holds no keys.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Looks up a key the policy lower-cased at parse time, without allocating.
    pub(crate) fn values_by_lowercase_key(&self, lowercase_key: &str) -> Option<&[String]> {
        self.values.get(lowercase_key).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_insert_replaces() {
        let mut context = Context::new();
        context.insert("aws:SourceIp", "1.2.3.4");
        context.insert("AWS:sourceip", "5.6.7.8");
        assert_eq!(context.values("aws:sourceIP").unwrap(), ["5.6.7.8"]);
        assert_eq!(context.values("aws:username"), None);
    }

    #[test]
    fn insert_many_with_no_values_removes_the_key() {
        let mut context = Context::new();
        context.insert_many("aws:TagKeys", ["a", "b"]);
        assert_eq!(context.values("aws:tagkeys").unwrap(), ["a", "b"]);
        context.insert_many("aws:TagKeys", Vec::<String>::new());
        assert_eq!(context.values("aws:TagKeys"), None);
        assert!(context.is_empty());
    }

    #[test]
    fn principal_account_defaults_to_the_arn_account() {
        let from_arn = Principal {
            arn: Some("arn:aws:iam::111122223333:user/alice"),
            account: None,
        };
        assert_eq!(from_arn.account_id(), Some("111122223333"));
        let given = Principal {
            arn: Some("arn:aws:iam::111122223333:user/alice"),
            account: Some("444455556666"),
        };
        assert_eq!(given.account_id(), Some("444455556666"));
        assert_eq!(Principal::default().account_id(), None);
        let malformed = Principal {
            arn: Some("not-an-arn"),
            account: None,
        };
        assert_eq!(malformed.account_id(), None);
    }
}
