//! The checked form of a pattern's match conditions, and how each one judges a value.
//!
//! [`Condition::matches`] is the definition of every operator; the shared matcher indexes
//! the common ones (exact values, prefixes, suffixes, case-folded values) in hash maps, and
//! the test suite checks the two against each other.

use std::sync::Arc;

use crate::ip::{IpAddress, IpRange, parse_ip_literal};
use crate::wildcard::Wildcard;

/// A value at a leaf of the event (a leaf is anything but an object or an array).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LeafValue<'a> {
    String(&'a str),
    /// A JSON number: its text, and its value when that is a finite `f64`.
    Number {
        text: &'a str,
        value: Option<f64>,
    },
    Bool(bool),
    Null,
}

/// Returns the value of a JSON number's text, if it is a finite `f64` (`1e400` is not).
pub(crate) fn finite_number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|value| value.is_finite())
}

/// The hash-map key of a finite number: equal numbers (`0` and `-0.0`, `300` and `3e2`)
/// get equal keys.
pub(crate) fn number_key(value: f64) -> u64 {
    if value == 0.0 { 0 } else { value.to_bits() }
}

/// Writes the case-folded form of `text` to `out` (cleared first): every character mapped
/// to upper case and back to lower case, so `ß`, `SS` and `ss` fold alike, as do `Σ`, `σ`
/// and `ς`. Character by character, without context, so folding commutes with taking a
/// prefix or suffix.
pub(crate) fn fold_case_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    for character in text.chars() {
        for upper in character.to_uppercase() {
            out.extend(upper.to_lowercase());
        }
    }
}

/// Returns the case-folded form of `text`.
pub(crate) fn fold_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_case_into(text, &mut out);
    out
}

/// Forms of one string value that several conditions need, computed at most once.
#[derive(Debug)]
pub(crate) struct Derived<'b> {
    fold_buffer: &'b mut String,
    folded: bool,
    ip: Option<Option<IpAddress>>,
}

impl<'b> Derived<'b> {
    pub(crate) fn new(fold_buffer: &'b mut String) -> Derived<'b> {
        Derived {
            fold_buffer,
            folded: false,
            ip: None,
        }
    }

    /// The case-folded form of `text` (the value these forms belong to).
    pub(crate) fn folded(&mut self, text: &str) -> &str {
        if !self.folded {
            fold_case_into(text, self.fold_buffer);
            self.folded = true;
        }
        self.fold_buffer
    }

    /// The IP address `text` spells, if any.
    pub(crate) fn ip(&mut self, text: &str) -> Option<IpAddress> {
        *self.ip.get_or_insert_with(|| parse_ip_literal(text))
    }
}

/// One side of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub(crate) value: f64,
    pub(crate) inclusive: bool,
}

/// A `numeric` condition: `=` is the range from a value to itself, both ends included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NumericRange {
    pub(crate) low: Option<Bound>,
    pub(crate) high: Option<Bound>,
}

impl NumericRange {
    pub(crate) fn contains(&self, value: f64) -> bool {
        let above = match self.low {
            None => true,
            Some(bound) if bound.inclusive => value >= bound.value,
            Some(bound) => value > bound.value,
        };
        let below = match self.high {
            None => true,
            Some(bound) if bound.inclusive => value <= bound.value,
            Some(bound) => value < bound.value,
        };
        above && below
    }
}

/// What an `anything-but` excludes. A value matches when it is present and is not
/// excluded; values of another type than the excluded ones (a number against excluded
/// strings, `null` against excluded prefixes) are never excluded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnythingBut {
    Strings(Box<[Box<str>]>),
    Numbers(Box<[f64]>),
    Prefixes(Box<[Box<str>]>),
    Suffixes(Box<[Box<str>]>),
    /// Case-folded.
    EqualsIgnoreCase(Box<[Box<str>]>),
    Wildcards(Box<[Wildcard]>),
}

