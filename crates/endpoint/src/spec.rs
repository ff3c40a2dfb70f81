//! What one endpoint is: its id, owner, addresses and policy, checked.

use std::net::SocketAddr;
use std::time::Duration;

use http::Uri;
use opentrail_policy::Policy;

use crate::error::SpecError;

/// The Region of calls that name none (unsigned calls).
pub const DEFAULT_REGION: &str = "us-east-1";

/// One recording endpoint.
#[derive(Debug, Clone)]
pub struct EndpointSpec {
    /// `vpce-` and 17 lower-case hex digits: the records' `vpcEndpointId`.
    pub id: String,
    /// The owning account (12 digits): `vpcEndpointAccountId` and the network activity
    /// events' `recipientAccountId`.
    pub owner_account: String,
    /// Where the endpoint listens.
    pub listen: SocketAddr,
    /// The service calls are forwarded to: `http://host:port`.
    pub upstream: Uri,
    /// `awsRegion` of calls whose signature names no Region.
    pub region: String,
    /// The signing name assumed for unsigned calls (`s3`).
    pub default_service: String,
    /// Host name suffixes of S3 virtual-hosted-style requests: `bucket.<suffix>`.
    pub virtual_host_suffixes: Vec<String>,
    /// The endpoint policy.
    pub policy: Policy,
    /// The organisation id the registry's principals belong to (`aws:PrincipalOrgID`).
    pub organization_id: Option<String>,
    /// How long a connection to the upstream may take to open.
    pub connect_timeout: Duration,
    /// How long the upstream may take to answer a call (its status line and headers),
    /// counted from the start of forwarding, so it includes sending the request body.
    pub upstream_timeout: Duration,
    /// The most connections the endpoint serves at once.
    pub max_connections: usize,
}

/// Checks an endpoint id: `vpce-` and 17 lower-case hex digits, as AWS forms them.
///
/// # Errors
///
/// [`SpecError::Id`] naming the id.
pub fn check_id(id: &str) -> Result<(), SpecError> {
    let digits = id.strip_prefix("vpce-").unwrap_or_default();
    if digits.len() == 17
        && digits
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
    {
        Ok(())
    } else {
        Err(SpecError::Id { id: id.to_owned() })
    }
}

/// Checks an account id: 12 digits.
///
/// # Errors
///
/// [`SpecError::Account`] naming the value.
pub fn check_account(account: &str) -> Result<(), SpecError> {
    if account.len() == 12 && account.bytes().all(|byte| byte.is_ascii_digit()) {
        Ok(())
    } else {
        Err(SpecError::Account {
            account: account.to_owned(),
        })
    }
}

/// Parses an upstream URL: `http://host[:port]` with nothing after the authority but an
/// optional `/`.
///
/// # Errors
///
/// [`SpecError::Upstream`] saying what is wrong.
pub fn parse_upstream(text: &str) -> Result<Uri, SpecError> {
    let fail = |reason: &str| SpecError::Upstream {
        url: text.to_owned(),
        reason: reason.to_owned(),
    };
    let uri: Uri = text.parse().map_err(|_| fail("not a URL"))?;
    if uri.scheme_str() != Some("http") {
        return Err(fail(
            "only http:// upstreams are supported (put TLS in front of the endpoint, not behind it)",
        ));
    }
    if uri.authority().is_none() {
        return Err(fail("no host"));
    }
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
        return Err(fail("a path or query is not allowed: calls keep their own"));
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accounts_and_upstreams_are_checked() {
        assert!(check_id("vpce-0a1b2c3d4e5f60718").is_ok());
        for bad in [
            "vpce-0a1b2c3d4e5f6071",
            "vpce-0A1B2C3D4E5F60718",
            "vpc-0a1b2c3d4e5f607189",
            "vpce-0a1b2c3d4e5f6071g",
        ] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
        assert!(check_account("210987654321").is_ok());
        assert!(check_account("21098765432").is_err());
        assert!(parse_upstream("http://127.0.0.1:9000").is_ok());
        assert!(parse_upstream("http://127.0.0.1:9000/").is_ok());
        let error = parse_upstream("https://s3.example.com").unwrap_err();
        assert!(error.to_string().contains("only http://"), "{error}");
        assert!(parse_upstream("http://h/path").is_err());
        assert!(parse_upstream("nonsense url").is_err());
    }
}
