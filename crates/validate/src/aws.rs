//! A small AWS JSON 1.1 client for the three calls the validator makes outside S3:
//! CloudTrail `DescribeTrails` and `ListPublicKeys`, and Organizations
//! `DescribeOrganization`, signed with SigV4 (`opentrail_sigv4::sign`) and sent with
//! `reqwest`. Errors read as botocore's.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use opentrail_sigv4::{Credentials, SigningParams, sign};
use opentrail_types::{SharedClock, Timestamp};
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::sources::{PublicKeyInfo, TrailInfo};

/// CloudTrail's JSON 1.1 target prefix.
const CLOUDTRAIL_TARGET_PREFIX: &str = "CloudTrail_20131101";
/// Organizations' JSON 1.1 target prefix.
const ORGANIZATIONS_TARGET_PREFIX: &str = "AWSOrganizationsV20161128";
/// The largest response body read (a `DescribeTrails` of every trail fits easily).
const MAX_RESPONSE_BYTES: usize = 16 << 20;
/// The region Organizations signs in when it is reached at AWS.
const ORGANIZATIONS_HOME_REGION: &str = "us-east-1";

/// Where and how to call CloudTrail and Organizations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsClientConfig {
    /// CloudTrail endpoint URL (the CLI's `--endpoint-url` applies only to it).
    pub cloudtrail_endpoint: String,
    /// Organizations endpoint URL.
    pub organizations_endpoint: String,
    /// Region the CloudTrail client runs in and signs for (the CLI's `--region`).
    pub region: String,
    /// Region Organizations requests are signed for.
    pub organizations_region: String,
    /// Signing credentials; `None` makes every call fail as botocore does without them.
    pub credentials: Option<Credentials>,
}

impl AwsClientConfig {
    /// Builds the configuration the aws CLI would use in `region`.
    ///
    /// | Setting | First match wins |
    /// |---|---|
    /// | CloudTrail endpoint | `endpoint_url` (the `--endpoint-url` option); `AWS_ENDPOINT_URL_CLOUDTRAIL`; `AWS_ENDPOINT_URL`; `https://cloudtrail.<region>.amazonaws.com` |
    /// | Organizations endpoint | `AWS_ENDPOINT_URL_ORGANIZATIONS`; `AWS_ENDPOINT_URL`; `https://organizations.us-east-1.amazonaws.com` (signed for `us-east-1`; a configured endpoint is signed for `region`) |
    /// | credentials | as [`opentrail_blob::S3Settings::from_env`] finds them: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, then the `AWS_PROFILE` profile of the shared credentials and config files |
    ///
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores the endpoint variables.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the shared AWS files are unusable (unknown profile,
    /// incomplete credentials).
    pub fn from_env(
        vars: impl IntoIterator<Item = (String, String)>,
        endpoint_url: Option<&str>,
        region: &str,
    ) -> Result<AwsClientConfig> {
        let vars: HashMap<String, String> = vars
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let settings = opentrail_blob::S3Settings::from_env(vars.clone())
            .map_err(|error| Error::new(ErrorKind::Config, error.to_string()).with_source(error))?;
        let credentials = match (settings.access_key_id, settings.secret_access_key) {
            (Some(access), Some(secret)) => {
                let credentials = Credentials::new(access, secret);
                Some(match settings.session_token {
                    Some(token) => credentials.with_session_token(token),
                    None => credentials,
                })
            }
            _ => None,
        };
        let ignore_configured = vars
            .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .is_some_and(|value| value.eq_ignore_ascii_case("true"));
        let configured = |name: &str| {
            (!ignore_configured)
                .then(|| {
                    vars.get(name)
                        .or_else(|| vars.get("AWS_ENDPOINT_URL"))
                        .cloned()
                })
                .flatten()
        };
        let cloudtrail_endpoint = endpoint_url
            .map(str::to_owned)
            .or_else(|| configured("AWS_ENDPOINT_URL_CLOUDTRAIL"))
            .unwrap_or_else(|| format!("https://cloudtrail.{region}.amazonaws.com"));
        let (organizations_endpoint, organizations_region) =
            match configured("AWS_ENDPOINT_URL_ORGANIZATIONS") {
                Some(endpoint) => (endpoint, region.to_owned()),
                None => (
                    format!("https://organizations.{ORGANIZATIONS_HOME_REGION}.amazonaws.com"),
                    ORGANIZATIONS_HOME_REGION.to_owned(),
                ),
            };
        Ok(AwsClientConfig {
            cloudtrail_endpoint,
            organizations_endpoint,
            region: region.to_owned(),
            organizations_region,
            credentials,
        })
    }
}

/// A client for CloudTrail and Organizations. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AwsClient {
    inner: Arc<ClientInner>,
}

