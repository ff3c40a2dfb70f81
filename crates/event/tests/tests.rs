//! Integration tests of the record model against real CloudTrail records.

mod fixtures;
