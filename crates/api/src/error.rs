//! Errors as clients see them: an AWS error code (the `__type` of the JSON body), an HTTP
//! status, and a message. Every client-visible failure is mapped here and nowhere else.

use std::fmt;

use opentrail_lake::ErrorKind as LakeErrorKind;
use opentrail_store::{LookupError, LookupErrorKind};
use opentrail_trails::ErrorKind as TrailErrorKind;

/// AWS error codes OpenTrail returns. The name is the exception botocore raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `InvalidLookupAttributesException`.
    InvalidLookupAttributesException,
    /// `InvalidTimeRangeException`.
    InvalidTimeRangeException,
    /// `InvalidMaxResultsException`.
    InvalidMaxResultsException,
    /// `InvalidNextTokenException`.
    InvalidNextTokenException,
    /// `InvalidEventCategoryException`.
    InvalidEventCategoryException,
    /// `UnknownOperationException`: the `X-Amz-Target` names no CloudTrail operation.
    UnknownOperationException,
    /// `UnsupportedOperationException`: a CloudTrail operation OpenTrail does not serve (yet).
    UnsupportedOperationException,
    /// `AccessDeniedException`: the caller's principal may not call the operation.
    AccessDeniedException,
    /// `MissingAuthenticationTokenException`: the request carries no signature at all.
    MissingAuthenticationTokenException,
    /// `IncompleteSignatureException`: the signature is malformed or lacks a part.
    IncompleteSignatureException,
    /// `InvalidSignatureException`: the signature does not match, or its time is outside the allowed skew.
    InvalidSignatureException,
    /// `UnrecognizedClientException`: the access key is not known (or a session token was sent).
    UnrecognizedClientException,
    /// `InvalidParameterException`: a parameter is out of its allowed range.
    InvalidParameterException,
    /// `RequestEntityTooLargeException`: the body is larger than the server accepts.
    RequestEntityTooLargeException,
    /// `RequestTimeoutException`: the client sent its request too slowly.
    RequestTimeoutException,
    /// `ServiceUnavailableException`: the server is shutting down or overloaded; retry.
    ServiceUnavailableException,
    /// `SerializationException`: the body is not the operation's JSON shape.
    SerializationException,
    /// `InternalFailure`: our fault; details go to the log, not the client.
    InternalFailure,
    /// `TrailNotFoundException`: no trail of the caller's account matches the name or ARN.
    TrailNotFoundException,
    /// `TrailAlreadyExistsException`: a trail of that name already exists in the region.
    TrailAlreadyExistsException,
    /// `InvalidTrailNameException`: the trail name breaks the naming rules.
    InvalidTrailNameException,
    /// `CloudTrailARNInvalidException`: a value that should be a trail ARN is not a valid one.
    CloudTrailARNInvalidException,
    /// `MaximumNumberOfTrailsExceededException`: the region already has the maximum number of trails.
    MaximumNumberOfTrailsExceededException,
    /// `S3BucketDoesNotExistException`: the trail's bucket does not exist.
    S3BucketDoesNotExistException,
    /// `InvalidS3BucketNameException`: the bucket name breaks S3's naming rules.
    InvalidS3BucketNameException,
    /// `InsufficientS3BucketPolicyException`: the bucket does not let CloudTrail write.
    InsufficientS3BucketPolicyException,
    /// `InvalidS3PrefixException`: the S3 key prefix is too long.
    InvalidS3PrefixException,
    /// `InvalidSnsTopicNameException`: the SNS topic name or ARN is malformed.
    InvalidSnsTopicNameException,
    /// `InsufficientSnsTopicPolicyException`: the SNS topic is unknown or does not let CloudTrail publish.
    InsufficientSnsTopicPolicyException,
    /// `InvalidKmsKeyIdException`: the KMS key ID is none of the accepted forms.
    InvalidKmsKeyIdException,
    /// `InvalidParameterCombinationException`: members that cannot go together.
    InvalidParameterCombinationException,
    /// `InvalidCloudWatchLogsLogGroupArnException`: the CloudWatch Logs log group ARN is malformed.
    InvalidCloudWatchLogsLogGroupArnException,
    /// `InvalidCloudWatchLogsRoleArnException`: the CloudWatch Logs role ARN is malformed or missing.
    InvalidCloudWatchLogsRoleArnException,
    /// `InvalidHomeRegionException`: a trail is changed from outside its home region.
    InvalidHomeRegionException,
    /// `InvalidEventSelectorsException`: the event selectors break a rule.
    InvalidEventSelectorsException,
    /// `InvalidInsightSelectorsException`: the Insights selectors are malformed or their prerequisites unmet.
    InvalidInsightSelectorsException,
    /// `InsightNotEnabledException`: the trail has no Insights selectors.
    InsightNotEnabledException,
    /// `TagsLimitExceededException`: a trail would carry too many tags.
    TagsLimitExceededException,
    /// `InvalidTagParameterException`: a tag key or value is malformed, or a key repeats.
    InvalidTagParameterException,
    /// `ResourceNotFoundException`: the tagged resource does not exist.
    ResourceNotFoundException,
    /// `InvalidTokenException`: a pagination token that was never issued.
    InvalidTokenException,
    /// `OrganizationsNotInUseException`: organization trails: OpenTrail has no AWS Organizations.
    OrganizationsNotInUseException,
    /// `EventDataStoreNotFoundException`: no event data store of the caller has that ARN or ID.
    EventDataStoreNotFoundException,
    /// `EventDataStoreAlreadyExistsException`: an event data store of that name already exists.
    EventDataStoreAlreadyExistsException,
    /// `EventDataStoreMaxLimitExceededException`: the region already has the maximum number of event data stores.
    EventDataStoreMaxLimitExceededException,
    /// `EventDataStoreARNInvalidException`: a value that should name an event data store is not a valid ARN or ID.
    EventDataStoreARNInvalidException,
    /// `EventDataStoreTerminationProtectedException`: the event data store has termination protection on.
    EventDataStoreTerminationProtectedException,
    /// `EventDataStoreHasOngoingImportException`: an import into the event data store is running.
    EventDataStoreHasOngoingImportException,
    /// `InactiveEventDataStoreException`: the event data store is pending deletion.
    InactiveEventDataStoreException,
    /// `InvalidEventDataStoreStatusException`: the event data store's status does not allow the operation.
    InvalidEventDataStoreStatusException,
    /// `InvalidEventDataStoreCategoryException`: the event data store's kind of events does not allow the operation.
    InvalidEventDataStoreCategoryException,
    /// `ChannelNotFoundException`: no channel of the caller has that ARN or ID.
    ChannelNotFoundException,
    /// `ChannelARNInvalidException`: a value that should name a channel is not a valid ARN or ID.
    ChannelARNInvalidException,
    /// `ChannelAlreadyExistsException`: a channel of that name or source already exists.
    ChannelAlreadyExistsException,
    /// `ChannelMaxLimitExceededException`: the region already has the maximum number of channels.
    ChannelMaxLimitExceededException,
    /// `ChannelExistsForEDSException`: a channel delivers to the event data store being deleted.
    ChannelExistsForEDSException,
    /// `InvalidSourceException`: the channel source is not valid.
    InvalidSourceException,
    /// `ResourceARNNotValidException`: the resource ARN of a resource-policy call is malformed.
    ResourceARNNotValidException,
    /// `ResourcePolicyNotFoundException`: the resource has no resource policy.
    ResourcePolicyNotFoundException,
    /// `ResourcePolicyNotValidException`: the resource policy is not a JSON object of at most 8192 characters.
    ResourcePolicyNotValidException,
    /// `ResourceTypeNotSupportedException`: the ARN names a resource type the operation does not take.
    ResourceTypeNotSupportedException,
    /// `InvalidQueryStatementException`: the Lake SQL statement is not a valid read-only query, or names no store of the caller.
    InvalidQueryStatementException,
    /// `MaxConcurrentQueriesException`: the account already has the maximum of queued and running queries.
    MaxConcurrentQueriesException,
    /// `QueryIdNotFoundException`: no query of the caller's account has that ID.
    QueryIdNotFoundException,
    /// `InactiveQueryException`: the query is no longer queued or running.
    InactiveQueryException,
    /// `InvalidDateRangeException`: the start of a time range is after its end.
    InvalidDateRangeException,
    /// `InvalidQueryStatusException`: the query status filter is none of the query statuses.
    InvalidQueryStatusException,
    /// `AccountHasOngoingImportException`: the account already has an import running.
    AccountHasOngoingImportException,
    /// `ImportNotFoundException`: no import of the caller's account has that ID.
    ImportNotFoundException,
    /// `InvalidImportSourceException`: the import source cannot be read.
    InvalidImportSourceException,
    /// `ValidationException` (EventBridge): a member breaks its constraints, members do not
    /// go together, or the rule's state refuses the operation.
    ValidationException,
    /// `InvalidEventPatternException` (EventBridge): the event pattern is not valid.
    InvalidEventPatternException,
    /// `LimitExceededException` (EventBridge): a quota would be exceeded (rules per bus,
    /// targets per rule, event pattern size).
    LimitExceededException,
    /// `ConcurrentModificationException` (EventBridge): concurrent changes of one rule.
    /// Not produced today: the rule store serializes its writers.
    ConcurrentModificationException,
    /// `ManagedRuleException` (EventBridge): the rule is managed by an AWS service. Not
    /// produced today: OpenTrail has no managed rules.
    ManagedRuleException,
}

