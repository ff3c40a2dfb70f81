//! Trino (Presto) SQL functions for DataFusion with Trino semantics, as CloudTrail Lake
//! queries use them.
//!
//! CloudTrail Lake speaks Trino SQL; OpenTrail runs it on DataFusion. DataFusion lacks
//! many Trino functions and gives some shared names another meaning (`element_at` on a
//! map returns a list, `concat` skips NULLs, `substr` counts like PostgreSQL). [`register`]
//! installs this crate's functions over DataFusion's defaults, replacing those it must.
//!
//! Functions are grouped by family: maps and arrays, JSON (values are JSON text in
//! `varchar`), dates, strings and regular expressions, aggregates, and conditionals.
//! Invalid calls fail with an [`Error`] inside the `DataFusionError`; find it with
//! [`Error::find_in`].
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> datafusion::error::Result<()> {
//! use datafusion::prelude::SessionContext;
//!
//! let ctx = SessionContext::new();
//! opentrail_trino::register(&ctx);
//! let batches = ctx
//!     .sql(r#"SELECT json_extract_scalar('{"a":{"b":1}}', '$.a.b') AS b"#)
//!     .await?
//!     .collect()
//!     .await?;
//! assert_eq!(batches[0].num_rows(), 1);
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

use std::sync::Arc;

use datafusion::execution::FunctionRegistry;
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::logical_expr::planner::ExprPlanner;
use datafusion::logical_expr::{AggregateUDF, HigherOrderUDF, ScalarUDF};
use datafusion::prelude::SessionContext;

mod aggregates;
mod conditional;
mod dates;
mod datetime_format;
mod error;
mod json;
mod jsonpath;
mod maps_arrays;
mod planner;
mod strings;
mod udf;

pub use error::{Error, ErrorKind, Result};
pub use planner::TrinoExprPlanner;

/// Returns the scalar functions this crate installs (names and aliases included).
pub fn scalar_functions() -> Vec<Arc<ScalarUDF>> {
    let mut functions = Vec::new();
    functions.extend(maps_arrays::functions());
    functions.extend(json::functions());
    functions.extend(strings::functions());
    functions.extend(dates::functions());
    functions.extend(conditional::functions());
    functions
}

/// Returns the aggregate functions this crate installs.
pub fn aggregate_functions() -> Vec<Arc<AggregateUDF>> {
    aggregates::functions()
}

/// Returns DataFusion's lambda functions under their Trino names (`transform`, `filter`).
///
/// The SQL parser must accept lambda syntax (`x -> x + 1`) for these to be callable:
/// DataFusion's generic dialect reads `->` as a JSON operator.
pub fn higher_order_functions() -> Vec<Arc<HigherOrderUDF>> {
    maps_arrays::higher_order_functions()
}

/// Installs every function of this crate into `ctx`, replacing DataFusion's functions of
/// the same names (`element_at`, `contains`, `concat`, …), and puts a
/// [`TrinoExprPlanner`] ahead of DataFusion's planners so `substr`/`SUBSTRING` count like
/// Trino.
///
/// Call it once on a fresh context, before planning queries.
pub fn register(ctx: &SessionContext) {
    {
        let state = ctx.state_ref();
        let mut state = state.write();
        let mut planners: Vec<Arc<dyn ExprPlanner>> = vec![Arc::new(TrinoExprPlanner::new())];
        planners.extend(state.expr_planners().iter().cloned());
        *state = SessionStateBuilder::new_from_existing(state.clone())
            .with_expr_planners(planners)
            .build();
    }
    for function in scalar_functions() {
        ctx.register_udf(function.as_ref().clone());
    }
    for function in aggregate_functions() {
        ctx.register_udaf(function.as_ref().clone());
    }
    for function in higher_order_functions() {
        ctx.register_higher_order_function(function);
    }
}

/// Installs every function of this crate into a registry such as a `SessionState`.
///
/// A registry only appends expression planners, so this does not install
/// [`TrinoExprPlanner`]: put it first in `SessionStateBuilder::with_expr_planners`
/// yourself, or `substr` keeps DataFusion's meaning.
///
/// # Errors
///
/// Returns the registry's error if it refuses a function.
pub fn register_into(registry: &mut dyn FunctionRegistry) -> datafusion::error::Result<()> {
    for function in scalar_functions() {
        registry.register_udf(function)?;
    }
    for function in aggregate_functions() {
        registry.register_udaf(function)?;
    }
    for function in higher_order_functions() {
        registry.register_higher_order_function(function)?;
    }
    Ok(())
}
