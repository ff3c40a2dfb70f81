//! Query strings and form bodies as ordered name/value pairs.
//!
//! S3 tells operations apart by which sub-resource names are present (`?acl`, `?uploads`),
//! with or without a value, so a pair keeps "no `=`" apart from "empty value". Every pair is
//! kept, however many there are: dropping pairs past some count would let a client hide a
//! sub-resource (`?a1&…&a500&acl`) and be named as a different operation than the one S3
//! runs. The cost is linear in the input, which the caller already bounds (URI length,
//! [`MAX_FORM_BODY`](crate::MAX_FORM_BODY)).

use percent_encoding::percent_decode;

/// One `name[=value]` pair, percent-decoded (`+` read as a space, as in HTML forms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Param {
    pub(crate) name: String,
    /// `None` when the pair had no `=` (`?acl`); `Some("")` for `?acl=`.
    pub(crate) value: Option<String>,
}

/// The pairs of a query string or `application/x-www-form-urlencoded` body, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params {
    pairs: Vec<Param>,
}

impl Params {
    /// Parses `input`; empty segments (`a&&b`) are skipped, invalid UTF-8 is replaced.
    pub(crate) fn parse(input: &[u8]) -> Self {
        let mut pairs = Vec::new();
        for segment in input.split(|byte| *byte == b'&') {
            if segment.is_empty() {
                continue;
            }
            let (name, value) = match segment.iter().position(|byte| *byte == b'=') {
                Some(at) => (&segment[..at], Some(&segment[at + 1..])),
                None => (segment, None),
            };
            pairs.push(Param {
                name: decode_form_component(name),
                value: value.map(decode_form_component),
            });
        }
        Self { pairs }
    }

    /// Parses a form body that may have been cut at `limit` bytes by the caller.
    ///
    /// When `body.len() >= limit` the last pair may be cut in the middle
    /// (`Action=SendMess`), so it is dropped rather than trusted.
    pub(crate) fn parse_possibly_truncated(body: &[u8], limit: usize) -> Self {
        if body.len() < limit {
            return Self::parse(body);
        }
        match body.iter().rposition(|byte| *byte == b'&') {
            Some(at) => Self::parse(&body[..at]),
            None => Self::default(),
        }
    }

    /// Returns whether a pair named `name` is present (case-sensitive, as S3 is).
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|pair| pair.name == name)
    }

    /// Returns the value of the first pair named `name`; `Some("")` when it had no value.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|pair| pair.name == name)
            .map(|pair| pair.value.as_deref().unwrap_or(""))
    }

    /// Iterates over the pairs in request order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Param> {
        self.pairs.iter()
    }
}

/// Percent-decodes a form component, reading `+` as a space; invalid UTF-8 is replaced.
fn decode_form_component(raw: &[u8]) -> String {
    if raw.contains(&b'+') {
        let spaced: Vec<u8> = raw
            .iter()
            .map(|byte| if *byte == b'+' { b' ' } else { *byte })
            .collect();
        return percent_decode(&spaced).decode_utf8_lossy().into_owned();
    }
    percent_decode(raw).decode_utf8_lossy().into_owned()
}

/// Percent-decodes a path component; `+` stays a `+` (it is literal in a URI path).
pub(crate) fn decode_path_component(raw: &str) -> String {
    percent_decode(raw.as_bytes())
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_presence_apart_from_empty_value() {
        let params = Params::parse(b"acl&tagging=&prefix=a%2Fb+c&&=x");
        assert!(params.contains("acl"));
        assert_eq!(params.get("acl"), Some(""));
        assert_eq!(params.get("tagging"), Some(""));
        assert_eq!(params.get("prefix"), Some("a/b c"));
        assert_eq!(params.get(""), Some("x"));
        assert_eq!(params.get("missing"), None);
        let names: Vec<&str> = params.iter().map(|pair| pair.name.as_str()).collect();
        assert_eq!(names, ["acl", "tagging", "prefix", ""]);
        assert_eq!(
            params.iter().next().and_then(|pair| pair.value.clone()),
            None
        );
    }

    #[test]
    fn parse_is_case_sensitive_and_keeps_the_first_value() {
        let params = Params::parse(b"uploadId=1&UploadId=2&uploadId=3");
        assert_eq!(params.get("uploadId"), Some("1"));
        assert_eq!(params.get("UploadId"), Some("2"));
        assert!(!params.contains("uploadid"));
    }

    #[test]
    fn parse_replaces_invalid_utf8() {
        let params = Params::parse(b"key=%FF%FEok");
        assert_eq!(params.get("key"), Some("\u{FFFD}\u{FFFD}ok"));
    }

    #[test]
    fn truncated_body_drops_the_last_pair_only_at_the_limit() {
        let body = b"Action=SendMessage&QueueUrl=http%3A%2F%2Fq&MessageBody=cut";
        let whole = Params::parse_possibly_truncated(body, body.len() + 1);
        assert_eq!(whole.get("MessageBody"), Some("cut"));
        let cut = Params::parse_possibly_truncated(body, body.len());
        assert_eq!(cut.get("Action"), Some("SendMessage"));
        assert_eq!(cut.get("MessageBody"), None);
        assert_eq!(
            Params::parse_possibly_truncated(b"Action=SendMess", 15),
            Params::default()
        );
    }

    #[test]
    fn path_components_keep_plus_signs() {
        assert_eq!(decode_path_component("a+b%20c%2Fd"), "a+b c/d");
    }
}
