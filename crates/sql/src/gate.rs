//! The statement gate: length, one statement, read-only, and the stores it
//! names (see `store_names` for ids written without quotes).

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Ident, ObjectName, ObjectNamePart, Query, SetExpr, Statement, TableFactor, Visit, VisitMut,
    Visitor, VisitorMut,
};
use datafusion::sql::sqlparser::dialect::{Dialect, GenericDialect};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::Parser;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use crate::error::{Result, SqlError};
use crate::names;
use crate::store_names::{quote_store_names, store_id_of_arn};

/// The longest statement `StartQuery` accepts, in characters (§3.4.1).
pub const MAX_STATEMENT_CHARS: usize = 10_000;

/// The sqlparser dialect Lake statements are parsed with.
///
/// sqlparser has no Trino dialect. The generic dialect parses every fixture
/// query the others parse, plus Trino's lambdas (`x -> …`) and `map(k, v)`
/// casts that the Hive and PostgreSQL dialects refuse; see the fixture test in
/// `tests/fixtures.rs`.
pub fn lake_dialect() -> &'static dyn Dialect {
    &GenericDialect {}
}

/// A statement that passed the gate: one read-only query, with the event data
/// stores it reads from.
#[derive(Debug, Clone)]
pub struct Checked {
    text: String,
    statement: Statement,
    tables: Vec<String>,
    output_items: Vec<names::OutputItem>,
}

impl Checked {
    /// Returns the statement as the client sent it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Returns the store ids the statement reads from, each once, in order of
    /// first appearance, as written (an ARN is reduced to its id).
    pub fn tables(&self) -> &[String] {
        &self.tables
    }

    /// Returns the parsed statement after the gate's rewrites (table names
    /// quoted, quoted identifiers lowercased).
    pub fn statement(&self) -> &Statement {
        &self.statement
    }

    /// Returns how the result columns are named, computed from the statement
    /// as written (before identifiers were lowercased).
    pub(crate) fn output_items(&self) -> &[names::OutputItem] {
        &self.output_items
    }
}

/// Checks a Lake statement and lists the stores it reads.
///
/// # Errors
///
/// `InvalidQueryStatement` when the text is empty, longer than
/// [`MAX_STATEMENT_CHARS`], holds more than one statement, is not read-only
/// (`INSERT`, `CREATE`, `SET`, `EXPLAIN`, `COPY`, `SELECT … INTO`, …), uses a
/// table function, or does not parse.
pub fn parse_statement(text: &str) -> Result<Checked> {
    parse_statement_with(text, lake_dialect())
}

fn parse_statement_with(text: &str, dialect: &dyn Dialect) -> Result<Checked> {
    let length = text.chars().count();
    if length > MAX_STATEMENT_CHARS {
        return Err(SqlError::invalid(format!(
            "query statement is {length} characters long; the limit is {MAX_STATEMENT_CHARS}"
        )));
    }
    let tokens = Tokenizer::new(dialect, text)
        .tokenize_with_location()
        .map_err(|error| SqlError::invalid(format!("sql syntax error: {error}")))?;
    refuse_other_statement_kinds(&tokens)?;
    let prepared = quote_store_names(text, &tokens);
    let mut statements = Parser::new(dialect)
        .try_with_sql(&prepared)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|error| SqlError::invalid(error.to_string()))?;
    if statements.len() > 1 {
        return Err(SqlError::invalid(format!(
            "only one statement is allowed, found {}",
            statements.len()
        )));
    }
    let Some(mut statement) = statements.pop() else {
        return Err(SqlError::invalid("query statement is empty"));
    };
    if !matches!(statement, Statement::Query(_)) {
        return Err(SqlError::invalid(
            "only read-only SELECT statements are allowed",
        ));
    }
    if let ControlFlow::Break(error) = Visit::visit(&statement, &mut ReadOnlyCheck) {
        return Err(error);
    }
    let cte_names = cte_names(&statement);
    let mut tables = TableNames {
        cte_names: &cte_names,
        seen: HashSet::new(),
        tables: Vec::new(),
    };
    if let ControlFlow::Break(error) = VisitMut::visit(&mut statement, &mut tables) {
        return Err(error);
    }
    let tables = tables.tables;
    let output_items = match &mut statement {
        Statement::Query(query) => {
            let items = names::output_items(query);
            names::alias_duplicate_items(query);
            items
        }
        _ => Vec::new(),
    };
    crate::unnest::rewrite_unnest_joins(&mut statement);
    names::lowercase_quoted_identifiers(&mut statement);
    Ok(Checked {
        text: text.to_owned(),
        statement,
        tables,
        output_items,
    })
}

