//! The JSONPath subset EventBridge evaluates in `InputPath` and `InputPathsMap`.
//!
//! Supported, as the EventBridge user guide lists: `$` (the whole event), dot notation
//! with names of letters, digits, `-`, `_` and `/` (`$.detail.userIdentity.arn`,
//! `$.detail-type`), array indices (`$.detail.resources[0].ARN`, negative from the end),
//! wildcards (`.*`, `[*]`), and quoted bracket names (`$['detail-type']`). A path with a
//! wildcard selects a list and yields a JSON array of every match (possibly empty); any
//! other path yields one value or nothing.

use opentrail_types::json_text;
use serde_json::value::RawValue;

use crate::raw::{self, Kind};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Name(String),
    Index(i64),
    Wildcard,
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonPath {
    steps: Vec<Step>,
}

/// What a path selects.
#[derive(Debug, Clone)]
pub(crate) enum Selected<'a> {
    /// Nothing: a member or element that is not there.
    Nothing,
    /// One value, borrowed from the event.
    One(&'a RawValue),
    /// The matches of a wildcard path, as a JSON array text.
    Many(String),
}

impl JsonPath {
    /// Parses `text`; the error says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<JsonPath, String> {
        let trimmed = text.trim();
        let Some(mut rest) = trimmed.strip_prefix('$') else {
            return Err(String::from("a path starts with `$`"));
        };
        let mut steps = Vec::new();
        while !rest.is_empty() {
            if let Some(after_dot) = rest.strip_prefix('.') {
                let end = after_dot.find(['.', '[']).unwrap_or(after_dot.len());
                let name = &after_dot[..end];
                if name.is_empty() {
                    return Err(String::from("a `.` is followed by no name"));
                }
                steps.push(if name == "*" {
                    Step::Wildcard
                } else {
                    Step::Name(name.to_owned())
                });
                rest = &after_dot[end..];
            } else if let Some(after_bracket) = rest.strip_prefix('[') {
                let Some(end) = after_bracket.find(']') else {
                    return Err(String::from("a `[` is never closed"));
                };
                let inside = after_bracket[..end].trim();
                steps.push(parse_bracket(inside)?);
                rest = &after_bracket[end + 1..];
            } else {
                return Err(format!("unexpected `{rest}`"));
            }
        }
        Ok(JsonPath { steps })
    }

    /// Evaluates the path against `root`.
    pub(crate) fn select<'a>(&self, root: &'a RawValue) -> Selected<'a> {
        let mut current = vec![root];
        let mut many = false;
        for step in &self.steps {
            let mut next = Vec::new();
            for value in current {
                step_into(step, value, &mut next);
            }
            many |= *step == Step::Wildcard;
            current = next;
        }
        if many {
            let mut array = String::from("[");
            for (position, value) in current.iter().enumerate() {
                if position > 0 {
                    array.push(',');
                }
                array.push_str(&json_text::compact(value.get()));
            }
            array.push(']');
            return Selected::Many(array);
        }
        match current.first() {
            Some(value) => Selected::One(value),
            None => Selected::Nothing,
        }
    }
}

fn parse_bracket(inside: &str) -> Result<Step, String> {
    if inside == "*" {
        return Ok(Step::Wildcard);
    }
    for quote in ['\'', '"'] {
        if let Some(name) = inside
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return Ok(Step::Name(name.to_owned()));
        }
    }
    inside
        .parse::<i64>()
        .map(Step::Index)
        .map_err(|_| format!("`[{inside}]` is not an index, `*` or a quoted name"))
}

fn step_into<'a>(step: &Step, value: &'a RawValue, out: &mut Vec<&'a RawValue>) {
    match step {
        Step::Name(name) => {
            if let Some(entries) = raw::object_entries(value)
                && let Some(member) = raw::member(&entries, name)
            {
                out.push(member);
            }
        }
        Step::Index(index) => {
            if let Some(elements) = raw::array_elements(value) {
                let length = i64::try_from(elements.len()).unwrap_or(i64::MAX);
                let position = if *index < 0 { length + index } else { *index };
                if let Ok(position) = usize::try_from(position)
                    && let Some(element) = elements.get(position)
                {
                    out.push(element);
                }
            }
        }
        Step::Wildcard => match raw::kind(value) {
            Kind::Object => {
                if let Some(entries) = raw::object_entries(value) {
                    out.extend(entries.into_iter().map(|(_, member)| member));
                }
            }
            Kind::Array => {
                if let Some(elements) = raw::array_elements(value) {
                    out.extend(elements);
                }
            }
            Kind::String | Kind::Scalar => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = r#"{"detail-type":"X","detail":{"userIdentity":{"arn":"arn:aws:iam::1:user/a"},"resources":[{"ARN":"r0"},{"ARN":"r1"}],"n":5}}"#;

    fn select(path: &str) -> Option<String> {
        let root = raw::parse(EVENT).unwrap();
        match JsonPath::parse(path).unwrap().select(root) {
            Selected::Nothing => None,
            Selected::One(value) => Some(value.get().to_owned()),
            Selected::Many(array) => Some(array),
        }
    }

    #[test]
    fn dot_index_and_bracket_paths() {
        assert_eq!(select("$").unwrap(), EVENT);
        assert_eq!(select("$.detail-type").unwrap(), r#""X""#);
        assert_eq!(select("$['detail-type']").unwrap(), r#""X""#);
        assert_eq!(
            select("$.detail.userIdentity.arn").unwrap(),
            r#""arn:aws:iam::1:user/a""#
        );
        assert_eq!(select("$.detail.resources[0].ARN").unwrap(), r#""r0""#);
        assert_eq!(select("$.detail.resources[-1].ARN").unwrap(), r#""r1""#);
        assert_eq!(select("$.detail.n").unwrap(), "5");
    }

    #[test]
    fn missing_values_select_nothing() {
        for path in [
            "$.nope",
            "$.detail.resources[2]",
            "$.detail.n.x",
            "$.detail.resources.ARN",
            "$.detail.resources[-3]",
        ] {
            assert_eq!(select(path), None, "{path}");
        }
    }

    #[test]
    fn wildcards_select_lists() {
        assert_eq!(
            select("$.detail.resources[*].ARN").unwrap(),
            r#"["r0","r1"]"#
        );
        assert_eq!(
            select("$.detail.resources.*.ARN").unwrap(),
            r#"["r0","r1"]"#
        );
        assert_eq!(select("$.detail.none[*]").unwrap(), "[]");
    }

    #[test]
    fn bad_paths_are_refused() {
        for path in ["detail", "$.", "$.a[", "$.a[x]", "$a"] {
            assert!(JsonPath::parse(path).is_err(), "{path}");
        }
    }
}
