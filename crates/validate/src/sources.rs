//! Where the trail's settings and the public keys come from: CloudTrail (through
//! [`AwsClient`]) or fixed values (an offline `ListPublicKeys` file, tests).

use std::path::Path;

use opentrail_types::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use crate::aws::AwsClient;
use crate::error::{Error, ErrorKind, Result};

/// A trail as `DescribeTrails` describes it: the members the validator reads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct TrailInfo {
    /// `TrailARN`.
    #[serde(rename = "TrailARN", default)]
    pub trail_arn: Option<String>,
    /// `S3BucketName`: where the trail delivers.
    #[serde(rename = "S3BucketName", default)]
    pub s3_bucket_name: Option<String>,
    /// `S3KeyPrefix`: the key prefix, if any.
    #[serde(rename = "S3KeyPrefix", default)]
    pub s3_key_prefix: Option<String>,
    /// `IsOrganizationTrail`.
    #[serde(rename = "IsOrganizationTrail", default)]
    pub is_organization_trail: Option<bool>,
}

/// How the validator learns a trail's bucket, prefix and organization (skipped entirely
/// when the options name a bucket).
#[derive(Debug, Clone)]
pub enum TrailSource {
    /// `DescribeTrails` and, for organization trails, Organizations `DescribeOrganization`.
    Api(AwsClient),
    /// Fixed answers.
    Fixed {
        /// What `DescribeTrails` would list.
        trails: Vec<TrailInfo>,
        /// What `DescribeOrganization` would give as the organization ID.
        organization_id: Option<String>,
    },
}

impl TrailSource {
    pub(crate) async fn describe_trails(&self) -> Result<Vec<TrailInfo>> {
        match self {
            TrailSource::Api(client) => client.describe_trails().await,
            TrailSource::Fixed { trails, .. } => Ok(trails.clone()),
        }
    }

    pub(crate) async fn organization_id(&self) -> Result<String> {
        match self {
            TrailSource::Api(client) => client.describe_organization_id().await,
            TrailSource::Fixed {
                organization_id, ..
            } => organization_id.clone().ok_or_else(|| {
                Error::client(
                    "AWSOrganizationsNotInUseException",
                    "DescribeOrganization",
                    "Your account is not a member of an organization.",
                )
            }),
        }
    }
}

/// One public key of a `ListPublicKeys` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    /// `Value`: base64 of the PKCS#1 DER key (`None` when the answer lacks it).
    pub value: Option<String>,
    /// `ValidityStartTime`.
    pub validity_start: Option<Timestamp>,
    /// `ValidityEndTime`.
    pub validity_end: Option<Timestamp>,
    /// `Fingerprint`: lowercase hex MD5 of the DER key.
    pub fingerprint: String,
}

/// Where the public keys come from.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// CloudTrail `ListPublicKeys` in the source region.
    Api(AwsClient),
    /// A fixed list (an offline file in `ListPublicKeys` form, tests), answered as
    /// `ListPublicKeys` would: the keys whose validity overlaps the asked range (a key
    /// without validity times always does).
    Fixed(Vec<PublicKeyInfo>),
}

impl KeySource {
    /// Reads an offline key file: a `ListPublicKeys` response,
    /// `{"PublicKeyList":[{"Value","ValidityStartTime","ValidityEndTime","Fingerprint"}]}`,
    /// with times as epoch seconds (the wire form) or ISO 8601 strings (what
    /// `aws cloudtrail list-public-keys` prints).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the file cannot be read or is not of that form.
    pub fn from_file(path: &Path) -> Result<KeySource> {
        let bytes = std::fs::read(path).map_err(|error| {
            Error::new(
                ErrorKind::Config,
                format!("cannot read public key file `{}`: {error}", path.display()),
            )
            .with_source(error)
        })?;
        KeySource::from_json(&bytes).map_err(|error| {
            Error::new(
                ErrorKind::Config,
                format!("public key file `{}`: {error}", path.display()),
            )
        })
    }