/// Refuses statements that do not start like a query, naming the keyword, so
/// `EXPLAIN …` or `SET x = 1` get a clear message rather than a syntax error.
fn refuse_other_statement_kinds(tokens: &[TokenWithSpan]) -> Result<()> {
    let first = tokens
        .iter()
        .find(|token| !matches!(token.token, Token::Whitespace(_) | Token::LParen));
    match first.map(|token| &token.token) {
        None | Some(Token::SemiColon) => Err(SqlError::invalid("query statement is empty")),
        Some(Token::Word(word))
            if matches!(
                word.keyword,
                Keyword::SELECT | Keyword::WITH | Keyword::VALUES
            ) =>
        {
            Ok(())
        }
        Some(Token::Word(word)) if word.quote_style.is_none() => Err(SqlError::invalid(format!(
            "only read-only SELECT statements are allowed, not `{}`",
            word.value.to_uppercase()
        ))),
        Some(other) => Err(SqlError::invalid(format!(
            "sql syntax error: a query starts with SELECT or WITH, not `{other}`"
        ))),
    }
}

/// Refuses anything inside a query that writes or locks.
struct ReadOnlyCheck;

impl Visitor for ReadOnlyCheck {
    type Break = SqlError;

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<SqlError> {
        if !query.locks.is_empty() {
            return ControlFlow::Break(SqlError::invalid(
                "locking clauses (`FOR UPDATE`) are not allowed",
            ));
        }
        if query.for_clause.is_some() {
            return ControlFlow::Break(SqlError::invalid(
                "`FOR XML`/`FOR JSON` clauses are not allowed",
            ));
        }
        check_set_expr(&query.body)
    }

    fn pre_visit_statement(&mut self, statement: &Statement) -> ControlFlow<SqlError> {
        match statement {
            Statement::Query(_) => ControlFlow::Continue(()),
            _ => ControlFlow::Break(SqlError::invalid(
                "only read-only SELECT statements are allowed",
            )),
        }
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<SqlError> {
        match factor {
            TableFactor::Table {
                name,
                args: Some(_),
                ..
            } => ControlFlow::Break(SqlError::invalid(format!(
                "table functions are not supported: `{name}`"
            ))),
            TableFactor::TableFunction { expr, .. } => ControlFlow::Break(SqlError::invalid(
                format!("table functions are not supported: `{expr}`"),
            )),
            TableFactor::Function { name, .. } => ControlFlow::Break(SqlError::invalid(format!(
                "table functions are not supported: `{name}`"
            ))),
            _ => ControlFlow::Continue(()),
        }
    }
}

fn check_set_expr(body: &SetExpr) -> ControlFlow<SqlError> {
    match body {
        SetExpr::Select(select) if select.into.is_some() => {
            ControlFlow::Break(SqlError::invalid("`SELECT … INTO` is not allowed"))
        }
        SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_) => {
            ControlFlow::Break(SqlError::invalid(
                "only read-only SELECT statements are allowed",
            ))
        }
        SetExpr::SetOperation { left, right, .. } => {
            check_set_expr(left)?;
            check_set_expr(right)
        }
        _ => ControlFlow::Continue(()),
    }
}

