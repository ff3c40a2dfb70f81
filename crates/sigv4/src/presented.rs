//! Reading the signature a request presents, without checking it: the `Authorization`
//! header or the presigned query parameters. Needs no key and no clock, so a proxy that only
//! wants the access key, region and service can use it alone.

use http::{HeaderMap, Uri};

use crate::canonical::{ALGORITHM, QueryPair, parse_query};
use crate::error::{AuthError, AuthErrorKind};
use crate::time::AmzDateTime;

/// The longest `Authorization` header we parse, in bytes. A real one is a few hundred bytes;
/// 64 signed headers of 100 characters still fit.
pub const MAX_AUTHORIZATION_BYTES: usize = 8 * 1024;
/// The most signed headers we accept.
pub const MAX_SIGNED_HEADERS: usize = 64;
/// The longest query string we canonicalise, in bytes. (The `http` crate already refuses
/// URIs over 64 KiB; signed AWS calls carry a few hundred bytes at most.)
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// The longest session token we accept, in bytes (STS tokens run to about 2 KB).
pub const MAX_SESSION_TOKEN_BYTES: usize = 8 * 1024;
/// The longest validity a presigned URL may claim: seven days, in seconds.
pub const MAX_PRESIGNED_EXPIRES_SECS: u32 = 604_800;

pub(crate) const HEADER_AUTHORIZATION: &str = "authorization";
pub(crate) const HEADER_X_AMZ_DATE: &str = "x-amz-date";
pub(crate) const HEADER_DATE: &str = "date";
pub(crate) const HEADER_X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
pub(crate) const HEADER_X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";

pub(crate) const PARAM_ALGORITHM: &str = "X-Amz-Algorithm";
pub(crate) const PARAM_CREDENTIAL: &str = "X-Amz-Credential";
pub(crate) const PARAM_DATE: &str = "X-Amz-Date";
pub(crate) const PARAM_EXPIRES: &str = "X-Amz-Expires";
pub(crate) const PARAM_SIGNED_HEADERS: &str = "X-Amz-SignedHeaders";
pub(crate) const PARAM_SIGNATURE: &str = "X-Amz-Signature";
pub(crate) const PARAM_SECURITY_TOKEN: &str = "X-Amz-Security-Token";
pub(crate) const PARAM_CONTENT_SHA256: &str = "X-Amz-Content-Sha256";

/// Where the signature was presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureLocation {
    /// The `Authorization` header.
    Header,
    /// Presigned URL query parameters (`X-Amz-Signature` and friends).
    Query,
}

/// The signature a request presents, parsed but not verified.
///
/// From the `Authorization` header
/// (`AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cloudtrail/aws4_request,
/// SignedHeaders=host;x-amz-date, Signature=<64 hex>`), with the request time from
/// `X-Amz-Date` or, failing that, `Date` (both in `YYYYMMDDTHHMMSSZ`); or from a presigned
/// URL's `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders` and `X-Amz-Signature` query parameters. See
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html>.
#[derive(Clone, PartialEq, Eq)]
pub struct PresentedSignature {
    pub(crate) location: SignatureLocation,
    pub(crate) access_key_id: String,
    pub(crate) scope_date: String,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) terminator: String,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signed_headers_text: String,
    pub(crate) signature: String,
    pub(crate) request_time: AmzDateTime,
    pub(crate) request_time_text: String,
    pub(crate) expires_secs: Option<u32>,
    pub(crate) session_token: Option<String>,
    pub(crate) content_sha256: Option<String>,
    /// The decoded query pairs, kept for the canonical query string.
    pub(crate) query: Vec<QueryPair>,
}

impl std::fmt::Debug for PresentedSignature {
    /// Leaves out the session token, a bearer credential that must not reach logs.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("PresentedSignature")
            .field("location", &self.location)
            .field("access_key_id", &self.access_key_id)
            .field("scope_date", &self.scope_date)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("terminator", &self.terminator)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .field("request_time", &self.request_time_text)
            .field("expires_secs", &self.expires_secs)
            .field("has_session_token", &self.session_token.is_some())
            .finish_non_exhaustive()
    }
}

impl PresentedSignature {
    /// Where the signature was presented.
    pub fn location(&self) -> SignatureLocation {
        self.location
    }

    /// The access key ID of the credential scope. Not checked: it may be unknown.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The date of the credential scope, as presented (normally `YYYYMMDD`; not checked).
    pub fn scope_date(&self) -> &str {
        &self.scope_date
    }

    /// The region of the credential scope, as presented.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service (signing name) of the credential scope, as presented.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The signed header names: lowercase, sorted, unique.
    pub fn signed_headers(&self) -> &[String] {
        &self.signed_headers
    }

