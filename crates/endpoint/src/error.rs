//! Errors of the endpoint crate.

/// A bad endpoint definition.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// Not `vpce-` and 17 lower-case hex digits.
    #[error("endpoint id `{id}` is not `vpce-` followed by 17 lower-case hex digits")]
    Id {
        /// The id given.
        id: String,
    },
    /// Not a 12-digit account id.
    #[error("`{account}` is not a 12-digit account id")]
    Account {
        /// The value given.
        account: String,
    },
    /// The upstream URL cannot be used.
    #[error("upstream `{url}`: {reason}")]
    Upstream {
        /// The URL given.
        url: String,
        /// Why.
        reason: String,
    },
}
