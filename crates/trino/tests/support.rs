//! Runs SQL through a context with the Trino functions and renders single values.

use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::error::DataFusionError;
use datafusion::prelude::{SessionConfig, SessionContext};

/// A context with the Trino functions and DataFusion's generic SQL dialect.
pub fn context() -> SessionContext {
    let ctx = SessionContext::new();
    opentrail_trino::register(&ctx);
    ctx
}

/// A context with the Trino functions whose parser reads lambdas (`x -> …`) like Trino.
#[expect(
    clippy::expect_used,
    reason = "test setup with a constant dialect name"
)]
pub fn lambda_context() -> SessionContext {
    let mut config = SessionConfig::new();
    config.options_mut().sql_parser.dialect = "databricks".parse().expect("a known dialect");
    let ctx = SessionContext::new_with_config(config);
    opentrail_trino::register(&ctx);
    ctx
}

/// Runs `sql` and renders every value of the first column, NULL as `NULL`.
pub async fn column(sql: &str) -> Result<Vec<String>, DataFusionError> {
    column_in(&context(), sql).await
}

/// Runs `sql` in `ctx` and renders every value of the first column, NULL as `NULL`.
pub async fn column_in(ctx: &SessionContext, sql: &str) -> Result<Vec<String>, DataFusionError> {
    let batches = ctx.sql(sql).await?.collect().await?;
    let options = FormatOptions::default().with_null("NULL");
    let mut values = Vec::new();
    for batch in &batches {
        let formatter = ArrayFormatter::try_new(batch.column(0).as_ref(), &options)?;
        for row in 0..batch.num_rows() {
            values.push(formatter.value(row).to_string());
        }
    }
    Ok(values)
}

/// Checks each `(sql, expected)` pair, reporting every mismatch at once.
pub async fn check(cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (sql, expected) in cases {
        match column(sql).await {
            Ok(values) if values.len() == 1 && values[0] == *expected => {}
            Ok(values) => failures.push(format!(
                "{sql}\n  expected {expected}\n  got      {values:?}"
            )),
            Err(error) => {
                failures.push(format!("{sql}\n  expected {expected}\n  error    {error}"))
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Checks that each `(sql, fragment)` fails with an error whose text holds `fragment`.
pub async fn check_errors(cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (sql, fragment) in cases {
        match column(sql).await {
            Ok(values) => failures.push(format!(
                "{sql}\n  expected error `{fragment}`, got {values:?}"
            )),
            Err(error) if error.to_string().contains(fragment) => {}
            Err(error) => failures.push(format!(
                "{sql}\n  expected error `{fragment}`\n  got {error}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