impl ErrorCode {
    /// The code as written in `__type`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidLookupAttributesException => "InvalidLookupAttributesException",
            ErrorCode::InvalidTimeRangeException => "InvalidTimeRangeException",
            ErrorCode::InvalidMaxResultsException => "InvalidMaxResultsException",
            ErrorCode::InvalidNextTokenException => "InvalidNextTokenException",
            ErrorCode::InvalidEventCategoryException => "InvalidEventCategoryException",
            ErrorCode::UnknownOperationException => "UnknownOperationException",
            ErrorCode::UnsupportedOperationException => "UnsupportedOperationException",
            ErrorCode::AccessDeniedException => "AccessDeniedException",
            ErrorCode::MissingAuthenticationTokenException => "MissingAuthenticationTokenException",
            ErrorCode::IncompleteSignatureException => "IncompleteSignatureException",
            ErrorCode::InvalidSignatureException => "InvalidSignatureException",
            ErrorCode::UnrecognizedClientException => "UnrecognizedClientException",
            ErrorCode::InvalidParameterException => "InvalidParameterException",
            ErrorCode::RequestEntityTooLargeException => "RequestEntityTooLargeException",
            ErrorCode::RequestTimeoutException => "RequestTimeoutException",
            ErrorCode::ServiceUnavailableException => "ServiceUnavailableException",
            ErrorCode::SerializationException => "SerializationException",
            ErrorCode::InternalFailure => "InternalFailure",
            ErrorCode::TrailNotFoundException => "TrailNotFoundException",
            ErrorCode::TrailAlreadyExistsException => "TrailAlreadyExistsException",
            ErrorCode::InvalidTrailNameException => "InvalidTrailNameException",
            ErrorCode::CloudTrailARNInvalidException => "CloudTrailARNInvalidException",
            ErrorCode::MaximumNumberOfTrailsExceededException => {
                "MaximumNumberOfTrailsExceededException"
            }
            ErrorCode::S3BucketDoesNotExistException => "S3BucketDoesNotExistException",
            ErrorCode::InvalidS3BucketNameException => "InvalidS3BucketNameException",
            ErrorCode::InsufficientS3BucketPolicyException => "InsufficientS3BucketPolicyException",
            ErrorCode::InvalidS3PrefixException => "InvalidS3PrefixException",
            ErrorCode::InvalidSnsTopicNameException => "InvalidSnsTopicNameException",
            ErrorCode::InsufficientSnsTopicPolicyException => "InsufficientSnsTopicPolicyException",
            ErrorCode::InvalidKmsKeyIdException => "InvalidKmsKeyIdException",
            ErrorCode::InvalidParameterCombinationException => {
                "InvalidParameterCombinationException"
            }
            ErrorCode::InvalidCloudWatchLogsLogGroupArnException => {
                "InvalidCloudWatchLogsLogGroupArnException"
            }
            ErrorCode::InvalidCloudWatchLogsRoleArnException => {
                "InvalidCloudWatchLogsRoleArnException"
            }
            ErrorCode::InvalidHomeRegionException => "InvalidHomeRegionException",
            ErrorCode::InvalidEventSelectorsException => "InvalidEventSelectorsException",
            ErrorCode::InvalidInsightSelectorsException => "InvalidInsightSelectorsException",
            ErrorCode::InsightNotEnabledException => "InsightNotEnabledException",
            ErrorCode::TagsLimitExceededException => "TagsLimitExceededException",
            ErrorCode::InvalidTagParameterException => "InvalidTagParameterException",
            ErrorCode::ResourceNotFoundException => "ResourceNotFoundException",
            ErrorCode::InvalidTokenException => "InvalidTokenException",
            ErrorCode::OrganizationsNotInUseException => "OrganizationsNotInUseException",
            ErrorCode::EventDataStoreNotFoundException => "EventDataStoreNotFoundException",
            ErrorCode::EventDataStoreAlreadyExistsException => {
                "EventDataStoreAlreadyExistsException"
            }
            ErrorCode::EventDataStoreMaxLimitExceededException => {
                "EventDataStoreMaxLimitExceededException"
            }
            ErrorCode::EventDataStoreARNInvalidException => "EventDataStoreARNInvalidException",
            ErrorCode::EventDataStoreTerminationProtectedException => {
                "EventDataStoreTerminationProtectedException"
            }
            ErrorCode::EventDataStoreHasOngoingImportException => {
                "EventDataStoreHasOngoingImportException"
            }
            ErrorCode::InactiveEventDataStoreException => "InactiveEventDataStoreException",
            ErrorCode::InvalidEventDataStoreStatusException => {
                "InvalidEventDataStoreStatusException"
            }
            ErrorCode::InvalidEventDataStoreCategoryException => {
                "InvalidEventDataStoreCategoryException"
            }
            ErrorCode::ChannelNotFoundException => "ChannelNotFoundException",
            ErrorCode::ChannelARNInvalidException => "ChannelARNInvalidException",
            ErrorCode::ChannelAlreadyExistsException => "ChannelAlreadyExistsException",
            ErrorCode::ChannelMaxLimitExceededException => "ChannelMaxLimitExceededException",
            ErrorCode::ChannelExistsForEDSException => "ChannelExistsForEDSException",
            ErrorCode::InvalidSourceException => "InvalidSourceException",
            ErrorCode::ResourceARNNotValidException => "ResourceARNNotValidException",
            ErrorCode::ResourcePolicyNotFoundException => "ResourcePolicyNotFoundException",
            ErrorCode::ResourcePolicyNotValidException => "ResourcePolicyNotValidException",
            ErrorCode::ResourceTypeNotSupportedException => "ResourceTypeNotSupportedException",
            ErrorCode::InvalidQueryStatementException => "InvalidQueryStatementException",
            ErrorCode::MaxConcurrentQueriesException => "MaxConcurrentQueriesException",
            ErrorCode::QueryIdNotFoundException => "QueryIdNotFoundException",
            ErrorCode::InactiveQueryException => "InactiveQueryException",
            ErrorCode::InvalidDateRangeException => "InvalidDateRangeException",
            ErrorCode::InvalidQueryStatusException => "InvalidQueryStatusException",
            ErrorCode::AccountHasOngoingImportException => "AccountHasOngoingImportException",
            ErrorCode::ImportNotFoundException => "ImportNotFoundException",
            ErrorCode::InvalidImportSourceException => "InvalidImportSourceException",
            ErrorCode::ValidationException => "ValidationException",
            ErrorCode::InvalidEventPatternException => "InvalidEventPatternException",
            ErrorCode::LimitExceededException => "LimitExceededException",
            ErrorCode::ConcurrentModificationException => "ConcurrentModificationException",
            ErrorCode::ManagedRuleException => "ManagedRuleException",
        }
    }

    /// The HTTP status AWS returns with it: 400 for the caller's mistakes, 500 for ours.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::InternalFailure => 500,
            ErrorCode::ServiceUnavailableException => 503,
            ErrorCode::RequestEntityTooLargeException => 413,
            ErrorCode::RequestTimeoutException => 408,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A failure as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// The AWS error code.
    pub code: ErrorCode,
    /// The message for the client (never internal details).
    pub message: String,
}

