//! The S3-compatible back end, on object_store's `AmazonS3`.
//!
//! Every client option is set explicitly from [`S3Settings`]; nothing is read from the
//! process environment here. object_store sets server-side encryption per client, not per
//! request, so the store keeps one client per [`Encryption`] it has been asked for (built on
//! first use); they all send `x-amz-server-side-encryption` (and the KMS key ID) on PUT.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey, S3ConditionalPut};
use object_store::list::{PaginatedListOptions, PaginatedListStore};
use object_store::path::Path;
use object_store::{
    Attribute, AttributeValue, Attributes, BackoffConfig, ClientOptions, ObjectStore,
    ObjectStoreExt, PutMode, PutPayload, RetryConfig,
};

use crate::bucket::{Encryption, ListPage, Object, ObjectInfo, PutOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::names;
use crate::s3_error::map_error;
use crate::settings::{DEFAULT_REGION, S3Settings};

/// Retries object_store makes on its own for one request. Kept low so that the delivery
/// engine's backoff, which knows about the whole trail, stays in charge.
const MAX_RETRIES: usize = 3;
/// Upper bound on the time object_store spends retrying one request.
const RETRY_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound on one HTTP request, body included (log files are at most tens of MB).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound on establishing a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A bucket in an S3-compatible store.
pub(crate) struct S3Store {
    bucket: String,
    settings: S3Settings,
    plain: Arc<AmazonS3>,
    encrypted: Mutex<HashMap<Encryption, Arc<AmazonS3>>>,
}

impl std::fmt::Debug for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the clients: their configuration holds the credentials.
        f.debug_struct("S3Store")
            .field("bucket", &self.bucket)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl S3Store {
    pub(crate) fn new(bucket: &str, settings: &S3Settings) -> Result<S3Store> {
        settings.check()?;
        let plain = Arc::new(build_client(bucket, settings, None)?);
        Ok(S3Store {
            bucket: bucket.to_owned(),
            settings: settings.clone(),
            plain,
            encrypted: Mutex::new(HashMap::new()),
        })
    }

    /// The plain client, for readers that speak `object_store` themselves.
    pub(crate) fn object_store(&self) -> Arc<dyn ObjectStore> {
        Arc::clone(&self.plain) as Arc<dyn ObjectStore>
    }

    /// Returns the client that sends the headers of `encryption`.
    fn client(&self, encryption: Option<&Encryption>) -> Result<Arc<AmazonS3>> {
        let Some(encryption) = encryption else {
            return Ok(Arc::clone(&self.plain));
        };
        // The map is only a cache; a panic elsewhere cannot leave it inconsistent.
        let mut clients = self
            .encrypted
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(client) = clients.get(encryption) {
            return Ok(Arc::clone(client));
        }
        let client = Arc::new(build_client(
            &self.bucket,
            &self.settings,
            Some(encryption),
        )?);
        clients.insert(encryption.clone(), Arc::clone(&client));
        Ok(client)
    }

    fn path(key: &str) -> Result<Path> {
        names::validate_key(key)?;
        Path::parse(key).map_err(|error| {
            Error::new(ErrorKind::InvalidKey, format!("invalid object key `{key}`"))
                .with_source(error)
        })
    }

    fn target(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }

    pub(crate) async fn exists(&self) -> Result<bool> {
        let options = PaginatedListOptions {
            max_keys: Some(1),
            ..PaginatedListOptions::default()
        };
        match self.plain.list_paginated(None, options).await {
            Ok(_) => Ok(true),
            Err(error) => {
                let error = map_error(error, "cannot list", &format!("s3://{}", self.bucket));
                match error.kind() {
                    ErrorKind::NoSuchBucket | ErrorKind::NotFound => Ok(false),
                    _ => Err(error),
                }
            }
        }
    }

    pub(crate) async fn put(&self, key: &str, body: Bytes, options: &PutOptions) -> Result<()> {
        let path = Self::path(key)?;
        let mut attributes = Attributes::with_capacity(options.metadata.len());
        for (name, value) in &options.metadata {
            attributes.insert(
                Attribute::Metadata(name.clone().into()),
                AttributeValue::from(value.clone()),
            );
        }
        let put_options = object_store::PutOptions {
            mode: if options.create_only {
                PutMode::Create
            } else {
                PutMode::Overwrite
            },
            attributes,
            ..object_store::PutOptions::default()
        };
        let client = self.client(options.encryption.as_ref())?;
        client
            .put_opts(&path, PutPayload::from_bytes(body), put_options)
            .await
            .map_err(|error| map_error(error, "cannot put", &self.target(key)))?;
        Ok(())
    }

    pub(crate) async fn get(&self, key: &str, max_object_bytes: u64) -> Result<Object> {
        let path = Self::path(key)?;
        let target = self.target(key);
        let result = self
            .plain
            .get(&path)
            .await
            .map_err(|error| map_error(error, "cannot get", &target))?;
        if result.meta.size > max_object_bytes {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "object `{target}` is {} bytes, more than the {max_object_bytes}-byte cap",
                    result.meta.size
                ),
            ));
        }
        let mut metadata = BTreeMap::new();
        for (attribute, value) in &result.attributes {
            if let Attribute::Metadata(name) = attribute {
                metadata.insert(name.to_string(), value.to_string());
            }
        }
        let last_modified = Some(SystemTime::from(result.meta.last_modified));
        let body = result
            .bytes()
            .await
            .map_err(|error| map_error(error, "cannot read", &target))?;
        Ok(Object {
            body,
            metadata,
            last_modified,
        })
    }

    pub(crate) async fn head(&self, key: &str) -> Result<Option<ObjectInfo>> {
        let path = Self::path(key)?;
        match self.plain.head(&path).await {
            Ok(meta) => Ok(Some(ObjectInfo {
                key: key.to_owned(),
                size: meta.size,
                last_modified: Some(SystemTime::from(meta.last_modified)),
            })),
            Err(error) => {
                let error = map_error(error, "cannot head", &self.target(key));
                // A HEAD error has no body, so a missing bucket looks like a missing key.
                match error.kind() {
                    ErrorKind::NotFound | ErrorKind::NoSuchBucket => Ok(None),
                    _ => Err(error),
                }
            }
        }
    }

    pub(crate) async fn list_page(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        max_keys: usize,
    ) -> Result<ListPage> {
        let options = PaginatedListOptions {
            offset: start_after.map(str::to_owned),
            max_keys: Some(max_keys),
            ..PaginatedListOptions::default()
        };
        let prefix = Some(prefix).filter(|prefix| !prefix.is_empty());
        let page = self
            .plain
            .list_paginated(prefix, options)
            .await
            .map_err(|error| {
                map_error(
                    error,
                    "cannot list",
                    &self.target(prefix.unwrap_or_default()),
                )
            })?;
        let mut objects: Vec<ObjectInfo> = page
            .result
            .objects
            .into_iter()
            .map(|meta| ObjectInfo {
                key: meta.location.to_string(),
                size: meta.size,
                last_modified: Some(SystemTime::from(meta.last_modified)),
            })
            .collect();
        // S3 returns keys in bytewise order; S3-compatible stores are asked to, not trusted.
        objects.sort_unstable_by(|left, right| left.key.cmp(&right.key));
        Ok(ListPage {
            objects,
            is_truncated: page.page_token.is_some(),
        })
    }

    pub(crate) async fn delete(&self, key: &str) -> Result<()> {
        let path = Self::path(key)?;
        self.plain
            .delete(&path)
            .await
            .map_err(|error| map_error(error, "cannot delete", &self.target(key)))
    }
}

