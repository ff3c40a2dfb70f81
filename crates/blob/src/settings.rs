//! [`S3Settings`]: where an S3-compatible store is and how to sign requests to it, read
//! from the environment the standard AWS way.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::{Error, ErrorKind, Result};
use crate::ini::{IniFile, Section};

/// The region used when nothing names one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// How to reach an S3-compatible store.
///
/// `Debug` hides the secret key and the session token.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct S3Settings {
    /// Endpoint URL such as `http://127.0.0.1:9000`. Default: none, meaning AWS S3
    /// (`https://s3.<region>.amazonaws.com`).
    pub endpoint_url: Option<String>,
    /// Region used to sign requests. Default: none, meaning `us-east-1`.
    pub region: Option<String>,
    /// Access key ID. Default: none; without it requests are sent unsigned.
    pub access_key_id: Option<String>,
    /// Secret access key; required with `access_key_id`. Default: none.
    pub secret_access_key: Option<String>,
    /// Session token of temporary credentials. Default: none.
    pub session_token: Option<String>,
    /// Addresses buckets as `<endpoint>/<bucket>` rather than `<bucket>.<endpoint host>`.
    /// Default: `false`.
    pub force_path_style: bool,
    /// Allows a plain `http://` endpoint. Default: `false`.
    pub allow_http: bool,
}

impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint_url", &self.endpoint_url)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .field("force_path_style", &self.force_path_style)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl S3Settings {
    /// Reads the settings from environment variables and the AWS shared files they point
    /// to, as the AWS CLI and SDKs do. Pass `std::env::vars()` in production; tests pass
    /// their own list.
    ///
    /// | Setting | Taken from, first match wins |
    /// |---|---|
    /// | endpoint | `AWS_ENDPOINT_URL_S3`; `AWS_ENDPOINT_URL`; in the profile of the config file, `endpoint_url` of the `s3 =` sub-section, then `endpoint_url`. All are ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`. |
    /// | region | `AWS_REGION`; `AWS_DEFAULT_REGION`; the profile's `region`; `us-east-1`. |
    /// | credentials | `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); the profile's `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token` in the credentials file, then in the config file; none (unsigned requests). |
    /// | path-style | `addressing_style` in the profile's `s3 =` sub-section: `path` or `virtual`; otherwise path-style exactly when an endpoint is set (what MinIO, Ceph and moto need). |
    /// | allow_http | the endpoint starts with `http://`. |
    ///
    /// The profile is `AWS_PROFILE` (else `default`). The config file is `AWS_CONFIG_FILE`
    /// (else `~/.aws/config`), with sections `[profile <name>]` and `[default]`; the
    /// credentials file is `AWS_SHARED_CREDENTIALS_FILE` (else `~/.aws/credentials`), with
    /// sections `[<name>]`. `~` is `HOME`. Missing files are skipped. Empty variables count
    /// as unset.
    ///
    /// # Errors
    ///
    /// `InvalidConfig` when `AWS_PROFILE` names a profile found in neither file, when an
    /// access key comes without its secret (or the other way round), or when the endpoint
    /// is not an `http://` or `https://` URL; `Io` when a file exists but cannot be read.
    pub fn from_env(vars: impl IntoIterator<Item = (String, String)>) -> Result<S3Settings> {
        let vars: HashMap<String, String> = vars
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect();
        let var = |name: &str| vars.get(name).map(String::as_str);

        let explicit_profile = var("AWS_PROFILE");
        let profile = explicit_profile.unwrap_or("default");
        let home = var("HOME").map(PathBuf::from);
        let config_file = read_ini(shared_file_path(
            var("AWS_CONFIG_FILE"),
            home.as_ref(),
            "config",
        ))?;
        let credentials_file = read_ini(shared_file_path(
            var("AWS_SHARED_CREDENTIALS_FILE"),
            home.as_ref(),
            "credentials",
        ))?;

        let config_section = config_file
            .as_ref()
            .and_then(|file| config_profile(file, profile));
        let credentials_section = credentials_file
            .as_ref()
            .and_then(|file| file.section(profile));
        if let Some(name) = explicit_profile
            && config_section.is_none()
            && credentials_section.is_none()
        {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "AWS profile `{name}` (from AWS_PROFILE) is in neither the AWS config file \
                     nor the credentials file"
                ),
            ));
        }

        let ignore_endpoints = var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .or_else(|| config_section.and_then(|s| s.get("ignore_configured_endpoint_urls")))
            .is_some_and(|value| value.eq_ignore_ascii_case("true"));
        let endpoint_url = if ignore_endpoints {
            None
        } else {
            var("AWS_ENDPOINT_URL_S3")
                .or_else(|| var("AWS_ENDPOINT_URL"))
                .or_else(|| config_section.and_then(|s| s.sub_get("s3", "endpoint_url")))
                .or_else(|| config_section.and_then(|s| s.get("endpoint_url")))
                .map(str::to_owned)
        };

        let region = var("AWS_REGION")
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .or_else(|| config_section.and_then(|s| s.get("region")))
            .unwrap_or(DEFAULT_REGION)
            .to_owned();

        let credentials = match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
            (None, None) => None,
            (access, secret) => Some(pair_credentials(
                "the environment",
                access,
                secret,
                var("AWS_SESSION_TOKEN"),
            )?),
        };
        let credentials = match credentials {
            Some(found) => Some(found),
            None => match section_credentials(credentials_section, "the AWS credentials file")? {
                Some(found) => Some(found),
                None => section_credentials(config_section, "the AWS config file")?,
            },
        };
        let (access_key_id, secret_access_key, session_token) = match credentials {
            Some((access, secret, token)) => (Some(access), Some(secret), token),
            None => (None, None, None),
        };

        let force_path_style =
            match config_section.and_then(|s| s.sub_get("s3", "addressing_style")) {
                Some(style) if style.eq_ignore_ascii_case("path") => true,
                Some(style) if style.eq_ignore_ascii_case("virtual") => false,
                _ => endpoint_url.is_some(),
            };
        let allow_http = endpoint_url.as_deref().is_some_and(is_http_url);
        let settings = S3Settings {
            endpoint_url,
            region: Some(region),
            access_key_id,
            secret_access_key,
            session_token,
            force_path_style,
            allow_http,
        };
        settings.check()?;
        Ok(settings)
    }

    /// Checks what can be checked without a request: a well-formed endpoint scheme and
    /// complete credentials.
    pub(crate) fn check(&self) -> Result<()> {
        if let Some(endpoint) = &self.endpoint_url {
            let lower = endpoint.to_ascii_lowercase();
            let host = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"))
                .unwrap_or_default();
            if host.is_empty() || host.starts_with('/') {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!("S3 endpoint `{endpoint}` is not an `http://` or `https://` URL"),
                ));
            }
            if is_http_url(endpoint) && !self.allow_http {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!("S3 endpoint `{endpoint}` uses plain HTTP but `allow_http` is off"),
                ));
            }
        }
        if self.access_key_id.is_some() != self.secret_access_key.is_some() {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "S3 credentials need both an access key ID and a secret access key",
            ));
        }
        Ok(())
    }
}