    /// The signature as presented (normally 64 lowercase hex digits; not checked).
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The request time: `X-Amz-Date` (header or query) or the `Date` header.
    pub fn request_time(&self) -> AmzDateTime {
        self.request_time
    }

    /// The validity of a presigned URL in seconds (`X-Amz-Expires`); `None` for the header
    /// form, which is valid within the verifier's clock skew instead.
    pub fn expires_secs(&self) -> Option<u32> {
        self.expires_secs
    }

    /// The session token (`X-Amz-Security-Token` header or query parameter), if any.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

/// Reads the SigV4 signature `uri` and `headers` present, without verifying it.
///
/// Returns `None` when the request carries no SigV4 signature at all: no `Authorization`
/// header starting with `AWS4-` and no `X-Amz-Algorithm`, `X-Amz-Credential` or
/// `X-Amz-Signature` query parameter. (AWS answers such a request with
/// `MissingAuthenticationTokenException`; [`Verifier::verify`](crate::Verifier::verify)
/// does too.)
///
/// # Errors
///
/// Returns [`AuthErrorKind::IncompleteSignature`] for a malformed signature, in AWS's order
/// of checks: missing `Credential`, `Signature` or `SignedHeaders` (or missing date), a date
/// not in `YYYYMMDDTHHMMSSZ`, an algorithm other than `AWS4-HMAC-SHA256`, a credential that
/// is not five `/`-separated parts, a bad `SignedHeaders` list, bad `X-Amz-Expires`, both an
/// `Authorization` header and presigned parameters, or input over the bounds
/// ([`MAX_AUTHORIZATION_BYTES`], [`MAX_SIGNED_HEADERS`], [`MAX_QUERY_BYTES`],
/// [`MAX_SESSION_TOKEN_BYTES`]). Errors found after the credential was read carry its
/// access key ID.
pub fn parse_presented(
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Option<PresentedSignature>, AuthError> {
    let raw_query = uri.query().unwrap_or("");
    let has_presigned_parameters = [PARAM_ALGORITHM, PARAM_CREDENTIAL, PARAM_SIGNATURE]
        .iter()
        .any(|name| query_mentions_key(raw_query, name));
    let authorization = sigv4_authorization_header(headers)?;
    match (authorization, has_presigned_parameters) {
        (Some(_), true) => Err(incomplete(
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or \
             the Authorization header should be specified",
        )),
        (Some(authorization), false) => {
            parse_authorization_header(authorization, raw_query, headers).map(Some)
        }
        (None, true) => parse_presigned_query(raw_query, headers).map(Some),
        (None, false) => Ok(None),
    }
}

/// Returns the `Authorization` header when it claims SigV4 (starts with `AWS4-` once
/// trimmed, as AWS tests it: a bare `AWS4` is "missing", `AWS4-` is "incomplete").
fn sigv4_authorization_header(headers: &HeaderMap) -> Result<Option<&str>, AuthError> {
    let mut values = headers.get_all(HEADER_AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    let bytes = value.as_bytes().trim_ascii();
    if !bytes.starts_with(b"AWS4-") {
        return Ok(None);
    }
    if values.next().is_some() {
        return Err(incomplete(
            "The request must contain exactly one Authorization header.",
        ));
    }
    if bytes.len() > MAX_AUTHORIZATION_BYTES {
        return Err(incomplete(format!(
            "Authorization header is {} bytes long; the limit is {MAX_AUTHORIZATION_BYTES}.",
            bytes.len()
        )));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(_) => Err(incomplete("Authorization header must be valid UTF-8.")),
    }
}

/// Returns whether `key` appears as a raw (undecoded) key of `query`. A client always sends
/// the presigned parameter names unencoded; this cheap test decides whether to parse.
fn query_mentions_key(query: &str, key: &str) -> bool {
    query
        .split('&')
        .any(|piece| piece.split_once('=').map_or(piece, |(name, _)| name) == key)
}

fn parse_authorization_header(
    authorization: &str,
    raw_query: &str,
    headers: &HeaderMap,
) -> Result<PresentedSignature, AuthError> {
    // `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`: the algorithm,
    // then `key=value` components separated by commas and/or spaces. AWS splits on both:
    // `Credential=AKID /2015...` (a stray space) is reported as "'/2015...' not a valid
    // key=value pair" (aws/aws-sdk-go#289).
    let (algorithm, components) = authorization
        .split_once(|character: char| character.is_ascii_whitespace())
        .unwrap_or((authorization, ""));
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    let separators = |character: char| character == ',' || character.is_ascii_whitespace();
    for component in components.split(separators) {
        if component.is_empty() {
            continue;
        }
        let Some((key, value)) = component.split_once('=') else {
            return Err(incomplete(format!(
                "'{component}' not a valid key=value pair (missing equal-sign) in \
                 Authorization header: '{authorization}'."
            )));
        };
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            // AWS ignores components it does not know; so do we.
            _ => continue,
        };
        if slot.is_some() {
            return Err(incomplete(format!(
                "Authorization header has more than one '{key}' parameter. \
                 Authorization={authorization}"
            )));
        }
        *slot = Some(value);
    }

    let date = request_date_header(headers)?;
    // Credential and Signature must be non-empty; SignedHeaders may be empty here and is
    // refused later for not naming `host`, as AWS does.
    let credential = credential.filter(|value| !value.is_empty());
    let signature = signature.filter(|value| !value.is_empty());
    let mut missing = String::new();
    for (name, present) in [
        ("Credential", credential.is_some()),
        ("Signature", signature.is_some()),
        ("SignedHeaders", signed_headers.is_some()),
    ] {
        if !present {
            missing.push_str(&format!(
                "Authorization header requires '{name}' parameter. "
            ));
        }
    }
    if date.is_none() {
        missing.push_str(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' \
             header. ",
        );
    }
    let (Some(credential), Some(signature), Some(signed_headers), Some(date)) =
        (credential, signature, signed_headers, date)
    else {
        return Err(incomplete(format!(
            "{missing}Authorization={authorization}"
        )));
    };

    let request_time = parse_request_time(date)?;
    check_algorithm(algorithm)?;
    let scope = parse_credential(credential)?;
    let with_key = |error: AuthError| error.with_access_key_id(scope.access_key_id);
    let signed_header_names = parse_signed_headers(signed_headers).map_err(with_key)?;
    let session_token =
        single_header_text(headers, HEADER_X_AMZ_SECURITY_TOKEN).map_err(with_key)?;
    let content_sha256 =
        single_header_text(headers, HEADER_X_AMZ_CONTENT_SHA256).map_err(with_key)?;
    let query = parse_bounded_query(raw_query).map_err(with_key)?;
    Ok(PresentedSignature {
        location: SignatureLocation::Header,
        access_key_id: scope.access_key_id.to_owned(),
        scope_date: scope.date.to_owned(),
        region: scope.region.to_owned(),
        service: scope.service.to_owned(),
        terminator: scope.terminator.to_owned(),
        signed_headers: signed_header_names,
        signed_headers_text: signed_headers.to_owned(),
        signature: signature.to_owned(),
        request_time,
        request_time_text: date.to_owned(),
        expires_secs: None,
        session_token,
        content_sha256,
        query,
    })
}

/// Returns `X-Amz-Date`, or `Date` when there is no `X-Amz-Date` (AWS's fallback).
fn request_date_header(headers: &HeaderMap) -> Result<Option<&str>, AuthError> {
    let value = match headers.get(HEADER_X_AMZ_DATE) {
        Some(value) => value,
        None => match headers.get(HEADER_DATE) {
            Some(value) => value,
            None => return Ok(None),
        },
    };
    match value.to_str() {
        Ok(text) => Ok(Some(text.trim())),
        Err(_) => Err(date_not_basic_format(&String::from_utf8_lossy(
            value.as_bytes(),
        ))),
    }
}

fn parse_request_time(text: &str) -> Result<AmzDateTime, AuthError> {
    AmzDateTime::parse(text).ok_or_else(|| date_not_basic_format(text))
}

fn date_not_basic_format(text: &str) -> AuthError {
    // Echo at most a short prefix: the value is the client's and may be long.
    let shown: String = text.chars().take(64).collect();
    incomplete(format!(
        "Date must be in ISO-8601 'basic format'. Got '{shown}'. See \
         http://en.wikipedia.org/wiki/ISO_8601"
    ))
}

fn check_algorithm(algorithm: &str) -> Result<(), AuthError> {
    if algorithm == ALGORITHM {
        Ok(())
    } else {
        Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{algorithm}' (only AWS4-HMAC-SHA256 for now). "
        )))
    }
}

