//! Event history: the searchable, retained store of events behind `LookupEvents`.
//!
//! [`History`] consumes the journal and keeps an index of every management event (and
//! Insights events; data and network activity events when configured), searchable by the
//! eight lookup attributes — several at once, AND-ed, an extension over CloudTrail — and a
//! time range, newest first, in pages whose [`LookupPage::next_token`] stays valid while
//! new events arrive. Events are kept for a retention period counted from their arrival.
//! A lookup can be restricted to one account ([`LookupQuery::account`], set by the server
//! from the caller), and then sees only events whose `recipientAccountId` is that account.
//! For dashboards, [`History::facets`] counts the most frequent values of a few fields over a
//! time range and [`History::histogram`] the events per time bucket, from the index alone.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use opentrail_journal::{AppendEntry, Journal, JournalConfig};
//! use opentrail_store::{History, HistoryConfig, LookupEventsInput, LookupQuery};
//! use opentrail_types::SystemClock;
//!
//! let dir = tempfile::tempdir()?;
//! let clock = Arc::new(SystemClock);
//! let journal = Journal::open(&dir.path().join("journal"), JournalConfig::default(), clock.clone())?;
//! let record = br#"{"eventTime":"2026-03-04T17:05:21Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventID":"e-1","readOnly":false}"#;
//! journal.append(vec![AppendEntry::new("e-1", record.to_vec())])?;
//! let history = History::open(&dir.path().join("history"), journal, HistoryConfig::default(), clock)?;
//! assert!(history.wait_caught_up(Duration::from_secs(5)));
//!
//! let input = LookupEventsInput {
//!     lookup_attributes: vec![(Some("EventName".into()), Some("CreateUser".into()))],
//!     ..LookupEventsInput::default()
//! };
//! let page = history.lookup_events(&LookupQuery::from_input(&input)?)?;
//! assert_eq!(page.events[0].event_id, "e-1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod data_dir;
mod error;
mod history;
mod lookup;

pub use data_dir::DataDir;
pub use error::{Error, ErrorKind, Result};
pub use history::facets::{
    AggregateError, AggregateErrorKind, FacetCount, FacetField, FacetRequest, Facets, FieldFacets,
    HistogramBucket, HistogramRequest, MAX_FACET_TOP, MAX_HISTOGRAM_BUCKETS,
};
pub use history::{CONSUMER_NAME, History, HistoryConfig, HistoryStatus};
pub use lookup::{
    AttributeKey, LookupAttribute, LookupError, LookupErrorKind, LookupEvent, LookupEventsInput,
    LookupPage, LookupQuery, MAX_ATTRIBUTE_VALUE_WEIGHT, MAX_LOOKUP_ATTRIBUTES, MAX_RESULTS,
};
