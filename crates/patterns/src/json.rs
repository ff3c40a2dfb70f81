//! JSON lexing shared by the pattern parser and the event walker.
//!
//! Both work on text that is already known to be UTF-8 (a `&str`), so a string's content is
//! sliced out between its quotes without copying unless it holds escapes. Everything here
//! validates strictly (RFC 8259): unescaped control characters, bad escapes, lone
//! surrogates, malformed numbers and unknown literals are errors, also inside values the
//! event walker skips, so an event is accepted or refused independently of the rules.

use std::borrow::Cow;

/// What went wrong while lexing, at [`LexError::offset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexErrorKind {
    /// The text ended inside a value.
    UnexpectedEnd,
    /// A value was expected here.
    ExpectedValue,
    /// A double-quoted member name was expected here.
    ExpectedName,
    /// `:` was expected after a member name.
    ExpectedColon,
    /// `,` or `}` was expected inside an object.
    ExpectedCommaOrObjectEnd,
    /// `,` or `]` was expected inside an array.
    ExpectedCommaOrArrayEnd,
    /// A control character appears unescaped inside a string.
    ControlCharacter,
    /// A backslash escape is not one JSON allows, or a surrogate is unpaired.
    InvalidEscape,
    /// A number does not follow JSON's grammar.
    InvalidNumber,
    /// A bare word is not `true`, `false` or `null`.
    InvalidLiteral,
    /// Containers are nested deeper than the caller allows.
    TooDeep,
    /// Something follows the top-level value.
    TrailingCharacters,
}

/// A lexing failure and the byte offset where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LexError {
    pub(crate) kind: LexErrorKind,
    pub(crate) offset: usize,
}

impl LexError {
    pub(crate) fn new(kind: LexErrorKind, offset: usize) -> LexError {
        LexError { kind, offset }
    }
}

