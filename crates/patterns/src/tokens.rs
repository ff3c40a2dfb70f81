//! A pull tokenizer over JSON text, the shape of Jackson's `JsonParser.nextToken()`.
//!
//! The pattern parser follows aws/event-ruler's `JsonRuleCompiler`, which reads the
//! pattern token by token: duplicate member names are seen one after the other (so the
//! last occurrence of a path wins) and an invalid construct is reported at the token where
//! it is met, before any later syntax error. A tree parser would lose both properties.

use std::borrow::Cow;

use crate::json::{
    LexError, LexErrorKind, scan_literal, scan_number, scan_string, skip_whitespace, unescape,
};

/// One token of the pattern text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token<'a> {
    BeginObject,
    EndObject,
    BeginArray,
    EndArray,
    /// A member name (the colon after it is consumed too).
    Name(Cow<'a, str>),
    String(Cow<'a, str>),
    /// A number, as written.
    Number(&'a str),
    True,
    False,
    Null,
    /// The top-level value is complete (or the text is empty).
    End,
}

impl Token<'_> {
    /// The token's text as Jackson's `getText()` gives it, for error messages.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Token::BeginObject => Cow::Borrowed("{"),
            Token::EndObject => Cow::Borrowed("}"),
            Token::BeginArray => Cow::Borrowed("["),
            Token::EndArray => Cow::Borrowed("]"),
            Token::Name(text) | Token::String(text) => Cow::Borrowed(text),
            Token::Number(text) => Cow::Borrowed(text),
            Token::True => Cow::Borrowed("true"),
            Token::False => Cow::Borrowed("false"),
            Token::Null => Cow::Borrowed("null"),
            Token::End => Cow::Borrowed(""),
        }
    }

    /// Whether this is a number token (Jackson's `JsonToken.isNumeric()`).
    pub(crate) fn is_number(&self) -> bool {
        matches!(self, Token::Number(_))
    }
}

/// What the tokenizer expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value: the top-level one, or after `:` or `,` in an array.
    Value,
    /// Just after `{`: a name or `}`.
    FirstMember,
    /// Just after `[`: a value or `]`.
    FirstElement,
    /// After a value: `,` or the container's end.
    Separator,
    /// The top-level value is complete.
    Done,
}

