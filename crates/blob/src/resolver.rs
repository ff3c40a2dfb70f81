//! [`BucketResolver`]: turns a trail's bucket name into a [`Bucket`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use serde::Deserialize;

use crate::bucket::Bucket;
use crate::error::{Error, ErrorKind, Result};
use crate::names;
use crate::settings::{S3Settings, is_http_url};

/// Where a configured bucket lives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BucketKind {
    /// An S3-compatible store (`"s3"`, the default).
    #[default]
    S3,
    /// A local bucket directory, `<buckets root>/<name>` (`"local"`).
    Local,
}

/// One `[[buckets]]` entry of the server configuration: how to reach the bucket `name`.
///
/// S3 members left out fall back to the environment settings ([`S3Settings::from_env`]).
/// `Debug` hides the secret key and the session token.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketConfig {
    /// Bucket name, as trails name it in `S3BucketName`.
    pub name: String,
    /// `s3` or `local`. Default: `s3`.
    #[serde(default)]
    pub kind: BucketKind,
    /// S3 endpoint URL, such as `http://127.0.0.1:9000`. Default: the environment's.
    /// Setting it implies path-style addressing.
    pub endpoint_url: Option<String>,
    /// S3 signing region. Default: the environment's.
    pub region: Option<String>,
    /// Access key ID; given together with `secret_access_key`. Default: the environment's
    /// credentials (all three members are taken from one place).
    pub access_key_id: Option<String>,
    /// Secret access key. Default: the environment's.
    pub secret_access_key: Option<String>,
    /// Session token. Default: the environment's when the keys are too, else none.
    pub session_token: Option<String>,
    /// Forces path-style addressing (`<endpoint>/<bucket>/<key>`). Default: `false`, which
    /// keeps the environment's choice, or path-style when `endpoint_url` is set here.
    #[serde(default)]
    pub path_style: bool,
}

impl std::fmt::Debug for BucketConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BucketConfig")
            .field("name", &self.name)
            .field("kind", &self.kind)
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
            .field("path_style", &self.path_style)
            .finish()
    }
}

impl BucketConfig {
    /// Returns the S3 settings of this entry over the environment's `env`.
    fn s3_settings(&self, env: &S3Settings) -> Result<S3Settings> {
        let (endpoint_url, force_path_style) = match &self.endpoint_url {
            Some(endpoint) => (Some(endpoint.clone()), true),
            None => (
                env.endpoint_url.clone(),
                env.force_path_style || self.path_style,
            ),
        };
        let own_keys = self.access_key_id.is_some() || self.secret_access_key.is_some();
        let (access_key_id, secret_access_key, session_token) = if own_keys {
            if self.access_key_id.is_none() || self.secret_access_key.is_none() {
                return Err(Error::new(
                    ErrorKind::InvalidConfig,
                    format!(
                        "bucket `{}` sets only one of `access_key_id` and `secret_access_key`",
                        self.name
                    ),
                ));
            }
            (
                self.access_key_id.clone(),
                self.secret_access_key.clone(),
                self.session_token.clone(),
            )
        } else {
            (
                env.access_key_id.clone(),
                env.secret_access_key.clone(),
                self.session_token
                    .clone()
                    .or_else(|| env.session_token.clone()),
            )
        };
        let allow_http = endpoint_url.as_deref().is_some_and(is_http_url);
        Ok(S3Settings {
            endpoint_url,
            region: self.region.clone().or_else(|| env.region.clone()),
            access_key_id,
            secret_access_key,
            session_token,
            force_path_style: force_path_style || self.path_style,
            allow_http,
        })
    }

    /// Names the S3 members set on a `local` entry, which would be silently ignored.
    fn s3_members_set(&self) -> Vec<&'static str> {
        let members = [
            ("endpoint_url", self.endpoint_url.is_some()),
            ("region", self.region.is_some()),
            ("access_key_id", self.access_key_id.is_some()),
            ("secret_access_key", self.secret_access_key.is_some()),
            ("session_token", self.session_token.is_some()),
            ("path_style", self.path_style),
        ];
        members
            .into_iter()
            .filter(|(_, set)| *set)
            .map(|(name, _)| name)
            .collect()
    }
}

/// Resolves bucket names to [`Bucket`]s, once per name.
///
/// See the crate documentation for the resolution rules.
#[derive(Debug)]
pub struct BucketResolver {
    buckets_root: PathBuf,
    configured: HashMap<String, BucketConfig>,
    env: S3Settings,
    cache: Mutex<HashMap<String, Bucket>>,
}

impl BucketResolver {
    /// Creates a resolver: local bucket directories live in `buckets_root`, `configured`
    /// entries override the defaults for their bucket (the last entry for a name wins), and
    /// `env` is used for every other S3 bucket.
    pub fn new(
        buckets_root: PathBuf,
        configured: Vec<BucketConfig>,
        env: S3Settings,
    ) -> BucketResolver {
        let configured = configured
            .into_iter()
            .map(|entry| (entry.name.clone(), entry))
            .collect();
        BucketResolver {
            buckets_root,
            configured,
            env,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Returns the bucket called `name`, resolving it on first use and caching the result
    /// for the life of the resolver.
    ///
    /// Resolution of an unconfigured name checks once whether `<buckets_root>/<name>` is a
    /// directory (one `stat`, done on the calling thread); when it is not and the
    /// environment names no S3 service (neither an endpoint nor credentials), the name
    /// still resolves to that local directory, which reports `NoSuchBucket` until made.
    ///
    /// # Errors
    ///
    /// `InvalidBucketName` when `name` breaks S3's naming rules; `InvalidConfig` for an
    /// unusable configured entry (S3 members on a `local` entry, half a key pair, a bad
    /// endpoint); `Io` when the bucket directory cannot be checked.
    pub fn resolve(&self, name: &str) -> Result<Bucket> {
        names::validate_bucket_name(name)?;
        // The map is only a cache; a panic elsewhere cannot leave it inconsistent.
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(bucket) = cache.get(name) {
            return Ok(bucket.clone());
        }
        let bucket = self.resolve_uncached(name)?;
        cache.insert(name.to_owned(), bucket.clone());
        Ok(bucket)
    }

    fn resolve_uncached(&self, name: &str) -> Result<Bucket> {
        let local_root = self.buckets_root.join(name);
        if let Some(entry) = self.configured.get(name) {
            return match entry.kind {
                BucketKind::Local => {
                    let set = entry.s3_members_set();
                    if !set.is_empty() {
                        return Err(Error::new(
                            ErrorKind::InvalidConfig,
                            format!("local bucket `{name}` sets S3 options: {}", set.join(", ")),
                        ));
                    }
                    Ok(Bucket::local(name, local_root))
                }
                BucketKind::S3 => entry
                    .s3_settings(&self.env)
                    .and_then(|settings| Bucket::s3(name, &settings))
                    .map_err(|error| error.with_context(&format!("configured bucket `{name}`"))),
            };
        }
        match std::fs::metadata(&local_root) {
            Ok(meta) if meta.is_dir() => return Ok(Bucket::local(name, local_root)),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(Error::from_io(
                    format!(
                        "cannot check local bucket folder `{}`",
                        local_root.display()
                    ),
                    error,
                ));
            }
        }
        // No S3 service in the environment (no endpoint, no credentials): the bucket is a
        // local one that does not exist (yet). Writes fail with `NoSuchBucket` until its
        // directory is made, rather than reaching for AWS without credentials.
        if self.env.endpoint_url.is_none() && self.env.access_key_id.is_none() {
            return Ok(Bucket::local(name, local_root));
        }
        Bucket::s3(name, &self.env)
    }
}