/// Returns the index of the first byte at or after `pos` that is not JSON whitespace.
#[inline]
pub(crate) fn skip_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(&byte) = bytes.get(pos) {
        if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
            break;
        }
        pos += 1;
    }
    pos
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes in `word` is `"`, `\` or a control character (< 0x20).
///
/// Strings are the bulk of an event, so they are scanned a word at a time; the classic
/// "has zero byte" and "has byte less than n" bit tricks (exact as predicates) find the
/// bytes that end the fast path.
#[inline]
fn word_has_special_byte(word: u64) -> bool {
    let quotes = word ^ (ONES * u64::from(b'"'));
    let backslashes = word ^ (ONES * u64::from(b'\\'));
    let has_quote = quotes.wrapping_sub(ONES) & !quotes & HIGHS;
    let has_backslash = backslashes.wrapping_sub(ONES) & !backslashes & HIGHS;
    let has_control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    (has_quote | has_backslash | has_control) != 0
}

/// Scans a string whose opening quote is just before `start`.
///
/// Returns the index of the closing quote and whether the content holds escapes.
pub(crate) fn scan_string(bytes: &[u8], start: usize) -> Result<(usize, bool), LexError> {
    let mut pos = start;
    let mut escaped = false;
    loop {
        while let Some(chunk) = bytes.get(pos..pos + 8) {
            let Ok(array) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            if word_has_special_byte(u64::from_le_bytes(array)) {
                break;
            }
            pos += 8;
        }
        let Some(&byte) = bytes.get(pos) else {
            return Err(LexError::new(LexErrorKind::UnexpectedEnd, pos));
        };
        match byte {
            b'"' => return Ok((pos, escaped)),
            b'\\' => {
                escaped = true;
                pos = scan_escape(bytes, pos)?;
            }
            0x00..=0x1f => return Err(LexError::new(LexErrorKind::ControlCharacter, pos)),
            _ => pos += 1,
        }
    }
}

/// Checks the escape starting with the backslash at `pos`; returns the index after it.
fn scan_escape(bytes: &[u8], pos: usize) -> Result<usize, LexError> {
    let invalid = LexError::new(LexErrorKind::InvalidEscape, pos);
    match bytes.get(pos + 1) {
        None => Err(LexError::new(LexErrorKind::UnexpectedEnd, pos + 1)),
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(pos + 2),
        Some(b'u') => {
            let unit = hex4(bytes, pos + 2).ok_or(invalid)?;
            match unit {
                0xD800..=0xDBFF => {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if bytes.get(pos + 6) != Some(&b'\\') || bytes.get(pos + 7) != Some(&b'u') {
                        return Err(invalid);
                    }
                    match hex4(bytes, pos + 8) {
                        Some(0xDC00..=0xDFFF) => Ok(pos + 12),
                        _ => Err(invalid),
                    }
                }
                0xDC00..=0xDFFF => Err(invalid),
                _ => Ok(pos + 6),
            }
        }
        Some(_) => Err(invalid),
    }
}

/// Reads four hex digits at `pos`.
fn hex4(bytes: &[u8], pos: usize) -> Option<u32> {
    let digits = bytes.get(pos..pos + 4)?;
    let mut value = 0u32;
    for &digit in digits {
        value = value * 16 + char::from(digit).to_digit(16)?;
    }
    Some(value)
}

/// Appends the unescaped form of `raw` (string content already checked by
/// [`scan_string`]) to `out`.
pub(crate) fn unescape_into(raw: &str, out: &mut String) {
    let bytes = raw.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let Some(offset) = raw[pos..].find('\\') else {
            out.push_str(&raw[pos..]);
            return;
        };
        out.push_str(&raw[pos..pos + offset]);
        pos += offset;
        let simple = match bytes.get(pos + 1) {
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            _ => None,
        };
        if let Some(character) = simple {
            out.push(character);
            pos += 2;
            continue;
        }
        // `\uXXXX`, possibly a surrogate pair (validated by `scan_escape`).
        let unit = hex4(bytes, pos + 2).unwrap_or(0xFFFD);
        if (0xD800..=0xDBFF).contains(&unit) {
            let low = hex4(bytes, pos + 8).unwrap_or(0xDC00);
            let code = 0x10000 + ((unit - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
            out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            pos += 12;
        } else {
            out.push(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER));
            pos += 6;
        }
    }
}

/// Returns `raw` unescaped, borrowing when there is nothing to unescape.
pub(crate) fn unescape(raw: &str, escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    unescape_into(raw, &mut out);
    Cow::Owned(out)
}

/// Scans a number starting at `pos`; returns the index after it.
pub(crate) fn scan_number(bytes: &[u8], mut pos: usize) -> Result<usize, LexError> {
    let start = pos;
    let invalid = |at: usize| LexError::new(LexErrorKind::InvalidNumber, at);
    if bytes.get(pos) == Some(&b'-') {
        pos += 1;
    }
    match bytes.get(pos) {
        Some(b'0') => pos += 1,
        Some(b'1'..=b'9') => {
            while matches!(bytes.get(pos), Some(b'0'..=b'9')) {
                pos += 1;
            }
        }
        _ => return Err(invalid(start)),
    }
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        if !matches!(bytes.get(pos), Some(b'0'..=b'9')) {
            return Err(invalid(start));
        }
        while matches!(bytes.get(pos), Some(b'0'..=b'9')) {
            pos += 1;
        }
    }
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        if matches!(bytes.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        if !matches!(bytes.get(pos), Some(b'0'..=b'9')) {
            return Err(invalid(start));
        }
        while matches!(bytes.get(pos), Some(b'0'..=b'9')) {
            pos += 1;
        }
    }
    // `01`, `1x`: a number runs into something that cannot follow it.
    if matches!(
        bytes.get(pos),
        Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'.' | b'+' | b'-')
    ) {
        return Err(invalid(start));
    }
    Ok(pos)
}

/// Checks that `literal` (`true`, `false` or `null`) starts at `pos`; returns the index
/// after it.
pub(crate) fn scan_literal(bytes: &[u8], pos: usize, literal: &[u8]) -> Result<usize, LexError> {
    let end = pos + literal.len();
    if bytes.get(pos..end) != Some(literal)
        || matches!(
            bytes.get(end),
            Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'_')
        )
    {
        return Err(LexError::new(LexErrorKind::InvalidLiteral, pos));
    }
    Ok(end)
}

/// Scans a primitive value (string, number, literal) at `pos`; returns the index after it.
fn scan_primitive(bytes: &[u8], pos: usize) -> Result<usize, LexError> {
    match bytes.get(pos) {
        Some(b'"') => Ok(scan_string(bytes, pos + 1)?.0 + 1),
        Some(b't') => scan_literal(bytes, pos, b"true"),
        Some(b'f') => scan_literal(bytes, pos, b"false"),
        Some(b'n') => scan_literal(bytes, pos, b"null"),
        Some(b'-' | b'0'..=b'9') => scan_number(bytes, pos),
        Some(_) => Err(LexError::new(LexErrorKind::ExpectedValue, pos)),
        None => Err(LexError::new(LexErrorKind::UnexpectedEnd, pos)),
    }
}

/// Skips (and validates) the value starting at `pos` (after whitespace); returns the index
/// after it.
///
/// `depth` is the number of containers already open around the value; opening one past
/// `max_depth` is [`LexErrorKind::TooDeep`]. Iterative, so hostile nesting cannot overflow
/// the stack; the open containers are kept as bits (1 = object), which `max_depth <= 128`
/// keeps within a `u128`.
pub(crate) fn skip_value(
    bytes: &[u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
) -> Result<usize, LexError> {
    debug_assert!(max_depth <= 128, "the container stack is a u128");
    let mut pos = skip_whitespace(bytes, pos);
    let mut kinds: u128 = 0;
    let mut open = 0usize;
    'value: loop {
        match bytes.get(pos) {
            Some(&open_byte @ (b'{' | b'[')) => {
                if depth + open + 1 > max_depth {
                    return Err(LexError::new(LexErrorKind::TooDeep, pos));
                }
                let is_object = open_byte == b'{';
                kinds = (kinds << 1) | u128::from(is_object);
                open += 1;
                pos = skip_whitespace(bytes, pos + 1);
                let close = if is_object { b'}' } else { b']' };
                if bytes.get(pos) == Some(&close) {
                    pos += 1;
                    kinds >>= 1;
                    open -= 1;
                } else if is_object {
                    pos = skip_member_name(bytes, pos)?;
                    continue 'value;
                } else {
                    continue 'value;
                }
            }
            _ => pos = skip_whitespace(bytes, scan_primitive(bytes, pos)?),
        }
        // After a complete value: close containers or move to the next member.
        loop {
            if open == 0 {
                return Ok(pos);
            }
            pos = skip_whitespace(bytes, pos);
            let in_object = kinds & 1 == 1;
            match (bytes.get(pos), in_object) {
                (Some(b','), true) => {
                    pos = skip_member_name(bytes, skip_whitespace(bytes, pos + 1))?;
                    continue 'value;
                }
                (Some(b','), false) => {
                    pos = skip_whitespace(bytes, pos + 1);
                    continue 'value;
                }
                (Some(b'}'), true) | (Some(b']'), false) => {
                    pos += 1;
                    kinds >>= 1;
                    open -= 1;
                }
                (None, _) => return Err(LexError::new(LexErrorKind::UnexpectedEnd, pos)),
                (Some(_), true) => {
                    return Err(LexError::new(LexErrorKind::ExpectedCommaOrObjectEnd, pos));
                }
                (Some(_), false) => {
                    return Err(LexError::new(LexErrorKind::ExpectedCommaOrArrayEnd, pos));
                }
            }
        }
    }
}

/// Skips `"name" :` at `pos`; returns the index of the value after the colon.
fn skip_member_name(bytes: &[u8], pos: usize) -> Result<usize, LexError> {
    match bytes.get(pos) {
        Some(b'"') => {}
        None => return Err(LexError::new(LexErrorKind::UnexpectedEnd, pos)),
        Some(_) => return Err(LexError::new(LexErrorKind::ExpectedName, pos)),
    }
    let (end, _) = scan_string(bytes, pos + 1)?;
    let colon = skip_whitespace(bytes, end + 1);
    match bytes.get(colon) {
        Some(b':') => Ok(skip_whitespace(bytes, colon + 1)),
        None => Err(LexError::new(LexErrorKind::UnexpectedEnd, colon)),
        Some(_) => Err(LexError::new(LexErrorKind::ExpectedColon, colon)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skip(text: &str) -> Result<usize, LexError> {
        let end = skip_value(text.as_bytes(), 0, 0, 128)?;
        let end = skip_whitespace(text.as_bytes(), end);
        if end != text.len() {
            return Err(LexError::new(LexErrorKind::TrailingCharacters, end));
        }
        Ok(end)
    }

    #[test]
    fn skip_value_accepts_what_serde_json_accepts() {
        let samples = [
            r#"{}"#,
            r#"[]"#,
            r#"{"a":[1,2.5,-3e+7,true,false,null,"x\"y\\z\u00e9\ud83d\ude80"],"b":{}}"#,
            r#" [ { "a" : [ [ ] , { } ] } ] "#,
            r#""plain""#,
            "0",
            "-0.0e0",
            r#"{"k":"0123456789abcdef0123456789"}"#,
        ];
        for sample in samples {
            assert!(
                serde_json::from_str::<serde_json::Value>(sample).is_ok(),
                "{sample}"
            );
            assert!(skip(sample).is_ok(), "{sample}");
        }
    }

    #[test]
    fn skip_value_rejects_what_serde_json_rejects() {
        let samples = [
            r#"{"a":}"#,
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            r#"[1,]"#,
            r#"[1 2]"#,
            r#"{"a":1,}"#,
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "nul",
            "truex",
            "\"\u{1}\"",
            r#""\x""#,
            r#""\ud800""#,
            r#""\udc00x""#,
            r#""abc"#,
            "[",
            "{\"a\":1",
            "",
        ];
        for sample in samples {
            assert!(
                serde_json::from_str::<serde_json::Value>(sample).is_err(),
                "{sample}"
            );
            assert!(skip(sample).is_err(), "{sample}");
        }
    }

    #[test]
    fn skip_value_bounds_nesting() {
        let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert_eq!(skip(&deep).map_err(|e| e.kind), Err(LexErrorKind::TooDeep));
        let fine = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(skip(&fine).is_ok());
    }

    #[test]
    fn scan_string_finds_the_closing_quote_past_word_boundaries() {
        let text = r#""0123456789\"abcdefgh\\" tail"#;
        let (end, escaped) = scan_string(text.as_bytes(), 1).unwrap();
        assert!(escaped);
        assert_eq!(&text[1..end], r#"0123456789\"abcdefgh\\"#);
        let mut out = String::new();
        unescape_into(&text[1..end], &mut out);
        assert_eq!(out, r#"0123456789"abcdefgh\"#);
    }

    #[test]
    fn unescape_decodes_surrogate_pairs() {
        assert_eq!(unescape(r"\ud83d\ude80 \u00e9\n", true), "🚀 é\n");
        assert_eq!(unescape("plain", false), "plain");
    }

    #[test]
    fn word_test_sees_every_special_byte_position() {
        for position in 0..8 {
            for special in [b'"', b'\\', 0x00, 0x1f] {
                let mut bytes = [b'a'; 8];
                bytes[position] = special;
                assert!(word_has_special_byte(u64::from_le_bytes(bytes)));
            }
        }
        assert!(!word_has_special_byte(u64::from_le_bytes(
            *b"abc \xc3\xa9~ "
        )));
    }
}
