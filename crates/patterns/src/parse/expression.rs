//! Operator objects of a leaf array (`{"prefix": …}`, `{"numeric": […]}`, …), read as
//! aws/event-ruler's `JsonRuleCompiler.processMatchExpression` reads them, with its
//! reasons for every refusal.

use std::sync::Arc;

use super::Parser;
use crate::Error;
use crate::ip::parse_cidr;
use crate::operators::{AnythingBut, Bound, Condition, NumericRange, finite_number, fold_case};
use crate::tokens::Token;
use crate::wildcard::Wildcard;

const ONLY_ONE_KEY: &str = "Only one key allowed in match expression";
// The reference gives this reason whenever an operator object has more than one member,
// numeric or not.
const TOO_MANY_ELEMENTS: &str = "Too many elements in numeric expression";

/// Which set of strings an `anything-but` object excludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExclusionKind {
    IgnoreCase,
    Prefix,
    Suffix,
    Wildcard,
}

impl ExclusionKind {
    fn not_a_string(self) -> &'static str {
        match self {
            ExclusionKind::IgnoreCase => {
                "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
            }
            ExclusionKind::Wildcard => "wildcard match pattern must be a string",
            ExclusionKind::Prefix | ExclusionKind::Suffix => {
                "prefix/suffix match pattern must be a string"
            }
        }
    }
}