impl ApiError {
    /// Returns an error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// The JSON body: `{"__type": "<code>", "message": "<message>"}`.
    pub fn to_json(&self) -> String {
        serde_json::json!({ "__type": self.code.as_str(), "message": self.message }).to_string()
    }
}

impl From<opentrail_sigv4::AuthError> for ApiError {
    /// AWS's JSON 1.1 services answer every SigV4 failure with HTTP 400 and one of four
    /// exception names; the finer kinds only matter to our logs.
    fn from(error: opentrail_sigv4::AuthError) -> ApiError {
        use opentrail_sigv4::AuthErrorKind;
        let code = match error.kind() {
            AuthErrorKind::MissingAuthenticationToken => {
                ErrorCode::MissingAuthenticationTokenException
            }
            AuthErrorKind::IncompleteSignature => ErrorCode::IncompleteSignatureException,
            AuthErrorKind::UnrecognizedClient | AuthErrorKind::InvalidSecurityToken => {
                ErrorCode::UnrecognizedClientException
            }
            _ => ErrorCode::InvalidSignatureException,
        };
        ApiError::new(code, error.message())
    }
}

impl From<LookupError> for ApiError {
    fn from(error: LookupError) -> ApiError {
        let code = match error.kind() {
            LookupErrorKind::InvalidLookupAttributes => ErrorCode::InvalidLookupAttributesException,
            LookupErrorKind::InvalidTimeRange => ErrorCode::InvalidTimeRangeException,
            LookupErrorKind::InvalidMaxResults => ErrorCode::InvalidMaxResultsException,
            LookupErrorKind::InvalidNextToken => ErrorCode::InvalidNextTokenException,
            LookupErrorKind::InvalidEventCategory => ErrorCode::InvalidEventCategoryException,
            _ => return ApiError::new(ErrorCode::InternalFailure, "an internal error occurred"),
        };
        ApiError::new(code, error.message())
    }
}

