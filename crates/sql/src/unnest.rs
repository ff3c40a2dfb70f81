//! `CROSS JOIN UNNEST(array) AS t(x)` for DataFusion.
//!
//! DataFusion plans an `UNNEST` table factor that refers to a column of the
//! table before it as a correlated (lateral) subquery it cannot execute. The
//! same thing written as a projection, `unnest(array) AS x`, it runs. So
//!
//! ```sql
//! FROM store AS a CROSS JOIN UNNEST(a.resources) AS t(r)
//! ```
//!
//! becomes
//!
//! ```sql
//! FROM (SELECT *, unnest(a.resources) AS r FROM store AS a) AS a
//! ```
//!
//! which keeps the table's alias (so `a.eventname`, `eventname` and `r.arn`
//! resolve as before). Like Trino, rows whose array is empty or NULL produce
//! no row, and several arrays are zipped. Not covered: qualifying the unnested
//! column with the UNNEST alias (`t.r`), `WITH ORDINALITY`, Trino's expansion of
//! an array of rows into one column per field, and `UNNEST` after a join of two
//! relations.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Ident, JoinConstraint, JoinOperator, ObjectNamePart, Select, SelectItem, SetExpr, Statement,
    TableFactor, TableWithJoins, VisitMut, VisitorMut,
};
use datafusion::sql::sqlparser::parser::Parser;

use crate::gate::lake_dialect;

/// Rewrites every supported `UNNEST` join of the statement.
pub(crate) fn rewrite_unnest_joins(statement: &mut Statement) {
    let _ = VisitMut::visit(statement, &mut UnnestJoins);
}

struct UnnestJoins;

impl VisitorMut for UnnestJoins {
    type Break = ();

    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        // `FROM t, UNNEST(t.a) AS u(x)` is the comma form of the cross join.
        if select.from.len() == 2
            && select.from[1].joins.is_empty()
            && matches!(select.from[1].relation, TableFactor::UNNEST { .. })
        {
            let unnest = select.from.remove(1).relation;
            select.from[0]
                .joins
                .push(datafusion::sql::sqlparser::ast::Join {
                    relation: unnest,
                    global: false,
                    join_operator: JoinOperator::CrossJoin(JoinConstraint::None),
                });
        }
        for table in &mut select.from {
            rewrite_table_with_joins(table);
        }
        ControlFlow::Continue(())
    }
}

fn is_cross(operator: &JoinOperator) -> bool {
    matches!(
        operator,
        JoinOperator::CrossJoin(JoinConstraint::None)
            | JoinOperator::CrossJoin(JoinConstraint::Natural)
    )
}

fn rewrite_table_with_joins(table: &mut TableWithJoins) {
    // Only the first join may be an UNNEST over a single relation; after each
    // rewrite the derived table is that single relation again.
    while let Some(first) = table.joins.first() {
        if !is_cross(&first.join_operator) {
            return;
        }
        let TableFactor::UNNEST {
            alias,
            array_exprs,
            with_offset: false,
            with_ordinality: false,
            ..
        } = &first.relation
        else {
            return;
        };
        let Some(outer_alias) = relation_alias(&table.relation) else {
            return;
        };
        let column_aliases: Vec<Option<Ident>> = match alias {
            Some(alias) if alias.columns.len() == array_exprs.len() => alias
                .columns
                .iter()
                .map(|column| Some(column.name.clone()))
                .collect(),
            Some(alias) if alias.columns.is_empty() && array_exprs.len() == 1 => {
                vec![Some(alias.name.clone())]
            }
            Some(_) => return,
            None => vec![None; array_exprs.len()],
        };
        let mut items = vec!["*".to_owned()];
        for (expr, column) in array_exprs.iter().zip(&column_aliases) {
            match column {
                Some(column) => items.push(format!("unnest({expr}) AS {column}")),
                None => items.push(format!("unnest({expr})")),
            }
        }
        let inner = TableWithJoins {
            relation: table.relation.clone(),
            joins: Vec::new(),
        };
        let text = format!(
            "SELECT * FROM (SELECT {} FROM {inner}) AS {outer_alias}",
            items.join(", ")
        );
        let Some(derived) = parse_first_relation(&text) else {
            return;
        };
        table.relation = derived;
        table.joins.remove(0);
    }
}

/// The name the relation's columns are qualified with.
fn relation_alias(relation: &TableFactor) -> Option<Ident> {
    match relation {
        TableFactor::Table {
            alias: Some(alias), ..
        }
        | TableFactor::Derived {
            alias: Some(alias), ..
        } => Some(alias.name.clone()),
        TableFactor::Table { name, .. } => match name.0.last() {
            Some(ObjectNamePart::Identifier(ident)) => Some(ident.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Parses `SELECT * FROM <relation>` text and returns the relation.
fn parse_first_relation(text: &str) -> Option<TableFactor> {
    let statement = Parser::new(lake_dialect())
        .try_with_sql(text)
        .and_then(|mut parser| parser.parse_statement())
        .ok()?;
    let Statement::Query(query) = statement else {
        return None;
    };
    let SetExpr::Select(select) = *query.body else {
        return None;
    };
    let Select {
        from, projection, ..
    } = *select;
    debug_assert!(matches!(projection.as_slice(), [SelectItem::Wildcard(_)]));
    from.into_iter().next().map(|table| table.relation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(text: &str) -> String {
        let mut statement = Parser::new(lake_dialect())
            .try_with_sql(text)
            .unwrap()
            .parse_statement()
            .unwrap();
        rewrite_unnest_joins(&mut statement);
        statement.to_string()
    }

    #[test]
    fn cross_join_unnest_becomes_a_projection() {
        assert_eq!(
            rewritten("SELECT r.arn FROM \"s-1\" AS a CROSS JOIN UNNEST(a.resources) AS t(r)"),
            "SELECT r.arn FROM (SELECT *, unnest(a.resources) AS r FROM \"s-1\" AS a) AS a"
        );
        assert_eq!(
            rewritten("SELECT x FROM s, UNNEST(resources) AS t(x)"),
            "SELECT x FROM (SELECT *, unnest(resources) AS x FROM s) AS s"
        );
    }

    #[test]
    fn other_joins_are_left_alone() {
        let text = "SELECT 1 FROM a JOIN b ON a.x = b.x CROSS JOIN UNNEST(b.y) AS t (z)";
        assert_eq!(rewritten(text), text);
    }
}
