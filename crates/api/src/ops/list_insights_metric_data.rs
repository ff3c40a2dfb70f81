//! `ListInsightsMetricData` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListInsightsMetricData.html>).
//!
//! Request: `EventSource` (`^[a-z0-9_-]+\.amazonaws\.com$`, ≤ 256), `EventName`
//! (`^[A-Za-z0-9_]+$`, 1–128), `InsightType`, `ErrorCode` (required for
//! `ApiErrorRateInsight`, ≤ 128), `StartTime` (default now − 90 days, inclusive),
//! `EndTime` (default now, exclusive), `Period` 60 | 300 | 3600 (default 3600), `DataType`
//! `NonZeroData` | `FillWithZeros` (default `NonZeroData`), `MaxResults` 1–21600 (default
//! 21600), `NextToken`, `TrailName` (data-event Insights: the trail must exist).
//! Response: `TrailARN` (with `TrailName`), `EventSource`, `EventName`, `InsightType`,
//! `ErrorCode`, `Timestamps` and `Values` (same length, oldest first: the calls or errors
//! counted in each period, for the caller's account in the Region of the call),
//! `NextToken`. Points of 1, 5 and 60 minutes are kept 15, 63 and 90 days.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use opentrail_insights::{InsightType, MetricQuery, Period, SourceEventCategory};
use opentrail_types::Timestamp;

use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::caller;
use crate::{ApiError, ErrorCode};

const MAX_RESULTS: usize = 21_600;
const DEFAULT_WINDOW_MS: i64 = 90 * 86_400_000;

/// The request body.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInsightsMetricDataRequest {
    /// `EventSource`.
    #[serde(default)]
    pub event_source: Option<String>,
    /// `EventName`.
    #[serde(default)]
    pub event_name: Option<String>,
    /// `InsightType`.
    #[serde(default)]
    pub insight_type: Option<String>,
    /// `ErrorCode`.
    #[serde(default)]
    pub error_code: Option<String>,
    /// `StartTime` (epoch seconds).
    #[serde(default)]
    pub start_time: Option<f64>,
    /// `EndTime` (epoch seconds).
    #[serde(default)]
    pub end_time: Option<f64>,
    /// `Period` in seconds.
    #[serde(default)]
    pub period: Option<i64>,
    /// `DataType`.
    #[serde(default)]
    pub data_type: Option<String>,
    /// `MaxResults`.
    #[serde(default)]
    pub max_results: Option<i64>,
    /// `NextToken`.
    #[serde(default)]
    pub next_token: Option<String>,
    /// `TrailName`.
    #[serde(default)]
    pub trail_name: Option<String>,
}

/// The response body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInsightsMetricDataResponse {
    /// `TrailARN`.
    #[serde(rename = "TrailARN", skip_serializing_if = "Option::is_none")]
    pub trail_arn: Option<String>,
    /// `EventSource`.
    pub event_source: String,
    /// `EventName`.
    pub event_name: String,
    /// `InsightType`.
    pub insight_type: String,
    /// `ErrorCode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// `Timestamps` (epoch seconds).
    pub timestamps: Vec<f64>,
    /// `Values`.
    pub values: Vec<f64>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Where the Insights metric series come from (the server's analyzer).
pub trait InsightMetrics {
    /// The points of `query` as of `now`, oldest first.
    fn metric_series(&self, query: &MetricQuery, now: Timestamp) -> Vec<(Timestamp, f64)>;
}

impl InsightMetrics for std::sync::Mutex<opentrail_insights::Analyzer> {
    fn metric_series(&self, query: &MetricQuery, now: Timestamp) -> Vec<(Timestamp, f64)> {
        self.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .metric_series(query, now)
    }
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidParameterException, message)
}

fn required(value: Option<String>, member: &str) -> Result<String, ApiError> {
    value.ok_or_else(|| invalid(format!("{member} is required.")))
}

fn check_event_source(source: &str) -> Result<(), ApiError> {
    let service = source.strip_suffix(".amazonaws.com").unwrap_or("");
    let valid = source.len() <= 256
        && !service.is_empty()
        && service.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || b"_-".contains(&byte)
        });
    if valid {
        Ok(())
    } else {
        Err(invalid(format!(
            "EventSource `{source}` is not valid; it must match ^[a-z0-9_-]+\\.amazonaws\\.com$"
        )))
    }
}