impl AnythingBut {
    fn matches(&self, value: LeafValue<'_>, derived: &mut Derived<'_>) -> bool {
        match (self, value) {
            (AnythingBut::Strings(excluded), LeafValue::String(text)) => {
                !excluded.iter().any(|item| item.as_ref() == text)
            }
            (
                AnythingBut::Numbers(excluded),
                LeafValue::Number {
                    value: Some(value), ..
                },
            ) => !excluded.contains(&value),
            (AnythingBut::Prefixes(excluded), LeafValue::String(text)) => {
                !excluded.iter().any(|item| text.starts_with(item.as_ref()))
            }
            (AnythingBut::Suffixes(excluded), LeafValue::String(text)) => {
                !excluded.iter().any(|item| text.ends_with(item.as_ref()))
            }
            (AnythingBut::EqualsIgnoreCase(excluded), LeafValue::String(text)) => {
                let folded = derived.folded(text);
                !excluded.iter().any(|item| item.as_ref() == folded)
            }
            (AnythingBut::Wildcards(excluded), LeafValue::String(text)) => {
                !excluded.iter().any(|item| item.matches(text))
            }
            _ => true,
        }
    }
}

/// One match condition of a leaf array, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    /// A string literal that is not an IP address, or an `exactly` operand.
    Exact(Box<str>),
    /// A number literal: numerically equal values match (the project's decision, after the
    /// reference), and so does the same text when the number is not a finite `f64`.
    Number {
        text: Box<str>,
        value: Option<f64>,
    },
    Bool(bool),
    Null,
    /// A string literal that is an IP address: any spelling of the address matches.
    Ip(IpAddress),
    Prefix(Box<str>),
    /// Case-folded.
    PrefixIgnoreCase(Box<str>),
    Suffix(Box<str>),
    /// Case-folded.
    SuffixIgnoreCase(Box<str>),
    /// Case-folded.
    EqualsIgnoreCase(Box<str>),
    Wildcard(Arc<Wildcard>),
    AnythingBut(Arc<AnythingBut>),
    Numeric(NumericRange),
    Cidr(IpRange),
    /// `exists: true` matches any leaf value; `exists: false` matches none (it is satisfied
    /// by the absence of every leaf value at its path, which the matcher checks apart).
    Exists(bool),
}