/// Builds one object_store client for `bucket`.
fn build_client(
    bucket: &str,
    settings: &S3Settings,
    encryption: Option<&Encryption>,
) -> Result<AmazonS3> {
    let region = settings.region.as_deref().unwrap_or(DEFAULT_REGION);
    let client_options = ClientOptions::new()
        .with_allow_http(settings.allow_http)
        .with_timeout(REQUEST_TIMEOUT)
        .with_connect_timeout(CONNECT_TIMEOUT);
    let retry = RetryConfig {
        backoff: BackoffConfig::default(),
        max_retries: MAX_RETRIES,
        retry_timeout: RETRY_TIMEOUT,
    };
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region(region)
        .with_client_options(client_options)
        .with_retry(retry)
        .with_virtual_hosted_style_request(!settings.force_path_style)
        .with_conditional_put(S3ConditionalPut::ETagMatch);
    if let Some(endpoint) = &settings.endpoint_url {
        let endpoint = if settings.force_path_style {
            endpoint.clone()
        } else {
            // object_store takes a virtual-hosted endpoint with the bucket already in it.
            virtual_hosted_endpoint(endpoint, bucket)
        };
        builder = builder.with_endpoint(endpoint);
    }
    match (&settings.access_key_id, &settings.secret_access_key) {
        (Some(access_key_id), Some(secret_access_key)) => {
            builder = builder
                .with_access_key_id(access_key_id)
                .with_secret_access_key(secret_access_key);
            if let Some(token) = &settings.session_token {
                builder = builder.with_token(token);
            }
        }
        // Without credentials, send unsigned requests rather than let object_store go
        // looking for instance credentials.
        _ => builder = builder.with_skip_signature(true),
    }
    match encryption {
        None => {}
        Some(Encryption::S3Managed) => {
            // object_store has no SSE-S3 setter and does not export the encryption key enum;
            // the string form of the key is its documented alternative.
            let key: AmazonS3ConfigKey = "aws_server_side_encryption".parse().map_err(|error| {
                Error::new(
                    ErrorKind::Other,
                    "object_store rejects its own encryption option",
                )
                .with_source(error)
            })?;
            builder = builder.with_config(key, "AES256");
        }
        Some(Encryption::Kms { key_id }) => builder = builder.with_sse_kms_encryption(key_id),
    }
    builder.build().map_err(|error| {
        Error::new(
            ErrorKind::InvalidConfig,
            format!("cannot configure an S3 client for bucket `{bucket}`: {error}"),
        )
        .with_source(error)
    })
}

