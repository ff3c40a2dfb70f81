//! Runs the `.slt` files in `tests/slt/` against the two test stores.
//!
//! Each result row is one text value: the row's cells joined by ` | `, NULL as
//! `NULL`, the empty string as `(empty)`. A statement whose first line is
//! `-- names` gets a first row with the result column names. Errors read
//! `<Kind>: <message>`, so `query error` patterns can assert the kind.
//! `UPDATE_SLT=1 cargo test -p opentrail-sql` rewrites the expected results
//! (review the diff).

use std::path::PathBuf;
use std::sync::Arc;

use opentrail_sql::{CancelFlag, EngineConfig, SqlEngine, StoreTable, parse_statement};
use sqllogictest::{DBOutput, DefaultColumnType, Runner};

use crate::support::test_stores;

#[derive(Debug, thiserror::Error)]
#[error("{kind:?}: {message}")]
pub struct LakeError {
    kind: opentrail_sql::SqlErrorKind,
    message: String,
}

#[derive(Clone)]
struct LakeDb {
    engine: Arc<SqlEngine>,
    tables: Arc<Vec<StoreTable>>,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl sqllogictest::DB for LakeDb {
    type Error = LakeError;
    type ColumnType = DefaultColumnType;

    fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, LakeError> {
        let to_error = |error: opentrail_sql::SqlError| LakeError {
            kind: error.kind(),
            message: error.to_string(),
        };
        let checked = parse_statement(sql).map_err(to_error)?;
        let output = self
            .runtime
            .block_on(
                self.engine
                    .execute(&checked, &self.tables, &CancelFlag::new(), 1 << 24),
            )
            .map_err(to_error)?;
        let mut rows = Vec::new();
        if sql.trim_start().starts_with("-- names") {
            rows.push(vec![output.columns.join(" | ")]);
        }
        for row in output.rows {
            let cells: Vec<String> = row
                .into_iter()
                .map(|cell| match cell {
                    None => "NULL".to_owned(),
                    Some(text) if text.is_empty() => "(empty)".to_owned(),
                    Some(text) => text,
                })
                .collect();
            rows.push(vec![cells.join(" | ")]);
        }
        Ok(DBOutput::Rows {
            types: vec![DefaultColumnType::Text],
            rows,
        })
    }
}

fn slt_files() -> Vec<PathBuf> {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/slt");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "slt"))
        .collect();
    files.sort();
    files
}

#[test]
fn slt_files_pass() {
    let runtime = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    );
    let (object_store, tables) = runtime.block_on(test_stores());
    let engine = SqlEngine::new(EngineConfig::default(), object_store).unwrap();
    let db = LakeDb {
        engine: Arc::new(engine),
        tables: Arc::new(tables),
        runtime,
    };
    let update = std::env::var_os("UPDATE_SLT").is_some();
    let mut failures = Vec::new();
    for file in slt_files() {
        let db = db.clone();
        let mut runner = Runner::new(move || {
            let db = db.clone();
            async move { Ok::<_, LakeError>(db) }
        });
        if update {
            futures::executor::block_on(runner.update_test_file(
                &file,
                " ",
                sqllogictest::default_validator,
                sqllogictest::default_normalizer,
                sqllogictest::default_column_validator,
            ))
            .unwrap();
        } else if let Err(error) = runner.run_file(&file) {
            failures.push(format!("{}: {}", file.display(), error.display(false)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
