//! One module per operation: shapes, conversion, handler.

pub mod lookup_events;