impl From<opentrail_trails::Error> for ApiError {
    /// Refusals keep their message (AWS's text where known); storage failures and bugs
    /// become a generic `InternalFailure`, and the bucket probe being unreachable a
    /// retryable `ServiceUnavailableException`.
    fn from(error: opentrail_trails::Error) -> ApiError {
        let code = match error.kind() {
            TrailErrorKind::TrailNotFound => ErrorCode::TrailNotFoundException,
            TrailErrorKind::TrailAlreadyExists => ErrorCode::TrailAlreadyExistsException,
            TrailErrorKind::InvalidTrailName => ErrorCode::InvalidTrailNameException,
            TrailErrorKind::CloudTrailArnInvalid => ErrorCode::CloudTrailARNInvalidException,
            TrailErrorKind::MaximumNumberOfTrailsExceeded => {
                ErrorCode::MaximumNumberOfTrailsExceededException
            }
            TrailErrorKind::S3BucketDoesNotExist => ErrorCode::S3BucketDoesNotExistException,
            TrailErrorKind::InvalidS3BucketName => ErrorCode::InvalidS3BucketNameException,
            TrailErrorKind::InsufficientS3BucketPolicy => {
                ErrorCode::InsufficientS3BucketPolicyException
            }
            TrailErrorKind::InvalidS3Prefix => ErrorCode::InvalidS3PrefixException,
            TrailErrorKind::InvalidSnsTopicName => ErrorCode::InvalidSnsTopicNameException,
            TrailErrorKind::InsufficientSnsTopicPolicy => {
                ErrorCode::InsufficientSnsTopicPolicyException
            }
            TrailErrorKind::InvalidKmsKeyId => ErrorCode::InvalidKmsKeyIdException,
            TrailErrorKind::InvalidParameterCombination => {
                ErrorCode::InvalidParameterCombinationException
            }
            TrailErrorKind::InvalidCloudWatchLogsLogGroupArn => {
                ErrorCode::InvalidCloudWatchLogsLogGroupArnException
            }
            TrailErrorKind::InvalidCloudWatchLogsRoleArn => {
                ErrorCode::InvalidCloudWatchLogsRoleArnException
            }
            TrailErrorKind::InvalidHomeRegion => ErrorCode::InvalidHomeRegionException,
            TrailErrorKind::InvalidEventSelectors => ErrorCode::InvalidEventSelectorsException,
            TrailErrorKind::InvalidInsightSelectors => ErrorCode::InvalidInsightSelectorsException,
            TrailErrorKind::InsightNotEnabled => ErrorCode::InsightNotEnabledException,
            TrailErrorKind::TagsLimitExceeded => ErrorCode::TagsLimitExceededException,
            TrailErrorKind::InvalidTagParameter => ErrorCode::InvalidTagParameterException,
            TrailErrorKind::ResourceNotFound => ErrorCode::ResourceNotFoundException,
            TrailErrorKind::InvalidParameter => ErrorCode::InvalidParameterException,
            TrailErrorKind::InvalidToken => ErrorCode::InvalidTokenException,
            TrailErrorKind::OrganizationsNotInUse => ErrorCode::OrganizationsNotInUseException,
            TrailErrorKind::Unsupported => ErrorCode::UnsupportedOperationException,
            TrailErrorKind::DependencyUnavailable => ErrorCode::ServiceUnavailableException,
            _ => return ApiError::new(ErrorCode::InternalFailure, "an internal error occurred"),
        };
        ApiError::new(code, error.message())
    }
}

