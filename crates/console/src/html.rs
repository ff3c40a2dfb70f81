//! Escaping text for HTML and SVG, the one defence against markup injection: every value
//! that comes from data (event fields, names, SQL, error messages) goes through [`Esc`]
//! or [`push_escaped`] before it joins a page.

use std::fmt;

/// Text escaped for an HTML (or SVG) text node or a quoted attribute value when
/// formatted: `&`, `<`, `>`, `"` and `'` become character references.
#[derive(Debug, Clone, Copy)]
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut start = 0;
        for (at, byte) in text.bytes().enumerate() {
            let replacement = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            formatter.write_str(&text[start..at])?;
            formatter.write_str(replacement)?;
            start = at + 1;
        }
        formatter.write_str(&text[start..])
    }
}

/// Appends `text` to `out`, escaped as [`Esc`] does.
pub fn push_escaped(out: &mut String, text: &str) {
    use fmt::Write as _;
    // Writing into a String cannot fail.
    let _ = write!(out, "{}", Esc(text));
}

/// `text` escaped as [`Esc`] does.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text` percent-encoded for a URL query value (RFC 3986 unreserved characters
/// kept, everything else `%XX`), so links built from data cannot break out of their
/// parameter.
pub fn push_query_value(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
}

/// `text` percent-encoded as [`push_query_value`] does.
pub fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_query_value(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape("plain é text"), "plain é text");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn encodes_query_values() {
        assert_eq!(query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(query_value("Aa0-_.~"), "Aa0-_.~");
    }
}
