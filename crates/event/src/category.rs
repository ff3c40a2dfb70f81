//! `eventCategory` and how a record's category is decided.

use std::fmt;

use crate::Record;

/// The `eventCategory` of a record (`spec/events-and-queries.md` §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EventCategory {
    /// `Management`: control-plane calls; in event history by default.
    Management,
    /// `Data`: data-plane calls such as S3 `GetObject`.
    Data,
    /// `NetworkActivity`: calls through a (recording) endpoint, `AwsVpceEvent`.
    NetworkActivity,
    /// `Insight`: Insights events.
    Insight,
    /// `ActivityAuditLog`: non-AWS events sent with `PutAuditEvents`.
    ActivityAuditLog,
    /// `ConfigurationItem`: AWS Config items (Lake only).
    ConfigurationItem,
    /// `Evidence`: Audit Manager evidence (Lake only).
    Evidence,
}

impl EventCategory {
    /// Every category, in a fixed order (its index is [`EventCategory::code`]).
    pub const ALL: [EventCategory; 7] = [
        EventCategory::Management,
        EventCategory::Data,
        EventCategory::NetworkActivity,
        EventCategory::Insight,
        EventCategory::ActivityAuditLog,
        EventCategory::ConfigurationItem,
        EventCategory::Evidence,
    ];

    /// The wire name (`Management`, `NetworkActivity`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            EventCategory::Management => "Management",
            EventCategory::Data => "Data",
            EventCategory::NetworkActivity => "NetworkActivity",
            EventCategory::Insight => "Insight",
            EventCategory::ActivityAuditLog => "ActivityAuditLog",
            EventCategory::ConfigurationItem => "ConfigurationItem",
            EventCategory::Evidence => "Evidence",
        }
    }

    /// Parses a wire name, exactly as AWS spells it.
    pub fn from_wire(name: &str) -> Option<EventCategory> {
        EventCategory::ALL
            .into_iter()
            .find(|category| category.as_str() == name)
    }

    /// A small stable number for compact storage (index into [`EventCategory::ALL`]).
    pub const fn code(self) -> u8 {
        match self {
            EventCategory::Management => 0,
            EventCategory::Data => 1,
            EventCategory::NetworkActivity => 2,
            EventCategory::Insight => 3,
            EventCategory::ActivityAuditLog => 4,
            EventCategory::ConfigurationItem => 5,
            EventCategory::Evidence => 6,
        }
    }

    /// The category stored under [`EventCategory::code`] `code`.
    pub fn from_code(code: u8) -> Option<EventCategory> {
        EventCategory::ALL.get(usize::from(code)).copied()
    }

    /// Decides the category of `record`.
    ///
    /// The `eventCategory` member wins when it names a known category. Records older than
    /// `eventVersion` 1.07 have none, so it is derived: Insights details or `eventType`
    /// `AwsCloudTrailInsight` → `Insight`; `AwsVpceEvent(s)` → `NetworkActivity`;
    /// `ActivityLog` → `ActivityAuditLog`; `managementEvent: false` → `Data`; otherwise
    /// `Management`.
    pub fn of_record(record: &Record) -> EventCategory {
        EventCategory::derive(
            record.event_category.as_deref(),
            record.event_type.as_deref(),
            record.insight_details.is_some(),
            record.management_event,
        )
    }

    /// Decides a category from the members that tell it (see [`EventCategory::of_record`]).
    pub fn derive(
        event_category: Option<&str>,
        event_type: Option<&str>,
        has_insight_details: bool,
        management_event: Option<bool>,
    ) -> EventCategory {
        if let Some(category) = event_category.and_then(EventCategory::from_wire) {
            return category;
        }
        match event_type {
            Some("AwsCloudTrailInsight") => return EventCategory::Insight,
            Some("AwsVpceEvent" | "AwsVpceEvents") => return EventCategory::NetworkActivity,
            Some("ActivityLog") => return EventCategory::ActivityAuditLog,
            Some("AwsConfigurationItem") => return EventCategory::ConfigurationItem,
            Some("AwsAuditManagerEvidence") => return EventCategory::Evidence,
            _ => {}
        }
        if has_insight_details {
            EventCategory::Insight
        } else if management_event == Some(false) {
            EventCategory::Data
        } else {
            EventCategory::Management
        }
    }
}

impl fmt::Display for EventCategory {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn explicit_category_wins() {
        let data = record(r#"{"eventCategory":"Data","managementEvent":true}"#);
        assert_eq!(EventCategory::of_record(&data), EventCategory::Data);
    }

    #[test]
    fn old_records_get_a_derived_category() {
        assert_eq!(
            EventCategory::of_record(&record("{}")),
            EventCategory::Management
        );
        let insight = record(r#"{"eventType":"AwsCloudTrailInsight"}"#);
        assert_eq!(EventCategory::of_record(&insight), EventCategory::Insight);
        let vpce = record(r#"{"eventType":"AwsVpceEvents"}"#);
        assert_eq!(
            EventCategory::of_record(&vpce),
            EventCategory::NetworkActivity
        );
        let data = record(r#"{"managementEvent":false}"#);
        assert_eq!(EventCategory::of_record(&data), EventCategory::Data);
    }

    #[test]
    fn codes_round_trip() {
        for category in EventCategory::ALL {
            assert_eq!(EventCategory::from_code(category.code()), Some(category));
            assert_eq!(EventCategory::from_wire(category.as_str()), Some(category));
        }
        assert_eq!(EventCategory::from_code(7), None);
    }
}