impl From<opentrail_queries::Error> for ApiError {
    /// Refusals keep their message; storage failures and bugs become a generic
    /// `InternalFailure` (the query service logged the details).
    fn from(error: opentrail_queries::Error) -> ApiError {
        use opentrail_queries::ErrorKind as Kind;
        let code = match error.kind() {
            Kind::MaxConcurrentQueries => ErrorCode::MaxConcurrentQueriesException,
            Kind::QueryIdNotFound => ErrorCode::QueryIdNotFoundException,
            Kind::InactiveQuery => ErrorCode::InactiveQueryException,
            Kind::InvalidMaxResults => ErrorCode::InvalidMaxResultsException,
            Kind::InvalidNextToken => ErrorCode::InvalidNextTokenException,
            Kind::InvalidDateRange => ErrorCode::InvalidDateRangeException,
            Kind::InvalidQueryStatus => ErrorCode::InvalidQueryStatusException,
            Kind::InvalidParameter => ErrorCode::InvalidParameterException,
            Kind::InvalidS3BucketName => ErrorCode::InvalidS3BucketNameException,
            Kind::InvalidS3Prefix => ErrorCode::InvalidS3PrefixException,
            Kind::UnsupportedOperation => ErrorCode::UnsupportedOperationException,
            _ => return ApiError::new(ErrorCode::InternalFailure, "an internal error occurred"),
        };
        ApiError::new(code, error.message())
    }
}

