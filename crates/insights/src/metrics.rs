//! The rate series behind `ListInsightsMetricData` (spec §4.6): counts per 1-minute,
//! 5-minute or 1-hour period, kept 15, 63 and 90 days.

use opentrail_types::Timestamp;

use crate::analyzer::{
    Analyzer, FIVE_POINTS_DAYS, HOUR_POINTS_DAYS, MINUTE_POINTS_DAYS, MINUTES_PER_DAY, minute_of,
    minute_start,
};
use crate::key::{InsightType, KeyRef, SourceEventCategory};

/// `Period`: the length of one point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// 60 seconds.
    Minute,
    /// 300 seconds.
    FiveMinutes,
    /// 3600 seconds.
    Hour,
}

impl Period {
    /// The period for a `Period` in seconds (60, 300 or 3600).
    pub fn from_seconds(seconds: i64) -> Option<Period> {
        match seconds {
            60 => Some(Period::Minute),
            300 => Some(Period::FiveMinutes),
            3600 => Some(Period::Hour),
            _ => None,
        }
    }

    fn minutes(self) -> u32 {
        match self {
            Period::Minute => 1,
            Period::FiveMinutes => 5,
            Period::Hour => 60,
        }
    }

    /// How long points of this period are kept, in days.
    pub fn retention_days(self) -> u32 {
        match self {
            Period::Minute => MINUTE_POINTS_DAYS,
            Period::FiveMinutes => FIVE_POINTS_DAYS,
            Period::Hour => HOUR_POINTS_DAYS,
        }
    }
}

/// One `ListInsightsMetricData` question, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricQuery {
    /// The caller's account.
    pub account: String,
    /// The Region asked about.
    pub region: String,
    /// Management events, or data events (`TrailName` given).
    pub category: SourceEventCategory,
    /// `InsightType`.
    pub insight_type: InsightType,
    /// `EventSource`.
    pub event_source: String,
    /// `EventName`.
    pub event_name: String,
    /// `ErrorCode` (error rates).
    pub error_code: Option<String>,
    /// `StartTime` (inclusive).
    pub start: Timestamp,
    /// `EndTime` (exclusive).
    pub end: Timestamp,
    /// `Period`.
    pub period: Period,
    /// `DataType` `FillWithZeros`: a point for every period, zero when nothing happened.
    pub fill_with_zeros: bool,
}

impl Analyzer {
    /// The points of `query`, oldest first: each period's start and the calls (or errors)
    /// counted in it. Periods start on multiples of their length since the epoch; a
    /// period counts when its start lies in `[start, end)` and within the retention of
    /// its length (measured back from `now`).
    pub fn metric_series(&self, query: &MetricQuery, now: Timestamp) -> Vec<(Timestamp, f64)> {
        let length = query.period.minutes();
        let now_minute = minute_of(now).unwrap_or(0);
        let oldest =
            now_minute.saturating_sub(query.period.retention_days() * MINUTES_PER_DAY) / length;
        let Some(first) = minute_of(query.start).map(|minute| minute.div_ceil(length)) else {
            return Vec::new();
        };
        let first = first.max(oldest);
        // `end` is exclusive: the last period starts before it.
        let Some(end) = minute_of(Timestamp::from_millis(query.end.as_millis() - 1))
            .map(|minute| minute / length + 1)
        else {
            return Vec::new();
        };
        if first >= end {
            return Vec::new();
        }
        let mut text = String::new();
        KeyRef {
            account: &query.account,
            region: &query.region,
            category: query.category,
            insight_type: query.insight_type,
            event_source: &query.event_source,
            event_name: &query.event_name,
            error_code: query.error_code.as_deref(),
        }
        .write_text(&mut text);
        let series = self.state.series.get(text.as_str());
        let points = series.map(|series| match query.period {
            Period::Minute => &series.minutes,
            Period::FiveMinutes => &series.fives,
            Period::Hour => &series.hours,
        });
        let mut out = Vec::new();
        if query.fill_with_zeros {
            for index in first..end {
                let count = points.and_then(|map| map.get(&index)).copied().unwrap_or(0);
                out.push((minute_start(index * length), f64::from(count)));
            }
        } else if let Some(points) = points {
            for (index, count) in points.range(first..end) {
                if *count > 0 {
                    out.push((minute_start(index * length), f64::from(*count)));
                }
            }
        }
        out
    }
}