/// Pulls tokens from JSON text, checking its structure as it goes.
#[derive(Debug)]
pub(crate) struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
    /// Open containers, `true` for objects.
    open: Vec<bool>,
    expect: Expect,
    max_depth: usize,
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(text: &'a str, max_depth: usize) -> Tokenizer<'a> {
        Tokenizer {
            text,
            pos: 0,
            open: Vec::new(),
            expect: Expect::Value,
            max_depth,
        }
    }

    /// Whether the text holds nothing but whitespace.
    pub(crate) fn is_blank(&self) -> bool {
        skip_whitespace(self.text.as_bytes(), 0) == self.text.len()
    }

    /// Returns the next token.
    pub(crate) fn next_token(&mut self) -> Result<Token<'a>, LexError> {
        let bytes = self.text.as_bytes();
        match self.expect {
            Expect::Done => Ok(Token::End),
            Expect::Value => self.value(),
            Expect::FirstElement => {
                self.pos = skip_whitespace(bytes, self.pos);
                if bytes.get(self.pos) == Some(&b']') {
                    return Ok(self.close());
                }
                self.value()
            }
            Expect::FirstMember => {
                self.pos = skip_whitespace(bytes, self.pos);
                if bytes.get(self.pos) == Some(&b'}') {
                    return Ok(self.close());
                }
                self.name()
            }
            Expect::Separator => {
                let Some(&in_object) = self.open.last() else {
                    self.expect = Expect::Done;
                    return Ok(Token::End);
                };
                self.pos = skip_whitespace(bytes, self.pos);
                match (bytes.get(self.pos), in_object) {
                    (Some(b','), true) => {
                        self.pos += 1;
                        self.name()
                    }
                    (Some(b','), false) => {
                        self.pos += 1;
                        self.value()
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => Ok(self.close()),
                    (None, _) => Err(self.error(LexErrorKind::UnexpectedEnd)),
                    (Some(_), true) => Err(self.error(LexErrorKind::ExpectedCommaOrObjectEnd)),
                    (Some(_), false) => Err(self.error(LexErrorKind::ExpectedCommaOrArrayEnd)),
                }
            }
        }
    }

    /// Checks that only whitespace follows the top-level value.
    pub(crate) fn finish(&mut self) -> Result<(), LexError> {
        self.pos = skip_whitespace(self.text.as_bytes(), self.pos);
        if self.expect != Expect::Done && !self.open.is_empty() {
            return Err(self.error(LexErrorKind::UnexpectedEnd));
        }
        if self.pos != self.text.len() {
            return Err(self.error(LexErrorKind::TrailingCharacters));
        }
        Ok(())
    }

    fn error(&self, kind: LexErrorKind) -> LexError {
        LexError::new(kind, self.pos)
    }

    fn close(&mut self) -> Token<'a> {
        self.pos += 1;
        self.expect = Expect::Separator;
        match self.open.pop() {
            Some(true) => Token::EndObject,
            _ => Token::EndArray,
        }
    }

    fn name(&mut self) -> Result<Token<'a>, LexError> {
        let bytes = self.text.as_bytes();
        self.pos = skip_whitespace(bytes, self.pos);
        match bytes.get(self.pos) {
            Some(b'"') => {}
            None => return Err(self.error(LexErrorKind::UnexpectedEnd)),
            Some(_) => return Err(self.error(LexErrorKind::ExpectedName)),
        }
        let (end, escaped) = scan_string(bytes, self.pos + 1)?;
        let raw = &self.text[self.pos + 1..end];
        self.pos = skip_whitespace(bytes, end + 1);
        match bytes.get(self.pos) {
            Some(b':') => self.pos += 1,
            None => return Err(self.error(LexErrorKind::UnexpectedEnd)),
            Some(_) => return Err(self.error(LexErrorKind::ExpectedColon)),
        }
        self.expect = Expect::Value;
        Ok(Token::Name(unescape(raw, escaped)))
    }

    fn value(&mut self) -> Result<Token<'a>, LexError> {
        let bytes = self.text.as_bytes();
        self.pos = skip_whitespace(bytes, self.pos);
        let start = self.pos;
        let token = match bytes.get(start) {
            Some(b'{') | Some(b'[') => {
                let is_object = bytes.get(start) == Some(&b'{');
                if self.open.len() >= self.max_depth {
                    return Err(self.error(LexErrorKind::TooDeep));
                }
                self.open.push(is_object);
                self.pos += 1;
                self.expect = if is_object {
                    Expect::FirstMember
                } else {
                    Expect::FirstElement
                };
                return Ok(if is_object {
                    Token::BeginObject
                } else {
                    Token::BeginArray
                });
            }
            Some(b'"') => {
                let (end, escaped) = scan_string(bytes, start + 1)?;
                self.pos = end + 1;
                Token::String(unescape(&self.text[start + 1..end], escaped))
            }
            Some(b't') => {
                self.pos = scan_literal(bytes, start, b"true")?;
                Token::True
            }
            Some(b'f') => {
                self.pos = scan_literal(bytes, start, b"false")?;
                Token::False
            }
            Some(b'n') => {
                self.pos = scan_literal(bytes, start, b"null")?;
                Token::Null
            }
            Some(b'-' | b'0'..=b'9') => {
                self.pos = scan_number(bytes, start)?;
                Token::Number(&self.text[start..self.pos])
            }
            None => return Err(self.error(LexErrorKind::UnexpectedEnd)),
            Some(_) => return Err(self.error(LexErrorKind::ExpectedValue)),
        };
        self.expect = Expect::Separator;
        Ok(token)
    }
}

