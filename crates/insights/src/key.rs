//! What is counted: the Insights types and the key of one per-minute series (spec §4.1).

use std::fmt::Write as _;

pub use opentrail_selectors::{InsightType, SourceEventCategory};
use serde::{Deserialize, Serialize};

/// One per-minute series: an account and Region (Insights are analysed per Region), the
/// category and type, and the API (plus the error code for error rates).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SeriesKey {
    /// `recipientAccountId` of the counted events.
    pub account: String,
    /// `awsRegion` of the counted events.
    pub region: String,
    /// Management or data events.
    pub category: SourceEventCategory,
    /// What is counted.
    pub insight_type: InsightType,
    /// `eventSource`.
    pub event_source: String,
    /// `eventName`.
    pub event_name: String,
    /// `errorCode` (error rates only).
    pub error_code: Option<String>,
}

// Separates the parts of a key's text form; it cannot occur in any of them as ingest
// checked them (account IDs, Region names, service names and API names are printable).
const SEPARATOR: char = '\u{1f}';

/// A key's parts, borrowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyRef<'a> {
    pub(crate) account: &'a str,
    pub(crate) region: &'a str,
    pub(crate) category: SourceEventCategory,
    pub(crate) insight_type: InsightType,
    pub(crate) event_source: &'a str,
    pub(crate) event_name: &'a str,
    pub(crate) error_code: Option<&'a str>,
}

impl KeyRef<'_> {
    /// Writes the lookup text into `out` (cleared first): the parts joined by a unit
    /// separator, so a series is found with one hash lookup and no allocation.
    pub(crate) fn write_text(&self, out: &mut String) {
        out.clear();
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            "{}{SEPARATOR}{}{SEPARATOR}{}{SEPARATOR}{}{SEPARATOR}{}{SEPARATOR}{}{SEPARATOR}{}",
            self.account,
            self.region,
            self.category.as_str(),
            self.insight_type.as_str(),
            self.event_source,
            self.event_name,
            self.error_code.unwrap_or(""),
        );
    }
}

/// Writes the lookup text of an account and Region (a scope) into `out`.
pub(crate) fn write_scope_text(out: &mut String, account: &str, region: &str) {
    out.clear();
    out.push_str(account);
    out.push(SEPARATOR);
    out.push_str(region);
}

impl SeriesKey {
    /// The key's lookup text.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        KeyRef {
            account: &self.account,
            region: &self.region,
            category: self.category,
            insight_type: self.insight_type,
            event_source: &self.event_source,
            event_name: &self.event_name,
            error_code: self.error_code.as_deref(),
        }
        .write_text(&mut out);
        out
    }

    /// The lookup text of the key's account and Region.
    pub(crate) fn scope_text(&self) -> String {
        let mut out = String::new();
        write_scope_text(&mut out, &self.account, &self.region);
        out
    }
}
