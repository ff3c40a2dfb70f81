//! `StopImport` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopImport.html>).
//!
//! Request: `ImportId`*. Response: the import with its statistics and status `STOPPED`;
//! the runner ends after the file it is reading.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::import_shapes::{ImportIdRequest, ImportShape, own_import};
use crate::ops::lake_shapes::lake_caller;

/// Handles one `StopImport` call.
///
/// # Errors
///
/// `ImportNotFoundException`, `InvalidParameterException` for an import not running.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ImportIdRequest,
) -> Result<ImportShape, ApiError> {
    own_import(services.imports, &lake_caller(scope), &request.import_id)?;
    let import = services.imports.stop_import(&request.import_id)?;
    Ok(ImportShape::with_statistics(import))
}
