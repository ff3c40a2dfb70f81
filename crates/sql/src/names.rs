//! Identifiers and result column names.
//!
//! Lake identifiers are case-insensitive (Trino lowercases every identifier,
//! quoted or not) and store schemas are all lowercase. DataFusion already
//! lowercases unquoted identifiers (`enable_ident_normalization`, left on), so
//! `eventName`, `EVENTNAME` and `userIdentity.sessionContext.sessionIssuer.userName`
//! resolve against the lowercase columns and struct fields; the gate lowercases
//! the quoted ones itself ([`lowercase_quoted_identifiers`]). Store names are the
//! exception: they stay as written, quoted.
//!
//! Result column names do not come from DataFusion's field names (which would be
//! lowercase, and qualified for nested fields) but from the statement as
//! written, by Trino's rules ([`output_items`], [`result_column_names`]): the
//! alias if given; for a column its name as written; for a dotted field the
//! last component (`userIdentity.arn` → `arn`); otherwise `_colN`, with `N` the
//! column's position in the result.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    AccessExpr, Expr, Ident, Query, Select, SelectItem, SetExpr, Statement, TableAlias,
    TableFactor, Value, VisitMut, VisitorMut,
};

/// What one select-list item of the outermost query contributes to the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OutputItem {
    /// One column with this name.
    Named(String),
    /// One column named `_colN` after its position.
    Unnamed,
    /// `*` or `t.*`: the columns it expands to keep their schema names.
    Wildcard,
}

/// Returns how the result columns of `query` are named, one entry per item of
/// the select list that decides the names (the leftmost `SELECT` of a set
/// operation, as in Trino).
pub(crate) fn output_items(query: &Query) -> Vec<OutputItem> {
    match naming_select(&query.body) {
        NamingBody::Select(select) => select.projection.iter().map(output_item).collect(),
        NamingBody::Wildcard => vec![OutputItem::Wildcard],
        NamingBody::Positional(count) => vec![OutputItem::Unnamed; count],
    }
}

enum NamingBody<'a> {
    Select(&'a Select),
    Wildcard,
    Positional(usize),
}

fn naming_select(body: &SetExpr) -> NamingBody<'_> {
    match body {
        SetExpr::Select(select) => NamingBody::Select(select),
        SetExpr::Query(query) => naming_select(&query.body),
        SetExpr::SetOperation { left, .. } => naming_select(left),
        SetExpr::Values(values) => {
            NamingBody::Positional(values.rows.first().map_or(0, |row| row.len()))
        }
        _ => NamingBody::Wildcard,
    }
}

fn output_item(item: &SelectItem) -> OutputItem {
    match item {
        SelectItem::ExprWithAlias { alias, .. } => OutputItem::Named(alias.value.clone()),
        SelectItem::UnnamedExpr(expr) => match expression_name(expr) {
            Some(name) => OutputItem::Named(name),
            None => OutputItem::Unnamed,
        },
        SelectItem::ExprWithAliases { .. } => OutputItem::Unnamed,
        SelectItem::QualifiedWildcard(..) | SelectItem::Wildcard(_) => OutputItem::Wildcard,
    }
}

