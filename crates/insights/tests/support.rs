//! A paused-clock driver: events are fed with the analyzer's clock set by the test.

use opentrail_insights::{Analyzer, InsightEvent, InsightsConfig, Observation, SeriesKey};
use opentrail_types::Timestamp;

pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";

/// 2026-03-02T00:00:00Z, a Monday.
pub fn day0() -> Timestamp {
    Timestamp::parse_event_time("2026-03-02T00:00:00Z").unwrap()
}

pub fn minutes(count: i64) -> i64 {
    count * 60_000
}

/// One record's JSON.
#[derive(Clone)]
pub struct Call {
    pub source: &'static str,
    pub name: &'static str,
    pub read_only: bool,
    pub error: Option<&'static str>,
    pub arn: &'static str,
    pub agent: &'static str,
    pub account: &'static str,
}

impl Call {
    pub fn write(source: &'static str, name: &'static str) -> Call {
        Call {
            source,
            name,
            read_only: false,
            error: None,
            arn: "arn:aws:iam::111122223333:user/alice",
            agent: "aws-cli/2.15.0",
            account: ACCOUNT,
        }
    }

    pub fn read(source: &'static str, name: &'static str) -> Call {
        Call {
            read_only: true,
            ..Call::write(source, name)
        }
    }

    pub fn failing(mut self, code: &'static str) -> Call {
        self.error = Some(code);
        self
    }

    pub fn by(mut self, arn: &'static str, agent: &'static str) -> Call {
        self.arn = arn;
        self.agent = agent;
        self
    }

    pub fn record(&self, time: Timestamp) -> Vec<u8> {
        let error = self
            .error
            .map(|code| format!(r#""errorCode":"{code}","errorMessage":"no","#))
            .unwrap_or_default();
        format!(
            r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","arn":"{arn}"}},"eventTime":"{time}","eventSource":"{source}","eventName":"{name}","awsRegion":"{REGION}","sourceIPAddress":"192.0.2.1","userAgent":"{agent}",{error}"readOnly":{read_only},"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"{account}","eventCategory":"Management"}}"#,
            arn = self.arn,
            time = time.format_event_time(),
            source = self.source,
            name = self.name,
            agent = self.agent,
            read_only = self.read_only,
            account = self.account,
        )
        .into_bytes()
    }
}

/// Feeds an analyzer in time order with the clock at each event's time, ticking as
/// minutes pass; every Insight is enabled unless `enabled` says otherwise.
pub struct Driver {
    pub analyzer: Analyzer,
    pub now: Timestamp,
    pub events: Vec<InsightEvent>,
    pub enabled: fn(&SeriesKey) -> bool,
}

impl Driver {
    pub fn new(config: InsightsConfig) -> Driver {
        Driver {
            analyzer: Analyzer::new(config),
            now: day0(),
            events: Vec::new(),
            enabled: |_| true,
        }
    }

    /// Sets the clock (never backwards) and ticks.
    pub fn advance_to(&mut self, now: Timestamp) {
        if now > self.now {
            self.now = now;
        }
        self.analyzer.tick(self.now, &self.enabled);
        self.events.extend(self.analyzer.take_emitted());
    }

    /// Counts `call` at `time`, with the clock at `time` (or later if already later).
    pub fn call(&mut self, call: &Call, time: Timestamp) {
        self.advance_to(time);
        let bytes = call.record(time);
        let observation = Observation::parse(&bytes).expect("test records parse");
        self.analyzer.observe(&observation, self.now, &self.enabled);
        self.events.extend(self.analyzer.take_emitted());
    }

    /// `per_minute` calls spread over each minute of `[from, from + count minutes)`.
    pub fn steady(&mut self, call: &Call, from: Timestamp, count: i64, per_minute: i64) {
        for minute in 0..count {
            for index in 0..per_minute {
                let offset = minutes(minute) + index * 60_000 / per_minute.max(1);
                self.call(call, from.saturating_add_millis(offset));
            }
        }
    }
}