/// The five parts of `X-Amz-Credential` / `Credential=`.
struct Scope<'a> {
    access_key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    terminator: &'a str,
}

/// Splits `AKID/YYYYMMDD/region/service/aws4_request`; trailing slashes are ignored, as AWS
/// ignores them.
fn parse_credential(credential: &str) -> Result<Scope<'_>, AuthError> {
    let trimmed = credential.trim_end_matches('/');
    let parts: Vec<&str> = trimmed.splitn(6, '/').collect();
    let [access_key_id, date, region, service, terminator] = parts.as_slice() else {
        return Err(incomplete(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. \
             keyid/date/region/service/term, got '{credential}'"
        )));
    };
    Ok(Scope {
        access_key_id,
        date,
        region,
        service,
        terminator,
    })
}

/// Splits `SignedHeaders`: `;`-separated, lowercase, sorted and unique, at most
/// [`MAX_SIGNED_HEADERS`]. An empty list is allowed here (the `host` check rejects it).
fn parse_signed_headers(text: &str) -> Result<Vec<String>, AuthError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut names: Vec<String> = Vec::new();
    for name in text.split(';') {
        if names.len() == MAX_SIGNED_HEADERS {
            return Err(incomplete(format!(
                "SignedHeaders lists more than {MAX_SIGNED_HEADERS} headers."
            )));
        }
        let is_token = !name.is_empty()
            && name.bytes().all(|byte| {
                byte.is_ascii_lowercase()
                    || byte.is_ascii_digit()
                    || b"!#$%&'*+-.^_`|~".contains(&byte)
            });
        if !is_token {
            return Err(incomplete(format!(
                "SignedHeaders must be lowercase header names separated by ';', got '{text}'."
            )));
        }
        if names
            .last()
            .is_some_and(|previous| previous.as_str() >= name)
        {
            return Err(incomplete(format!(
                "SignedHeaders must be sorted and must not repeat a header, got '{text}'."
            )));
        }
        names.push(name.to_owned());
    }
    Ok(names)
}

