//! One module per operation: shapes, conversion, handler.

pub mod add_tags;
pub mod create_trail;
pub mod delete_trail;
pub mod describe_trails;
pub mod get_event_selectors;
pub mod get_insight_selectors;
pub mod get_trail;
pub mod get_trail_status;
pub mod list_public_keys;
pub mod list_tags;
pub mod list_trails;
pub mod lookup_events;
pub mod put_event_selectors;
pub mod put_insight_selectors;
pub mod remove_tags;
pub mod start_logging;
pub mod stop_logging;
pub mod trail_shapes;
pub mod update_trail;
