//! JSON text helpers for code that must keep a caller's JSON as written.
//!
//! `serde_json::Value` keeps objects in a sorted map (the workspace does not enable
//! `preserve_order`) and re-spells numbers, so code that copies a client's or a record's
//! JSON works on its text instead: [`compact`] removes the whitespace between tokens and
//! leaves everything else alone, and [`push_escaped`] and [`push_string`] write a string
//! value exactly as `serde_json` would.
//!
//! ```
//! use opentrail_types::json_text;
//!
//! assert_eq!(json_text::compact("{ \"b\" : 1.50 ,\n \"a\" : \"x y\" }"), r#"{"b":1.50,"a":"x y"}"#);
//! let mut out = String::new();
//! json_text::push_string(&mut out, "say \"hi\"\n");
//! assert_eq!(out, r#""say \"hi\"\n""#);
//! ```

/// Returns `text` (valid JSON) without the whitespace between tokens; member order, string
/// contents (escapes included), number spelling and literals stay exactly as written.
///
/// On text that is not valid JSON the result is unspecified, but there is no panic.
pub fn compact(text: &str) -> String {
    let mut compact = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for character in text.chars() {
        if in_string {
            compact.push(character);
            if escaped {
                escaped = false;
            } else if character == '\\' {
                escaped = true;
            } else if character == '"' {
                in_string = false;
            }
            continue;
        }
        match character {
            ' ' | '\t' | '\n' | '\r' => {}
            '"' => {
                in_string = true;
                compact.push(character);
            }
            _ => compact.push(character),
        }
    }
    compact
}

/// Appends `text` to `out` as the body of a JSON string (escaped, without the quotes),
/// escaped the way `serde_json` escapes it: `"`, `\` and the control characters, with the
/// short forms (`\n`, `\t`, ...) where JSON has them and `\u00xx` (lowercase) otherwise.
pub fn push_escaped(out: &mut String, text: &str) {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            control if u32::from(control) < 0x20 => {
                let code = u32::from(control) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX_DIGITS[code >> 4]));
                out.push(char::from(HEX_DIGITS[code & 0xf]));
            }
            other => out.push(other),
        }
    }
}

/// Appends `text` to `out` as a quoted JSON string (see [`push_escaped`]).
pub fn push_string(out: &mut String, text: &str) {
    out.push('"');
    push_escaped(out, text);
    out.push('"');
}

/// Returns `text` as a quoted JSON string (see [`push_escaped`]).
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    push_string(&mut quoted, text);
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compaction_strips_only_whitespace_between_tokens() {
        assert_eq!(
            compact("{ \"a b\" : [ 1 , \"x \\\" y\" ]\n}"),
            r#"{"a b":[1,"x \" y"]}"#
        );
        assert_eq!(
            compact("{ \"a b\" : [ 1.0 , \"x \\\" y\\\\\" ] ,\n\t\"c\":1e3 }"),
            "{\"a b\":[1.0,\"x \\\" y\\\\\"],\"c\":1e3}"
        );
        assert_eq!(
            compact("{ \"a b\" : [1, 2.50],\n \"c\":\"x\\\" y\" }"),
            "{\"a b\":[1,2.50],\"c\":\"x\\\" y\"}"
        );
        assert_eq!(compact(" [ true , false , null ] "), "[true,false,null]");
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for text in [
            "",
            "plain",
            "q\"uote",
            "back\\slash",
            "\u{1}\u{1f}\n\r\t\u{8}\u{c}",
            "é\u{7f}\u{2028}",
        ] {
            let expected = serde_json::to_string(text).unwrap();
            let mut out = String::new();
            push_string(&mut out, text);
            assert_eq!(out, expected, "{text:?}");
            assert_eq!(quote(text), expected, "{text:?}");
            let mut body = String::new();
            push_escaped(&mut body, text);
            assert_eq!(body, expected[1..expected.len() - 1], "{text:?}");
        }
    }
}
