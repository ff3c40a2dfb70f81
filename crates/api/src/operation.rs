//! Every operation of CloudTrail's control plane (`CloudTrail_20131101`), how a request
//! names it (`X-Amz-Target`), whether it only reads, and whether OpenTrail serves it.

use std::fmt;

use crate::{ApiError, ErrorCode, LONG_TARGET_PREFIX, TARGET_PREFIX};

macro_rules! operations {
    ($($name:ident: $access:ident, $status:expr;)*) => {
        /// A CloudTrail control-plane operation (botocore model `cloudtrail/2013-11-01`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Operation {
            $(
                #[doc = concat!("`", stringify!($name), "`.")]
                $name,
            )*
        }

        impl Operation {
            /// Every operation, in the model's (alphabetical) order.
            pub const ALL: &'static [Operation] = &[$(Operation::$name),*];

            /// The operation's name as the model spells it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Operation::$name => stringify!($name),)*
                }
            }

            /// Whether the operation only reads: it is then recorded with `readOnly: true`
            /// and allowed to read-only principals.
            pub const fn is_read_only(self) -> bool {
                match self {
                    $(Operation::$name => matches!(Access::$access, Access::Read),)*
                }
            }

            /// Where OpenTrail stands on the operation.
            pub const fn status(self) -> Status {
                match self {
                    $(Operation::$name => $status,)*
                }
            }

            /// Looks an operation up by its model name.
            pub fn from_name(name: &str) -> Option<Operation> {
                match name {
                    $(stringify!($name) => Some(Operation::$name),)*
                    _ => None,
                }
            }
        }
    };
}

/// Whether an operation reads or changes state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
}

/// Where OpenTrail stands on an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// Served for real.
    Implemented,
    /// Answered with `UnsupportedOperationException`; the text says which part of
    /// OpenTrail will bring it.
    Planned(&'static str),
}

const GENERATE: Status = Status::Planned(
    "natural-language query generation, which needs a language model (not planned)",
);
const SAMPLES: Status = Status::Planned("a searchable catalogue of Lake sample queries (not yet)");
const DATA_INSIGHTS: Status =
    Status::Planned("Insights on data events (management-event Insights are served)");
const DASHBOARDS: Status = Status::Planned("Lake dashboards");
const FEDERATION: Status =
    Status::Planned("AWS Organizations and Lake Formation federation (not planned yet)");

operations! {
    AddTags: Write, Status::Implemented;
    CancelQuery: Write, Status::Implemented;
    CreateChannel: Write, Status::Implemented;
    CreateDashboard: Write, DASHBOARDS;
    CreateEventDataStore: Write, Status::Implemented;
    CreateTrail: Write, Status::Implemented;
    DeleteChannel: Write, Status::Implemented;
    DeleteDashboard: Write, DASHBOARDS;
    DeleteEventDataStore: Write, Status::Implemented;
    DeleteResourcePolicy: Write, Status::Implemented;
    DeleteTrail: Write, Status::Implemented;
    DeregisterOrganizationDelegatedAdmin: Write, FEDERATION;
    DescribeQuery: Read, Status::Implemented;
    DescribeTrails: Read, Status::Implemented;
    DisableFederation: Write, FEDERATION;
    EnableFederation: Write, FEDERATION;
    GenerateQuery: Read, GENERATE;
    GetChannel: Read, Status::Implemented;
    GetDashboard: Read, DASHBOARDS;
    GetEventConfiguration: Read, Status::Implemented;
    GetEventDataStore: Read, Status::Implemented;
    GetEventSelectors: Read, Status::Implemented;
    GetImport: Read, Status::Implemented;
    GetInsightSelectors: Read, Status::Implemented;
    GetQueryResults: Read, Status::Implemented;
    GetResourcePolicy: Read, Status::Implemented;
    GetTrail: Read, Status::Implemented;
    GetTrailStatus: Read, Status::Implemented;
    ListChannels: Read, Status::Implemented;
    ListDashboards: Read, DASHBOARDS;
    ListEventDataStores: Read, Status::Implemented;
    ListImportFailures: Read, Status::Implemented;
    ListImports: Read, Status::Implemented;
    ListInsightsData: Read, DATA_INSIGHTS;
    ListInsightsMetricData: Read, Status::Implemented;
    ListPublicKeys: Read, Status::Implemented;
    ListQueries: Read, Status::Implemented;
    ListTags: Read, Status::Implemented;
    ListTrails: Read, Status::Implemented;
    LookupEvents: Read, Status::Implemented;
    PutEventConfiguration: Write, Status::Implemented;
    PutEventSelectors: Write, Status::Implemented;
    PutInsightSelectors: Write, Status::Implemented;
    PutResourcePolicy: Write, Status::Implemented;
    RegisterOrganizationDelegatedAdmin: Write, FEDERATION;
    RemoveTags: Write, Status::Implemented;
    RestoreEventDataStore: Write, Status::Implemented;
    SearchSampleQueries: Read, SAMPLES;
    StartDashboardRefresh: Write, DASHBOARDS;
    StartEventDataStoreIngestion: Write, Status::Implemented;
    StartImport: Write, Status::Implemented;
    StartLogging: Write, Status::Implemented;
    StartQuery: Write, Status::Implemented;
    StopEventDataStoreIngestion: Write, Status::Implemented;
    StopImport: Write, Status::Implemented;
    StopLogging: Write, Status::Implemented;
    UpdateChannel: Write, Status::Implemented;
    UpdateDashboard: Write, DASHBOARDS;
    UpdateEventDataStore: Write, Status::Implemented;
    UpdateTrail: Write, Status::Implemented;
}