impl From<opentrail_imports::Error> for ApiError {
    /// Refusals keep their message; storage failures and bugs become a generic
    /// `InternalFailure`.
    fn from(error: opentrail_imports::Error) -> ApiError {
        use opentrail_imports::ErrorKind as Kind;
        let code = match error.kind() {
            Kind::ImportNotFound => ErrorCode::ImportNotFoundException,
            Kind::AccountHasOngoingImport => ErrorCode::AccountHasOngoingImportException,
            Kind::InvalidImportSource => ErrorCode::InvalidImportSourceException,
            Kind::EventDataStoreArnInvalid => ErrorCode::EventDataStoreARNInvalidException,
            Kind::InvalidParameter => ErrorCode::InvalidParameterException,
            Kind::InvalidNextToken => ErrorCode::InvalidNextTokenException,
            _ => return ApiError::new(ErrorCode::InternalFailure, "an internal error occurred"),
        };
        ApiError::new(code, error.to_string())
    }
}

impl From<opentrail_lake::Error> for ApiError {
    /// Refusals keep their message; storage failures and bugs become a generic
    /// `InternalFailure` (the registry logged the details).
    fn from(error: opentrail_lake::Error) -> ApiError {
        let code = match error.kind() {
            LakeErrorKind::EventDataStoreNotFound => ErrorCode::EventDataStoreNotFoundException,
            LakeErrorKind::EventDataStoreAlreadyExists => {
                ErrorCode::EventDataStoreAlreadyExistsException
            }
            LakeErrorKind::EventDataStoreMaxLimitExceeded => {
                ErrorCode::EventDataStoreMaxLimitExceededException
            }
            LakeErrorKind::EventDataStoreArnInvalid => ErrorCode::EventDataStoreARNInvalidException,
            LakeErrorKind::EventDataStoreTerminationProtected => {
                ErrorCode::EventDataStoreTerminationProtectedException
            }
            LakeErrorKind::EventDataStoreHasOngoingImport => {
                ErrorCode::EventDataStoreHasOngoingImportException
            }
            LakeErrorKind::InactiveEventDataStore => ErrorCode::InactiveEventDataStoreException,
            LakeErrorKind::InvalidEventDataStoreStatus => {
                ErrorCode::InvalidEventDataStoreStatusException
            }
            LakeErrorKind::InvalidEventDataStoreCategory => {
                ErrorCode::InvalidEventDataStoreCategoryException
            }
            LakeErrorKind::InvalidEventSelectors => ErrorCode::InvalidEventSelectorsException,
            LakeErrorKind::InvalidInsightSelectors => ErrorCode::InvalidInsightSelectorsException,
            LakeErrorKind::InsightNotEnabled => ErrorCode::InsightNotEnabledException,
            LakeErrorKind::InvalidParameter => ErrorCode::InvalidParameterException,
            LakeErrorKind::InvalidParameterCombination => {
                ErrorCode::InvalidParameterCombinationException
            }
            LakeErrorKind::InvalidKmsKeyId => ErrorCode::InvalidKmsKeyIdException,
            LakeErrorKind::InvalidTagParameter => ErrorCode::InvalidTagParameterException,
            LakeErrorKind::TagsLimitExceeded => ErrorCode::TagsLimitExceededException,
            LakeErrorKind::InvalidHomeRegion => ErrorCode::InvalidHomeRegionException,
            LakeErrorKind::OrganizationsNotInUse => ErrorCode::OrganizationsNotInUseException,
            LakeErrorKind::InvalidMaxResults => ErrorCode::InvalidMaxResultsException,
            LakeErrorKind::InvalidNextToken => ErrorCode::InvalidNextTokenException,
            LakeErrorKind::InvalidToken => ErrorCode::InvalidTokenException,
            LakeErrorKind::ChannelNotFound => ErrorCode::ChannelNotFoundException,
            LakeErrorKind::ChannelArnInvalid => ErrorCode::ChannelARNInvalidException,
            LakeErrorKind::ChannelAlreadyExists => ErrorCode::ChannelAlreadyExistsException,
            LakeErrorKind::ChannelMaxLimitExceeded => ErrorCode::ChannelMaxLimitExceededException,
            LakeErrorKind::ChannelExistsForEds => ErrorCode::ChannelExistsForEDSException,
            LakeErrorKind::InvalidSource => ErrorCode::InvalidSourceException,
            LakeErrorKind::ResourceNotFound => ErrorCode::ResourceNotFoundException,
            LakeErrorKind::ResourceArnNotValid => ErrorCode::ResourceARNNotValidException,
            LakeErrorKind::ResourcePolicyNotFound => ErrorCode::ResourcePolicyNotFoundException,
            LakeErrorKind::ResourcePolicyNotValid => ErrorCode::ResourcePolicyNotValidException,
            LakeErrorKind::ResourceTypeNotSupported => ErrorCode::ResourceTypeNotSupportedException,
            LakeErrorKind::Unsupported => ErrorCode::UnsupportedOperationException,
            _ => return ApiError::new(ErrorCode::InternalFailure, "an internal error occurred"),
        };
        ApiError::new(code, error.message())
    }
}

