//! `GetTrailStatus` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html>).
//!
//! Request: `Name`* (name or ARN; a shadow trail needs its ARN). Response, in the model's
//! order: `IsLogging`, the latest delivery, notification and digest errors (S3/SNS error
//! codes) and times (epoch seconds), `StartLoggingTime`, `StopLoggingTime`, and the
//! deprecated string members AWS still fills: `LatestDeliveryAttemptTime`,
//! `LatestNotificationAttemptTime`, `LatestNotificationAttemptSucceeded`,
//! `LatestDeliveryAttemptSucceeded`, `TimeLoggingStarted`, `TimeLoggingStopped` — ISO
//! times (`2015-11-06T18:36:38Z`), or `""` when there is none. The CloudWatch Logs
//! members are never sent (OpenTrail does not deliver there).

use serde::{Deserialize, Serialize};

use opentrail_trails::TrailStatusReport;
use opentrail_types::Timestamp;

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{NameRequest, caller};

/// The request body.
pub type GetTrailStatusRequest = NameRequest;

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTrailStatusResponse {
    /// `IsLogging`.
    pub is_logging: bool,
    /// `LatestDeliveryError`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_delivery_error: Option<String>,
    /// `LatestNotificationError`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_notification_error: Option<String>,
    /// `LatestDeliveryTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_delivery_time: Option<f64>,
    /// `LatestNotificationTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_notification_time: Option<f64>,
    /// `StartLoggingTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_logging_time: Option<f64>,
    /// `StopLoggingTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_logging_time: Option<f64>,
    /// `LatestDigestDeliveryTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_digest_delivery_time: Option<f64>,
    /// `LatestDigestDeliveryError`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_digest_delivery_error: Option<String>,
    /// `LatestDeliveryAttemptTime` (deprecated).
    pub latest_delivery_attempt_time: String,
    /// `LatestNotificationAttemptTime` (deprecated).
    pub latest_notification_attempt_time: String,
    /// `LatestNotificationAttemptSucceeded` (deprecated).
    pub latest_notification_attempt_succeeded: String,
    /// `LatestDeliveryAttemptSucceeded` (deprecated).
    pub latest_delivery_attempt_succeeded: String,
    /// `TimeLoggingStarted` (deprecated).
    pub time_logging_started: String,
    /// `TimeLoggingStopped` (deprecated).
    pub time_logging_stopped: String,
}

fn seconds(time: Option<Timestamp>) -> Option<f64> {
    time.map(Timestamp::as_epoch_seconds_f64)
}

fn iso(time: Option<Timestamp>) -> String {
    time.map(Timestamp::format_event_time).unwrap_or_default()
}

impl From<TrailStatusReport> for GetTrailStatusResponse {
    fn from(report: TrailStatusReport) -> GetTrailStatusResponse {
        let status = report.status;
        // An attempt is at least as recent as the last success it produced.
        let delivery_attempt = status
            .latest_delivery_attempt_time
            .max(status.latest_delivery_time);
        let notification_attempt = status
            .latest_notification_attempt_time
            .max(status.latest_notification_time);
        GetTrailStatusResponse {
            is_logging: report.is_logging,
            latest_delivery_error: status.latest_delivery_error,
            latest_notification_error: status.latest_notification_error,
            latest_delivery_time: seconds(status.latest_delivery_time),
            latest_notification_time: seconds(status.latest_notification_time),
            start_logging_time: seconds(report.start_logging_time),
            stop_logging_time: seconds(report.stop_logging_time),
            latest_digest_delivery_time: seconds(status.latest_digest_delivery_time),
            latest_digest_delivery_error: status.latest_digest_delivery_error,
            latest_delivery_attempt_time: iso(delivery_attempt),
            latest_notification_attempt_time: iso(notification_attempt),
            latest_notification_attempt_succeeded: iso(status.latest_notification_time),
            latest_delivery_attempt_succeeded: iso(status.latest_delivery_time),
            time_logging_started: iso(report.start_logging_time),
            time_logging_stopped: iso(report.stop_logging_time),
        }
    }
}

/// Handles one `GetTrailStatus` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: GetTrailStatusRequest,
) -> Result<GetTrailStatusResponse, ApiError> {
    let report = services
        .trails
        .get_trail_status(&caller(scope), &request.name)?;
    Ok(report.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_trails::TrailStatus;

    #[test]
    fn deprecated_members_are_iso_times_or_empty() {
        let report = TrailStatusReport {
            is_logging: true,
            start_logging_time: Some(Timestamp::from_millis(1_446_834_998_695)),
            stop_logging_time: None,
            status: TrailStatus {
                latest_delivery_time: Some(Timestamp::from_millis(1_454_022_144_869)),
                ..TrailStatus::default()
            },
        };
        let text = serde_json::to_string(&GetTrailStatusResponse::from(report)).unwrap();
        assert_eq!(
            text,
            r#"{"IsLogging":true,"LatestDeliveryTime":1454022144.869,"StartLoggingTime":1446834998.695,"LatestDeliveryAttemptTime":"2016-01-28T23:02:24Z","LatestNotificationAttemptTime":"","LatestNotificationAttemptSucceeded":"","LatestDeliveryAttemptSucceeded":"2016-01-28T23:02:24Z","TimeLoggingStarted":"2015-11-06T18:36:38Z","TimeLoggingStopped":""}"#
        );
    }
}
