//! String and regular-expression functions whose Trino meaning differs from DataFusion's
//! (`concat`, `substr`, `replace`, `split_part`, `regexp_replace`) or which DataFusion
//! lacks (`split`, `regexp_extract`).
//!
//! DataFusion's `length`, `lower`, `upper`, `trim`, `strpos`, `starts_with` and
//! `regexp_like` already behave as Trino's and are left in place. Regular expressions run
//! on Rust's `regex` engine, not Java's: look-around and back-references are not supported.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, GenericListArray, ListBuilder, Scalar, StringArray, StringBuilder,
};
use datafusion::arrow::compute::kernels::regexp;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::error::Result;
use datafusion::logical_expr::ScalarUDF;

use crate::error::Error;
use crate::maps_arrays::call_builtin;
use crate::udf::{Udf, arity, is_integer, is_string, list_element, rows, unsupported};

/// The functions of this module.
pub(crate) fn functions() -> Vec<Arc<ScalarUDF>> {
    let utf8 = |_: &[DataType]| Ok(DataType::Utf8);
    let string_list = |_: &[DataType]| Ok(DataType::new_list(DataType::Utf8, true));
    vec![
        Udf::new("replace", coerce_strings::<2, 3>, utf8, replace).into_udf(),
        Udf::new("concat", coerce_concat, return_concat, concat).into_udf(),
        substr_function(),
        Udf::new("split_part", coerce_split_part, utf8, split_part).into_udf(),
        Udf::new("split", coerce_split, string_list, split).into_udf(),
        Udf::new(
            "regexp_extract",
            coerce_regexp_extract,
            utf8,
            regexp_extract,
        )
        .into_udf(),
        Udf::new(
            "regexp_replace",
            coerce_strings::<2, 3>,
            utf8,
            regexp_replace,
        )
        .into_udf(),
    ]
}

/// Trino's `substr` (alias `substring`).
pub(crate) fn substr_function() -> Arc<ScalarUDF> {
    Udf::new("substr", coerce_substr, |_| Ok(DataType::Utf8), substr)
        .aliases(&["substring"])
        .into_udf()
}

/// Accepts `MIN..=MAX` string arguments.
fn coerce_strings<const MIN: usize, const MAX: usize>(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("string function", types, MIN, MAX)?;
    if !types.iter().all(is_string) {
        return unsupported("string function", types);
    }
    Ok(vec![DataType::Utf8; types.len()])
}

