//! Errors: [`AuthError`] for a request that fails verification (what the client sees), and
//! [`SignError`] for a request we cannot sign (a local mistake of the caller).

use std::fmt;

/// Why a request failed SigV4 verification.
///
/// Several kinds share one AWS error code: [`AuthErrorKind::aws_code`] gives the exception
/// name for the `__type` of the JSON error body and [`AuthErrorKind::http_status`] the
/// status. The finer kinds let the server log and count failures without reading messages.
///
/// Codes, statuses and messages follow what AWS's JSON 1.1 services (DynamoDB, Kinesis,
/// CloudTrail, ECS, CloudWatch Logs: all on the same front end) return, which differs from
/// the generic "Common Errors" page of the API references (that page lists the Query
/// protocol's `MissingAuthenticationToken`/`InvalidClientTokenId` with 403). Sources:
/// - the order of the checks and the message texts: the comments in dynalite's `index.js`
///   (<https://github.com/architect/dynalite/blob/main/index.js>), recorded from DynamoDB,
///   and its `test/connection.js`, which asserts status 400 for
///   `MissingAuthenticationTokenException` and `IncompleteSignatureException`;
/// - status 400 for `InvalidSignatureException` ("Signature expired ...", "The request
///   signature we calculated does not match ...") and `UnrecognizedClientException`:
///   SDK error logs quoted in aws/aws-sdk-js#254, teralytics/prometheus-ecs-discovery#7,
///   yegor256/s3auth#237 and maxbanton/cwh#119.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The request carries no SigV4 signature at all (no `Authorization: AWS4-...` header and
    /// no presigned query parameters).
    MissingAuthenticationToken,
    /// The signature is malformed: a missing or unparsable part, an unsupported algorithm,
    /// a date not in ISO 8601 basic format, or a request over our size bounds.
    IncompleteSignature,
    /// The signature does not match the one we computed.
    SignatureDoesNotMatch,
    /// The request time is older than the allowed skew, or a presigned URL has expired.
    SignatureExpired,
    /// The request time is further in the future than the allowed skew.
    SignatureNotYetCurrent,
    /// The credential scope names another region, service, terminator or date.
    InvalidCredentialScope,
    /// Another signature defect AWS reports as `InvalidSignatureException`: `host` not
    /// signed, a signed header missing from the request, a payload hash that does not match
    /// the body.
    InvalidSignature,
    /// The access key ID is not known.
    UnrecognizedClient,
    /// The request carries a session token the key was not issued with, or lacks the one it
    /// was issued with.
    InvalidSecurityToken,
}

impl AuthErrorKind {
    /// Returns the AWS exception name, as written in the `__type` of the JSON error body.
    pub const fn aws_code(self) -> &'static str {
        match self {
            AuthErrorKind::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            AuthErrorKind::IncompleteSignature => "IncompleteSignatureException",
            AuthErrorKind::SignatureDoesNotMatch
            | AuthErrorKind::SignatureExpired
            | AuthErrorKind::SignatureNotYetCurrent
            | AuthErrorKind::InvalidCredentialScope
            | AuthErrorKind::InvalidSignature => "InvalidSignatureException",
            AuthErrorKind::UnrecognizedClient | AuthErrorKind::InvalidSecurityToken => {
                "UnrecognizedClientException"
            }
        }
    }

    /// Returns the HTTP status AWS's JSON 1.1 services send with this error: 400 for all of
    /// them (see the type's documentation for the sources).
    pub const fn http_status(self) -> u16 {
        400
    }
}

impl fmt::Display for AuthErrorKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.aws_code())
    }
}

/// A request that failed SigV4 verification.
///
/// The message is the client-facing text and follows AWS's own wording (so it is
/// capitalised and may end with a period, unlike our internal error texts); clients branch
/// on [`AuthError::kind`], never on the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct AuthError {
    kind: AuthErrorKind,
    message: String,
    access_key_id: Option<String>,
}

impl AuthError {
    /// Returns an error of `kind` with the client-facing `message`.
    pub fn new(kind: AuthErrorKind, message: impl Into<String>) -> AuthError {
        AuthError {
            kind,
            message: message.into(),
            access_key_id: None,
        }
    }

    /// Returns the error with the access key ID the request presented.
    pub fn with_access_key_id(mut self, access_key_id: impl Into<String>) -> AuthError {
        self.access_key_id = Some(access_key_id.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// The client-facing message, in AWS's wording.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The access key ID the request presented, when it could be parsed. The key may be
    /// unknown (see [`AuthErrorKind::UnrecognizedClient`]): look it up before attributing
    /// the failed call to an identity.
    pub fn access_key_id(&self) -> Option<&str> {
        self.access_key_id.as_deref()
    }

    /// Returns the AWS exception name: shorthand for `self.kind().aws_code()`.
    pub fn aws_code(&self) -> &'static str {
        self.kind.aws_code()
    }

    /// Returns the HTTP status: shorthand for `self.kind().http_status()`.
    pub fn http_status(&self) -> u16 {
        self.kind.http_status()
    }
}

/// A request that [`sign`](crate::sign) cannot sign.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The request has neither a `Host` header nor an authority in its URI.
    #[error("request has no `host` header and no authority in its uri")]
    MissingHost,
    /// A signing parameter would not fit in the credential scope or a header.
    #[error("invalid {name} `{value}`: {reason}")]
    InvalidParameter {
        /// The parameter (`access key id`, `region`, `service`, `session token`).
        name: &'static str,
        /// The value given.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The signing time cannot be written as `YYYYMMDDTHHMMSSZ` (before year 0 or after 9999).
    #[error("signing time `{epoch_ms}` ms since the epoch is outside years 0000-9999")]
    TimeOutOfRange {
        /// The time given, in milliseconds since the Unix epoch.
        epoch_ms: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_json_1_1_codes_with_status_400() {
        let expected = [
            (
                AuthErrorKind::MissingAuthenticationToken,
                "MissingAuthenticationTokenException",
            ),
            (
                AuthErrorKind::IncompleteSignature,
                "IncompleteSignatureException",
            ),
            (
                AuthErrorKind::SignatureDoesNotMatch,
                "InvalidSignatureException",
            ),
            (AuthErrorKind::SignatureExpired, "InvalidSignatureException"),
            (
                AuthErrorKind::SignatureNotYetCurrent,
                "InvalidSignatureException",
            ),
            (
                AuthErrorKind::InvalidCredentialScope,
                "InvalidSignatureException",
            ),
            (AuthErrorKind::InvalidSignature, "InvalidSignatureException"),
            (
                AuthErrorKind::UnrecognizedClient,
                "UnrecognizedClientException",
            ),
            (
                AuthErrorKind::InvalidSecurityToken,
                "UnrecognizedClientException",
            ),
        ];
        for (kind, code) in expected {
            assert_eq!(kind.aws_code(), code);
            assert_eq!(kind.http_status(), 400);
            assert_eq!(kind.to_string(), code);
        }
    }

    #[test]
    fn auth_error_carries_access_key_id_and_displays_code_and_message() {
        let error = AuthError::new(AuthErrorKind::UnrecognizedClient, "nope.")
            .with_access_key_id("AKIDEXAMPLE");
        assert_eq!(error.access_key_id(), Some("AKIDEXAMPLE"));
        assert_eq!(error.aws_code(), "UnrecognizedClientException");
        assert_eq!(error.http_status(), 400);
        assert_eq!(error.to_string(), "UnrecognizedClientException: nope.");
    }
}
