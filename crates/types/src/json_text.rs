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
    let mut out = String::with_capacity(text.len());
    compact_str_into(text, &mut out);
    out
}

/// Appends `text` to `out` without the whitespace between tokens (see [`compact`]).
pub fn compact_str_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    // Every kept run starts and ends next to an ASCII byte (whitespace, a quote, the text's
    // ends), so each is a whole `str` slice.
    for_each_kept_run(text.as_bytes(), |run| out.push_str(&text[run]));
}

/// Appends `json` to `out` without the whitespace between tokens (see [`compact`]).
///
/// Stored records are kept in this form, so that `CloudTrailEvent` strings, delivered log
/// files and EventBridge envelopes look like CloudTrail's whatever the indentation of the
/// JSON they came from.
pub fn compact_into(json: &[u8], out: &mut Vec<u8>) {
    out.reserve(json.len());
    for_each_kept_run(json, |run| out.extend_from_slice(&json[run]));
}

/// Calls `keep` with each maximal run of `json` between whitespace outside strings. Most
/// of a record's bytes are inside strings, so strings are stepped over whole (`memchr` to
/// the closing quote), and text that is compact already is one run.
fn for_each_kept_run(json: &[u8], mut keep: impl FnMut(std::ops::Range<usize>)) {
    let mut run_start = 0;
    let mut index = 0;
    while index < json.len() {
        match json[index] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                if run_start < index {
                    keep(run_start..index);
                }
                index += 1;
                run_start = index;
            }
            b'"' => index = string_end(json, index + 1),
            _ => index += 1,
        }
    }
    if run_start < json.len() {
        keep(run_start..json.len());
    }
}

/// Returns the index just after the quote that closes the string whose contents start at
/// `start` (or the end of `json` when it is unterminated).
fn string_end(json: &[u8], start: usize) -> usize {
    let mut position = start;
    while let Some(found) = memchr::memchr2(b'"', b'\\', &json[position..]) {
        let at = position + found;
        if json[at] == b'"' {
            return at + 1;
        }
        // A backslash escapes the next byte (for `\uXXXX` the rest is plain hex digits).
        position = at + 2;
        if position >= json.len() {
            return json.len();
        }
    }
    json.len()
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
    use proptest::prelude::*;

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
    fn unterminated_strings_are_copied_to_the_end() {
        assert_eq!(compact("[ \"a b"), "[\"a b");
        assert_eq!(compact("[ \"a \\"), "[\"a \\");
        let mut out = Vec::new();
        compact_into(b"{ \"\xff\" }", &mut out);
        assert_eq!(out, b"{\"\xff\"}");
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[ a-z\\\\\"\\n\\té]{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
                prop::collection::btree_map("[ a-z\"]{0,5}", inner, 0..5)
                    .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn compacted_pretty_json_equals_serde_json_compact(value in json_value()) {
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            let expected = serde_json::to_string(&value).unwrap();
            prop_assert_eq!(compact(&pretty), expected.clone());
            let mut out = Vec::new();
            compact_into(pretty.as_bytes(), &mut out);
            prop_assert_eq!(out, expected.into_bytes());
        }
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