fn check_event_name(name: &str) -> Result<(), ApiError> {
    let valid = (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_');
    if valid {
        Ok(())
    } else {
        Err(invalid(format!(
            "EventName `{name}` is not valid; it must be 1 to 128 characters matching ^[A-Za-z0-9_]+$"
        )))
    }
}

fn time(value: Option<f64>, default: Timestamp, member: &str) -> Result<Timestamp, ApiError> {
    match value {
        None => Ok(default),
        Some(seconds) => Timestamp::from_epoch_seconds_f64(seconds)
            .ok_or_else(|| invalid(format!("{member} is not a valid time."))),
    }
}

/// The paging token: the offset into the series, and the request it belongs to.
#[derive(Debug, Serialize, Deserialize)]
struct Token {
    offset: usize,
    request: String,
}

fn fingerprint(query: &MetricQuery) -> String {
    format!(
        "{}|{}|{:?}|{}|{}|{}|{}|{}|{}|{:?}|{}",
        query.account,
        query.region,
        query.category,
        query.insight_type.as_str(),
        query.event_source,
        query.event_name,
        query.error_code.as_deref().unwrap_or(""),
        query.start.as_millis(),
        query.end.as_millis(),
        query.period,
        query.fill_with_zeros,
    )
}

fn read_token(token: &str, query: &MetricQuery) -> Result<usize, ApiError> {
    let bad = || {
        ApiError::new(
            ErrorCode::InvalidNextTokenException,
            "NextToken is not valid for this request.",
        )
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| bad())?;
    let token: Token = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if token.request != fingerprint(query) {
        return Err(bad());
    }
    Ok(token.offset)
}

fn write_token(offset: usize, query: &MetricQuery) -> String {
    let token = Token {
        offset,
        request: fingerprint(query),
    };
    // A struct of a number and a string always serialises.
    let bytes = serde_json::to_vec(&token).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Handles one call.
///
/// # Errors
///
/// `InvalidParameterException` for a missing or malformed member (named in the
/// message), `InvalidNextTokenException`, and the trail lookup errors with `TrailName`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ListInsightsMetricDataRequest,
) -> Result<ListInsightsMetricDataResponse, ApiError> {
    let event_source = required(request.event_source, "EventSource")?;
    check_event_source(&event_source)?;
    let event_name = required(request.event_name, "EventName")?;
    check_event_name(&event_name)?;
    let type_name = required(request.insight_type, "InsightType")?;
    let insight_type = InsightType::from_wire(&type_name).ok_or_else(|| {
        invalid(format!(
            "InsightType `{type_name}` is not valid; valid values are ApiCallRateInsight and ApiErrorRateInsight"
        ))
    })?;
    let error_code = match (insight_type, request.error_code) {
        (InsightType::ApiErrorRateInsight, None) => {
            return Err(invalid(
                "ErrorCode is required when InsightType is ApiErrorRateInsight.",
            ));
        }
        (_, Some(code)) if code.is_empty() || code.len() > 128 => {
            return Err(invalid("ErrorCode must be 1 to 128 characters."));
        }
        // A call-rate series counts calls whatever their outcome: an error code
        // narrows nothing.
        (InsightType::ApiCallRateInsight, _) => None,
        (InsightType::ApiErrorRateInsight, code) => code,
    };
    let period_seconds = request.period.unwrap_or(3600);
    let period = Period::from_seconds(period_seconds).ok_or_else(|| {
        invalid(format!(
            "Period {period_seconds} is not valid; valid values are 60, 300 and 3600"
        ))
    })?;
    let fill_with_zeros = match request.data_type.as_deref() {
        None | Some("NonZeroData") => false,
        Some("FillWithZeros") => true,
        Some(other) => {
            return Err(invalid(format!(
                "DataType `{other}` is not valid; valid values are NonZeroData and FillWithZeros"
            )));
        }
    };
    let max_results = match request.max_results {
        None => MAX_RESULTS,
        Some(value @ 1..=21_600) => usize::try_from(value).unwrap_or(MAX_RESULTS),
        Some(value) => {
            return Err(invalid(format!(
                "MaxResults {value} is not valid; it must be 1 to 21600"
            )));
        }
    };
    let now = services.now;
    let end = time(request.end_time, now, "EndTime")?;
    let start = time(
        request.start_time,
        now.saturating_add_millis(-DEFAULT_WINDOW_MS),
        "StartTime",
    )?;
    if start > end {
        return Err(invalid("StartTime must not be after EndTime."));
    }
    let (category, trail_arn) = match request.trail_name {
        Some(name) => {
            let trail = services.trails.get_trail(&caller(scope), &name)?;
            (SourceEventCategory::Data, Some(trail.arn))
        }
        None => (SourceEventCategory::Management, None),
    };
    let query = MetricQuery {
        account: scope.account_id.clone(),
        region: scope.region.clone(),
        category,
        insight_type,
        event_source: event_source.clone(),
        event_name: event_name.clone(),
        error_code: error_code.clone(),
        start,
        end,
        period,
        fill_with_zeros,
    };
    let offset = match request.next_token.as_deref() {
        Some(token) => read_token(token, &query)?,
        None => 0,
    };
    let points = services.insights.metric_series(&query, now);
    let page: Vec<&(Timestamp, f64)> = points.iter().skip(offset).take(max_results).collect();
    let next = offset + page.len();
    let next_token = (next < points.len()).then(|| write_token(next, &query));
    Ok(ListInsightsMetricDataResponse {
        trail_arn,
        event_source,
        event_name,
        insight_type: type_name,
        error_code,
        timestamps: page
            .iter()
            .map(|(time, _)| time.as_epoch_seconds_f64())
            .collect(),
        values: page.iter().map(|(_, value)| *value).collect(),
        next_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_names_follow_the_documented_patterns() {
        assert!(check_event_source("ec2.amazonaws.com").is_ok());
        assert!(check_event_source("ssm-incidents.amazonaws.com").is_ok());
        assert!(check_event_source("EC2.amazonaws.com").is_err());
        assert!(check_event_source(".amazonaws.com").is_err());
        assert!(check_event_source("ec2.example.com").is_err());
        assert!(check_event_name("RunInstances").is_ok());
        assert!(check_event_name("Run-Instances").is_err());
        assert!(check_event_name(&"A".repeat(129)).is_err());
    }
}