    /// Parses an offline key list (see [`KeySource::from_file`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when the JSON is not a `ListPublicKeys` response.
    pub fn from_json(bytes: &[u8]) -> Result<KeySource> {
        let value: Value = serde_json::from_slice(bytes).map_err(|error| {
            Error::new(ErrorKind::Config, format!("not JSON: {error}")).with_source(error)
        })?;
        if value.get("PublicKeyList").is_none() {
            return Err(Error::new(
                ErrorKind::Config,
                "not a ListPublicKeys response: no `PublicKeyList`",
            ));
        }
        public_keys_from_response(&value)
            .map(KeySource::Fixed)
            .map_err(|error| Error::new(ErrorKind::Config, error.to_string()))
    }

    pub(crate) async fn list(
        &self,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Vec<PublicKeyInfo>> {
        match self {
            KeySource::Api(client) => client.list_public_keys(start, end).await,
            KeySource::Fixed(keys) => Ok(keys
                .iter()
                .filter(|key| {
                    key.validity_start.is_none_or(|from| from <= end)
                        && key.validity_end.is_none_or(|until| until >= start)
                })
                .cloned()
                .collect()),
        }
    }
}

/// Reads the `PublicKeyList` of a `ListPublicKeys` response.
pub(crate) fn public_keys_from_response(response: &Value) -> Result<Vec<PublicKeyInfo>> {
    let Some(list) = response.get("PublicKeyList") else {
        return Ok(Vec::new());
    };
    let Some(entries) = list.as_array() else {
        return Err(Error::new(
            ErrorKind::Service,
            "`PublicKeyList` is not a list",
        ));
    };
    let mut keys = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let Some(fingerprint) = entry.get("Fingerprint").and_then(Value::as_str) else {
            return Err(Error::new(
                ErrorKind::Service,
                format!("public key {index} has no `Fingerprint`"),
            ));
        };
        let time =
            |name: &str| -> Result<Option<Timestamp>> {
                match entry.get(name) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::Number(number)) => {
                        Ok(number.as_f64().and_then(Timestamp::from_epoch_seconds_f64))
                    }
                    Some(Value::String(text)) => Timestamp::parse_event_time(text)
                        .map(Some)
                        .map_err(|error| {
                            Error::new(
                                ErrorKind::Service,
                                format!("public key {index}: `{name}`: {error}"),
                            )
                        }),
                    Some(_) => Err(Error::new(
                        ErrorKind::Service,
                        format!("public key {index}: `{name}` is not a time"),
                    )),
                }
            };
        keys.push(PublicKeyInfo {
            value: entry
                .get("Value")
                .and_then(Value::as_str)
                .map(str::to_owned),
            validity_start: time("ValidityStartTime")?,
            validity_end: time("ValidityEndTime")?,
            fingerprint: fingerprint.to_owned(),
        });
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn offline_keys_are_filtered_by_validity() {
        let source = KeySource::from_json(
            br#"{"PublicKeyList":[
                {"Value":"AAAA","ValidityStartTime":1000,"ValidityEndTime":2000,"Fingerprint":"a"},
                {"Value":"BBBB","ValidityStartTime":"1970-01-01T00:50:00Z","ValidityEndTime":"1970-01-01T01:40:00+00:00","Fingerprint":"b"},
                {"Value":"CCCC","Fingerprint":"c"}
            ]}"#,
        )
        .unwrap();
        let fingerprints = |start: i64, end: i64| -> Vec<String> {
            block_on(source.list(Timestamp::from_secs(start), Timestamp::from_secs(end)))
                .unwrap()
                .into_iter()
                .map(|key| key.fingerprint)
                .collect()
        };
        assert_eq!(fingerprints(0, 999), ["c"]);
        assert_eq!(fingerprints(0, 1000), ["a", "c"]);
        assert_eq!(fingerprints(2500, 3500), ["b", "c"]);
        assert_eq!(fingerprints(6001, 7000), ["c"]);
    }

    #[test]
    fn bad_key_files_are_config_errors() {
        for text in [
            &b"[]"[..],
            br#"{"PublicKeyList":{}}"#,
            br#"{"PublicKeyList":[{"Value":"x"}]}"#,
            b"nope",
        ] {
            let error = KeySource::from_json(text).unwrap_err();
            assert_eq!(
                error.kind(),
                ErrorKind::Config,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }
}
