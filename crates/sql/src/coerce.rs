//! Boolean literals compared with string columns.
//!
//! `sessioncredentialfromconsole` is a string, yet AWS's own samples write
//! `sessionCredentialFromConsole = true` (§3.4.2). DataFusion, like Trino,
//! refuses `varchar = boolean`; Lake accepts it. Before planning, a comparison
//! (`=`, `<>`, `!=`) of a column path that names a string column or field of
//! one of the statement's stores with `true`/`false` compares with the string
//! `'true'`/`'false'` instead. Boolean columns (`readOnly = false`) are untouched.

use std::ops::ControlFlow;

use datafusion::arrow::datatypes::{DataType, Field, Fields, Schema};
use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, Ident, Statement, Value, ValueWithSpan, VisitMut, VisitorMut,
};

/// Rewrites comparisons of string columns with boolean literals in `statement`.
pub(crate) fn coerce_boolean_literals(statement: &mut Statement, schemas: &[&Schema]) {
    let _ = VisitMut::visit(statement, &mut BooleanLiterals { schemas });
}

struct BooleanLiterals<'a> {
    schemas: &'a [&'a Schema],
}

impl BooleanLiterals<'_> {
    fn is_string_column(&self, expr: &Expr) -> bool {
        let path: Vec<String> = match expr {
            Expr::Identifier(ident) => vec![ident.value.to_lowercase()],
            Expr::CompoundIdentifier(parts) => parts
                .iter()
                .map(|part: &Ident| part.value.to_lowercase())
                .collect(),
            Expr::Nested(inner) => return self.is_string_column(inner),
            _ => return false,
        };
        // The first part may be a table name or alias.
        let candidates = [Some(path.as_slice()), path.get(1..)];
        candidates.into_iter().flatten().any(|path| {
            self.schemas
                .iter()
                .any(|schema| field_type(schema.fields(), path).is_some_and(is_string))
        })
    }
}

fn field_type<'a>(fields: &'a Fields, path: &[String]) -> Option<&'a DataType> {
    let (first, rest) = path.split_first()?;
    let field: &Field = fields.iter().find(|field| field.name() == first)?;
    if rest.is_empty() {
        return Some(field.data_type());
    }
    match field.data_type() {
        DataType::Struct(members) => field_type(members, rest),
        _ => None,
    }
}

fn is_string(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

fn boolean_literal(expr: &Expr) -> Option<bool> {
    match expr {
        Expr::Value(ValueWithSpan {
            value: Value::Boolean(value),
            ..
        }) => Some(*value),
        _ => None,
    }
}

fn string_literal(value: bool) -> Expr {
    Expr::value(Value::SingleQuotedString(value.to_string()))
}

impl VisitorMut for BooleanLiterals<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let Expr::BinaryOp { left, op, right } = expr else {
            return ControlFlow::Continue(());
        };
        if !matches!(op, BinaryOperator::Eq | BinaryOperator::NotEq) {
            return ControlFlow::Continue(());
        }
        if let Some(value) = boolean_literal(right)
            && self.is_string_column(left)
        {
            **right = string_literal(value);
        } else if let Some(value) = boolean_literal(left)
            && self.is_string_column(right)
        {
            **left = string_literal(value);
        }
        ControlFlow::Continue(())
    }
}
