//! `DeleteTrail` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DeleteTrail.html>).
//!
//! Request: `Name`* (name or ARN). Response: `{}`. Home region only; delivered files
//! stay, and the delivery engine writes a final digest when validation was on.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::trail_shapes::{EmptyResponse, NameRequest, caller};

/// The request body.
pub type DeleteTrailRequest = NameRequest;

/// Handles one `DeleteTrail` call.
///
/// # Errors
///
/// The AWS exception of the refusal, or `InternalFailure`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: DeleteTrailRequest,
) -> Result<EmptyResponse, ApiError> {
    services
        .trails
        .delete_trail(&caller(scope), &request.name)?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_is_an_empty_object() {
        assert_eq!(serde_json::to_string(&EmptyResponse {}).unwrap(), "{}");
        let request: DeleteTrailRequest = serde_json::from_str(r#"{"Name":"t"}"#).unwrap();
        assert_eq!(request.name, "t");
    }
}
