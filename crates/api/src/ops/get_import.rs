//! `GetImport` (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetImport.html>).
//!
//! Request: `ImportId`*. Response: the import with `ImportStatistics`.

use crate::ApiError;
use crate::dispatch::{Scope, Services};
use crate::ops::import_shapes::{ImportIdRequest, ImportShape, own_import};
use crate::ops::lake_shapes::lake_caller;

/// Handles one `GetImport` call.
///
/// # Errors
///
/// `ImportNotFoundException`.
pub fn handle(
    services: Services<'_>,
    scope: &Scope,
    request: ImportIdRequest,
) -> Result<ImportShape, ApiError> {
    let import = own_import(services.imports, &lake_caller(scope), &request.import_id)?;
    Ok(ImportShape::with_statistics(import))
}