impl Operation {
    /// Reads the operation from an `X-Amz-Target` value: the long form the SDKs send
    /// (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`) or the short
    /// one (`CloudTrail_20131101.LookupEvents`).
    ///
    /// # Errors
    ///
    /// `UnknownOperationException` for a missing target, another service's prefix or an
    /// operation CloudTrail does not have.
    pub fn from_target(target: Option<&str>) -> Result<Operation, ApiError> {
        let Some(target) = target else {
            return Err(ApiError::new(
                ErrorCode::UnknownOperationException,
                "the request has no `X-Amz-Target` header naming the operation",
            ));
        };
        let name = target
            .strip_prefix(LONG_TARGET_PREFIX)
            .or_else(|| target.strip_prefix(TARGET_PREFIX))
            .and_then(|rest| rest.strip_prefix('.'));
        name.and_then(Operation::from_name).ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownOperationException,
                format!(
                    "unknown operation `{}`",
                    target.chars().take(200).collect::<String>()
                ),
            )
        })
    }

    /// The error an operation OpenTrail does not serve answers with.
    pub fn unsupported_error(self) -> Option<ApiError> {
        match self.status() {
            Status::Implemented => None,
            Status::Planned(part) => Some(ApiError::new(
                ErrorCode::UnsupportedOperationException,
                format!(
                    "{} is not supported by this OpenTrail server yet; it comes with {part} \
                     (see docs/compatibility.md)",
                    self.name()
                ),
            )),
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_target_forms_name_the_operation() {
        assert_eq!(
            Operation::from_target(Some(
                "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"
            ))
            .unwrap(),
            Operation::LookupEvents
        );
        assert_eq!(
            Operation::from_target(Some("CloudTrail_20131101.CreateTrail")).unwrap(),
            Operation::CreateTrail
        );
    }

    #[test]
    fn unknown_targets_are_refused_with_unknown_operation() {
        for target in [
            None,
            Some("CloudTrail_20131101.Frobnicate"),
            Some("DynamoDB_20120810.GetItem"),
            Some("CloudTrail_20131101"),
            Some("CloudTrail_20131101LookupEvents"),
            Some(""),
        ] {
            let error = Operation::from_target(target).unwrap_err();
            assert_eq!(
                error.code,
                ErrorCode::UnknownOperationException,
                "{target:?}"
            );
        }
    }

    #[test]
    fn the_table_has_every_model_operation_once() {
        assert_eq!(Operation::ALL.len(), 60);
        for operation in Operation::ALL {
            assert_eq!(Operation::from_name(operation.name()), Some(*operation));
        }
        assert!(Operation::LookupEvents.is_read_only());
        assert!(!Operation::CreateTrail.is_read_only());
        assert!(Operation::LookupEvents.unsupported_error().is_none());
        assert!(Operation::CreateTrail.unsupported_error().is_none());
        assert!(Operation::ListPublicKeys.unsupported_error().is_none());
        assert!(
            Operation::CreateEventDataStore
                .unsupported_error()
                .is_none()
        );
        assert!(Operation::StartQuery.unsupported_error().is_none());
        let error = Operation::GenerateQuery.unsupported_error().unwrap();
        assert_eq!(error.code, ErrorCode::UnsupportedOperationException);
        assert!(error.message.contains("GenerateQuery"));
    }
}
