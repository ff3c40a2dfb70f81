//! Shared primitives of OpenTrail: timestamps in CloudTrail's textual forms, the injected
//! [`Clock`] and the injected [`IdGenerator`]; also the durable JSON state files
//! ([`durable`]) and the JSON text helpers ([`json_text`]) several crates share.
//!
//! Domain code never reads the system clock or a random source directly: it takes a `Clock`
//! and an `IdGenerator`, so tests and goldens can fix both.
//!
//! ```
//! use opentrail_types::{Clock, ManualClock, Timestamp};
//!
//! let clock = ManualClock::new(Timestamp::parse_event_time("2026-03-04T17:05:21Z").unwrap());
//! clock.advance_millis(1_000);
//! assert_eq!(clock.now().format_event_time(), "2026-03-04T17:05:22Z");
//! ```
#![warn(missing_docs)]

mod clock;
pub mod durable;
mod ids;
pub mod json_text;
pub mod serde_millis;
mod time;

pub use clock::{Clock, ManualClock, SharedClock, SystemClock};
pub use ids::{IdGenerator, RandomIds, SeededIds, SharedIds};
pub use time::{Timestamp, TimestampError};
