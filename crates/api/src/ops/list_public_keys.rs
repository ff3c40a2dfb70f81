//! `ListPublicKeys` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListPublicKeys.html>).
//!
//! Request: `StartTime`, `EndTime` (epoch seconds; each defaults to now), `NextToken`
//! ("reserved": accepted and ignored). Response: `PublicKeyList`, every digest signing key
//! of the caller's Region whose validity window overlaps `[StartTime, EndTime]`, in one
//! page (the aws CLI's validator reads only the first): `Value` (base64 of the PKCS#1
//! `RSAPublicKey` DER, decoded once by the CLI), `ValidityStartTime`, `ValidityEndTime`
//! (epoch seconds) and `Fingerprint` (MD5 of the DER, lowercase hex). The Region's first
//! key is made when it is first asked for, so a Region always has a current key.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use opentrail_types::Timestamp;

use crate::dispatch::{Scope, Services};
use crate::{ApiError, ErrorCode};

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPublicKeysRequest {
    /// `StartTime`.
    #[serde(default)]
    pub start_time: Option<f64>,
    /// `EndTime`.
    #[serde(default)]
    pub end_time: Option<f64>,
    /// `NextToken`, ignored.
    #[serde(default)]
    pub next_token: Option<String>,
}

/// One key of the response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicKey {
    /// `Value`.
    pub value: String,
    /// `ValidityStartTime`.
    pub validity_start_time: f64,
    /// `ValidityEndTime`.
    pub validity_end_time: f64,
    /// `Fingerprint`.
    pub fingerprint: String,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListPublicKeysResponse {
    /// `PublicKeyList`.
    pub public_key_list: Vec<PublicKey>,
}

fn time(value: Option<f64>, now: Timestamp, member: &str) -> Result<Timestamp, ApiError> {
    match value {
        None => Ok(now),
        Some(seconds) => Timestamp::from_epoch_seconds_f64(seconds).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidTimeRangeException,
                format!("{member} is not a valid time."),
            )
        }),
    }
}

/// Handles the call.
///
/// # Errors
///
/// `InvalidTimeRangeException` when `StartTime` is after `EndTime`; `InternalFailure`
/// when the key store cannot be read.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListPublicKeysRequest,
) -> Result<ListPublicKeysResponse, ApiError> {
    let start = time(request.start_time, services.now, "StartTime")?;
    let end = time(request.end_time, services.now, "EndTime")?;
    if start > end {
        return Err(ApiError::new(
            ErrorCode::InvalidTimeRangeException,
            "Start time must be before end time.",
        ));
    }
    let key_error = |error: opentrail_digest::Error| {
        ApiError::new(
            ErrorCode::InternalFailure,
            format!("the signing keys cannot be read: {error}"),
        )
    };
    services.keys.signer(&scope.region).map_err(key_error)?;
    let keys = services
        .keys
        .public_keys(&scope.region, start, end)
        .map_err(key_error)?;
    let engine = base64::engine::general_purpose::STANDARD;
    Ok(ListPublicKeysResponse {
        public_key_list: keys
            .into_iter()
            .map(|key| PublicKey {
                value: engine.encode(&key.der),
                validity_start_time: key.validity_start.as_secs() as f64,
                validity_end_time: key.validity_end.as_secs() as f64,
                fingerprint: key.fingerprint,
            })
            .collect(),
    })
}
