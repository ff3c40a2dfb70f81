//! What the Lake query operations share: the statement check the SQL engine provides,
//! the resolution of the stores a statement names, and the inactive-store rule.

use opentrail_lake::{Caller, ErrorKind as LakeErrorKind};

use crate::dispatch::Services;
use crate::{ApiError, ErrorCode};

/// Checks Lake SQL statements without running them. Implemented by the server with the
/// SQL engine, so that this crate does not depend on it.
pub trait StatementChecker: Send + Sync {
    /// Checks `statement` (read-only, one statement, within the length limit, parsable)
    /// and returns the table names it reads, as written (store ids or ARNs).
    ///
    /// # Errors
    ///
    /// The message of the `InvalidQueryStatementException` to return.
    fn tables(&self, statement: &str) -> Result<Vec<String>, String>;
}

/// Resolves the tables a statement names to store ids: each must be an event data store
/// of the caller's account visible in its Region, and not pending deletion.
///
/// # Errors
///
/// `InvalidQueryStatementException` for a name that is no store of the caller (spec
/// §3.3: an unknown table), `InactiveEventDataStoreException` for a store pending
/// deletion.
pub(crate) fn resolve_tables(
    services: Services<'_>,
    caller: &Caller,
    tables: &[String],
) -> Result<Vec<String>, ApiError> {
    let mut ids: Vec<String> = Vec::new();
    for table in tables {
        let store = match services.lake.get_event_data_store(caller, table) {
            Ok(store) => store,
            Err(error)
                if matches!(
                    error.kind(),
                    LakeErrorKind::EventDataStoreNotFound | LakeErrorKind::EventDataStoreArnInvalid
                ) =>
            {
                return Err(ApiError::new(
                    ErrorCode::InvalidQueryStatementException,
                    format!(
                        "`{table}` is not an event data store of account {} in this Region",
                        caller.account_id
                    ),
                ));
            }
            Err(error) => return Err(error.into()),
        };
        if store.is_pending_deletion() {
            return Err(ApiError::new(
                ErrorCode::InactiveEventDataStoreException,
                format!(
                    "the event data store `{}` is pending deletion; it cannot be queried",
                    store.id
                ),
            ));
        }
        if !ids.contains(&store.id) {
            ids.push(store.id);
        }
    }
    Ok(ids)
}

/// Refuses to show a query that reads a store pending deletion (spec §3.2.4).
pub(crate) fn check_stores_active(
    services: Services<'_>,
    caller: &Caller,
    store_ids: &[String],
) -> Result<(), ApiError> {
    for id in store_ids {
        if let Ok(store) = services.lake.get_event_data_store(caller, id)
            && store.is_pending_deletion()
        {
            return Err(inactive(id));
        }
    }
    Ok(())
}

fn inactive(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::InactiveEventDataStoreException,
        format!("the event data store `{id}` is pending deletion; its queries are not available"),
    )
}

/// Milliseconds as the `Integer` botocore expects for `ExecutionTimeInMillis`.
pub(crate) fn clamp_millis(millis: i64) -> i64 {
    millis.clamp(0, i64::from(i32::MAX))
}