/// The EventBridge error code of a rule-store error kind: used for the errors of the
/// `AWSEvents` operations and for the `ErrorCode` of their `FailedEntries`.
pub(crate) fn rules_error_code(kind: opentrail_rules::ErrorKind) -> ErrorCode {
    use opentrail_rules::ErrorKind as Kind;
    match kind {
        Kind::Validation => ErrorCode::ValidationException,
        Kind::InvalidEventPattern => ErrorCode::InvalidEventPatternException,
        Kind::ResourceNotFound => ErrorCode::ResourceNotFoundException,
        Kind::LimitExceeded => ErrorCode::LimitExceededException,
        _ => ErrorCode::InternalFailure,
    }
}

impl From<opentrail_rules::Error> for ApiError {
    /// Refusals keep their message (EventBridge's text where known); storage failures and
    /// bugs become a generic `InternalFailure` (the store logged the details).
    fn from(error: opentrail_rules::Error) -> ApiError {
        match rules_error_code(error.kind()) {
            ErrorCode::InternalFailure => {
                ApiError::new(ErrorCode::InternalFailure, "an internal error occurred")
            }
            code => ApiError::new(code, error.message()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_store::{LookupEventsInput, LookupQuery};

    #[test]
    fn trail_errors_map_to_their_exceptions() {
        use opentrail_trails::{Error, ErrorKind};
        let cases = [
            (ErrorKind::TrailNotFound, "TrailNotFoundException", 400),
            (
                ErrorKind::CloudTrailArnInvalid,
                "CloudTrailARNInvalidException",
                400,
            ),
            (ErrorKind::Unsupported, "UnsupportedOperationException", 400),
            (
                ErrorKind::DependencyUnavailable,
                "ServiceUnavailableException",
                503,
            ),
            (
                ErrorKind::InvalidParameter,
                "InvalidParameterException",
                400,
            ),
        ];
        for (kind, code, status) in cases {
            let error = ApiError::from(Error::rejected(kind, "text"));
            assert_eq!(error.code.as_str(), code);
            assert_eq!(error.code.http_status(), status);
            assert_eq!(error.message, "text");
        }
        let internal = ApiError::from(Error::Internal(String::from("secret detail")));
        assert_eq!(internal.code, ErrorCode::InternalFailure);
        assert!(!internal.message.contains("secret"));
    }

    #[test]
    fn rule_errors_map_to_eventbridge_exceptions() {
        use opentrail_rules::{Error, ErrorKind};
        let cases = [
            (ErrorKind::Validation, "ValidationException"),
            (
                ErrorKind::InvalidEventPattern,
                "InvalidEventPatternException",
            ),
            (ErrorKind::ResourceNotFound, "ResourceNotFoundException"),
            (ErrorKind::LimitExceeded, "LimitExceededException"),
        ];
        for (kind, code) in cases {
            let error = ApiError::from(Error::rejected(kind, "text"));
            assert_eq!(error.code.as_str(), code);
            assert_eq!(error.code.http_status(), 400);
            assert_eq!(error.message, "text");
        }
        let internal = ApiError::from(Error::Internal(String::from("secret detail")));
        assert_eq!(internal.code, ErrorCode::InternalFailure);
        assert_eq!(internal.code.http_status(), 500);
        assert!(!internal.message.contains("secret"));
    }

    #[test]
    fn lookup_errors_map_to_their_exceptions() {
        let input = LookupEventsInput {
            max_results: Some(0),
            ..LookupEventsInput::default()
        };
        let error = ApiError::from(LookupQuery::from_input(&input).unwrap_err());
        assert_eq!(error.code, ErrorCode::InvalidMaxResultsException);
        assert_eq!(error.code.http_status(), 400);
        let body: serde_json::Value = serde_json::from_str(&error.to_json()).unwrap();
        assert_eq!(body["__type"], "InvalidMaxResultsException");
        assert!(body["message"].as_str().unwrap().contains("`0`"));
    }
}