/// Returns the one value of header `name` as text, `None` without it. Repeated or
/// non-ASCII values, or values over [`MAX_SESSION_TOKEN_BYTES`], are refused.
fn single_header_text(headers: &HeaderMap, name: &str) -> Result<Option<String>, AuthError> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(incomplete(format!(
            "The request must not contain more than one '{name}' header."
        )));
    }
    if value.len() > MAX_SESSION_TOKEN_BYTES {
        return Err(incomplete(format!(
            "The '{name}' header is {} bytes long; the limit is {MAX_SESSION_TOKEN_BYTES}.",
            value.len()
        )));
    }
    match value.to_str() {
        Ok(text) => Ok(Some(text.trim().to_owned())),
        Err(_) => Err(incomplete(format!(
            "The '{name}' header must contain only ASCII characters."
        ))),
    }
}

fn parse_bounded_query(raw_query: &str) -> Result<Vec<QueryPair>, AuthError> {
    if raw_query.len() > MAX_QUERY_BYTES {
        return Err(incomplete(format!(
            "The query string is {} bytes long; the limit for signed requests is \
             {MAX_QUERY_BYTES}.",
            raw_query.len()
        )));
    }
    Ok(parse_query(raw_query))
}

fn parse_presigned_query(
    raw_query: &str,
    headers: &HeaderMap,
) -> Result<PresentedSignature, AuthError> {
    let query = parse_bounded_query(raw_query)?;
    let algorithm = single_query_value(&query, PARAM_ALGORITHM)?;
    let credential = single_query_value(&query, PARAM_CREDENTIAL)?;
    let date = single_query_value(&query, PARAM_DATE)?;
    let expires = single_query_value(&query, PARAM_EXPIRES)?;
    let signed_headers = single_query_value(&query, PARAM_SIGNED_HEADERS)?;
    let signature = single_query_value(&query, PARAM_SIGNATURE)?;
    let mut missing = String::new();
    for (name, present) in [
        (PARAM_ALGORITHM, algorithm.is_some()),
        (PARAM_CREDENTIAL, credential.is_some()),
        (PARAM_SIGNATURE, signature.is_some()),
        (PARAM_SIGNED_HEADERS, signed_headers.is_some()),
        (PARAM_DATE, date.is_some()),
        (PARAM_EXPIRES, expires.is_some()),
    ] {
        if !present {
            missing.push_str(&format!(
                "AWS query-string parameters must include '{name}'. "
            ));
        }
    }
    let (
        Some(algorithm),
        Some(credential),
        Some(date),
        Some(expires),
        Some(signed_headers),
        Some(signature),
    ) = (
        algorithm,
        credential,
        date,
        expires,
        signed_headers,
        signature,
    )
    else {
        return Err(incomplete(format!(
            "{missing}Re-examine the query-string parameters."
        )));
    };

    let request_time = parse_request_time(&date)?;
    check_algorithm(&algorithm)?;
    let scope = parse_credential(&credential)?;
    let with_key = |error: AuthError| error.with_access_key_id(scope.access_key_id);
    let expires_secs = parse_expires(&expires).map_err(with_key)?;
    let signed_header_names = parse_signed_headers(&signed_headers).map_err(with_key)?;
    let session_token = match single_query_value(&query, PARAM_SECURITY_TOKEN).map_err(with_key)? {
        Some(token) => Some(token),
        None => single_header_text(headers, HEADER_X_AMZ_SECURITY_TOKEN).map_err(with_key)?,
    };
    let content_sha256 = match single_query_value(&query, PARAM_CONTENT_SHA256).map_err(with_key)? {
        Some(hash) => Some(hash),
        None => single_header_text(headers, HEADER_X_AMZ_CONTENT_SHA256).map_err(with_key)?,
    };
    Ok(PresentedSignature {
        location: SignatureLocation::Query,
        access_key_id: scope.access_key_id.to_owned(),
        scope_date: scope.date.to_owned(),
        region: scope.region.to_owned(),
        service: scope.service.to_owned(),
        terminator: scope.terminator.to_owned(),
        signed_headers: signed_header_names,
        signed_headers_text: signed_headers.clone(),
        signature: signature.clone(),
        request_time,
        request_time_text: date.clone(),
        expires_secs: Some(expires_secs),
        session_token,
        content_sha256,
        query,
    })
}

