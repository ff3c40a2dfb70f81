//! The `Condition` element: checking its blocks and evaluating them (operator names are in
//! `operator.rs`).
//!
//! Semantics follow the IAM User Guide:
//!
//! - "IAM JSON policy elements: Condition operators"
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>):
//!   "If the key that you specify in a policy condition is not present in the request
//!   context, the values do not match and the condition is false. If the policy condition
//!   requires that the key is not matched, such as `StringNotLike` or `ArnNotLike`, and the
//!   right key is not present, the condition is true. This logic applies to all condition
//!   operators except `...IfExists` and `Null` check." So a negated operator on an absent
//!   key is **true**.
//! - "Conditions with multiple context keys or values"
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html>):
//!   operators AND, keys within an operator AND, the values of one key OR, and for a negated
//!   operator the values NOR.
//! - "Set operators for multivalued context keys"
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>):
//!   `ForAllValues` is true when every request value passes, and also when the key is
//!   absent or has no values; `ForAnyValue` is true when at least one request value passes,
//!   and false when the key is absent. With a negated operator a request value "passes"
//!   when it matches none of the policy's values.
//!
//! Project decisions where the guide is silent:
//!
//! - A multivalued key used without a set operator behaves like `ForAnyValue` for positive
//!   operators and like `ForAllValues` for negated ones, so a negated operator stays the
//!   exact negation of its positive twin.
//! - Operator names and set prefixes are accepted in any letter case.
//! - `DateEquals` and the rest of the `Date*` family, and `BinaryEquals`, are refused at
//!   parse time ([`PolicyErrorKind::UnsupportedCondition`]) rather than ignored.
//! - `Arn*` values must have the six ARN components; anything else is refused, since it
//!   could never match.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::error::{PolicyError, PolicyErrorKind, Result};
use crate::json::Json;
use crate::operator::{NumericComparison, Operator, Qualifier, parse_operator_name};
use crate::pattern::{CaseMode, Pattern, Syntax, Token, tokenize};
use crate::principal::split_arn;
use crate::request::Context;

/// IAM's message for a key (or action) without a `vendor:` prefix.
pub(crate) const VENDOR_PREFIX_REQUIRED: &str =
    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";

/// One checked `Operator: { Key: values }` pair.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    /// The condition key, lower-cased.
    key: Box<str>,
    qualifier: Qualifier,
    /// `...IfExists`: an absent key makes the condition true.
    if_exists: bool,
    test: Test,
}

/// What one request value is checked against, with the policy's values compiled.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    String {
        patterns: Vec<Pattern>,
        case: CaseMode,
        negated: bool,
    },
    Numeric {
        numbers: Vec<f64>,
        comparison: NumericComparison,
        negated: bool,
    },
    Bool(Vec<bool>),
    Ip {
        networks: Vec<IpNet>,
        negated: bool,
    },
    Arn {
        patterns: Vec<[Pattern; 6]>,
        negated: bool,
    },
    /// `Null`: each value says whether the key must be absent (`true`) or present.
    Null(Vec<bool>),
}

/// Where a condition is being checked, for error messages.
struct Site<'a> {
    statement: usize,
    operator: &'a str,
    key: &'a str,
}

impl Site<'_> {
    fn bad_value(&self, value: &str, what: &str) -> PolicyError {
        PolicyError::new(
            PolicyErrorKind::InvalidCondition,
            Some(self.statement),
            format_args!(
                "statement {}: `{}` value `{value}` for key `{}` is not {what}",
                self.statement, self.operator, self.key
            ),
        )
    }
}