/// Lowercased names of every common table expression in the statement: a
/// relation with one of these names is the CTE, not a store.
fn cte_names(statement: &Statement) -> HashSet<String> {
    struct Collect(HashSet<String>);
    impl Visitor for Collect {
        type Break = ();
        fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
            if let Some(with) = &query.with {
                for cte in &with.cte_tables {
                    self.0.insert(cte.alias.name.value.to_lowercase());
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut collect = Collect(HashSet::new());
    let _ = Visit::visit(statement, &mut collect);
    collect.0
}

/// Collects store names and rewrites each store relation to one quoted
/// identifier holding the id.
struct TableNames<'a> {
    cte_names: &'a HashSet<String>,
    seen: HashSet<String>,
    tables: Vec<String>,
}

impl VisitorMut for TableNames<'_> {
    type Break = SqlError;

    fn pre_visit_relation(&mut self, relation: &mut ObjectName) -> ControlFlow<SqlError> {
        let mut parts = Vec::with_capacity(relation.0.len());
        for part in &relation.0 {
            match part {
                ObjectNamePart::Identifier(ident) => parts.push(ident.value.clone()),
                ObjectNamePart::Function(_) => {
                    return ControlFlow::Break(SqlError::invalid(format!(
                        "unsupported table name `{relation}`"
                    )));
                }
            }
        }
        if let [single] = parts.as_slice()
            && relation
                .0
                .first()
                .and_then(ObjectNamePart::as_ident)
                .is_some_and(|ident| ident.quote_style.is_none())
            && self.cte_names.contains(&single.to_lowercase())
        {
            return ControlFlow::Continue(());
        }
        let written = parts.join(".");
        let id = store_id_of_arn(&written).unwrap_or(&written).to_owned();
        if self.seen.insert(id.to_lowercase()) {
            self.tables.push(id.clone());
        }
        *relation = ObjectName::from(vec![Ident::with_quote('"', id)]);
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::dialect::dialect_from_str;

    /// Parses the fixture queries (as `tests/fixtures.rs` prepares them) with
    /// every sqlparser dialect; the lake dialect must parse the most.
    #[test]
    fn lake_dialect_parses_the_most_fixture_queries() {
        let fixtures = tests_support::fixture_statements();
        let count = |dialect: &dyn Dialect| {
            fixtures
                .iter()
                .filter(|(_, text)| parse_statement_with(text, dialect).is_ok())
                .count()
        };
        let ours = count(lake_dialect());

        let mut report = Vec::new();
        for name in [
            "generic",
            "postgresql",
            "hive",
            "duckdb",
            "databricks",
            "ansi",
            "mysql",
            "snowflake",
            "bigquery",
            "clickhouse",
            "redshift",
            "spark",
            "sqlite",
            "mssql",
            "oracle",
        ] {
            let Some(dialect) = dialect_from_str(name) else {
                continue;
            };
            let parsed = count(dialect.as_ref());
            report.push(format!("{name}: {parsed}/{}", fixtures.len()));
            assert!(
                parsed <= ours,
                "{name} parses {parsed}, the lake dialect {ours}"
            );
        }
        println!("{}", report.join("\n"));
    }
}

/// Reads the fixture queries the way `tests/fixtures.rs` does.
#[cfg(test)]
pub(crate) mod tests_support {
    use std::path::{Path, PathBuf};

    /// Placeholders in the fixtures and what they become.
    pub(crate) const PLACEHOLDERS: &[(&str, &str)] = &[
        ("${date_filter}", "2026-01-22 00:00:00"),
        ("$EDS_ID", "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE"),
        (
            "<event_data_store_id>",
            "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE",
        ),
        ("<EDS ID>", "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE"),
        (
            "<Event data store Id>",
            "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE",
        ),
        (
            "<event-data-store-ID>",
            "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE",
        ),
    ];

    fn collect(directory: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(directory).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, files);
            } else if path.extension().is_some_and(|extension| extension == "sql") {
                files.push(path);
            }
        }
    }

    /// `(file name, statement with placeholders substituted)`, sorted by name.
    pub(crate) fn fixture_statements() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lake-queries");
        let mut files = Vec::new();
        collect(&root, &mut files);
        files.sort();
        files
            .into_iter()
            .map(|path| {
                let mut text = std::fs::read_to_string(&path).unwrap();
                for (placeholder, value) in PLACEHOLDERS {
                    text = text.replace(placeholder, value);
                }
                let name = path.strip_prefix(&root).unwrap().display().to_string();
                (name, text)
            })
            .collect()
    }
}
