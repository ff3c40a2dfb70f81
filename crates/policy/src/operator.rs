//! Condition operator names: the operators IAM defines, the `ForAnyValue:` /
//! `ForAllValues:` set prefixes and the `...IfExists` suffix.
//!
//! The list follows the IAM User Guide, "IAM JSON policy elements: Condition operators"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>).
//! Names are matched without letter case. `Null` takes neither a set prefix nor
//! `IfExists` (it is itself the existence test). The `Date*` family and `BinaryEquals` are
//! known but refused, so that a policy using them is never half-evaluated.

use crate::error::{PolicyError, PolicyErrorKind, Result};
use crate::pattern::CaseMode;

/// The set operator in front of an operator name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Qualifier {
    /// No set operator.
    Single,
    ForAnyValue,
    ForAllValues,
}

/// How a `Numeric*` operator compares the request value (left) with a policy value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumericComparison {
    Equals,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

/// The base operators (without set prefix or `IfExists`), as IAM spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operator {
    String {
        exact: bool,
        case: CaseMode,
        negated: bool,
    },
    Numeric {
        comparison: NumericComparison,
        negated: bool,
    },
    Bool,
    Ip {
        negated: bool,
    },
    Arn {
        negated: bool,
    },
    Null,
    Unsupported,
}

const OPERATORS: &[(&str, Operator)] = &[
    ("StringEquals", string(true, CaseMode::Sensitive, false)),
    ("StringNotEquals", string(true, CaseMode::Sensitive, true)),
    (
        "StringEqualsIgnoreCase",
        string(true, CaseMode::Insensitive, false),
    ),
    (
        "StringNotEqualsIgnoreCase",
        string(true, CaseMode::Insensitive, true),
    ),
    ("StringLike", string(false, CaseMode::Sensitive, false)),
    ("StringNotLike", string(false, CaseMode::Sensitive, true)),
    ("NumericEquals", numeric(NumericComparison::Equals, false)),
    ("NumericNotEquals", numeric(NumericComparison::Equals, true)),
    (
        "NumericLessThan",
        numeric(NumericComparison::LessThan, false),
    ),
    (
        "NumericLessThanEquals",
        numeric(NumericComparison::LessThanEquals, false),
    ),
    (
        "NumericGreaterThan",
        numeric(NumericComparison::GreaterThan, false),
    ),
    (
        "NumericGreaterThanEquals",
        numeric(NumericComparison::GreaterThanEquals, false),
    ),
    ("Bool", Operator::Bool),
    ("IpAddress", Operator::Ip { negated: false }),
    ("NotIpAddress", Operator::Ip { negated: true }),
    // IAM: "ArnEquals, ArnLike: case-sensitive matching of the ARN. Each of the six
    // colon-delimited components of the ARN is checked separately and each can include
    // multi-character match wildcards (*) or single-character match wildcards (?)."
    ("ArnEquals", Operator::Arn { negated: false }),
    ("ArnLike", Operator::Arn { negated: false }),
    ("ArnNotEquals", Operator::Arn { negated: true }),
    ("ArnNotLike", Operator::Arn { negated: true }),
    ("Null", Operator::Null),
    ("DateEquals", Operator::Unsupported),
    ("DateNotEquals", Operator::Unsupported),
    ("DateLessThan", Operator::Unsupported),
    ("DateLessThanEquals", Operator::Unsupported),
    ("DateGreaterThan", Operator::Unsupported),
    ("DateGreaterThanEquals", Operator::Unsupported),
    ("BinaryEquals", Operator::Unsupported),
];

const fn string(exact: bool, case: CaseMode, negated: bool) -> Operator {
    Operator::String {
        exact,
        case,
        negated,
    }
}

const fn numeric(comparison: NumericComparison, negated: bool) -> Operator {
    Operator::Numeric {
        comparison,
        negated,
    }
}

/// Splits `ForAnyValue:StringLikeIfExists` into its parts.
pub(crate) fn parse_operator_name(
    name: &str,
    statement: usize,
) -> Result<(Qualifier, Operator, bool)> {
    let unknown = || {
        PolicyError::new(
            PolicyErrorKind::InvalidCondition,
            Some(statement),
            format_args!("statement {statement}: `Condition` has unknown operator `{name}`"),
        )
    };
    let (qualifier, rest) = match name.split_once(':') {
        None => (Qualifier::Single, name),
        Some((prefix, rest)) if prefix.eq_ignore_ascii_case("ForAnyValue") => {
            (Qualifier::ForAnyValue, rest)
        }
        Some((prefix, rest)) if prefix.eq_ignore_ascii_case("ForAllValues") => {
            (Qualifier::ForAllValues, rest)
        }
        Some(_) => return Err(unknown()),
    };
    const IF_EXISTS: &str = "IfExists";
    let (base, if_exists) = match rest.len().checked_sub(IF_EXISTS.len()) {
        Some(cut) if rest.is_char_boundary(cut) && rest[cut..].eq_ignore_ascii_case(IF_EXISTS) => {
            (&rest[..cut], true)
        }
        _ => (rest, false),
    };
    let operator = OPERATORS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(base))
        .map(|(_, operator)| *operator)
        .ok_or_else(unknown)?;
    match operator {
        Operator::Unsupported => Err(PolicyError::new(
            PolicyErrorKind::UnsupportedCondition,
            Some(statement),
            format_args!(
                "statement {statement}: condition operator `{name}` is not supported: \
                 OpenTrail endpoint policies do not evaluate date or binary conditions"
            ),
        )),
        Operator::Null if if_exists || qualifier != Qualifier::Single => Err(unknown()),
        _ => Ok((qualifier, operator, if_exists)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str) -> Result<(Qualifier, Operator, bool)> {
        parse_operator_name(name, 4)
    }

    #[test]
    fn plain_prefixed_and_if_exists_names() {
        let (qualifier, operator, if_exists) = parse("StringLike").unwrap();
        assert_eq!(qualifier, Qualifier::Single);
        assert_eq!(operator, string(false, CaseMode::Sensitive, false));
        assert!(!if_exists);
        let (qualifier, operator, if_exists) = parse("ForAllValues:NotIpAddressIfExists").unwrap();
        assert_eq!(qualifier, Qualifier::ForAllValues);
        assert_eq!(operator, Operator::Ip { negated: true });
        assert!(if_exists);
        let (qualifier, operator, _) = parse("foranyvalue:arnnotlike").unwrap();
        assert_eq!(qualifier, Qualifier::ForAnyValue);
        assert_eq!(operator, Operator::Arn { negated: true });
    }

    #[test]
    fn every_listed_operator_parses_or_is_refused_as_unsupported() {
        for (name, operator) in OPERATORS {
            match parse(name) {
                Ok((_, parsed, _)) => assert_eq!(parsed, *operator, "{name}"),
                Err(error) => {
                    assert_eq!(*operator, Operator::Unsupported, "{name}");
                    assert_eq!(error.kind(), PolicyErrorKind::UnsupportedCondition);
                }
            }
        }
    }

    #[test]
    fn unknown_names() {
        for name in [
            "",
            "IfExists",
            "StringEqual",
            "ForAnyValue:",
            "Any:StringLike",
            "NullIfExists",
            "ForAnyValue:Null",
            "StringLikeIfExistsIfExists",
        ] {
            let error = parse(name).unwrap_err();
            assert_eq!(error.kind(), PolicyErrorKind::InvalidCondition, "{name}");
            assert_eq!(error.statement(), Some(4));
            assert_eq!(
                error.message(),
                format!("statement 4: `Condition` has unknown operator `{name}`")
            );
        }
    }
}