/// Turns `scheme://host[:port][/path]` into `scheme://<bucket>.host[:port][/path]`.
fn virtual_hosted_endpoint(endpoint: &str, bucket: &str) -> String {
    match endpoint.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{bucket}.{rest}"),
        None => format!("{bucket}.{endpoint}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_hosted_endpoints_put_the_bucket_in_the_host() {
        assert_eq!(
            virtual_hosted_endpoint("https://minio.example.com:9000", "logs"),
            "https://logs.minio.example.com:9000"
        );
    }

    #[test]
    fn clients_build_without_network() {
        let settings = S3Settings {
            endpoint_url: Some("http://127.0.0.1:1".into()),
            allow_http: true,
            force_path_style: true,
            ..S3Settings::default()
        };
        let store = S3Store::new("logs", &settings).unwrap();
        let kms = Encryption::Kms {
            key_id: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
        };
        let first = store.client(Some(&kms)).unwrap();
        let again = store.client(Some(&kms)).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        store.client(Some(&Encryption::S3Managed)).unwrap();
        // The debug form must not leak the secret.
        let secret = S3Settings {
            access_key_id: Some("AKIA".into()),
            secret_access_key: Some("very-secret".into()),
            ..settings
        };
        let store = S3Store::new("logs", &secret).unwrap();
        assert!(!format!("{store:?}").contains("very-secret"));
    }

    #[test]
    fn plain_http_needs_allow_http() {
        let settings = S3Settings {
            endpoint_url: Some("http://127.0.0.1:1".into()),
            ..S3Settings::default()
        };
        let error = S3Store::new("logs", &settings).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidConfig);
    }
}
