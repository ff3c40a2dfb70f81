//! Integration tests of opentrail-trino: real SQL through a `SessionContext` with the
//! Trino functions registered.

mod support;

mod aggregates;
mod conditional;
mod dates;
mod fixtures;
mod json;
mod maps_arrays;
mod strings;