/// Returns the value of query parameter `name` (matched exactly, after decoding) as text;
/// `None` when absent. A repeated parameter or a non-UTF-8 value is refused.
fn single_query_value(query: &[QueryPair], name: &str) -> Result<Option<String>, AuthError> {
    let mut found: Option<&QueryPair> = None;
    for pair in query {
        if pair.key.as_slice() != name.as_bytes() {
            continue;
        }
        if found.is_some() {
            return Err(incomplete(format!(
                "The query string must not contain more than one '{name}' parameter."
            )));
        }
        found = Some(pair);
    }
    let Some(pair) = found else {
        return Ok(None);
    };
    match std::str::from_utf8(&pair.value) {
        Ok(text) => Ok(Some(text.to_owned())),
        Err(_) => Err(incomplete(format!(
            "The '{name}' query parameter must be valid UTF-8."
        ))),
    }
}

/// Parses `X-Amz-Expires`: whole seconds, 0 to [`MAX_PRESIGNED_EXPIRES_SECS`]. The texts are
/// S3's (`AuthorizationQueryParametersError`), the only service that documents them.
fn parse_expires(text: &str) -> Result<u32, AuthError> {
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        // All digits: only overflow can fail, and an overflowing value is too large anyway.
        let seconds = text.parse::<u32>().unwrap_or(u32::MAX);
        if seconds <= MAX_PRESIGNED_EXPIRES_SECS {
            return Ok(seconds);
        }
        return Err(incomplete(format!(
            "X-Amz-Expires must be less than a week (in seconds) that is \
             {MAX_PRESIGNED_EXPIRES_SECS}"
        )));
    }
    if text.starts_with('-')
        && text.len() > 1
        && text[1..].bytes().all(|byte| byte.is_ascii_digit())
    {
        return Err(incomplete("X-Amz-Expires must be non-negative"));
    }
    Err(incomplete("X-Amz-Expires should be a number"))
}

