//! The JSONPath subset EventBridge accepts in `InputPath` and in `InputPathsMap` values:
//! `$`, then any number of `.name` steps and `[index]` steps (`$.detail.items[0].id`).
//! Quoted bracket notation (`$.detail['key']`), wildcards and recursive descent are
//! refused, as EventBridge refuses them ("You must use JSON dot notation, not bracket
//! notation"; numeric indices are accepted).

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// `.name`: the member `name` of an object.
    Key(String),
    /// `[index]`: the element `index` of an array.
    Index(usize),
}

/// Parses an input path into its steps; `$` alone is the empty list (the whole event).
/// `None` when EventBridge would refuse the path.
///
/// ```
/// use opentrail_rules::paths::{PathStep, parse_input_path};
///
/// assert_eq!(
///     parse_input_path("$.detail.items[0]"),
///     Some(vec![
///         PathStep::Key("detail".into()),
///         PathStep::Key("items".into()),
///         PathStep::Index(0),
///     ])
/// );
/// assert_eq!(parse_input_path("$.detail['key']"), None);
/// assert_eq!(parse_input_path("detail"), None);
/// ```
pub fn parse_input_path(text: &str) -> Option<Vec<PathStep>> {
    let mut rest = text.strip_prefix('$')?;
    let mut steps = Vec::new();
    while let Some(first) = rest.chars().next() {
        match first {
            '.' => {
                let after = &rest[1..];
                let end = after
                    .find(|c: char| matches!(c, '.' | '[' | ']') || is_refused_in_name(c))
                    .unwrap_or(after.len());
                if end == 0 {
                    return None;
                }
                // A name ends at `.`, `[` or the end; any other stop character is an error.
                if let Some(stop) = after[end..].chars().next()
                    && (stop == ']' || is_refused_in_name(stop))
                {
                    return None;
                }
                steps.push(PathStep::Key(after[..end].to_owned()));
                rest = &after[end..];
            }
            '[' => {
                let close = rest.find(']')?;
                let digits = &rest[1..close];
                if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                steps.push(PathStep::Index(digits.parse().ok()?));
                rest = &rest[close + 1..];
            }
            _ => return None,
        }
    }
    Some(steps)
}

/// Characters a `.name` step may not hold: quotes (bracket-notation leftovers), `*`
/// (wildcards) and whitespace.
fn is_refused_in_name(c: char) -> bool {
    matches!(c, '\'' | '"' | '*') || c.is_whitespace()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_notation_and_numeric_indices_are_accepted() {
        assert_eq!(parse_input_path("$"), Some(vec![]));
        assert_eq!(
            parse_input_path("$.detail-type"),
            Some(vec![PathStep::Key("detail-type".into())])
        );
        assert_eq!(
            parse_input_path("$.detail.requestParameters.bucketName"),
            Some(vec![
                PathStep::Key("detail".into()),
                PathStep::Key("requestParameters".into()),
                PathStep::Key("bucketName".into()),
            ])
        );
        assert_eq!(
            parse_input_path("$.resources[12]"),
            Some(vec![PathStep::Key("resources".into()), PathStep::Index(12)])
        );
        assert_eq!(
            parse_input_path("$.a[0][1].b"),
            Some(vec![
                PathStep::Key("a".into()),
                PathStep::Index(0),
                PathStep::Index(1),
                PathStep::Key("b".into()),
            ])
        );
    }

    #[test]
    fn other_forms_are_refused() {
        for bad in [
            "",
            "detail",
            ".detail",
            "$.",
            "$..detail",
            "$.detail.",
            "$['detail']",
            "$.detail['key']",
            "$.detail[\"key\"]",
            "$.detail[*]",
            "$.detail.*",
            "$.items[]",
            "$.items[-1]",
            "$.items[0",
            "$.a b",
            "$detail",
            "$.a]",
        ] {
            assert_eq!(parse_input_path(bad), None, "{bad}");
        }
    }
}