#[derive(Debug)]
struct ClientInner {
    http: reqwest::Client,
    config: AwsClientConfig,
    clock: SharedClock,
}

/// Which service a call goes to.
#[derive(Debug, Clone, Copy)]
enum Service {
    CloudTrail,
    Organizations,
}

impl AwsClient {
    /// Returns a client; requests are signed at the time `clock` tells.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the HTTP client cannot be built.
    pub fn new(config: AwsClientConfig, clock: SharedClock) -> Result<AwsClient> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(60))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|error| {
                Error::new(
                    ErrorKind::Config,
                    format!("cannot build an HTTP client: {error}"),
                )
                .with_source(error)
            })?;
        Ok(AwsClient {
            inner: Arc::new(ClientInner {
                http,
                config,
                clock,
            }),
        })
    }

    /// Calls CloudTrail `DescribeTrails` with no arguments (so shadow trails are listed too).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Service`], [`ErrorKind::Connection`], [`ErrorKind::NoCredentials`].
    pub async fn describe_trails(&self) -> Result<Vec<TrailInfo>> {
        #[derive(Deserialize)]
        struct Response {
            #[serde(rename = "trailList", default)]
            trail_list: Vec<TrailInfo>,
        }
        let body = self
            .call(Service::CloudTrail, "DescribeTrails", b"{}".to_vec())
            .await?;
        let response: Response = parse_response(&body, "DescribeTrails")?;
        Ok(response.trail_list)
    }

    /// Calls CloudTrail `ListPublicKeys` for `[start, end]` (epoch seconds on the wire, as
    /// botocore sends them); one page, as the CLI reads one.
    ///
    /// # Errors
    ///
    /// As [`AwsClient::describe_trails`].
    pub async fn list_public_keys(
        &self,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Vec<PublicKeyInfo>> {
        let request = format!(
            "{{\"StartTime\": {}, \"EndTime\": {}}}",
            start.as_secs(),
            end.as_secs()
        );
        let body = self
            .call(Service::CloudTrail, "ListPublicKeys", request.into_bytes())
            .await?;
        let response: Value = parse_response(&body, "ListPublicKeys")?;
        crate::sources::public_keys_from_response(&response)
    }

    /// Calls Organizations `DescribeOrganization` and returns the organization ID.
    ///
    /// # Errors
    ///
    /// As [`AwsClient::describe_trails`]; [`ErrorKind::Crash`] when the answer has no ID.
    pub async fn describe_organization_id(&self) -> Result<String> {
        let body = self
            .call(
                Service::Organizations,
                "DescribeOrganization",
                b"{}".to_vec(),
            )
            .await?;
        let response: Value = parse_response(&body, "DescribeOrganization")?;
        match response
            .get("Organization")
            .and_then(|organization| organization.get("Id"))
        {
            Some(Value::String(id)) => Ok(id.clone()),
            _ => Err(Error::crash("'Id'")),
        }
    }

    async fn call(&self, service: Service, operation: &str, body: Vec<u8>) -> Result<Vec<u8>> {
        let config = &self.inner.config;
        let (endpoint, target_prefix, signing_name, signing_region) = match service {
            Service::CloudTrail => (
                &config.cloudtrail_endpoint,
                CLOUDTRAIL_TARGET_PREFIX,
                "cloudtrail",
                config.region.as_str(),
            ),
            Service::Organizations => (
                &config.organizations_endpoint,
                ORGANIZATIONS_TARGET_PREFIX,
                "organizations",
                config.organizations_region.as_str(),
            ),
        };
        let Some(credentials) = &config.credentials else {
            return Err(Error::new(
                ErrorKind::NoCredentials,
                "Unable to locate credentials. You can configure credentials by running \"aws configure\".",
            ));
        };
        let url = request_url(endpoint);
        let request = http::Request::post(url.as_str())
            .header(http::header::CONTENT_TYPE, "application/x-amz-json-1.1")
            .header("x-amz-target", format!("{target_prefix}.{operation}"))
            .body(())
            .map_err(|error| {
                Error::new(
                    ErrorKind::Config,
                    format!("invalid endpoint URL `{endpoint}`: {error}"),
                )
                .with_source(error)
            })?;
        let (mut parts, ()) = request.into_parts();
        let params = SigningParams {
            credentials,
            region: signing_region,
            service: signing_name,
            epoch_ms: self.inner.clock.now().as_millis(),
        };
        sign(&mut parts, &body, &params).map_err(|error| {
            Error::new(
                ErrorKind::Config,
                format!("cannot sign the {operation} request: {error}"),
            )
            .with_source(error)
        })?;
        let request = reqwest::Request::try_from(http::Request::from_parts(parts, body)).map_err(
            |error| {
                Error::new(
                    ErrorKind::Config,
                    format!("invalid endpoint URL `{endpoint}`: {error}"),
                )
                .with_source(error)
            },
        )?;
        let connection_error = |error: reqwest::Error| {
            Error::new(
                ErrorKind::Connection,
                format!("Could not connect to the endpoint URL: \"{url}\""),
            )
            .with_source(error)
        };
        let mut response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(connection_error)?;
        let status = response.status();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(connection_error)? {
            if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(Error::new(
                    ErrorKind::Connection,
                    format!("the {operation} response is larger than {MAX_RESPONSE_BYTES} bytes"),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        if status.is_success() {
            return Ok(bytes);
        }
        let (code, message) = error_code_and_message(&bytes, status.as_u16());
        Err(Error::client(&code, operation, &message))
    }
}

/// The URL botocore posts to: the endpoint with `/` as path when it has none.
fn request_url(endpoint: &str) -> String {
    let after_scheme = endpoint.find("://").map_or(0, |at| at + 3);
    if endpoint[after_scheme..].contains('/') {
        endpoint.to_owned()
    } else {
        format!("{endpoint}/")
    }
}

/// Reads a JSON 1.1 error as botocore does: the code from `__type` (the text after a `#`
/// and before a `:`), else the HTTP status; the message from `message` or `Message`.
fn error_code_and_message(body: &[u8], status: u16) -> (String, String) {
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let code = match parsed.get("__type").and_then(Value::as_str) {
        Some(raw) => {
            let after_hash = raw.rsplit('#').next().unwrap_or(raw);
            after_hash
                .split(':')
                .next()
                .unwrap_or(after_hash)
                .to_owned()
        }
        None => status.to_string(),
    };
    let message = parsed
        .get("message")
        .or_else(|| parsed.get("Message"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    (code, message)
}

fn parse_response<T: serde::de::DeserializeOwned>(body: &[u8], operation: &str) -> Result<T> {
    serde_json::from_slice(body).map_err(|error| {
        Error::new(
            ErrorKind::Service,
            format!("the {operation} response is not the JSON expected: {error}"),
        )
        .with_source(error)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut all = vec![("HOME".to_owned(), "/nonexistent-home".to_owned())];
        all.extend(
            pairs
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        );
        all
    }

    #[test]
    fn endpoints_follow_botocore_precedence() {
        let config = AwsClientConfig::from_env(vars(&[]), None, "eu-west-1").unwrap();
        assert_eq!(
            config.cloudtrail_endpoint,
            "https://cloudtrail.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            config.organizations_endpoint,
            "https://organizations.us-east-1.amazonaws.com"
        );
        assert_eq!(config.organizations_region, "us-east-1");
        assert!(config.credentials.is_none());

        let env = vars(&[
            ("AWS_ENDPOINT_URL", "http://localhost:5000"),
            ("AWS_ENDPOINT_URL_CLOUDTRAIL", "http://localhost:4571"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
        ]);
        let config = AwsClientConfig::from_env(env.clone(), None, "us-east-2").unwrap();
        assert_eq!(config.cloudtrail_endpoint, "http://localhost:4571");
        assert_eq!(config.organizations_endpoint, "http://localhost:5000");
        assert_eq!(config.organizations_region, "us-east-2");
        assert_eq!(config.credentials.unwrap().access_key_id(), "AKID");
        let config =
            AwsClientConfig::from_env(env, Some("http://127.0.0.1:1"), "us-east-2").unwrap();
        assert_eq!(config.cloudtrail_endpoint, "http://127.0.0.1:1");

        let ignored = vars(&[
            ("AWS_ENDPOINT_URL", "http://localhost:5000"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        let config = AwsClientConfig::from_env(ignored, None, "us-east-1").unwrap();
        assert_eq!(
            config.cloudtrail_endpoint,
            "https://cloudtrail.us-east-1.amazonaws.com"
        );
    }

    #[test]
    fn errors_read_like_botocore() {
        let body = br#"{"__type":"com.amazonaws#TrailNotFoundException:http://x","message":"Unknown trail"}"#;
        assert_eq!(
            error_code_and_message(body, 400),
            (
                "TrailNotFoundException".to_owned(),
                "Unknown trail".to_owned()
            )
        );
        assert_eq!(
            error_code_and_message(br#"{"Message":"m"}"#, 403),
            ("403".to_owned(), "m".to_owned())
        );
        assert_eq!(
            error_code_and_message(b"<html>", 502),
            ("502".to_owned(), String::new())
        );
    }

    #[test]
    fn request_urls_get_a_path() {
        assert_eq!(
            request_url("http://localhost:4571"),
            "http://localhost:4571/"
        );
        assert_eq!(
            request_url("https://example.com/base/"),
            "https://example.com/base/"
        );
    }
}