fn incomplete(message: impl Into<String>) -> AuthError {
    AuthError::new(AuthErrorKind::IncompleteSignature, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const CREDENTIAL: &str = "AKIDEXAMPLE/20260101/us-east-1/cloudtrail/aws4_request";
    const SIGNATURE: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn headers_with(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn good_authorization() -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={SIGNATURE}"
        )
    }

    fn parse_header(
        authorization: &str,
        date: Option<&str>,
    ) -> Result<Option<PresentedSignature>, AuthError> {
        let mut headers = headers_with(&[("host", "cloudtrail.us-east-1.amazonaws.com")]);
        headers.insert(
            "authorization",
            HeaderValue::from_str(authorization).unwrap(),
        );
        if let Some(date) = date {
            headers.insert("x-amz-date", HeaderValue::from_str(date).unwrap());
        }
        parse_presented(&Uri::from_static("/"), &headers)
    }

    fn error_of(result: Result<Option<PresentedSignature>, AuthError>) -> AuthError {
        result.expect_err("should fail")
    }

    #[test]
    fn parses_the_authorization_header() {
        let presented = parse_header(&good_authorization(), Some("20260101T000000Z"))
            .unwrap()
            .unwrap();
        assert_eq!(presented.location(), SignatureLocation::Header);
        assert_eq!(presented.access_key_id(), "AKIDEXAMPLE");
        assert_eq!(presented.scope_date(), "20260101");
        assert_eq!(presented.region(), "us-east-1");
        assert_eq!(presented.service(), "cloudtrail");
        assert_eq!(
            presented.signed_headers(),
            ["content-type", "host", "x-amz-date", "x-amz-target"]
        );
        assert_eq!(presented.signature(), SIGNATURE);
        assert_eq!(presented.request_time().to_string(), "20260101T000000Z");
        assert_eq!(presented.expires_secs(), None);
        assert_eq!(presented.session_token(), None);
    }

    #[test]
    fn tolerates_missing_spaces_and_trailing_commas_and_slashes() {
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={CREDENTIAL}/,SignedHeaders=host,Signature={SIGNATURE},"
        );
        let presented = parse_header(&authorization, Some("20260101T000000Z"))
            .unwrap()
            .unwrap();
        assert_eq!(presented.service(), "cloudtrail");
        assert_eq!(presented.signed_headers(), ["host"]);
    }

    #[test]
    fn falls_back_to_the_date_header() {
        let mut headers = headers_with(&[
            ("authorization", &good_authorization()),
            ("date", "20260101T000000Z"),
        ]);
        let presented = parse_presented(&Uri::from_static("/"), &headers)
            .unwrap()
            .unwrap();
        assert_eq!(presented.request_time().to_string(), "20260101T000000Z");
        headers.insert("x-amz-date", HeaderValue::from_static("20260102T000000Z"));
        let presented = parse_presented(&Uri::from_static("/"), &headers)
            .unwrap()
            .unwrap();
        assert_eq!(presented.request_time().to_string(), "20260102T000000Z");
    }

    #[test]
    fn no_signature_at_all_is_none() {
        let uri = Uri::from_static("/?a=b");
        assert_eq!(parse_presented(&uri, &HeaderMap::new()), Ok(None));
        for value in ["Bearer abc", "AWS4", "AWS AKID:sig", ""] {
            let headers = headers_with(&[("authorization", value)]);
            assert_eq!(parse_presented(&uri, &headers), Ok(None), "{value:?}");
        }
    }

    #[test]
    fn bare_aws4_prefix_lists_every_missing_part() {
        let error = error_of(parse_header("AWS4-", None));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
        assert_eq!(
            error.message(),
            "Authorization header requires 'Credential' parameter. Authorization header requires \
             'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. \
             Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' \
             header. Authorization=AWS4-"
        );
        assert_eq!(error.access_key_id(), None);
    }

    #[test]
    fn each_missing_component_is_named() {
        let date = Some("20260101T000000Z");
        let cases = [
            (
                format!("AWS4-HMAC-SHA256 SignedHeaders=host, Signature={SIGNATURE}"),
                "Authorization header requires 'Credential' parameter. ",
            ),
            (
                format!("AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders=host"),
                "Authorization header requires 'Signature' parameter. ",
            ),
            (
                format!("AWS4-HMAC-SHA256 Credential={CREDENTIAL}, Signature={SIGNATURE}"),
                "Authorization header requires 'SignedHeaders' parameter. ",
            ),
            (
                format!("AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature={SIGNATURE}"),
                "Authorization header requires 'Credential' parameter. ",
            ),
        ];
        for (authorization, expected) in cases {
            let error = error_of(parse_header(&authorization, date));
            assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
            assert_eq!(
                error.message(),
                format!("{expected}Authorization={authorization}")
            );
        }
        let error = error_of(parse_header(&good_authorization(), None));
        assert!(error.message().starts_with(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        ));
    }

    #[test]
    fn component_without_equal_sign_is_incomplete() {
        let date = Some("20260101T000000Z");
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential=AKID /20260101/us-east-1/cloudtrail/aws4_request, \
             SignedHeaders=host, Signature={SIGNATURE}"
        );
        let error = error_of(parse_header(&authorization, date));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
        assert_eq!(
            error.message(),
            format!(
                "'/20260101/us-east-1/cloudtrail/aws4_request' not a valid key=value pair \
                 (missing equal-sign) in Authorization header: '{authorization}'."
            )
        );
        assert!(parse_header(&authorization.replace("AKID /", "AKID/"), date).is_ok());
    }

    #[test]
    fn bad_dates_are_incomplete_and_echo_the_value() {
        for date in [
            "201",
            "2026-01-01T00:00:00Z",
            "20260101T000000",
            "Thu, 01 Jan 2026 00:00:00 GMT",
        ] {
            let error = error_of(parse_header(&good_authorization(), Some(date)));
            assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature, "{date}");
            assert_eq!(
                error.message(),
                format!(
                    "Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601"
                )
            );
        }
    }

    #[test]
    fn unsupported_algorithm_is_incomplete() {
        for algorithm in [
            "AWS4-HMAC-SHA25",
            "AWS4-ECDSA-P256-SHA256",
            "AWS4-hmac-sha256",
        ] {
            let authorization = good_authorization().replace("AWS4-HMAC-SHA256", algorithm);
            let error = error_of(parse_header(&authorization, Some("20260101T000000Z")));
            assert_eq!(
                error.message(),
                format!(
                    "Unsupported AWS 'algorithm': '{algorithm}' (only AWS4-HMAC-SHA256 for now). "
                )
            );
        }
    }

    #[test]
    fn credential_must_have_five_parts() {
        for credential in ["a/b/c/d", "AKID", "a/b/c/d/e/f", "a/b/c/d/e/f/"] {
            let authorization = good_authorization().replace(CREDENTIAL, credential);
            let error = error_of(parse_header(&authorization, Some("20260101T000000Z")));
            assert_eq!(
                error.kind(),
                AuthErrorKind::IncompleteSignature,
                "{credential}"
            );
            assert_eq!(
                error.message(),
                format!(
                    "Credential must have exactly 5 slash-delimited elements, e.g. \
                     keyid/date/region/service/term, got '{credential}'"
                )
            );
        }
    }

    #[test]
    fn signed_headers_must_be_lowercase_sorted_unique_and_bounded() {
        for signed in [
            "Host",
            "x-amz-date;host",
            "host;host",
            "host;;x-amz-date",
            "host;",
            "h@st",
        ] {
            let authorization =
                good_authorization().replace("content-type;host;x-amz-date;x-amz-target", signed);
            let error = error_of(parse_header(&authorization, Some("20260101T000000Z")));
            assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature, "{signed}");
            assert_eq!(error.access_key_id(), Some("AKIDEXAMPLE"));
        }
        let many: Vec<String> = (0..=MAX_SIGNED_HEADERS)
            .map(|index| format!("x-h{index:03}"))
            .collect();
        let authorization = good_authorization()
            .replace("content-type;host;x-amz-date;x-amz-target", &many.join(";"));
        let error = error_of(parse_header(&authorization, Some("20260101T000000Z")));
        assert_eq!(
            error.message(),
            format!("SignedHeaders lists more than {MAX_SIGNED_HEADERS} headers.")
        );
        let empty = good_authorization().replace("content-type;host;x-amz-date;x-amz-target", "");
        let presented = parse_header(&empty, Some("20260101T000000Z"))
            .unwrap()
            .unwrap();
        assert!(presented.signed_headers().is_empty());
    }

    #[test]
    fn huge_or_repeated_or_non_ascii_authorization_is_incomplete() {
        let huge = format!(
            "{}{}",
            good_authorization(),
            "x".repeat(MAX_AUTHORIZATION_BYTES)
        );
        let error = error_of(parse_header(&huge, Some("20260101T000000Z")));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
        assert!(error.message().len() < 200);

        let mut headers = headers_with(&[
            ("authorization", &good_authorization()),
            ("x-amz-date", "20260101T000000Z"),
        ]);
        headers.append(
            "authorization",
            HeaderValue::from_str(&good_authorization()).unwrap(),
        );
        let error = error_of(parse_presented(&Uri::from_static("/"), &headers));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);

        let mut headers = headers_with(&[("x-amz-date", "20260101T000000Z")]);
        let mut bytes = good_authorization().into_bytes();
        bytes.push(0xff);
        headers.insert("authorization", HeaderValue::from_bytes(&bytes).unwrap());
        let error = error_of(parse_presented(&Uri::from_static("/"), &headers));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
    }

    #[test]
    fn reads_the_session_token_and_refuses_duplicates() {
        let mut headers = headers_with(&[
            ("authorization", &good_authorization()),
            ("x-amz-date", "20260101T000000Z"),
            ("x-amz-security-token", "token"),
        ]);
        let presented = parse_presented(&Uri::from_static("/"), &headers)
            .unwrap()
            .unwrap();
        assert_eq!(presented.session_token(), Some("token"));
        assert!(!format!("{presented:?}").contains("token\""));
        headers.append("x-amz-security-token", HeaderValue::from_static("other"));
        let error = error_of(parse_presented(&Uri::from_static("/"), &headers));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
        assert_eq!(error.access_key_id(), Some("AKIDEXAMPLE"));
    }

    fn presigned_uri(overrides: &[(&str, Option<&str>)]) -> Uri {
        let mut params = vec![
            ("Action", Some("DescribeTrails".to_owned())),
            ("X-Amz-Algorithm", Some("AWS4-HMAC-SHA256".to_owned())),
            ("X-Amz-Credential", Some(CREDENTIAL.replace('/', "%2F"))),
            ("X-Amz-Date", Some("20260101T000000Z".to_owned())),
            ("X-Amz-Expires", Some("900".to_owned())),
            ("X-Amz-SignedHeaders", Some("host".to_owned())),
            ("X-Amz-Signature", Some(SIGNATURE.to_owned())),
        ];
        for (name, value) in overrides {
            match params.iter_mut().find(|(key, _)| key == name) {
                Some(slot) => slot.1 = value.map(str::to_owned),
                None => params.push((name, value.map(str::to_owned))),
            }
        }
        let query: Vec<String> = params
            .into_iter()
            .filter_map(|(key, value)| value.map(|value| format!("{key}={value}")))
            .collect();
        format!("/?{}", query.join("&")).parse().unwrap()
    }

    #[test]
    fn parses_presigned_query_parameters() {
        let headers = headers_with(&[("host", "cloudtrail.us-east-1.amazonaws.com")]);
        let presented = parse_presented(&presigned_uri(&[]), &headers)
            .unwrap()
            .unwrap();
        assert_eq!(presented.location(), SignatureLocation::Query);
        assert_eq!(presented.access_key_id(), "AKIDEXAMPLE");
        assert_eq!(presented.region(), "us-east-1");
        assert_eq!(presented.service(), "cloudtrail");
        assert_eq!(presented.signed_headers(), ["host"]);
        assert_eq!(presented.expires_secs(), Some(900));
        assert_eq!(presented.request_time().to_string(), "20260101T000000Z");
        let with_token = presigned_uri(&[("X-Amz-Security-Token", Some("tok%2Ben"))]);
        let presented = parse_presented(&with_token, &headers).unwrap().unwrap();
        assert_eq!(presented.session_token(), Some("tok+en"));
    }

    #[test]
    fn presigned_problems_are_incomplete() {
        let headers = HeaderMap::new();
        type Overrides<'a> = &'a [(&'a str, Option<&'a str>)];
        let cases: [(Overrides<'_>, &str); 7] = [
            (
                &[("X-Amz-Credential", None), ("X-Amz-Expires", None)],
                "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string \
                 parameters must include 'X-Amz-Expires'. Re-examine the query-string parameters.",
            ),
            (
                &[("X-Amz-Expires", Some("604801"))],
                "X-Amz-Expires must be less than a week (in seconds) that is 604800",
            ),
            (
                &[("X-Amz-Expires", Some("99999999999999999999"))],
                "X-Amz-Expires must be less than a week (in seconds) that is 604800",
            ),
            (
                &[("X-Amz-Expires", Some("-1"))],
                "X-Amz-Expires must be non-negative",
            ),
            (
                &[("X-Amz-Expires", Some("1e3"))],
                "X-Amz-Expires should be a number",
            ),
            (
                &[("X-Amz-Date", Some("2026"))],
                "Date must be in ISO-8601 'basic format'. Got '2026'. See http://en.wikipedia.org/wiki/ISO_8601",
            ),
            (
                &[("X-Amz-Algorithm", Some("AWS4-HMAC-SHA1"))],
                "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now). ",
            ),
        ];
        for (overrides, expected) in cases {
            let error = error_of(parse_presented(&presigned_uri(overrides), &headers));
            assert_eq!(
                error.kind(),
                AuthErrorKind::IncompleteSignature,
                "{overrides:?}"
            );
            assert_eq!(error.message(), expected);
        }
        let duplicated: Uri = format!("{}&X-Amz-Signature={SIGNATURE}", presigned_uri(&[]))
            .parse()
            .unwrap();
        let error = error_of(parse_presented(&duplicated, &headers));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
    }

    #[test]
    fn header_and_query_signatures_together_are_refused() {
        let headers = headers_with(&[
            ("authorization", &good_authorization()),
            ("x-amz-date", "20260101T000000Z"),
        ]);
        let error = error_of(parse_presented(&presigned_uri(&[]), &headers));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
        assert!(
            error
                .message()
                .starts_with("Only one auth mechanism allowed")
        );
    }

    #[test]
    fn huge_query_is_refused_with_the_access_key() {
        let uri: Uri = format!("/?a={}", "b".repeat(MAX_QUERY_BYTES))
            .parse()
            .unwrap();
        let headers = headers_with(&[
            ("authorization", &good_authorization()),
            ("x-amz-date", "20260101T000000Z"),
        ]);
        let error = error_of(parse_presented(&uri, &headers));
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
        assert_eq!(error.access_key_id(), Some("AKIDEXAMPLE"));
    }
}
