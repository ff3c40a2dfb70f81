//! Who made a call through the endpoint, as far as the request says.
//!
//! The proxy never holds the callers' secrets for the upstream (the upstream verifies the
//! signature), so it knows the access key id from the SigV4 credential scope and nothing
//! more; OpenTrail's own key registry turns a known key into a principal.
//!
//! | Caller | `userIdentity` written |
//! | --- | --- |
//! | a key in OpenTrail's registry | `IAMUser`: `principalId`, `arn`, `accountId`, `accessKeyId`, `userName` |
//! | any other key | `AWSAccount`: `accountId` decoded from the key id (see [`account_of_access_key_id`]), `accessKeyId`; marked as from outside the organisation |
//! | an unsigned request | `AWSAccount` with `accountId` `ANONYMOUS_PRINCIPAL` and an empty `principalId`, as S3 writes anonymous requests |
//!
//! **Outside the organisation [project decision].** The principals in OpenTrail's key
//! registry are the organisation. A call signed with any other key (or unsigned) carries
//! `additionalEventData.outsideOrganization: true` in its records, so trails, Lake
//! queries and rules can select such calls (`$.detail.additionalEventData.outsideOrganization`
//! in an EventBridge pattern, `json_extract_scalar(additionalEventData,
//! '$.outsideOrganization')` in Lake SQL). CloudTrail has no such member; it reduces an
//! external caller's `userIdentity` to `AWSAccount`, which OpenTrail does too.

use std::sync::Arc;

/// A principal of OpenTrail's key registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPrincipal {
    /// Its account.
    pub account_id: String,
    /// Its ARN.
    pub arn: String,
    /// The user name.
    pub user_name: String,
    /// The IAM-style unique id (`AIDA…`).
    pub principal_id: String,
}

/// The caller of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Signed with a key of the registry.
    Known {
        /// The access key id.
        access_key_id: String,
        /// Its principal.
        principal: Arc<KnownPrincipal>,
    },
    /// Signed with a key OpenTrail does not know.
    Unknown {
        /// The access key id.
        access_key_id: String,
        /// The account the key id names, when it is an AWS-format key id.
        account_id: Option<String>,
    },
    /// Not signed.
    Anonymous,
}

/// `userIdentity.accountId` of anonymous requests, as S3 writes it.
pub const ANONYMOUS_ACCOUNT: &str = "ANONYMOUS_PRINCIPAL";

impl Caller {
    /// The caller of a request signed with `access_key_id` (`None`: unsigned), given the
    /// registry's answer for that key.
    pub fn resolve(access_key_id: Option<&str>, known: Option<Arc<KnownPrincipal>>) -> Caller {
        match (access_key_id, known) {
            (None, _) => Caller::Anonymous,
            (Some(key), Some(principal)) => Caller::Known {
                access_key_id: key.to_owned(),
                principal,
            },
            (Some(key), None) => Caller::Unknown {
                access_key_id: key.to_owned(),
                account_id: account_of_access_key_id(key),
            },
        }
    }

    /// The caller's account, when known or decodable.
    pub fn account_id(&self) -> Option<&str> {
        match self {
            Caller::Known { principal, .. } => Some(&principal.account_id),
            Caller::Unknown { account_id, .. } => account_id.as_deref(),
            Caller::Anonymous => None,
        }
    }

    /// The caller's ARN, for a registry principal.
    pub fn arn(&self) -> Option<&str> {
        match self {
            Caller::Known { principal, .. } => Some(&principal.arn),
            Caller::Unknown { .. } | Caller::Anonymous => None,
        }
    }

    /// The access key id the request was signed with.
    pub fn access_key_id(&self) -> Option<&str> {
        match self {
            Caller::Known { access_key_id, .. } | Caller::Unknown { access_key_id, .. } => {
                Some(access_key_id)
            }
            Caller::Anonymous => None,
        }
    }

    /// Whether the call used credentials from outside the organisation (see the module
    /// documentation).
    pub fn outside_organization(&self) -> bool {
        !matches!(self, Caller::Known { .. })
    }
}

/// The account an AWS access key id belongs to, or `None` when `key` is not in AWS's
/// format.
///
/// AWS key ids made since 2018 encode their account: after the four-letter prefix
/// (`AKIA`, `ASIA`, ...) come 16 base32 characters (RFC 4648 alphabet); bits 1 to 40 of
/// the first six decoded bytes, shifted right by 7, are the 12-digit account id (the
/// answer `aws sts get-access-key-info` gives). Older keys and non-AWS key ids decode to
/// a number too, so this is what the key says, not a verified fact.
pub fn account_of_access_key_id(key: &str) -> Option<String> {
    const PREFIXES: [&str; 4] = ["AKIA", "ASIA", "AIDA", "AROA"];
    if key.len() != 20 || !PREFIXES.iter().any(|prefix| key.starts_with(prefix)) {
        return None;
    }
    // Ten base32 characters carry the first 50 bits: enough for the 48 that matter.
    let mut bits: u64 = 0;
    for character in key[4..14].bytes() {
        let value = match character {
            b'A'..=b'Z' => character - b'A',
            b'2'..=b'7' => character - b'2' + 26,
            _ => return None,
        };
        bits = (bits << 5) | u64::from(value);
    }
    // The top 48 of the 50 bits are the first six bytes.
    let first_six_bytes = bits >> 2;
    let account = (first_six_bytes & 0x7fff_ffff_ff80) >> 7;
    Some(format!("{account:012}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_key_ids_name_their_account() {
        // The example of the AWS security blog post on access key ids, whose answer from
        // `sts get-access-key-info` is published with it.
        assert_eq!(
            account_of_access_key_id("ASIAY34FZKBOKMUTVV7A").as_deref(),
            Some("609629065308")
        );
        assert_eq!(account_of_access_key_id("AKIA"), None);
        assert_eq!(account_of_access_key_id("XKIAY34FZKBOKMUTVV7A"), None);
        assert_eq!(account_of_access_key_id("AKIA0000000000000000"), None);
        assert_eq!(account_of_access_key_id("AKIAÉ34FZKBOKMUTVV7"), None);
    }

    #[test]
    fn only_registry_principals_are_inside_the_organization() {
        let principal = Arc::new(KnownPrincipal {
            account_id: String::from("111122223333"),
            arn: String::from("arn:aws:iam::111122223333:user/alice"),
            user_name: String::from("alice"),
            principal_id: String::from("AIDAEXAMPLE"),
        });
        let known = Caller::resolve(Some("AKIAKNOWN"), Some(principal));
        assert!(!known.outside_organization());
        assert_eq!(known.account_id(), Some("111122223333"));
        let unknown = Caller::resolve(Some("ASIAY34FZKBOKMUTVV7A"), None);
        assert!(unknown.outside_organization());
        assert_eq!(unknown.account_id(), Some("609629065308"));
        assert_eq!(unknown.arn(), None);
        assert!(Caller::resolve(None, None).outside_organization());
    }
}
