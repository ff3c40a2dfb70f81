//! An Insights event as the analyzer emits it, and its CloudTrail record (spec §4.4).

use opentrail_types::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::key::{InsightType, SeriesKey, SourceEventCategory};

/// `insightDetails.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum InsightState {
    /// The unusual activity began.
    Start,
    /// It ended.
    End,
}

impl InsightState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            InsightState::Start => "Start",
            InsightState::End => "End",
        }
    }
}

/// The top contributors of one attribute kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// `userIdentityArn`, `userAgent` or `errorCode`.
    pub attribute: &'static str,
    /// Top 5 during the unusual activity: value and average per minute.
    pub insight: Vec<(String, f64)>,
    /// Top 5 during the baseline.
    pub baseline: Vec<(String, f64)>,
}

/// One emitted Insights event.
#[derive(Debug, Clone, PartialEq)]
pub struct InsightEvent {
    /// The series that behaved unusually.
    pub key: SeriesKey,
    /// Start or End.
    pub state: InsightState,
    /// `sharedEventID`: the same for the Start and End of one Insight.
    pub shared_event_id: String,
    /// `eventID`.
    pub event_id: String,
    /// `eventTime`: the first unusual minute (Start) or the end of the last (End).
    pub event_time: Timestamp,
    /// When the analyzer decided (its clock): detection delay is this minus the start.
    pub emitted_at: Timestamp,
    /// Calls (or errors) per minute over the baseline period.
    pub baseline_average: f64,
    /// Minutes of the baseline period.
    pub baseline_duration: u32,
    /// Calls (or errors) per minute during the unusual activity (so far, for Start).
    pub insight_average: f64,
    /// Minutes of the unusual activity (so far, for Start).
    pub insight_duration: u32,
    /// Top contributors by attribute kind; kinds with no values are left out.
    pub attributions: Vec<Attribution>,
}

// Fixed namespace of the name-based IDs Insights events get, so that replaying the same
// events after a restart yields the same IDs and the journal drops the repeats.
const NAMESPACE: Uuid = Uuid::from_u128(0x5d1c_9a4e_7b2f_4c3d_8e6a_0f1b_2c3d_4e5f);

/// The `sharedEventID` of the Insight on `key` that started at `start_minute`.
pub(crate) fn shared_event_id(key: &SeriesKey, start_minute: u32) -> String {
    let name = format!("{}\u{1f}{start_minute}", key.text());
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// The `eventID` of the Start or End record of the Insight `shared_event_id`.
pub(crate) fn event_id(shared_event_id: &str, state: InsightState) -> String {
    let name = format!("{shared_event_id}\u{1f}{}", state.as_str());
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// Rounds to eight significant digits, as CloudTrail's averages read (`6.2352941`,
/// `9.82222E-5`), so records do not carry float noise.
pub(crate) fn round_average(value: f64) -> f64 {
    if !value.is_finite() || value == 0.0 {
        return 0.0;
    }
    format!("{value:.7e}").parse().unwrap_or(value)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    event_version: &'a str,
    event_time: String,
    aws_region: &'a str,
    #[serde(rename = "eventID")]
    event_id: &'a str,
    event_type: &'a str,
    recipient_account_id: &'a str,
    #[serde(rename = "sharedEventID")]
    shared_event_id: &'a str,
    insight_details: Details<'a>,
    event_category: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Details<'a> {
    state: &'a str,
    event_source: &'a str,
    event_name: &'a str,
    insight_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_category: Option<&'a str>,
    insight_context: Context<'a>,
}

#[derive(Serialize)]
struct Context<'a> {
    statistics: Statistics,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributions: Vec<AttributionRecord<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Statistics {
    baseline: Average,
    insight: Average,
    insight_duration: u32,
    baseline_duration: u32,
}

#[derive(Serialize)]
struct Average {
    average: f64,
}

#[derive(Serialize)]
struct AttributionRecord<'a> {
    attribute: &'a str,
    insight: Vec<ValueAverage<'a>>,
    baseline: Vec<ValueAverage<'a>>,
}

#[derive(Serialize)]
struct ValueAverage<'a> {
    value: &'a str,
    average: f64,
}

fn values(list: &[(String, f64)]) -> Vec<ValueAverage<'_>> {
    list.iter()
        .map(|(value, average)| ValueAverage {
            value,
            average: round_average(*average),
        })
        .collect()
}

impl InsightEvent {
    /// The trail-format record (spec §4.4, members in the order of §4.7), compact JSON.
    /// Data-event Insights also carry `insightDetails.eventCategory` `Data`, which is how
    /// `ListInsightsData` tells them from management Insights.
    pub fn to_record(&self) -> Vec<u8> {
        let attributions = self
            .attributions
            .iter()
            .map(|attribution| AttributionRecord {
                attribute: attribution.attribute,
                insight: values(&attribution.insight),
                baseline: values(&attribution.baseline),
            })
            .collect();
        let record = Record {
            event_version: "1.08",
            event_time: self.event_time.format_event_time(),
            aws_region: &self.key.region,
            event_id: &self.event_id,
            event_type: "AwsCloudTrailInsight",
            recipient_account_id: &self.key.account,
            shared_event_id: &self.shared_event_id,
            insight_details: Details {
                state: self.state.as_str(),
                event_source: &self.key.event_source,
                event_name: &self.key.event_name,
                insight_type: self.key.insight_type.as_str(),
                error_code: match self.key.insight_type {
                    InsightType::ApiErrorRateInsight => self.key.error_code.as_deref(),
                    InsightType::ApiCallRateInsight => None,
                },
                event_category: match self.key.category {
                    SourceEventCategory::Data => Some("Data"),
                    SourceEventCategory::Management => None,
                },
                insight_context: Context {
                    statistics: Statistics {
                        baseline: Average {
                            average: round_average(self.baseline_average),
                        },
                        insight: Average {
                            average: round_average(self.insight_average),
                        },
                        insight_duration: self.insight_duration,
                        baseline_duration: self.baseline_duration,
                    },
                    attributions,
                },
            },
            event_category: "Insight",
        };
        // Serialising these plain structs (strings and finite numbers) cannot fail.
        serde_json::to_vec(&record).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_keep_eight_significant_digits() {
        assert_eq!(round_average(6.235_294_117_647), 6.235_294_1);
        assert_eq!(round_average(0.000_098_222_222_9), 0.000_098_222_223);
        assert_eq!(round_average(14.0), 14.0);
        assert_eq!(round_average(f64::NAN), 0.0);
    }
}
