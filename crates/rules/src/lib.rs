//! EventBridge-style rules on the default event bus and their targets: the validated
//! model ([`model`]), EventBridge's limits ([`limits`]), the semantics of the rule API,
//! and persistence in the metadata store ([`RuleStore`]).
//!
//! [`RuleStore`] has one method per EventBridge operation (`put_rule`, `put_targets`, …).
//! Each takes the caller's account and Region ([`Caller`]) and the request as sent
//! ([`input`]), checks it the way EventBridge does, and answers with EventBridge's
//! refusals ([`ErrorKind`] names the exception) or the checked model types. Every change
//! is written to `<dir>/rules.json` before the method returns; the router reads
//! [`RuleStore::snapshot`] and waits on [`RuleStore::subscribe`].
//!
//! ```
//! use opentrail_rules::input::{PutRuleInput, PutTargetsInput, TargetInput};
//! use opentrail_rules::{Caller, RuleStore};
//! use opentrail_types::Timestamp;
//!
//! let dir = tempfile::tempdir()?;
//! let store = RuleStore::open(dir.path())?;
//! let caller = Caller::new("111122223333", "us-east-1");
//! let rule = store.put_rule(
//!     &caller,
//!     PutRuleInput {
//!         name: Some("iam-changes".into()),
//!         event_pattern: Some(r#"{"source":["aws.iam"]}"#.into()),
//!         ..PutRuleInput::default()
//!     },
//!     Timestamp::from_secs(1_700_000_000),
//! )?;
//! assert_eq!(rule.arn(), "arn:aws:events:us-east-1:111122223333:rule/iam-changes");
//! let failed = store.put_targets(
//!     &caller,
//!     PutTargetsInput {
//!         rule: Some("iam-changes".into()),
//!         targets: Some(vec![TargetInput {
//!             id: Some("log".into()),
//!             arn: Some("file:alerts/iam.ndjson".into()),
//!             ..TargetInput::default()
//!         }]),
//!         ..PutTargetsInput::default()
//!     },
//!     &[],
//! )?;
//! assert!(failed.is_empty());
//! assert_eq!(store.snapshot()[0].targets[0].id, "log");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod check;
pub mod error;
pub mod input;
pub mod limits;
pub mod model;
mod ops_rules;
mod ops_tags;
mod ops_targets;
pub mod paths;
mod pattern_test;
mod registry;
pub mod store;
mod targets;

pub use error::{Error, ErrorKind, Result};
pub use limits::RuleLimits;
pub use model::{
    DEFAULT_BUS, Destination, HttpParameters, InputTransformer, RetryPolicy, Rule, RuleState,
    Target, default_bus_arn, rule_arn,
};
pub use ops_rules::RulePage;
pub use ops_targets::{EntryFailure, RuleNamePage, TargetPage};
pub use pattern_test::{REQUIRED_EVENT_MEMBERS, test_event_pattern};
pub use registry::{Caller, RuleStore};
pub use targets::{PREDEFINED_PLACEHOLDERS, placeholders};
