//! Functions beyond DataFusion's own: Trino's, from `opentrail-trino`.

use datafusion::prelude::SessionContext;

use crate::error::Result;

/// Registers the Trino functions Lake statements use (`element_at` on maps
/// and arrays, `json_extract_scalar`, `date_diff`, …) with a query's context,
/// replacing DataFusion's functions of the same names.
pub(crate) fn register(context: &SessionContext) -> Result<()> {
    opentrail_trino::register(context);
    Ok(())
}
