//! Server-side verification: [`Verifier::verify`] checks a request's signature in AWS's
//! order and says who signed it.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, Method, Uri};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::canonical::{
    CanonicalRequest, SCOPE_TERMINATOR, canonical_query, canonical_uri, credential_scope,
    sha256_hex, signature_hex, signing_key, string_to_sign, write_canonical_headers,
};
use crate::error::{AuthError, AuthErrorKind};
use crate::presented::{PARAM_SIGNATURE, PresentedSignature, SignatureLocation, parse_presented};
use crate::time::AmzDateTime;

/// The payload hash a presigned URL may use instead of hashing the body.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The clock skew AWS allows between a request's time and the server's: 15 minutes.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// What the server knows about an access key: its secret, and the session token it was
/// issued with, if it is a temporary credential.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    secret_access_key: String,
    session_token: Option<String>,
}

impl Secret {
    /// Returns the secret of a long-term key (no session token).
    pub fn new(secret_access_key: impl Into<String>) -> Secret {
        Secret {
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// Returns the secret of a temporary credential: requests must carry `session_token`.
    pub fn with_session_token(mut self, session_token: impl Into<String>) -> Secret {
        self.session_token = Some(session_token.into());
        self
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token requests must carry, if any.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Secret {
    /// Redacts both values: they are credentials.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Secret")
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Checks SigV4 signatures for one region and service.
///
/// ```
/// use opentrail_sigv4::Verifier;
/// use std::time::Duration;
///
/// let verifier = Verifier::new("us-east-1", "cloudtrail").with_max_skew(Duration::from_secs(300));
/// assert_eq!(verifier.max_skew(), Duration::from_secs(300));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verifier {
    region: String,
    service: String,
    max_skew: Duration,
    any_region: bool,
}

/// A request whose signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key ID that signed the request (known to the key lookup).
    pub access_key_id: String,
    /// The region of the credential scope (the verifier's, or the request's with
    /// [`Verifier::with_any_region`]).
    pub region: String,
    /// The service of the credential scope (the verifier's).
    pub service: String,
    /// The date of the credential scope, `YYYYMMDD`.
    pub scope_date: String,
    /// The request time the signature covers.
    pub request_time: AmzDateTime,
    /// Where the signature was presented.
    pub location: SignatureLocation,
    /// Whether the request carried a session token (and it matched the key's).
    pub has_session_token: bool,
}

impl Verifier {
    /// Returns a verifier for requests to `service` (the signing name, e.g. `cloudtrail`)
    /// in `region`, allowing [`DEFAULT_MAX_SKEW`] of clock skew.
    pub fn new(region: impl Into<String>, service: impl Into<String>) -> Verifier {
        Verifier {
            region: region.into(),
            service: service.into(),
            max_skew: DEFAULT_MAX_SKEW,
            any_region: false,
        }
    }

    /// Returns the verifier accepting a credential scope of any Region (any name shaped
    /// like `us-east-1`), not only its own: one server answers for every Region, as the
    /// requests' Region decides which trails are home and which are shadows.
    /// [`Verified::region`] tells which Region a request was signed for.
    pub fn with_any_region(mut self) -> Verifier {
        self.any_region = true;
        self
    }

    /// Returns the verifier allowing `max_skew` between a request's time and now. Sub-second
    /// parts are ignored: request times have whole seconds.
    pub fn with_max_skew(mut self, max_skew: Duration) -> Verifier {
        self.max_skew = Duration::from_secs(max_skew.as_secs());
        self
    }

    /// The region requests must be scoped to.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service requests must be scoped to.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The allowed clock skew.
    pub fn max_skew(&self) -> Duration {
        self.max_skew
    }

    /// Verifies the request in `parts` with `body`; see [`Verifier::verify`].
    ///
    /// # Errors
    ///
    /// As [`Verifier::verify`].
    pub fn verify_parts(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
        now_epoch_ms: i64,
        lookup_secret: impl FnOnce(&str) -> Option<Secret>,
    ) -> Result<Verified, AuthError> {
        self.verify(
            &parts.method,
            &parts.uri,
            &parts.headers,
            body,
            now_epoch_ms,
            lookup_secret,
        )
    }

    /// Verifies the SigV4 signature of a request at `now_epoch_ms` (milliseconds since the
    /// Unix epoch), with `lookup_secret` giving the secret of an access key ID (`None` for an
    /// unknown key). `body` is hashed for the payload hash; an `x-amz-content-sha256`
    /// header, when present, must be the hex SHA-256 of `body` (or `UNSIGNED-PAYLOAD` on a
    /// presigned URL) and is what the signature covers.
    ///
    /// Checks run in AWS's order, so a request with several defects gets the error AWS
    /// would give: no signature; malformed signature; expired or not yet current; `host`
    /// not signed; wrong credential scope; unknown access key (looked up only now, before
    /// any signature is computed); payload hash; signature; session token.
    ///
    /// # Errors
    ///
    /// Returns an [`AuthError`] of the matching [`AuthErrorKind`], carrying the presented
    /// access key ID once it could be read.
    pub fn verify(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        now_epoch_ms: i64,
        lookup_secret: impl FnOnce(&str) -> Option<Secret>,
    ) -> Result<Verified, AuthError> {
        let Some(presented) = parse_presented(uri, headers)? else {
            return Err(AuthError::new(
                AuthErrorKind::MissingAuthenticationToken,
                "Request is missing Authentication Token",
            ));
        };
        let with_key = |error: AuthError| error.with_access_key_id(presented.access_key_id());
        self.check_time(&presented, now_epoch_ms)
            .map_err(with_key)?;
        check_host_is_signed(&presented).map_err(with_key)?;
        self.check_scope(&presented).map_err(with_key)?;
        let Some(secret) = lookup_secret(presented.access_key_id()) else {
            return Err(with_key(AuthError::new(
                AuthErrorKind::UnrecognizedClient,
                "The security token included in the request is invalid.",
            )));
        };
        let payload_hash = payload_hash(&presented, body).map_err(with_key)?;
        check_signature(&presented, method, uri, headers, &payload_hash, &secret)
            .map_err(with_key)?;
        check_session_token(&presented, &secret).map_err(with_key)?;
        Ok(Verified {
            access_key_id: presented.access_key_id,
            region: presented.region,
            service: presented.service,
            scope_date: presented.scope_date,
            request_time: presented.request_time,
            location: presented.location,
            has_session_token: presented.session_token.is_some(),
        })
    }

    /// A header signature is valid within `max_skew` of now on either side; a presigned URL
    /// from its `X-Amz-Date` (not more than `max_skew` ahead) until `X-Amz-Expires` seconds
    /// later.
    fn check_time(
        &self,
        presented: &PresentedSignature,
        now_epoch_ms: i64,
    ) -> Result<(), AuthError> {
        // Whole seconds on both sides: request times have no fractions, and the messages
        // print seconds, so "T is now earlier than T" can never be reported.
        let skew_secs = i64::try_from(self.max_skew.as_secs()).unwrap_or(i64::MAX);
        let now_secs = now_epoch_ms.div_euclid(1000);
        let request_secs = presented.request_time.epoch_seconds();
        let now_text = describe_epoch_secs(now_secs);
        let skew_text = describe_skew(skew_secs);
        let latest_allowed = now_secs.saturating_add(skew_secs);
        if request_secs > latest_allowed {
            return Err(AuthError::new(
                AuthErrorKind::SignatureNotYetCurrent,
                format!(
                    "Signature not yet current: {} is still later than {} ({now_text} + \
                     {skew_text})",
                    presented.request_time,
                    describe_epoch_secs(latest_allowed),
                ),
            ));
        }
        let earliest_allowed = now_secs.saturating_sub(skew_secs);
        match presented.expires_secs {
            None if request_secs < earliest_allowed => Err(AuthError::new(
                AuthErrorKind::SignatureExpired,
                format!(
                    "Signature expired: {} is now earlier than {} ({now_text} - {skew_text})",
                    presented.request_time,
                    describe_epoch_secs(earliest_allowed),
                ),
            )),
            // AWS documents no message for an expired presigned URL on JSON services (S3
            // answers `AccessDenied: Request has expired`); keep the "Signature expired"
            // prefix SDKs recognise and name X-Amz-Expires.
            Some(expires_secs) if request_secs + i64::from(expires_secs) < now_secs => {
                Err(AuthError::new(
                    AuthErrorKind::SignatureExpired,
                    format!(
                        "Signature expired: {} + {expires_secs} sec. (X-Amz-Expires) is now \
                         earlier than {now_text}",
                        presented.request_time,
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Every scope mismatch is reported at once, each sentence as AWS words it.
    fn check_scope(&self, presented: &PresentedSignature) -> Result<(), AuthError> {
        let mut message = String::new();
        let region_ok = if self.any_region {
            is_region_name(&presented.region)
        } else {
            presented.region == self.region
        };
        if !region_ok {
            message.push_str(&format!(
                "Credential should be scoped to a valid region, not '{}'. ",
                presented.region
            ));
        }
        if presented.service != self.service {
            message.push_str(&format!(
                "Credential should be scoped to correct service: '{}'. ",
                self.service
            ));
        }
        if presented.terminator != SCOPE_TERMINATOR {
            message.push_str(&format!(
                "Credential should be scoped with a valid terminator: '{SCOPE_TERMINATOR}', \
                 not '{}'. ",
                presented.terminator
            ));
        }
        let request_date = presented.request_time.date_stamp();
        if presented.scope_date != request_date {
            message.push_str(&format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of \
                 date from HTTP: '{}' != '{request_date}', from '{}'.",
                presented.scope_date, presented.request_time_text
            ));
        }
        if message.is_empty() {
            Ok(())
        } else {
            Err(AuthError::new(
                AuthErrorKind::InvalidCredentialScope,
                message,
            ))
        }
    }
}

fn check_host_is_signed(presented: &PresentedSignature) -> Result<(), AuthError> {
    if presented.signed_headers.iter().any(|name| name == "host") {
        Ok(())
    } else {
        Err(AuthError::new(
            AuthErrorKind::InvalidSignature,
            "'Host' must be a 'SignedHeader' in the AWS Authorization.",
        ))
    }
}

/// Returns the payload hash the signature covers: the body's SHA-256, or the
/// `x-amz-content-sha256` value once it is checked against the body.
fn payload_hash(presented: &PresentedSignature, body: &[u8]) -> Result<String, AuthError> {
    let Some(claimed) = presented.content_sha256.as_deref() else {
        return Ok(sha256_hex(body));
    };
    if claimed == UNSIGNED_PAYLOAD {
        return match presented.location {
            SignatureLocation::Query => Ok(claimed.to_owned()),
            SignatureLocation::Header => Err(AuthError::new(
                AuthErrorKind::InvalidSignature,
                "UNSIGNED-PAYLOAD is accepted only on presigned URLs.",
            )),
        };
    }
    let mut claimed_digest = [0_u8; 32];
    if hex::decode_to_slice(claimed, &mut claimed_digest).is_err() {
        return Err(AuthError::new(
            AuthErrorKind::IncompleteSignature,
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.",
        ));
    }
    let body_digest: [u8; 32] = Sha256::digest(body).into();
    if body_digest != claimed_digest {
        return Err(AuthError::new(
            AuthErrorKind::InvalidSignature,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        ));
    }
    Ok(claimed.to_owned())
}

fn check_signature(
    presented: &PresentedSignature,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    payload_hash: &str,
    secret: &Secret,
) -> Result<(), AuthError> {
    let excluded_keys: &[&str] = match presented.location {
        SignatureLocation::Query => &[PARAM_SIGNATURE],
        SignatureLocation::Header => &[],
    };
    let mut header_block = Vec::new();
    if let Err(missing) = write_canonical_headers(
        &mut header_block,
        &presented.signed_headers,
        headers,
        uri.authority().map(|authority| authority.as_str()),
    ) {
        return Err(AuthError::new(
            AuthErrorKind::InvalidSignature,
            format!(
                "'{}' is listed in SignedHeaders but is not present in the request.",
                missing.0
            ),
        ));
    }
    let canonical_request = CanonicalRequest {
        method: method.as_str(),
        uri: &canonical_uri(uri.path()),
        query: &canonical_query(&presented.query, excluded_keys),
        headers: &header_block,
        signed_headers: &presented.signed_headers_text,
        payload_hash,
    }
    .to_bytes();
    let scope = credential_scope(&presented.scope_date, &presented.region, &presented.service);
    let key = signing_key(
        secret.secret_access_key(),
        &presented.scope_date,
        &presented.region,
        &presented.service,
    );
    let expected = signature_hex(
        &key,
        &string_to_sign(presented.request_time, &scope, &canonical_request),
    );
    // Constant time: a byte-by-byte early exit would let a client find the signature one
    // byte at a time. Lengths are public (always 64), so a length mismatch may exit early.
    if bool::from(expected.as_bytes().ct_eq(presented.signature.as_bytes())) {
        Ok(())
    } else {
        Err(AuthError::new(
            AuthErrorKind::SignatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details.",
        ))
    }
}

/// A temporary credential must present its session token; a long-term key must present
/// none. Checked after the signature, as AWS does, so the token check cannot be used to
/// probe tokens without a valid signature.
fn check_session_token(presented: &PresentedSignature, secret: &Secret) -> Result<(), AuthError> {
    let matches = match (presented.session_token(), secret.session_token()) {
        (None, None) => true,
        (Some(presented), Some(issued)) => {
            bool::from(presented.as_bytes().ct_eq(issued.as_bytes()))
        }
        _ => false,
    };
    if matches {
        Ok(())
    } else {
        Err(AuthError::new(
            AuthErrorKind::InvalidSecurityToken,
            "The security token included in the request is invalid",
        ))
    }
}

/// Formats `epoch_secs` as `YYYYMMDDTHHMMSSZ` for a message, or the raw number when it is
/// outside years 0000-9999.
fn describe_epoch_secs(epoch_secs: i64) -> String {
    match AmzDateTime::from_epoch_seconds(epoch_secs) {
        Some(instant) => instant.to_string(),
        None => format!("{epoch_secs} s since the epoch"),
    }
}

/// Writes the skew as AWS does (`15 min.`), falling back to seconds for odd values.
fn describe_skew(skew_secs: i64) -> String {
    if skew_secs % 60 == 0 {
        format!("{} min.", skew_secs / 60)
    } else {
        format!("{skew_secs} sec.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_redacts_credentials() {
        let secret = Secret::new("very-secret").with_session_token("token-value");
        let shown = format!("{secret:?}");
        assert!(!shown.contains("very-secret"));
        assert!(!shown.contains("token-value"));
    }

    #[test]
    fn skew_is_described_like_aws() {
        assert_eq!(describe_skew(900), "15 min.");
        assert_eq!(describe_skew(300), "5 min.");
        assert_eq!(describe_skew(90), "90 sec.");
    }

    #[test]
    fn with_max_skew_drops_sub_second_parts() {
        let verifier = Verifier::new("r", "s").with_max_skew(Duration::from_millis(1500));
        assert_eq!(verifier.max_skew(), Duration::from_secs(1));
        assert_eq!(Verifier::new("r", "s").max_skew(), DEFAULT_MAX_SKEW);
    }
}

/// Whether `text` is shaped like a Region name: lowercase words joined by `-`, ending in a
/// number (`us-east-1`, `us-gov-west-1`, `eu-central-2`).
fn is_region_name(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && text.len() <= 32
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|last| last.bytes().all(|byte| byte.is_ascii_digit()))
}

#[cfg(test)]
mod region_tests {
    use super::is_region_name;

    #[test]
    fn region_names() {
        for good in [
            "us-east-1",
            "us-gov-west-1",
            "eu-central-2",
            "ap-southeast-4",
        ] {
            assert!(is_region_name(good), "{good}");
        }
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "us--1",
            "us-east-x",
            "useast1",
            "us-east-1-",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }
}
