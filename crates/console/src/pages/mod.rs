//! The bodies of the console's pages, each from its view model.

pub mod dashboard;
pub mod events;
pub mod insights;
pub mod lake;
pub mod stores;
pub mod trails;
