//! An expression planner for SQL syntax DataFusion plans without consulting the function
//! registry: `substr(…)` and `SUBSTRING(… FROM … FOR …)` reach `plan_substring`, which
//! DataFusion's own planner answers with its PostgreSQL-style `substr`.

use std::sync::Arc;

use datafusion::error::Result;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult};
use datafusion::logical_expr::{Expr, ScalarUDF};

/// Plans `substr`/`SUBSTRING` with Trino's semantics. It must come before DataFusion's
/// planners in the session's list to take effect.
#[derive(Debug)]
pub struct TrinoExprPlanner {
    substr: Arc<ScalarUDF>,
}

impl TrinoExprPlanner {
    /// Builds the planner.
    pub fn new() -> Self {
        TrinoExprPlanner {
            substr: crate::strings::substr_function(),
        }
    }
}

impl Default for TrinoExprPlanner {
    fn default() -> Self {
        Self::new()
    }
}

impl ExprPlanner for TrinoExprPlanner {
    fn plan_substring(&self, args: Vec<Expr>) -> Result<PlannerResult<Vec<Expr>>> {
        Ok(PlannerResult::Planned(Expr::ScalarFunction(
            ScalarFunction::new_udf(Arc::clone(&self.substr), args),
        )))
    }
}