impl Condition {
    /// Whether `value` satisfies this condition. `derived` must belong to `value`.
    pub(crate) fn matches(&self, value: LeafValue<'_>, derived: &mut Derived<'_>) -> bool {
        match (self, value) {
            (Condition::Exact(expected), LeafValue::String(text)) => expected.as_ref() == text,
            (
                Condition::Number { text, value },
                LeafValue::Number {
                    text: other_text,
                    value: other,
                },
            ) => match (value, other) {
                (Some(value), Some(other)) => value == &other,
                _ => text.as_ref() == other_text,
            },
            (Condition::Bool(expected), LeafValue::Bool(actual)) => *expected == actual,
            (Condition::Null, LeafValue::Null) => true,
            (Condition::Ip(address), LeafValue::String(text)) => derived.ip(text) == Some(*address),
            (Condition::Prefix(prefix), LeafValue::String(text)) => {
                text.starts_with(prefix.as_ref())
            }
            (Condition::Suffix(suffix), LeafValue::String(text)) => text.ends_with(suffix.as_ref()),
            (Condition::PrefixIgnoreCase(prefix), LeafValue::String(text)) => {
                derived.folded(text).starts_with(prefix.as_ref())
            }
            (Condition::SuffixIgnoreCase(suffix), LeafValue::String(text)) => {
                derived.folded(text).ends_with(suffix.as_ref())
            }
            (Condition::EqualsIgnoreCase(expected), LeafValue::String(text)) => {
                derived.folded(text) == expected.as_ref()
            }
            (Condition::Wildcard(wildcard), LeafValue::String(text)) => wildcard.matches(text),
            (Condition::AnythingBut(anything_but), value) => anything_but.matches(value, derived),
            (
                Condition::Numeric(range),
                LeafValue::Number {
                    value: Some(value), ..
                },
            ) => range.contains(value),
            (Condition::Cidr(range), LeafValue::String(text)) => derived
                .ip(text)
                .is_some_and(|address| range.contains(address)),
            (Condition::Exists(exists), _) => *exists,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(condition: &Condition, value: LeafValue<'_>) -> bool {
        let mut buffer = String::new();
        condition.matches(value, &mut Derived::new(&mut buffer))
    }

    fn number(text: &str) -> LeafValue<'_> {
        LeafValue::Number {
            text,
            value: finite_number(text),
        }
    }

    #[test]
    fn folding_maps_case_variants_together() {
        assert_eq!(fold_case("EventBridge"), "eventbridge");
        assert_eq!(fold_case("STRASSE"), fold_case("straße"));
        assert_eq!(fold_case("ΟΔΟΣ"), fold_case("οδος"));
        assert_eq!(fold_case("ΟΔΟΣ"), fold_case("οδοσ"));
        assert_eq!(fold_case("\u{212A}"), "k");
    }

    #[test]
    fn numbers_compare_by_value_unless_not_finite() {
        let three_hundred = Condition::Number {
            text: "300".into(),
            value: Some(300.0),
        };
        assert!(check(&three_hundred, number("300.0")));
        assert!(check(&three_hundred, number("3e2")));
        assert!(!check(&three_hundred, LeafValue::String("300")));
        let huge = Condition::Number {
            text: "1e400".into(),
            value: None,
        };
        assert!(check(&huge, number("1e400")));
        assert!(!check(&huge, number("1E400")));
        let zero = Condition::Number {
            text: "0".into(),
            value: Some(0.0),
        };
        assert!(check(&zero, number("-0.0")));
        assert_eq!(number_key(0.0), number_key(-0.0));
    }

    #[test]
    fn string_operators_never_match_other_types() {
        for condition in [
            Condition::Prefix("1".into()),
            Condition::Suffix("1".into()),
            Condition::EqualsIgnoreCase("1".into()),
            Condition::Wildcard(Arc::new(Wildcard::parse("*").unwrap())),
            Condition::Exact("1".into()),
        ] {
            assert!(!check(&condition, number("1")), "{condition:?}");
            assert!(!check(&condition, LeafValue::Null), "{condition:?}");
            assert!(!check(&condition, LeafValue::Bool(true)), "{condition:?}");
        }
        let numeric = Condition::Numeric(NumericRange {
            low: Some(Bound {
                value: 0.0,
                inclusive: false,
            }),
            high: None,
        });
        assert!(!check(&numeric, LeafValue::String("5")));
        assert!(check(&numeric, number("5")));
    }

    #[test]
    fn anything_but_lets_other_types_through() {
        let strings = Condition::AnythingBut(Arc::new(AnythingBut::Strings(
            vec!["stopped".into()].into_boxed_slice(),
        )));
        assert!(check(&strings, LeafValue::Null));
        assert!(check(&strings, number("5")));
        assert!(check(&strings, LeafValue::String("running")));
        assert!(!check(&strings, LeafValue::String("stopped")));
        let numbers = Condition::AnythingBut(Arc::new(AnythingBut::Numbers(
            vec![100.0].into_boxed_slice(),
        )));
        assert!(!check(&numbers, number("1e2")));
        assert!(check(&numbers, LeafValue::String("100")));
        let prefixes = Condition::AnythingBut(Arc::new(AnythingBut::Prefixes(
            vec!["init".into()].into_boxed_slice(),
        )));
        assert!(check(&prefixes, number("12")));
        assert!(!check(&prefixes, LeafValue::String("initializing")));
    }

    #[test]
    fn exists_true_matches_every_leaf_type() {
        for value in [
            LeafValue::Null,
            LeafValue::Bool(false),
            LeafValue::String(""),
            number("0"),
        ] {
            assert!(check(&Condition::Exists(true), value));
            assert!(!check(&Condition::Exists(false), value));
        }
    }
}