/// Words a lexing failure in a pattern as Jackson (the JSON parser behind EventBridge's
/// validation) does, naming the offending character.
pub(crate) fn describe_lex_error(error: &LexError, text: &str) -> String {
    let found = match text
        .get(error.offset..)
        .and_then(|rest| rest.chars().next())
    {
        Some(character) => format!("'{}' (code {})", character, u32::from(character)),
        None => "end-of-input".to_owned(),
    };
    match error.kind {
        LexErrorKind::UnexpectedEnd => "Unexpected end-of-input".to_owned(),
        LexErrorKind::ExpectedValue => format!(
            "Unexpected character ({found}): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        ),
        LexErrorKind::ExpectedName => format!(
            "Unexpected character ({found}): was expecting double-quote to start field name"
        ),
        LexErrorKind::ExpectedColon => format!(
            "Unexpected character ({found}): was expecting a colon to separate field name and value"
        ),
        LexErrorKind::ExpectedCommaOrObjectEnd => format!(
            "Unexpected character ({found}): was expecting comma to separate Object entries"
        ),
        LexErrorKind::ExpectedCommaOrArrayEnd => {
            format!("Unexpected character ({found}): was expecting comma to separate Array entries")
        }
        LexErrorKind::ControlCharacter => format!(
            "Illegal unquoted character ({found}): has to be escaped using backslash to be included in string value"
        ),
        LexErrorKind::InvalidEscape => {
            format!("Unrecognized character escape or unpaired surrogate at {found}")
        }
        LexErrorKind::InvalidNumber => format!("Invalid numeric value at {found}"),
        LexErrorKind::InvalidLiteral => format!(
            "Unrecognized token at {found}: was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        ),
        LexErrorKind::TooDeep => "Document nesting depth exceeds the maximum".to_owned(),
        LexErrorKind::TrailingCharacters => {
            format!("Unexpected character ({found}) after the end of the value")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Result<Vec<Token<'_>>, LexError> {
        let mut tokenizer = Tokenizer::new(text, 64);
        let mut out = Vec::new();
        loop {
            let token = tokenizer.next_token()?;
            if token == Token::End {
                tokenizer.finish()?;
                return Ok(out);
            }
            out.push(token);
        }
    }

    #[test]
    fn tokenizer_yields_names_values_and_duplicates_in_order() {
        let got = tokens(r#" {"a": [1, "x\n", {"b": null}], "a": {} } "#).unwrap();
        assert_eq!(
            got,
            vec![
                Token::BeginObject,
                Token::Name("a".into()),
                Token::BeginArray,
                Token::Number("1"),
                Token::String("x\n".into()),
                Token::BeginObject,
                Token::Name("b".into()),
                Token::Null,
                Token::EndObject,
                Token::EndArray,
                Token::Name("a".into()),
                Token::BeginObject,
                Token::EndObject,
                Token::EndObject,
            ]
        );
    }

    #[test]
    fn tokenizer_reports_structure_errors_where_they_are() {
        let error = tokens(r#"{"a" 1}"#).unwrap_err();
        assert_eq!((error.kind, error.offset), (LexErrorKind::ExpectedColon, 5));
        let error = tokens(r#"{"a":1 "b":2}"#).unwrap_err();
        assert_eq!(error.kind, LexErrorKind::ExpectedCommaOrObjectEnd);
        let error = tokens(r#"{"a":1} x"#).unwrap_err();
        assert_eq!(error.kind, LexErrorKind::TrailingCharacters);
        let error = tokens(r#"[1,]"#).unwrap_err();
        assert_eq!(error.kind, LexErrorKind::ExpectedValue);
        let deep = "[".repeat(65);
        assert_eq!(tokens(&deep).unwrap_err().kind, LexErrorKind::TooDeep);
    }
}