impl Parser<'_> {
    /// Reads an operator object whose `{` was just read.
    pub(super) fn match_expression(&mut self) -> Result<Condition, Error> {
        let Token::Name(name) = self.next()? else {
            return Err(Error::invalid("Match expression name not found"));
        };
        match name.as_ref() {
            "exactly" => {
                let Token::String(text) = self.next()? else {
                    return Err(Error::invalid("exact match pattern must be a string"));
                };
                self.expect_end_object(ONLY_ONE_KEY)?;
                Ok(Condition::Exact(text.into()))
            }
            "prefix" | "suffix" => self.prefix_or_suffix(name == "prefix"),
            "numeric" => {
                if self.next()? != Token::BeginArray {
                    return Err(Error::invalid("Value of numeric must be an array."));
                }
                let range = self.numeric()?;
                self.expect_end_object(TOO_MANY_ELEMENTS)?;
                Ok(Condition::Numeric(range))
            }
            "anything-but" => self.anything_but(),
            "exists" => {
                let exists = match self.next()? {
                    Token::True => true,
                    Token::False => false,
                    _ => {
                        return Err(Error::invalid(
                            "exists match pattern must be either true or false.",
                        ));
                    }
                };
                self.expect_end_object(ONLY_ONE_KEY)?;
                Ok(Condition::Exists(exists))
            }
            "cidr" => {
                // The reference's message for a non-string `cidr` operand is this one.
                let Token::String(text) = self.next()? else {
                    return Err(Error::invalid("prefix match pattern must be a string"));
                };
                let range = parse_cidr(&text).map_err(Error::invalid)?;
                self.expect_end_object(ONLY_ONE_KEY)?;
                Ok(Condition::Cidr(range))
            }
            "equals-ignore-case" => {
                let Token::String(text) = self.next()? else {
                    return Err(Error::invalid(
                        "equals-ignore-case match pattern must be a string",
                    ));
                };
                self.expect_end_object(ONLY_ONE_KEY)?;
                Ok(Condition::EqualsIgnoreCase(fold_case(&text).into()))
            }
            "wildcard" => {
                let Token::String(text) = self.next()? else {
                    return Err(Error::invalid("wildcard match pattern must be a string"));
                };
                let wildcard = Wildcard::parse(&text).map_err(Error::invalid)?;
                self.expect_end_object(ONLY_ONE_KEY)?;
                Ok(Condition::Wildcard(Arc::new(wildcard)))
            }
            other => Err(Error::invalid(format!("Unrecognized match type {other}"))),
        }
    }

    /// Reads the operand of `prefix` or `suffix`: a string, or `{"equals-ignore-case": …}`.
    fn prefix_or_suffix(&mut self, prefix: bool) -> Result<Condition, Error> {
        let (operator, capitalised) = if prefix {
            ("prefix", "Prefix")
        } else {
            ("suffix", "Suffix")
        };
        match self.next()? {
            Token::String(text) => {
                self.expect_end_object(ONLY_ONE_KEY)?;
                Ok(if prefix {
                    Condition::Prefix(text.into())
                } else {
                    Condition::Suffix(text.into())
                })
            }
            Token::BeginObject => {
                let Token::Name(name) = self.next()? else {
                    return Err(Error::invalid(format!(
                        "{capitalised} expression name not found"
                    )));
                };
                if name != "equals-ignore-case" {
                    return Err(Error::invalid(format!(
                        "Unsupported {operator} pattern: {name}"
                    )));
                }
                let Token::String(text) = self.next()? else {
                    return Err(Error::invalid(
                        "equals-ignore-case match pattern must be a string",
                    ));
                };
                self.expect_end_object(ONLY_ONE_KEY)?;
                self.expect_end_object(ONLY_ONE_KEY)?;
                let folded = fold_case(&text).into();
                Ok(if prefix {
                    Condition::PrefixIgnoreCase(folded)
                } else {
                    Condition::SuffixIgnoreCase(folded)
                })
            }
            _ => Err(Error::invalid(format!(
                "{operator} match pattern must be a string"
            ))),
        }
    }

    /// Reads a number operand of the numeric operator `operator`.
    fn numeric_operand(&mut self, token: &Token<'_>, operator: &str) -> Result<f64, Error> {
        let name = if operator == "=" { "equals" } else { operator };
        let Token::Number(text) = token else {
            return Err(Error::invalid(format!("Value of {name} must be numeric")));
        };
        finite_number(text).ok_or_else(|| {
            Error::invalid(format!("Value of {name} must be a finite number: {text}"))
        })
    }

    /// Reads the array of a `numeric` operator whose `[` was just read.
    fn numeric(&mut self) -> Result<NumericRange, Error> {
        let first = self.next()?;
        let Token::String(operator) = first else {
            return Err(Error::invalid(format!(
                "Invalid member in numeric match: {}",
                first.text()
            )));
        };
        let operand = self.next()?;
        match operator.as_ref() {
            "=" => {
                let value = self.numeric_operand(&operand, &operator)?;
                if self.next()? != Token::EndArray {
                    return Err(Error::invalid(TOO_MANY_ELEMENTS));
                }
                let bound = Bound {
                    value,
                    inclusive: true,
                };
                Ok(NumericRange {
                    low: Some(bound),
                    high: Some(bound),
                })
            }
            ">" | ">=" => {
                let low = Bound {
                    value: self.numeric_operand(&operand, &operator)?,
                    inclusive: operator == ">=",
                };
                let next = self.next()?;
                if next == Token::EndArray {
                    return Ok(NumericRange {
                        low: Some(low),
                        high: None,
                    });
                }
                let Token::String(upper_operator) = &next else {
                    return Err(Error::invalid(format!(
                        "Bad value in numeric range: {}",
                        next.text()
                    )));
                };
                if upper_operator != "<" && upper_operator != "<=" {
                    return Err(Error::invalid(format!(
                        "Bad numeric range operator: {upper_operator}"
                    )));
                }
                let upper_operand = self.next()?;
                if !upper_operand.is_number() {
                    return Err(Error::invalid(format!(
                        "Value of {upper_operator} must be numeric"
                    )));
                }
                let high = Bound {
                    value: self.numeric_operand(&upper_operand, upper_operator)?,
                    inclusive: upper_operator == "<=",
                };
                if self.next()? != Token::EndArray {
                    return Err(Error::invalid("Too many terms in numeric range expression"));
                }
                if low.value >= high.value {
                    return Err(Error::invalid("Bottom must be less than top"));
                }
                Ok(NumericRange {
                    low: Some(low),
                    high: Some(high),
                })
            }
            "<" | "<=" => {
                let high = Bound {
                    value: self.numeric_operand(&operand, &operator)?,
                    inclusive: operator == "<=",
                };
                if self.next()? != Token::EndArray {
                    return Err(Error::invalid(TOO_MANY_ELEMENTS));
                }
                Ok(NumericRange {
                    low: None,
                    high: Some(high),
                })
            }
            _ => Err(Error::invalid(format!(
                "Unrecognized numeric range operator: {operator}"
            ))),
        }
    }

    /// Reads the operand of `anything-but`.
    fn anything_but(&mut self) -> Result<Condition, Error> {
        let mut token = self.next()?;
        let mut kind = None;
        if token == Token::BeginObject {
            let Token::Name(name) = self.next()? else {
                return Err(Error::invalid("Anything-But expression name not found"));
            };
            kind = Some(match name.as_ref() {
                "equals-ignore-case" => ExclusionKind::IgnoreCase,
                "prefix" => ExclusionKind::Prefix,
                "suffix" => ExclusionKind::Suffix,
                "wildcard" => ExclusionKind::Wildcard,
                other => {
                    return Err(Error::invalid(format!(
                        "Unsupported anything-but pattern: {other}"
                    )));
                }
            });
            token = self.next()?;
        }
        if !matches!(
            token,
            Token::BeginArray | Token::String(_) | Token::Number(_)
        ) {
            return Err(Error::invalid(
                "Value of anything-but must be an array or single string/number value.",
            ));
        }
        let excluded = match kind {
            None => self.plain_exclusions(token)?,
            Some(kind) => self.string_exclusions(token, kind)?,
        };
        self.expect_end_object(TOO_MANY_ELEMENTS)?;
        if kind.is_some() {
            self.expect_end_object(TOO_MANY_ELEMENTS)?;
        }
        Ok(Condition::AnythingBut(Arc::new(excluded)))
    }

    /// Reads plain `anything-but` exclusions: one string or number, or a list of one type.
    fn plain_exclusions(&mut self, token: Token<'_>) -> Result<AnythingBut, Error> {
        let mut strings: Vec<Box<str>> = Vec::new();
        let mut numbers: Vec<f64> = Vec::new();
        let mut add = |parser: &mut Parser<'_>, token: &Token<'_>, unsupported: &str| {
            match token {
                Token::String(text) => strings.push(text.as_ref().into()),
                Token::Number(text) => numbers.push(
                    finite_number(text).ok_or_else(|| parser.not_finite_in_anything_but(text))?,
                ),
                _ => return Err(Error::invalid(unsupported)),
            }
            Ok(())
        };
        if token == Token::BeginArray {
            loop {
                let element = self.next()?;
                if element == Token::EndArray {
                    break;
                }
                add(
                    self,
                    &element,
                    "Inside anything but list, start|null|boolean is not supported.",
                )?;
            }
            if strings.is_empty() == numbers.is_empty() {
                return Err(Error::invalid(
                    "Inside anything but list, either all values are number or string, mixed type is not supported",
                ));
            }
        } else {
            add(
                self,
                &token,
                "Inside anything-but list, start|null|boolean is not supported.",
            )?;
        }
        Ok(if numbers.is_empty() {
            AnythingBut::Strings(strings.into_boxed_slice())
        } else {
            AnythingBut::Numbers(numbers.into_boxed_slice())
        })
    }

    fn not_finite_in_anything_but(&self, text: &str) -> Error {
        Error::invalid(format!(
            "Value of anything-but must be a finite number: {text}"
        ))
    }

    /// Reads the strings of `anything-but` with `equals-ignore-case`, `prefix`, `suffix` or
    /// `wildcard`: one string, or a list of strings.
    fn string_exclusions(
        &mut self,
        token: Token<'_>,
        kind: ExclusionKind,
    ) -> Result<AnythingBut, Error> {
        let mut texts: Vec<String> = Vec::new();
        let check = |token: &Token<'_>| -> Result<String, Error> {
            let Token::String(text) = token else {
                return Err(Error::invalid(kind.not_a_string()));
            };
            if text.is_empty() && matches!(kind, ExclusionKind::Prefix | ExclusionKind::Suffix) {
                return Err(Error::invalid("Null prefix/suffix not allowed"));
            }
            Ok(text.as_ref().to_owned())
        };
        if token == Token::BeginArray {
            loop {
                let element = self.next()?;
                if element == Token::EndArray {
                    break;
                }
                texts.push(check(&element)?);
            }
        } else {
            texts.push(check(&token)?);
        }
        Ok(match kind {
            ExclusionKind::IgnoreCase => AnythingBut::EqualsIgnoreCase(
                texts.iter().map(|text| fold_case(text).into()).collect(),
            ),
            ExclusionKind::Prefix => {
                AnythingBut::Prefixes(texts.into_iter().map(Into::into).collect())
            }
            ExclusionKind::Suffix => {
                AnythingBut::Suffixes(texts.into_iter().map(Into::into).collect())
            }
            ExclusionKind::Wildcard => {
                let mut wildcards = Vec::with_capacity(texts.len());
                for text in &texts {
                    wildcards.push(Wildcard::parse(text).map_err(Error::invalid)?);
                }
                AnythingBut::Wildcards(wildcards.into_boxed_slice())
            }
        })
    }
}