/// Checks a `Condition` element. `variables` is true under `"Version": "2012-10-17"`.
pub(crate) fn parse_condition_block(
    value: &Json,
    statement: usize,
    variables: bool,
) -> Result<Vec<Condition>> {
    let Json::Object(operators) = value else {
        return Err(PolicyError::new(
            PolicyErrorKind::Syntax,
            Some(statement),
            format_args!(
                "statement {statement}: `Condition` must be an object, not {}",
                value.type_name()
            ),
        ));
    };
    let mut conditions = Vec::new();
    for (index, (operator_name, keys)) in operators.iter().enumerate() {
        if operators[..index]
            .iter()
            .any(|(seen, _)| seen == operator_name)
        {
            return Err(PolicyError::new(
                PolicyErrorKind::DuplicateElement,
                Some(statement),
                format_args!(
                    "statement {statement}: condition operator `{operator_name}` appears twice"
                ),
            ));
        }
        let (qualifier, operator, if_exists) = parse_operator_name(operator_name, statement)?;
        let Json::Object(keys) = keys else {
            return Err(PolicyError::new(
                PolicyErrorKind::Syntax,
                Some(statement),
                format_args!(
                    "statement {statement}: condition operator `{operator_name}` must map \
                     condition keys to values, not be {}",
                    keys.type_name()
                ),
            ));
        };
        for (key_index, (key, values)) in keys.iter().enumerate() {
            if keys[..key_index].iter().any(|(seen, _)| seen == key) {
                return Err(PolicyError::new(
                    PolicyErrorKind::DuplicateElement,
                    Some(statement),
                    format_args!(
                        "statement {statement}: condition key `{key}` appears twice under \
                         `{operator_name}`"
                    ),
                ));
            }
            let site = Site {
                statement,
                operator: operator_name,
                key,
            };
            check_condition_key(key, statement)?;
            let values = condition_values(values, &site)?;
            let test = compile_test(operator, &values, &site, variables)?;
            conditions.push(Condition {
                key: key.to_lowercase().into_boxed_str(),
                qualifier,
                if_exists,
                test,
            });
        }
    }
    Ok(conditions)
}

/// Condition keys need a `vendor:` prefix (`aws:SourceIp`, `s3:prefix`).
fn check_condition_key(key: &str, statement: usize) -> Result<()> {
    match key.split_once(':') {
        Some((vendor, name)) if !vendor.is_empty() && !name.is_empty() => Ok(()),
        _ => Err(PolicyError::new(
            PolicyErrorKind::InvalidCondition,
            Some(statement),
            VENDOR_PREFIX_REQUIRED,
        )),
    }
}

/// A key's values: a string, number or boolean, or a non-empty array of them, as text.
fn condition_values<'j>(values: &'j Json, site: &Site<'_>) -> Result<Vec<&'j str>> {
    fn scalar(value: &Json) -> Option<&str> {
        match value {
            Json::String(text) | Json::Number(text) => Some(text),
            Json::Bool(true) => Some("true"),
            Json::Bool(false) => Some("false"),
            _ => None,
        }
    }
    let wrong_type = |found: &Json| {
        PolicyError::new(
            PolicyErrorKind::Syntax,
            Some(site.statement),
            format_args!(
                "statement {}: `{}` key `{}` must have a string or an array of strings, not {}",
                site.statement,
                site.operator,
                site.key,
                found.type_name()
            ),
        )
    };
    match values {
        Json::Array(items) => {
            if items.is_empty() {
                return Err(PolicyError::new(
                    PolicyErrorKind::InvalidCondition,
                    Some(site.statement),
                    format_args!(
                        "statement {}: `{}` key `{}` has no values",
                        site.statement, site.operator, site.key
                    ),
                ));
            }
            items
                .iter()
                .map(|item| scalar(item).ok_or_else(|| wrong_type(item)))
                .collect()
        }
        other => Ok(vec![scalar(other).ok_or_else(|| wrong_type(other))?]),
    }
}

fn compile_test(
    operator: Operator,
    values: &[&str],
    site: &Site<'_>,
    variables: bool,
) -> Result<Test> {
    let test = match operator {
        Operator::String {
            exact,
            case,
            negated,
        } => {
            let syntax = Syntax {
                wildcards: !exact,
                variables,
            };
            Test::String {
                patterns: values
                    .iter()
                    .map(|value| Pattern::compile(value, syntax))
                    .collect(),
                case,
                negated,
            }
        }
        Operator::Numeric {
            comparison,
            negated,
        } => {
            let mut numbers = Vec::with_capacity(values.len());
            for value in values {
                match value.parse::<f64>() {
                    Ok(number) if number.is_finite() => numbers.push(number),
                    _ => return Err(site.bad_value(value, "a number")),
                }
            }
            Test::Numeric {
                numbers,
                comparison,
                negated,
            }
        }
        Operator::Bool => Test::Bool(parse_booleans(values, site)?),
        Operator::Null => Test::Null(parse_booleans(values, site)?),
        Operator::Ip { negated } => {
            let mut networks = Vec::with_capacity(values.len());
            for value in values {
                let network = value
                    .parse::<IpNet>()
                    .or_else(|_| value.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| site.bad_value(value, "an IP address or CIDR block"))?;
                networks.push(network);
            }
            Test::Ip { networks, negated }
        }
        Operator::Arn { negated } => {
            let syntax = Syntax {
                wildcards: true,
                variables,
            };
            let mut patterns = Vec::with_capacity(values.len());
            for value in values {
                let components = split_arn_pattern(tokenize(value, syntax)).ok_or_else(|| {
                    site.bad_value(
                        value,
                        "an ARN (`arn:partition:service:region:account:resource`)",
                    )
                })?;
                patterns.push(components);
            }
            Test::Arn { patterns, negated }
        }
        Operator::Unsupported => {
            return Err(PolicyError::new(
                PolicyErrorKind::UnsupportedCondition,
                Some(site.statement),
                format_args!(
                    "statement {}: condition operator `{}` is not supported",
                    site.statement, site.operator
                ),
            ));
        }
    };
    Ok(test)
}

