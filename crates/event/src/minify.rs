//! Removal of insignificant whitespace from JSON text.

/// Appends `json` to `out` without the whitespace between tokens.
///
/// `json` must already be valid JSON (callers parse it first); string contents, including
/// escaped quotes, are copied unchanged. Stored records are kept in this compact form so
/// that `CloudTrailEvent` strings and delivered log files look like CloudTrail's, whatever
/// the indentation of the file they were imported from.
pub fn minify_json_into(json: &[u8], out: &mut Vec<u8>) {
    out.reserve(json.len());
    let mut index = 0;
    while index < json.len() {
        let byte = json[index];
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => index += 1,
            b'"' => {
                // Copy the whole string at once: jump to its closing quote, stepping over
                // escapes. Most of a record's bytes are inside strings.
                let end = string_end(json, index + 1);
                out.extend_from_slice(&json[index..end]);
                index = end;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
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

/// Returns `json` without insignificant whitespace. See [`minify_json_into`].
pub fn minify_json(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len());
    minify_json_into(json, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn whitespace_inside_strings_is_kept() {
        let text = b"{ \"a b\" : [ 1 , \"x \\\" y\\\\\" ,\n\ttrue ] }";
        assert_eq!(
            minify_json(text),
            b"{\"a b\":[1,\"x \\\" y\\\\\",true]}".to_vec()
        );
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[ a-z\\\\\"\\n\\t]{0,8}".prop_map(serde_json::Value::from),
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
        fn minified_pretty_json_equals_compact_json(value in json_value()) {
            let pretty = serde_json::to_vec_pretty(&value).unwrap();
            let compact = serde_json::to_vec(&value).unwrap();
            prop_assert_eq!(minify_json(&pretty), compact);
        }
    }
}