/// The name Trino gives an unaliased expression: a column's name, a field's name.
fn expression_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Identifier(ident) => Some(ident.value.clone()),
        Expr::CompoundIdentifier(parts) => parts.last().map(|ident| ident.value.clone()),
        Expr::Nested(inner) => expression_name(inner),
        Expr::CompoundFieldAccess { access_chain, .. } => match access_chain.last() {
            Some(AccessExpr::Dot(Expr::Identifier(ident))) => Some(ident.value.clone()),
            Some(AccessExpr::Dot(Expr::CompoundIdentifier(parts))) => {
                parts.last().map(|ident| ident.value.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Gives unnamed select items, and the second and later of items DataFusion
/// would name alike (`eventName, EVENTNAME`), an internal alias:
/// DataFusion refuses duplicate names in a projection where Trino allows them.
/// The result names come from [`output_items`], computed before.
pub(crate) fn alias_duplicate_items(query: &mut Query) {
    fn walk(body: &mut SetExpr) -> Option<&mut Select> {
        match body {
            SetExpr::Select(select) => Some(select),
            SetExpr::Query(query) => walk(&mut query.body),
            SetExpr::SetOperation { left, .. } => walk(left),
            _ => None,
        }
    }
    let Some(select) = walk(&mut query.body) else {
        return;
    };
    // A column next to `*` would clash with the same column in the expansion.
    let has_wildcard = select.projection.iter().any(|item| {
        matches!(
            item,
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
        )
    });
    let mut seen = std::collections::HashSet::new();
    for (index, item) in select.projection.iter_mut().enumerate() {
        // Expressions Trino names `_colN` get an internal alias always: two
        // different ones may get the same DataFusion name after coercion.
        let key = match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.to_lowercase()),
            // Keyed by the name DataFusion will see: a misspelt field is read
            // as the real one (`errorMssage` next to `errorMessage`).
            SelectItem::UnnamedExpr(expr) => expression_name(expr).map(|name| {
                let name = name.to_lowercase();
                match FIELD_NAME_TYPOS.iter().find(|(typo, _)| *typo == name) {
                    Some((_, real)) => (*real).to_owned(),
                    None => name,
                }
            }),
            _ => continue,
        };
        let unaliased_beside_wildcard = has_wildcard && matches!(item, SelectItem::UnnamedExpr(_));
        if key.is_some_and(|key| seen.insert(key)) && !unaliased_beside_wildcard {
            continue;
        }
        let alias = Ident::new(format!("__opentrail_col{index}"));
        *item = match std::mem::replace(item, SelectItem::Wildcard(Default::default())) {
            SelectItem::ExprWithAlias { expr, .. } | SelectItem::UnnamedExpr(expr) => {
                SelectItem::ExprWithAlias { expr, alias }
            }
            other => other,
        };
    }
}

/// Names the result columns.
///
/// `planned` holds DataFusion's field names, used for the columns a wildcard
/// expands to; `wildcard_widths` gives how many columns each wildcard item
/// expands to, in order. Returns `None` when the counts do not add up (the
/// caller then falls back to DataFusion's names).
pub(crate) fn result_column_names(
    items: &[OutputItem],
    planned: &[String],
    wildcard_widths: &[usize],
) -> Option<Vec<String>> {
    let mut names = Vec::with_capacity(planned.len());
    let mut widths = wildcard_widths.iter();
    for item in items {
        match item {
            OutputItem::Named(name) => names.push(name.clone()),
            OutputItem::Unnamed => names.push(format!("_col{}", names.len())),
            OutputItem::Wildcard => {
                let width = *widths.next()?;
                let expanded = planned.get(names.len()..names.len() + width)?;
                names.extend(expanded.iter().cloned());
            }
        }
    }
    (names.len() == planned.len()).then_some(names)
}

/// Nested field names that AWS documentation misspells; statements copied from
/// it must work, so the misspelling is read as the real name (§3.4.2, §3.4.4).
const FIELD_NAME_TYPOS: &[(&str, &str)] = &[
    ("credentiaisissuedto", "credentialsissuedto"),
    ("errormssage", "errormessage"),
];

/// Lowercases quoted identifiers (column references, aliases, CTE names) so
/// that they compare case-insensitively like unquoted ones, and maps the
/// documented field-name misspellings. Store names are left alone.
pub(crate) fn lowercase_quoted_identifiers(statement: &mut Statement) {
    let _ = VisitMut::visit(statement, &mut Lowercase);
}

struct Lowercase;

fn lowercase_if_quoted(ident: &mut Ident) {
    if ident.quote_style.is_some() {
        ident.value = ident.value.to_lowercase();
    }
}

fn fix_field_typo(ident: &mut Ident) {
    let lower = ident.value.to_lowercase();
    for (typo, real) in FIELD_NAME_TYPOS {
        if lower == *typo {
            ident.value = (*real).to_owned();
        }
    }
}

fn lowercase_alias(alias: &mut Option<TableAlias>) {
    if let Some(alias) = alias {
        lowercase_if_quoted(&mut alias.name);
        for column in &mut alias.columns {
            lowercase_if_quoted(&mut column.name);
        }
    }
}

impl VisitorMut for Lowercase {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let Some(with) = &mut query.with {
            for cte in &mut with.cte_tables {
                lowercase_if_quoted(&mut cte.alias.name);
                for column in &mut cte.alias.columns {
                    lowercase_if_quoted(&mut column.name);
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        for item in &mut select.projection {
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                lowercase_if_quoted(alias);
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
        match factor {
            TableFactor::Table { alias, .. }
            | TableFactor::Derived { alias, .. }
            | TableFactor::UNNEST { alias, .. }
            | TableFactor::NestedJoin { alias, .. } => lowercase_alias(alias),
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match expr {
            Expr::Identifier(ident) => lowercase_if_quoted(ident),
            Expr::CompoundIdentifier(parts) => {
                for (index, part) in parts.iter_mut().enumerate() {
                    lowercase_if_quoted(part);
                    if index > 0 {
                        fix_field_typo(part);
                    }
                }
            }
            Expr::CompoundFieldAccess { root, access_chain } => {
                // DataFusion resolves leading `.name`s after a plain identifier
                // as a column path; any later one (after `[i]` or a function
                // call) it only takes as a quoted field name, so write it so.
                let mut leading = matches!(root.as_ref(), Expr::Identifier(_));
                for access in access_chain {
                    match access {
                        AccessExpr::Dot(Expr::Identifier(ident)) => {
                            fix_field_typo(ident);
                            if !leading {
                                let name = ident.value.to_lowercase();
                                *access =
                                    AccessExpr::Dot(Expr::value(Value::SingleQuotedString(name)));
                            }
                        }
                        _ => leading = false,
                    }
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::parse_statement;

    fn items(text: &str) -> Vec<OutputItem> {
        parse_statement(text).unwrap().output_items().to_vec()
    }

    fn named(name: &str) -> OutputItem {
        OutputItem::Named(name.to_owned())
    }

    #[test]
    fn names_follow_trino() {
        assert_eq!(
            items(
                "SELECT eventName, userIdentity.sessionContext.sessionIssuer.userName, \
                 count(*) AS apiCount, element_at(resources, 1).arn, m['k'], 1, (eventTime), t.* \
                 FROM x AS t"
            ),
            vec![
                named("eventName"),
                named("userName"),
                named("apiCount"),
                named("arn"),
                OutputItem::Unnamed,
                OutputItem::Unnamed,
                named("eventTime"),
                OutputItem::Wildcard,
            ]
        );
    }

    #[test]
    fn set_operations_take_the_leftmost_names() {
        assert_eq!(
            items("SELECT eventID AS a FROM x UNION SELECT eventName AS b FROM y"),
            vec![named("a")]
        );
    }

    #[test]
    fn positions_count_expanded_wildcards() {
        let names = result_column_names(
            &[
                OutputItem::Unnamed,
                OutputItem::Wildcard,
                OutputItem::Unnamed,
            ],
            &["a".into(), "b".into(), "c".into(), "d".into()],
            &[2],
        );
        assert_eq!(
            names,
            Some(vec!["_col0".into(), "b".into(), "c".into(), "_col3".into()])
        );
        assert_eq!(result_column_names(&[OutputItem::Unnamed], &[], &[]), None);
    }
}
