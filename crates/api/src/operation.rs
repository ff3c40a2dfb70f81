//! Every operation of CloudTrail's control plane (`CloudTrail_20131101`), how a request
//! names it (`X-Amz-Target`), whether it only reads, and whether OpenTrail serves it.

use crate::{ApiError, ErrorCode, LONG_TARGET_PREFIX, TARGET_PREFIX};

/// Defines an operation enum from its service's table, one `Name: Access, status;` row per
/// operation of the model: the enum (one variant per row, after the attributes given, doc
/// lines included) with `ALL`, `name`, `is_read_only`, `status` (of the status type named)
/// and `from_name`, and its `Display` (the name). The CloudTrail table below and the
/// EventBridge one in [`crate::events::operation`] share it.
macro_rules! operation_table {
    (
        $(#[$meta:meta])*
        pub enum $operation:ident, status $status_type:ident;
        $($name:ident: $access:ident, $status:expr;)*
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $operation {
            $(
                #[doc = concat!("`", stringify!($name), "`.")]
                $name,
            )*
        }

        impl $operation {
            /// Every operation, in the model's (alphabetical) order.
            pub const ALL: &'static [$operation] = &[$($operation::$name),*];

            /// The operation's name as the model spells it.
            pub const fn name(self) -> &'static str {
                match self {
                    $($operation::$name => stringify!($name),)*
                }
            }

            /// Whether the operation only reads: it is then recorded with `readOnly: true`
            /// and allowed to read-only principals.
            pub const fn is_read_only(self) -> bool {
                match self {
                    $($operation::$name => matches!(
                        $crate::operation::Access::$access,
                        $crate::operation::Access::Read
                    ),)*
                }
            }

            /// Where OpenTrail stands on the operation.
            pub const fn status(self) -> $status_type {
                match self {
                    $($operation::$name => $status,)*
                }
            }

            /// Looks an operation up by its model name.
            pub fn from_name(name: &str) -> Option<$operation> {
                match name {
                    $(stringify!($name) => Some($operation::$name),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $operation {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.name())
            }
        }
    };
}

pub(crate) use operation_table;

/// Reads the operation an `X-Amz-Target` value names: the first of `prefixes` it starts
/// with, a dot, and a name `from_name` knows.
///
/// # Errors
///
/// `UnknownOperationException` for a missing target, another prefix or an unknown name.
pub(crate) fn operation_from_target<T>(
    target: Option<&str>,
    prefixes: &[&str],
    from_name: fn(&str) -> Option<T>,
) -> Result<T, ApiError> {
    let Some(target) = target else {
        return Err(ApiError::new(
            ErrorCode::UnknownOperationException,
            "the request has no `X-Amz-Target` header naming the operation",
        ));
    };
    prefixes
        .iter()
        .find_map(|prefix| target.strip_prefix(prefix))
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(from_name)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownOperationException,
                format!(
                    "unknown operation `{}`",
                    target.chars().take(200).collect::<String>()
                ),
            )
        })
}

/// Whether an operation reads or changes state (the `Access` column of an
/// [`operation_table!`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
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

operation_table! {
    /// A CloudTrail control-plane operation (botocore model `cloudtrail/2013-11-01`).
    pub enum Operation, status Status;

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
        operation_from_target(
            target,
            &[LONG_TARGET_PREFIX, TARGET_PREFIX],
            Operation::from_name,
        )
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
