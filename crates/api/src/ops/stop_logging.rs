//! `StopLogging` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html>).
//!
//! Request: `Name`* (name or ARN). Response: `{}`. Idempotent; home region only.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{EmptyResponse, NameRequest, caller};

/// The request body.
pub type StopLoggingRequest = NameRequest;

/// Handles one `StopLogging` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: StopLoggingRequest,
) -> Result<EmptyResponse, ApiError> {
    services
        .trails
        .stop_logging(&caller(scope), &request.name)?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_names_the_trail() {
        let request: StopLoggingRequest =
            serde_json::from_str(r#"{"Name":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}"#)
                .unwrap();
        assert!(request.name.ends_with("trail/t"));
        assert!(serde_json::from_str::<StopLoggingRequest>("{}").is_err());
    }
}