/// Returns whether `url` is a plain-HTTP URL.
pub(crate) fn is_http_url(url: &str) -> bool {
    url.get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

/// Returns the path of a shared AWS file: the variable's value (with `~/` expanded), else
/// `~/.aws/<default_name>`, else nothing when `HOME` is unset.
fn shared_file_path(
    variable: Option<&str>,
    home: Option<&PathBuf>,
    default_name: &str,
) -> Option<PathBuf> {
    match variable {
        Some(path) => match (path.strip_prefix("~/"), home) {
            (Some(rest), Some(home)) => Some(home.join(rest)),
            _ => Some(PathBuf::from(path)),
        },
        None => home.map(|home| home.join(".aws").join(default_name)),
    }
}

/// Reads and parses an AWS shared file; a missing file is `None`.
fn read_ini(path: Option<PathBuf>) -> Result<Option<IniFile>> {
    let Some(path) = path else { return Ok(None) };
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(IniFile::parse(&text))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(Error::from_io(
            format!("cannot read AWS file `{}`", path.display()),
            error,
        )
        .with_retryable(false)),
    }
}

/// Returns the config-file section of `profile`: `[profile <name>]`, or for `default` also
/// `[default]`.
fn config_profile<'a>(file: &'a IniFile, profile: &str) -> Option<&'a Section> {
    let prefixed = file.section(&format!("profile {profile}"));
    if profile == "default" {
        file.section("default").or(prefixed)
    } else {
        prefixed
    }
}

type Credentials = (String, String, Option<String>);

/// Reads the credentials of a profile section, if it has any.
fn section_credentials(section: Option<&Section>, origin: &str) -> Result<Option<Credentials>> {
    let Some(section) = section else {
        return Ok(None);
    };
    let access = section.get("aws_access_key_id");
    let secret = section.get("aws_secret_access_key");
    if access.is_none() && secret.is_none() {
        return Ok(None);
    }
    pair_credentials(origin, access, secret, section.get("aws_session_token")).map(Some)
}

/// Requires the access key and the secret to come together.
fn pair_credentials(
    origin: &str,
    access: Option<&str>,
    secret: Option<&str>,
    token: Option<&str>,
) -> Result<Credentials> {
    match (access, secret) {
        (Some(access), Some(secret)) => Ok((
            access.to_owned(),
            secret.to_owned(),
            token.map(str::to_owned),
        )),
        _ => Err(Error::new(
            ErrorKind::InvalidConfig,
            format!(
                "incomplete AWS credentials in {origin}: an access key ID needs its secret access key and the other way round"
            ),
        )),
    }
}