fn parse_booleans(values: &[&str], site: &Site<'_>) -> Result<Vec<bool>> {
    values
        .iter()
        .map(|value| parse_bool(value).ok_or_else(|| site.bad_value(value, "`true` or `false`")))
        .collect()
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Splits a tokenized ARN pattern at the first five colons of its literal text (a colon
/// inside a variable's replacement is not a separator) into six component patterns.
fn split_arn_pattern(tokens: Vec<Token>) -> Option<[Pattern; 6]> {
    let mut components: Vec<Vec<Token>> = vec![Vec::new()];
    for token in tokens {
        let Token::Literal(literal) = token else {
            components.last_mut()?.push(token);
            continue;
        };
        let mut rest: &str = &literal;
        while components.len() < 6 {
            let Some((before, after)) = rest.split_once(':') else {
                break;
            };
            if !before.is_empty() {
                components.last_mut()?.push(Token::Literal(before.into()));
            }
            components.push(Vec::new());
            rest = after;
        }
        if !rest.is_empty() {
            components.last_mut()?.push(Token::Literal(rest.into()));
        }
    }
    let [arn, partition, service, region, account, resource]: [Vec<Token>; 6] =
        components.try_into().ok()?;
    Some([
        Pattern::from_tokens(arn),
        Pattern::from_tokens(partition),
        Pattern::from_tokens(service),
        Pattern::from_tokens(region),
        Pattern::from_tokens(account),
        Pattern::from_tokens(resource),
    ])
}

impl Condition {
    /// Returns whether the condition holds for `context`.
    pub(crate) fn holds(&self, context: &Context) -> bool {
        let values = context.values_by_lowercase_key(&self.key);
        if let Test::Null(expect_absent) = &self.test {
            let absent = values.is_none();
            return expect_absent.contains(&absent);
        }
        let Some(values) = values else {
            if self.if_exists {
                return true;
            }
            return match self.qualifier {
                Qualifier::ForAllValues => true,
                Qualifier::ForAnyValue => false,
                Qualifier::Single => self.test.is_negated(),
            };
        };
        let passes = |value: &String| self.test.passes(value, context);
        match self.qualifier {
            Qualifier::ForAnyValue => values.iter().any(passes),
            Qualifier::ForAllValues => values.iter().all(passes),
            Qualifier::Single if self.test.is_negated() => values.iter().all(passes),
            Qualifier::Single => values.iter().any(passes),
        }
    }
}

impl Test {
    fn is_negated(&self) -> bool {
        match self {
            Test::String { negated, .. }
            | Test::Numeric { negated, .. }
            | Test::Ip { negated, .. }
            | Test::Arn { negated, .. } => *negated,
            Test::Bool(_) | Test::Null(_) => false,
        }
    }

    /// One request value passes: it matches a policy value, or for a negated operator it
    /// matches none of them.
    fn passes(&self, value: &str, context: &Context) -> bool {
        self.matches_any_policy_value(value, context) != self.is_negated()
    }

    fn matches_any_policy_value(&self, value: &str, context: &Context) -> bool {
        match self {
            Test::String { patterns, case, .. } => patterns
                .iter()
                .any(|pattern| pattern.matches(value, *case, context)),
            Test::Numeric {
                numbers,
                comparison,
                ..
            } => {
                let Ok(requested) = value.parse::<f64>() else {
                    return false;
                };
                numbers.iter().any(|&policy| match comparison {
                    NumericComparison::Equals => requested == policy,
                    NumericComparison::LessThan => requested < policy,
                    NumericComparison::LessThanEquals => requested <= policy,
                    NumericComparison::GreaterThan => requested > policy,
                    NumericComparison::GreaterThanEquals => requested >= policy,
                })
            }
            Test::Bool(booleans) => parse_bool(value).is_some_and(|flag| booleans.contains(&flag)),
            Test::Ip { networks, .. } => {
                let Ok(address) = value.parse::<IpAddr>() else {
                    return false;
                };
                // An IPv4 client seen on a dual-stack socket arrives as ::ffff:a.b.c.d;
                // policies name it in IPv4 form.
                let address = match address {
                    IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
                    IpAddr::V4(_) => address,
                };
                networks.iter().any(|network| network.contains(&address))
            }
            Test::Arn { patterns, .. } => {
                let Some(components) = split_arn(value) else {
                    return false;
                };
                patterns.iter().any(|pattern| {
                    pattern.iter().zip(components).all(|(part, component)| {
                        part.matches(component, CaseMode::Sensitive, context)
                    })
                })
            }
            Test::Null(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn conditions(text: &str) -> Vec<Condition> {
        parse_condition_block(&json::parse(text).unwrap(), 0, true).unwrap()
    }

    fn holds(text: &str, context: &Context) -> bool {
        conditions(text)
            .iter()
            .all(|condition| condition.holds(context))
    }

    fn error(text: &str) -> PolicyError {
        parse_condition_block(&json::parse(text).unwrap(), 0, true).unwrap_err()
    }

    fn context(pairs: &[(&str, &[&str])]) -> Context {
        let mut context = Context::new();
        for (key, values) in pairs {
            context.insert_many(key, values.iter().copied());
        }
        context
    }

    #[test]
    fn string_operators() {
        let alice = context(&[("aws:username", &["Alice"])]);
        assert!(holds(
            r#"{"StringEquals": {"aws:username": "Alice"}}"#,
            &alice
        ));
        assert!(!holds(
            r#"{"StringEquals": {"aws:username": "alice"}}"#,
            &alice
        ));
        assert!(holds(
            r#"{"StringEqualsIgnoreCase": {"aws:username": "alice"}}"#,
            &alice
        ));
        assert!(holds(
            r#"{"StringNotEquals": {"aws:username": ["bob", "carol"]}}"#,
            &alice
        ));
        assert!(!holds(
            r#"{"StringNotEquals": {"aws:username": ["bob", "Alice"]}}"#,
            &alice
        ));
        assert!(!holds(
            r#"{"StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}}"#,
            &alice
        ));
        assert!(holds(r#"{"StringLike": {"aws:username": "A*"}}"#, &alice));
        assert!(!holds(r#"{"StringLike": {"aws:username": "a*"}}"#, &alice));
        assert!(holds(
            r#"{"StringNotLike": {"aws:username": "B*"}}"#,
            &alice
        ));
        assert!(!holds(
            r#"{"StringEquals": {"aws:username": "A*"}}"#,
            &alice
        ));
    }

    #[test]
    fn key_names_are_case_insensitive() {
        let alice = context(&[("AWS:UserName", &["Alice"])]);
        assert!(holds(
            r#"{"StringEquals": {"aws:USERNAME": "Alice"}}"#,
            &alice
        ));
    }

    #[test]
    fn operator_names_are_case_insensitive() {
        let alice = context(&[("aws:username", &["Alice"])]);
        assert!(holds(
            r#"{"stringequals": {"aws:username": "Alice"}}"#,
            &alice
        ));
        assert!(holds(
            r#"{"forAnyValue:STRINGLIKEifexists": {"aws:username": "A*"}}"#,
            &alice
        ));
    }

    #[test]
    fn absent_key_is_false_for_positive_and_true_for_negated_operators() {
        let empty = Context::new();
        for positive in [
            r#"{"StringEquals": {"aws:username": "a"}}"#,
            r#"{"StringLike": {"aws:username": "*"}}"#,
            r#"{"NumericLessThan": {"s3:max-keys": "10"}}"#,
            r#"{"Bool": {"aws:SecureTransport": "false"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:*:*:*:*:*"}}"#,
        ] {
            assert!(!holds(positive, &empty), "{positive}");
        }
        for negated in [
            r#"{"StringNotEquals": {"aws:username": "a"}}"#,
            r#"{"StringNotLike": {"aws:username": "*"}}"#,
            r#"{"NumericNotEquals": {"s3:max-keys": "10"}}"#,
            r#"{"NotIpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
            r#"{"ArnNotLike": {"aws:PrincipalArn": "arn:*:*:*:*:*"}}"#,
        ] {
            assert!(holds(negated, &empty), "{negated}");
        }
    }

    #[test]
    fn if_exists_makes_an_absent_key_true() {
        let empty = Context::new();
        assert!(holds(
            r#"{"StringEqualsIfExists": {"aws:username": "a"}}"#,
            &empty
        ));
        assert!(holds(
            r#"{"BoolIfExists": {"aws:SecureTransport": "true"}}"#,
            &empty
        ));
        let bob = context(&[("aws:username", &["bob"])]);
        assert!(!holds(
            r#"{"StringEqualsIfExists": {"aws:username": "a"}}"#,
            &bob
        ));
    }

    #[test]
    fn null_checks_presence() {
        let empty = Context::new();
        let present = context(&[("aws:TokenIssueTime", &["2024-01-01T00:00:00Z"])]);
        let is_null = r#"{"Null": {"aws:TokenIssueTime": "true"}}"#;
        let not_null = r#"{"Null": {"aws:TokenIssueTime": "false"}}"#;
        assert!(holds(is_null, &empty));
        assert!(!holds(is_null, &present));
        assert!(!holds(not_null, &empty));
        assert!(holds(not_null, &present));
    }

    #[test]
    fn set_operators() {
        let tags = context(&[("aws:TagKeys", &["team", "cost-center"])]);
        let empty = Context::new();
        let all =
            r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "cost-center", "env"]}}"#;
        assert!(holds(all, &tags));
        assert!(holds(all, &empty), "ForAllValues is true for an absent key");
        let all_narrow = r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}"#;
        assert!(!holds(all_narrow, &tags));
        let any = r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}"#;
        assert!(holds(any, &tags));
        assert!(
            !holds(any, &empty),
            "ForAnyValue is false for an absent key"
        );
        let any_negated = r#"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["team"]}}"#;
        assert!(holds(any_negated, &tags), "cost-center is not team");
        let all_negated = r#"{"ForAllValues:StringNotLike": {"aws:TagKeys": ["secret*"]}}"#;
        assert!(holds(all_negated, &tags));
        let with_secret = context(&[("aws:TagKeys", &["team", "secret-x"])]);
        assert!(!holds(all_negated, &with_secret));
    }

    #[test]
    fn multivalued_key_without_set_operator() {
        let tags = context(&[("aws:TagKeys", &["team", "env"])]);
        assert!(holds(r#"{"StringEquals": {"aws:TagKeys": "env"}}"#, &tags));
        assert!(!holds(
            r#"{"StringNotEquals": {"aws:TagKeys": "env"}}"#,
            &tags
        ));
        assert!(holds(
            r#"{"StringNotEquals": {"aws:TagKeys": "other"}}"#,
            &tags
        ));
    }

    #[test]
    fn numeric_operators() {
        let keys = context(&[("s3:max-keys", &["10"])]);
        assert!(holds(r#"{"NumericEquals": {"s3:max-keys": "10"}}"#, &keys));
        assert!(holds(r#"{"NumericEquals": {"s3:max-keys": 10.0}}"#, &keys));
        assert!(holds(
            r#"{"NumericNotEquals": {"s3:max-keys": ["5", "20"]}}"#,
            &keys
        ));
        assert!(holds(
            r#"{"NumericLessThan": {"s3:max-keys": "11"}}"#,
            &keys
        ));
        assert!(!holds(
            r#"{"NumericLessThan": {"s3:max-keys": "10"}}"#,
            &keys
        ));
        assert!(holds(
            r#"{"NumericLessThanEquals": {"s3:max-keys": "10"}}"#,
            &keys
        ));
        assert!(holds(
            r#"{"NumericGreaterThan": {"s3:max-keys": "9.5"}}"#,
            &keys
        ));
        assert!(holds(
            r#"{"NumericGreaterThanEquals": {"s3:max-keys": "10"}}"#,
            &keys
        ));
        let not_a_number = context(&[("s3:max-keys", &["many"])]);
        assert!(!holds(
            r#"{"NumericEquals": {"s3:max-keys": "10"}}"#,
            &not_a_number
        ));
    }

    #[test]
    fn bool_operator() {
        let secure = context(&[("aws:SecureTransport", &["true"])]);
        assert!(holds(
            r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
            &secure
        ));
        assert!(holds(r#"{"Bool": {"aws:SecureTransport": true}}"#, &secure));
        assert!(!holds(
            r#"{"Bool": {"aws:SecureTransport": "false"}}"#,
            &secure
        ));
        let upper = context(&[("aws:SecureTransport", &["TRUE"])]);
        assert!(holds(
            r#"{"Bool": {"aws:SecureTransport": "True"}}"#,
            &upper
        ));
    }

    #[test]
    fn ip_operators() {
        let v4 = context(&[("aws:SourceIp", &["192.0.2.10"])]);
        assert!(holds(
            r#"{"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}"#,
            &v4
        ));
        assert!(holds(
            r#"{"IpAddress": {"aws:SourceIp": "192.0.2.10"}}"#,
            &v4
        ));
        assert!(!holds(
            r#"{"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}}"#,
            &v4
        ));
        assert!(holds(
            r#"{"NotIpAddress": {"aws:SourceIp": ["198.51.100.0/24", "2001:db8::/32"]}}"#,
            &v4
        ));
        let v6 = context(&[("aws:SourceIp", &["2001:db8::1"])]);
        assert!(holds(
            r#"{"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}"#,
            &v6
        ));
        assert!(!holds(
            r#"{"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}"#,
            &v6
        ));
        let mapped = context(&[("aws:SourceIp", &["::ffff:192.0.2.10"])]);
        assert!(holds(
            r#"{"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}"#,
            &mapped
        ));
        let garbage = context(&[("aws:SourceIp", &["not-an-ip"])]);
        assert!(!holds(
            r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
            &garbage
        ));
        assert!(holds(
            r#"{"NotIpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
            &garbage
        ));
    }

    #[test]
    fn arn_operators_match_component_by_component() {
        let role = context(&[(
            "aws:PrincipalArn",
            &["arn:aws:iam::111122223333:role/ops/Admin"],
        )]);
        assert!(holds(
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}"#,
            &role
        ));
        assert!(holds(
            r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ops/Admin"}}"#,
            &role
        ));
        assert!(!holds(
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/*"}}"#,
            &role
        ));
        // `*` stays inside its component: it cannot swallow the region and account.
        let logs = context(&[(
            "aws:SourceArn",
            &["arn:aws:logs:us-east-1:111122223333:log-group:x"],
        )]);
        assert!(!holds(
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:logs:*:*:x"}}"#,
            &logs
        ));
        assert!(holds(
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:logs:*:*:*:x"}}"#,
            &logs
        ));
        assert!(holds(
            r#"{"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::444455556666:*"}}"#,
            &role
        ));
        let with_colons = context(&[(
            "aws:SourceArn",
            &["arn:aws:logs:us-east-1:111122223333:log-group:x:*"],
        )]);
        assert!(holds(
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:logs:*:111122223333:log-group:*"}}"#,
            &with_colons
        ));
        let not_arn = context(&[("aws:PrincipalArn", &["alice"])]);
        assert!(!holds(
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:*:*:*:*:*"}}"#,
            &not_arn
        ));
    }

    #[test]
    fn variables_in_condition_values() {
        let request = context(&[
            ("aws:username", &["alice"]),
            ("s3:prefix", &["home/alice/docs"]),
        ]);
        assert!(holds(
            r#"{"StringLike": {"s3:prefix": "home/${aws:username}/*"}}"#,
            &request
        ));
        let other = context(&[
            ("aws:username", &["bob"]),
            ("s3:prefix", &["home/alice/docs"]),
        ]);
        assert!(!holds(
            r#"{"StringLike": {"s3:prefix": "home/${aws:username}/*"}}"#,
            &other
        ));
        let arn = context(&[
            ("aws:username", &["alice"]),
            (
                "aws:PrincipalArn",
                &["arn:aws:iam::111122223333:user/alice"],
            ),
        ]);
        assert!(holds(
            r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/${aws:username}"}}"#,
            &arn
        ));
    }

    #[test]
    fn several_operators_and_keys_all_must_hold() {
        let request = context(&[
            ("aws:SourceIp", &["192.0.2.10"]),
            ("aws:SecureTransport", &["true"]),
        ]);
        let both = r#"{"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}, "Bool": {"aws:SecureTransport": "true"}}"#;
        assert!(holds(both, &request));
        let one_fails = r#"{"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}, "Bool": {"aws:SecureTransport": "false"}}"#;
        assert!(!holds(one_fails, &request));
        let two_keys =
            r#"{"StringEquals": {"aws:SourceIp": "192.0.2.10", "aws:SecureTransport": "false"}}"#;
        assert!(!holds(two_keys, &request));
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                r#"{"StringEqualz": {"aws:username": "a"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `Condition` has unknown operator `StringEqualz`",
            ),
            (
                r#"{"ForSomeValues:StringEquals": {"aws:username": "a"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `Condition` has unknown operator `ForSomeValues:StringEquals`",
            ),
            (
                r#"{"NullIfExists": {"aws:username": "true"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `Condition` has unknown operator `NullIfExists`",
            ),
            (
                r#"{"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}"#,
                PolicyErrorKind::UnsupportedCondition,
                "statement 0: condition operator `DateLessThan` is not supported: OpenTrail endpoint policies do not evaluate date or binary conditions",
            ),
            (
                r#"{"BinaryEquals": {"x:key": "QmluYXJ5"}}"#,
                PolicyErrorKind::UnsupportedCondition,
                "statement 0: condition operator `BinaryEquals` is not supported: OpenTrail endpoint policies do not evaluate date or binary conditions",
            ),
            (
                r#"{"IpAddress": {"aws:SourceIp": "10.0.0.300/8"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `IpAddress` value `10.0.0.300/8` for key `aws:SourceIp` is not an IP address or CIDR block",
            ),
            (
                r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `IpAddress` value `10.0.0.0/33` for key `aws:SourceIp` is not an IP address or CIDR block",
            ),
            (
                r#"{"NumericLessThan": {"s3:max-keys": "ten"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `NumericLessThan` value `ten` for key `s3:max-keys` is not a number",
            ),
            (
                r#"{"NumericLessThan": {"s3:max-keys": "NaN"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `NumericLessThan` value `NaN` for key `s3:max-keys` is not a number",
            ),
            (
                r#"{"Bool": {"aws:SecureTransport": "yes"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `Bool` value `yes` for key `aws:SecureTransport` is not `true` or `false`",
            ),
            (
                r#"{"ArnLike": {"aws:PrincipalArn": "*"}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `ArnLike` value `*` for key `aws:PrincipalArn` is not an ARN (`arn:partition:service:region:account:resource`)",
            ),
            (
                r#"{"StringEquals": {"username": "a"}}"#,
                PolicyErrorKind::InvalidCondition,
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
            ),
            (
                r#"{"StringEquals": {"aws:username": []}}"#,
                PolicyErrorKind::InvalidCondition,
                "statement 0: `StringEquals` key `aws:username` has no values",
            ),
            (
                r#"{"StringEquals": {"aws:username": {"a": 1}}}"#,
                PolicyErrorKind::Syntax,
                "statement 0: `StringEquals` key `aws:username` must have a string or an array of strings, not an object",
            ),
            (
                r#"{"StringEquals": {"aws:username": [null]}}"#,
                PolicyErrorKind::Syntax,
                "statement 0: `StringEquals` key `aws:username` must have a string or an array of strings, not null",
            ),
            (
                r#"{"StringEquals": "aws:username"}"#,
                PolicyErrorKind::Syntax,
                "statement 0: condition operator `StringEquals` must map condition keys to values, not be a string",
            ),
            (
                r#"{"StringEquals": {"aws:a": "1"}, "StringEquals": {"aws:b": "2"}}"#,
                PolicyErrorKind::DuplicateElement,
                "statement 0: condition operator `StringEquals` appears twice",
            ),
            (
                r#"{"StringEquals": {"aws:a": "1", "aws:a": "2"}}"#,
                PolicyErrorKind::DuplicateElement,
                "statement 0: condition key `aws:a` appears twice under `StringEquals`",
            ),
            (
                r#"[]"#,
                PolicyErrorKind::Syntax,
                "statement 0: `Condition` must be an object, not an array",
            ),
        ];
        for (text, kind, message) in cases {
            let error = error(text);
            assert_eq!(error.message(), message, "{text}");
            assert_eq!(error.kind(), kind, "{text}");
            assert_eq!(error.statement(), Some(0), "{text}");
        }
    }

    #[test]
    fn empty_blocks_hold_vacuously() {
        assert!(conditions("{}").is_empty());
        assert!(conditions(r#"{"StringEquals": {}}"#).is_empty());
    }
}