/// `replace(s, search [, replacement])`: every `search` replaced, removed with two
/// arguments; an empty `search` inserts `replacement` around every character.
fn replace(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let strings = args[0].as_string::<i32>();
    let searches = args[1].as_string::<i32>();
    let replacements = args.get(2).map(|array| array.as_string::<i32>());
    let mut out = StringBuilder::with_capacity(strings.len(), 0);
    for row in 0..strings.len() {
        let replacement = match replacements {
            Some(replacements) if replacements.is_null(row) => None,
            Some(replacements) => Some(replacements.value(row)),
            None => Some(""),
        };
        match (strings.is_valid(row) && searches.is_valid(row), replacement) {
            (true, Some(replacement)) => {
                out.append_value(strings.value(row).replace(searches.value(row), replacement));
            }
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

static ARRAY_CONCAT: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(datafusion::functions_nested::concat::array_concat_udf);

fn coerce_concat(types: &[DataType]) -> Result<Vec<DataType>> {
    if types.is_empty() {
        return unsupported("concat", types);
    }
    if types
        .iter()
        .any(|data_type| list_element(data_type).is_some())
    {
        return ARRAY_CONCAT.coerce_types(types);
    }
    Ok(vec![DataType::Utf8; types.len()])
}

fn return_concat(types: &[DataType]) -> Result<DataType> {
    if types
        .iter()
        .any(|data_type| list_element(data_type).is_some())
    {
        return ARRAY_CONCAT.return_type(types);
    }
    Ok(DataType::Utf8)
}

/// `concat(a, b, …)`: NULL when any argument is NULL (DataFusion skips NULLs); arrays are
/// concatenated as DataFusion's `array_concat` does.
fn concat(args: &[ArrayRef], return_type: &DataType) -> Result<ArrayRef> {
    if list_element(return_type).is_some() {
        return call_builtin(&ARRAY_CONCAT, args, return_type);
    }
    let strings: Vec<&StringArray> = args.iter().map(|array| array.as_string::<i32>()).collect();
    let mut out = StringBuilder::with_capacity(rows(args), 0);
    let mut value = String::new();
    for row in 0..rows(args) {
        if strings.iter().any(|array| array.is_null(row)) {
            out.append_null();
            continue;
        }
        value.clear();
        for array in &strings {
            value.push_str(array.value(row));
        }
        out.append_value(&value);
    }
    Ok(Arc::new(out.finish()))
}

fn coerce_substr(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("substr", types, 2, 3)?;
    if !is_string(&types[0]) || !types[1..].iter().all(is_integer) {
        return unsupported("substr", types);
    }
    let mut coerced = vec![DataType::Utf8];
    coerced.extend(std::iter::repeat_n(DataType::Int64, types.len() - 1));
    Ok(coerced)
}

/// Trino's `substr`: characters from 1-based `start` (from the end when negative), empty
/// when `start` is 0 or outside the string or `length` is not positive.
fn substring(value: &str, start: i64, length: Option<i64>) -> &str {
    let length = length.unwrap_or(i64::MAX);
    if start == 0 || length <= 0 || value.is_empty() {
        return "";
    }
    let char_count = value.chars().count() as i64;
    let first = if start > 0 {
        start - 1
    } else {
        char_count + start
    };
    if first < 0 || first >= char_count {
        return "";
    }
    let byte_at = |chars: i64| {
        value
            .char_indices()
            .nth(chars as usize)
            .map_or(value.len(), |(offset, _)| offset)
    };
    let end = first.saturating_add(length).min(char_count);
    &value[byte_at(first)..byte_at(end)]
}

fn substr(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let strings = args[0].as_string::<i32>();
    let starts = args[1].as_primitive::<Int64Type>();
    let lengths = args.get(2).map(|array| array.as_primitive::<Int64Type>());
    let mut out = StringBuilder::with_capacity(strings.len(), 0);
    for row in 0..strings.len() {
        let length = lengths.map(|lengths| lengths.is_valid(row).then(|| lengths.value(row)));
        if strings.is_null(row) || starts.is_null(row) || length == Some(None) {
            out.append_null();
            continue;
        }
        out.append_value(substring(
            strings.value(row),
            starts.value(row),
            length.flatten(),
        ));
    }
    Ok(Arc::new(out.finish()))
}

fn coerce_split_part(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("split_part", types, 3, 3)?;
    if !is_string(&types[0]) || !is_string(&types[1]) || !is_integer(&types[2]) {
        return unsupported("split_part", types);
    }
    Ok(vec![DataType::Utf8, DataType::Utf8, DataType::Int64])
}

/// `split_part(s, delimiter, index)`: the 1-based `index`th field, NULL past the last.
fn split_part(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let strings = args[0].as_string::<i32>();
    let delimiters = args[1].as_string::<i32>();
    let indexes = args[2].as_primitive::<Int64Type>();
    let mut out = StringBuilder::with_capacity(strings.len(), 0);
    for row in 0..strings.len() {
        if strings.is_null(row) || delimiters.is_null(row) || indexes.is_null(row) {
            out.append_null();
            continue;
        }
        let index = indexes.value(row);
        if index <= 0 {
            return Err(Error::invalid_argument(
                "split_part",
                format!("index `{index}` must be greater than zero"),
            )
            .into());
        }
        let (value, delimiter) = (strings.value(row), delimiters.value(row));
        let part = if delimiter.is_empty() {
            (index == 1).then_some(value)
        } else {
            value.split(delimiter).nth((index - 1) as usize)
        };
        out.append_option(part);
    }
    Ok(Arc::new(out.finish()))
}

fn coerce_split(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("split", types, 2, 3)?;
    if !is_string(&types[0]) || !is_string(&types[1]) || !types[2..].iter().all(is_integer) {
        return unsupported("split", types);
    }
    let mut coerced = vec![DataType::Utf8, DataType::Utf8];
    coerced.extend(std::iter::repeat_n(DataType::Int64, types.len() - 2));
    Ok(coerced)
}

/// `split(s, delimiter [, limit])`: the fields of `s`; with `limit`, at most that many,
/// the last holding the rest of the string.
fn split(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let strings = args[0].as_string::<i32>();
    let delimiters = args[1].as_string::<i32>();
    let limits = args.get(2).map(|array| array.as_primitive::<Int64Type>());
    let mut out = ListBuilder::new(StringBuilder::new());
    for row in 0..strings.len() {
        let limit = limits.map(|limits| limits.is_valid(row).then(|| limits.value(row)));
        if strings.is_null(row) || delimiters.is_null(row) || limit == Some(None) {
            out.append_null();
            continue;
        }
        let delimiter = delimiters.value(row);
        if delimiter.is_empty() {
            return Err(Error::invalid_argument(
                "split",
                "the delimiter may not be the empty string",
            )
            .into());
        }
        let limit = match limit.flatten() {
            Some(limit) if limit <= 0 => {
                return Err(Error::invalid_argument(
                    "split",
                    format!("limit `{limit}` must be positive"),
                )
                .into());
            }
            Some(limit) => usize::try_from(limit).unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        for field in strings.value(row).splitn(limit, delimiter) {
            out.values().append_value(field);
        }
        out.append(true);
    }
    let list: GenericListArray<i32> = out.finish();
    Ok(Arc::new(list))
}

fn coerce_regexp_extract(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("regexp_extract", types, 2, 3)?;
    if !is_string(&types[0]) || !is_string(&types[1]) || !types[2..].iter().all(is_integer) {
        return unsupported("regexp_extract", types);
    }
    let mut coerced = vec![DataType::Utf8, DataType::Utf8];
    coerced.extend(std::iter::repeat_n(DataType::Int64, types.len() - 2));
    Ok(coerced)
}

/// `regexp_extract(s, pattern [, group])`: the first match of `pattern` (or its `group`),
/// NULL without a match; naming a group the pattern lacks is an error.
fn regexp_extract(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let strings = args[0].as_string::<i32>();
    let patterns = args[1].as_string::<i32>();
    let groups = args.get(2).map(|array| array.as_primitive::<Int64Type>());
    let mut out = StringBuilder::with_capacity(strings.len(), 0);
    for row in 0..strings.len() {
        let group = match groups {
            Some(groups) if groups.is_null(row) => None,
            Some(groups) => Some(groups.value(row)),
            None => Some(0),
        };
        let (Some(group), true) = (group, strings.is_valid(row) && patterns.is_valid(row)) else {
            out.append_null();
            continue;
        };
        // The kernel returns only the capture groups that took part in the match, so
        // a pattern is rewritten to capture just the whole match and the group asked for.
        let (pattern, group_count) = isolate_group(patterns.value(row), group);
        if group < 0 || group > group_count as i64 {
            return Err(Error::invalid_argument(
                "regexp_extract",
                format!("pattern has {group_count} groups, cannot access group `{group}`"),
            )
            .into());
        }
        let subject = StringArray::from(vec![strings.value(row)]);
        let matched = regexp::regexp_match(
            &subject,
            &Scalar::new(StringArray::from(vec![pattern])),
            None,
        )?;
        let matched = matched.as_list::<i32>();
        if matched.is_null(0) {
            out.append_null();
            continue;
        }
        let captures = matched.value(0);
        let captures = captures.as_string::<i32>();
        let position = if group == 0 { 0 } else { 1 };
        out.append_option((position < captures.len()).then(|| captures.value(position)));
    }
    Ok(Arc::new(out.finish()))
}

/// Rewrites `pattern` so that the whole match is group 1 and `group` (when positive) is
/// group 2, every other capturing group becoming non-capturing; also returns how many
/// capturing groups `pattern` has.
fn isolate_group(pattern: &str, group: i64) -> (String, usize) {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    out.push('(');
    let (mut count, mut index, mut in_class) = (0usize, 0, false);
    while index < chars.len() {
        let c = chars[index];
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.get(index + 1) {
                    out.push(*next);
                }
                index += 2;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal member.
                if chars.get(index + 1) == Some(&'^') {
                    out.push('^');
                    index += 1;
                }
                if chars.get(index + 1) == Some(&']') {
                    out.push(']');
                    index += 1;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '(' if !in_class => {
                let rest: String = chars[index + 1..].iter().take(3).collect();
                let named = rest.starts_with("?P<")
                    || (rest.starts_with("?<")
                        && !rest.starts_with("?<=")
                        && !rest.starts_with("?<!"));
                if rest.starts_with('?') && !named {
                    out.push(c);
                } else {
                    count += 1;
                    if count as i64 == group {
                        out.push('(');
                    } else {
                        out.push_str("(?:");
                    }
                    if named {
                        // Skip the `?P<name>` or `?<name>` of the group.
                        let close = chars[index..]
                            .iter()
                            .position(|&c| c == '>')
                            .map_or(index, |offset| index + offset);
                        index = close;
                    }
                }
            }
            _ => out.push(c),
        }
        index += 1;
    }
    out.push(')');
    (out, count)
}

static REGEXP_REPLACE: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(datafusion::functions::regex::regexp_replace);

/// `regexp_replace(s, pattern [, replacement])`: every match replaced (removed with two
/// arguments); `$n` and `${name}` in `replacement` insert groups, `\$` a dollar sign.
fn regexp_replace(args: &[ArrayRef], return_type: &DataType) -> Result<ArrayRef> {
    let replacements: StringArray = match args.get(2) {
        Some(array) => {
            let mut converted = StringBuilder::new();
            for replacement in array.as_string::<i32>().iter() {
                converted.append_option(replacement.map(java_replacement_to_rust).transpose()?);
            }
            converted.finish()
        }
        None => StringArray::from(vec![""; rows(args)]),
    };
    let flags = StringArray::from(vec!["g"; rows(args)]);
    let builtin_args = [
        Arc::clone(&args[0]),
        Arc::clone(&args[1]),
        Arc::new(replacements) as ArrayRef,
        Arc::new(flags),
    ];
    call_builtin(&REGEXP_REPLACE, &builtin_args, return_type)
}

/// Rewrites a Java (Trino) replacement string into Rust `regex` syntax.
fn java_replacement_to_rust(replacement: &str) -> Result<String> {
    let mut out = String::with_capacity(replacement.len() + 4);
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('$') => out.push_str("$$"),
                Some(escaped) => out.push(escaped),
                None => {
                    return Err(Error::invalid_argument(
                        "regexp_replace",
                        format!("replacement `{replacement}` ends with `\\`"),
                    )
                    .into());
                }
            },
            '$' => {
                let mut group = String::new();
                if chars.peek() == Some(&'{') {
                    chars.next();
                    for name_char in chars.by_ref() {
                        if name_char == '}' {
                            break;
                        }
                        group.push(name_char);
                    }
                } else {
                    while let Some(digit) = chars.peek().filter(|digit| digit.is_ascii_digit()) {
                        group.push(*digit);
                        chars.next();
                    }
                }
                if group.is_empty() {
                    return Err(Error::invalid_argument(
                        "regexp_replace",
                        format!("illegal group reference in `{replacement}`"),
                    )
                    .into());
                }
                out.push_str("${");
                out.push_str(&group);
                out.push('}');
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_follows_trino() {
        let cases = [
            ("abcdef", 2, None, "bcdef"),
            ("abcdef", 2, Some(3), "bcd"),
            ("abcdef", -2, None, "ef"),
            ("abcdef", -3, Some(2), "de"),
            ("abcdef", -7, None, ""),
            ("abcdef", 0, None, ""),
            ("abcdef", 7, None, ""),
            ("abcdef", 1, Some(0), ""),
            ("héllo", 2, Some(2), "él"),
        ];
        for (value, start, length, expected) in cases {
            assert_eq!(
                substring(value, start, length),
                expected,
                "{value} {start} {length:?}"
            );
        }
    }

    #[test]
    fn isolate_group_keeps_one_capture() {
        assert_eq!(isolate_group("(a)(b)", 2), ("((?:a)(b))".to_owned(), 2));
        assert_eq!(isolate_group("(a)(b)", 0), ("((?:a)(?:b))".to_owned(), 2));
        assert_eq!(
            isolate_group("\\((?i)x[(]", 1),
            ("(\\((?i)x[(])".to_owned(), 0)
        );
        assert_eq!(
            isolate_group("(?P<n>a)[]()](?:c)", 1),
            ("((a)[]()](?:c))".to_owned(), 1)
        );
    }

    #[test]
    fn replacements_become_rust_syntax() {
        assert_eq!(java_replacement_to_rust("<$1>").unwrap(), "<${1}>");
        assert_eq!(java_replacement_to_rust("$1x").unwrap(), "${1}x");
        assert_eq!(java_replacement_to_rust("${name}").unwrap(), "${name}");
        assert_eq!(java_replacement_to_rust("\\$5").unwrap(), "$$5");
        assert!(java_replacement_to_rust("$x").is_err());
    }
}
