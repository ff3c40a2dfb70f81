//! How the CLI's Python sees a decoded JSON value: `str()`, truthiness, and the texts of the
//! exceptions it raises on values of the wrong type (which end up in `INVALID: <text>`
//! verdicts or in the abort text).

use serde_json::Value;

/// Python's type name of the value `json.loads` makes.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(number) if number.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Python's truthiness.
pub(crate) fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|float| float != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
    }
}

/// Python's `str(value)`: strings as they are, everything else as its `repr`.
pub(crate) fn py_str(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr(value)` (dict members in key order: `serde_json` does not keep the
/// file's order, a difference only malformed digests can show).
pub(crate) fn py_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(integer), _, _) => integer.to_string(),
            (None, Some(integer), _) => integer.to_string(),
            (None, None, Some(float)) => float_repr(float),
            (None, None, None) => number.to_string(),
        },
        Value::String(text) => string_repr(text),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(members) => {
            let parts: Vec<String> = members
                .iter()
                .map(|(key, member)| format!("{}: {}", string_repr(key), py_repr(member)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// Python's float `repr`: the shortest round-trip digits, fixed notation for exponents
/// -4..16, scientific (`1e+16`, `1e-05`) otherwise.
fn float_repr(float: f64) -> String {
    if float.is_nan() {
        return "nan".to_owned();
    }
    if float.is_infinite() {
        return if float > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let scientific = format!("{float:e}");
    let Some((mantissa, exponent)) = scientific.split_once('e') else {
        return scientific;
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return scientific;
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!(
                "{}.{}",
                &digits[..point as usize],
                &digits[point as usize..]
            )
        };
        format!("{sign}{body}")
    } else {
        let mantissa = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{mantissa}e{exponent_sign}{:02}",
            exponent.unsigned_abs()
        )
    }
}

/// Python's `repr` of a string: single quotes unless it holds `'` and no `"`.
fn string_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for character in text.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ if character == quote => {
                out.push('\\');
                out.push(character);
            }
            _ if (character as u32) < 0x20 || character as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", character as u32));
            }
            _ => out.push(character),
        }
    }
    out.push(quote);
    out
}

/// `KeyError` text: the key's `repr`.
pub(crate) fn key_error(key: &str) -> String {
    string_repr(key)
}

/// The text of `value['name']` on a value that is not a dict.
pub(crate) fn subscript_error(value: &Value) -> String {
    match value {
        Value::Array(_) => "list indices must be integers or slices, not str".to_owned(),
        Value::String(_) => "string indices must be integers, not 'str'".to_owned(),
        other => format!("'{}' object is not subscriptable", type_name(other)),
    }
}

/// The text of `value['name'] = x` on a value that is not a dict.
pub(crate) fn item_assignment_error(value: &Value) -> String {
    match value {
        Value::Array(_) => "list indices must be integers or slices, not str".to_owned(),
        other => format!(
            "'{}' object does not support item assignment",
            type_name(other)
        ),
    }
}

/// The text of `for item in value` on a value that cannot be iterated.
pub(crate) fn not_iterable_error(value: &Value) -> String {
    format!("'{}' object is not iterable", type_name(value))
}

/// The text of `value in some_dict` for an unhashable value, if it is one.
pub(crate) fn unhashable_error(value: &Value) -> Option<String> {
    matches!(value, Value::Array(_) | Value::Object(_))
        .then(|| format!("unhashable type: '{}'", type_name(value)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn str_and_repr_follow_python() {
        let cases = [
            (json!("abc"), "abc"),
            (json!(null), "None"),
            (json!(true), "True"),
            (json!(5), "5"),
            (json!(1.5), "1.5"),
            (json!(1.0), "1.0"),
            (json!(1e16), "1e+16"),
            (json!(1.5e16), "1.5e+16"),
            (json!(1e-5), "1e-05"),
            (json!(0.0001), "0.0001"),
            (json!(123.0), "123.0"),
            (json!(1e15), "1000000000000000.0"),
            (json!(-2.5), "-2.5"),
            (
                json!([1, "a", null, true, {"k": "v"}]),
                "[1, 'a', None, True, {'k': 'v'}]",
            ),
            (json!({"a": "it's"}), "{'a': \"it's\"}"),
        ];
        for (value, expected) in cases {
            assert_eq!(py_str(&value), expected, "{value}");
        }
    }

    #[test]
    fn exception_texts_follow_python() {
        assert_eq!(
            subscript_error(&json!([1])),
            "list indices must be integers or slices, not str"
        );
        assert_eq!(
            subscript_error(&json!("s")),
            "string indices must be integers, not 'str'"
        );
        assert_eq!(
            subscript_error(&json!(5)),
            "'int' object is not subscriptable"
        );
        assert_eq!(
            subscript_error(&json!(null)),
            "'NoneType' object is not subscriptable"
        );
        assert_eq!(
            item_assignment_error(&json!("s")),
            "'str' object does not support item assignment"
        );
        assert_eq!(
            item_assignment_error(&json!(1.5)),
            "'float' object does not support item assignment"
        );
        assert_eq!(
            not_iterable_error(&json!(true)),
            "'bool' object is not iterable"
        );
        assert_eq!(
            unhashable_error(&json!([1])).unwrap(),
            "unhashable type: 'list'"
        );
        assert_eq!(unhashable_error(&json!("a")), None);
        assert_eq!(key_error("logFiles"), "'logFiles'");
        assert!(!truthy(&json!([])) && !truthy(&json!(0)) && truthy(&json!("x")));
    }
}
