//! Wildcard patterns (`*`, `?`) with policy variables (`${aws:username}`), compiled once at
//! parse time and matched without allocating.
//!
//! Used for `Action` (case-insensitive), `Resource` (case-sensitive, `*` spans `/` and
//! `:`), the values of the `String*` condition operators and each of the six components
//! of `Arn*` values.
//!
//! Policy variables follow the IAM User Guide, "IAM policy elements: Variables and tags"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>):
//! `${key}` is replaced by the single value of the condition key `key` (case-insensitive),
//! `${key, 'default'}` falls back to `default` (`''` inside the quotes is one `'`), and
//! `${*}`, `${?}`, `${$}` stand for the literal characters. A variable whose key is absent
//! (without a default) or multivalued cannot be replaced, and the pattern then matches
//! nothing. The replaced text is literal: a `*` in a user name is not a wildcard, and it is
//! not scanned for further variables. Text that starts like a variable but is not
//! well-formed (`${`, `${a b}`, `${a, x}`) stays literal text.

use crate::request::Context;

/// How characters compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseMode {
    /// Exact comparison (`Resource`, `StringEquals`, `StringLike`, `Arn*`).
    Sensitive,
    /// ASCII letters compare without case (`Action`: action names are ASCII).
    AsciiInsensitive,
    /// Every character compares by its lower-case form (`StringEqualsIgnoreCase`).
    Insensitive,
}

/// Which special syntax a pattern's text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Syntax {
    /// `*` and `?` are wildcards (off for `StringEquals`, where they are literal).
    pub(crate) wildcards: bool,
    /// `${...}` is a policy variable (only with `"Version": "2012-10-17"`).
    pub(crate) variables: bool,
}

/// One piece of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// `*`: any run of characters, possibly empty.
    Star,
    /// `?`: exactly one character.
    AnyChar,
    /// Characters that must appear as written.
    Literal(Box<str>),
    /// A policy variable, replaced from the context at match time.
    Variable(Variable),
}

/// `${key}` or `${key, 'default'}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variable {
    /// The condition key, lower-cased (keys are case-insensitive).
    key: Box<str>,
    default: Option<Box<str>>,
}

impl Variable {
    /// Returns the replacement text, or `None` when the key is absent without a default or
    /// has several values (IAM cannot replace a multivalued key).
    fn resolve<'a>(&'a self, context: &'a Context) -> Option<&'a str> {
        match context.values_by_lowercase_key(&self.key) {
            Some([single]) => Some(single),
            Some(_) => None,
            None => self.default.as_deref(),
        }
    }
}

/// A compiled pattern; the common shapes get a fast path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// `*`: matches everything.
    Any,
    /// No wildcard, no variable.
    Exact(Box<str>),
    /// Literal text then one trailing `*` (`s3:Get*`, `arn:aws:s3:::bucket/*`).
    Prefix(Box<str>),
    /// Anything else.
    Glob(Box<[Token]>),
}

impl Pattern {
    /// Compiles `text` under `syntax`.
    pub(crate) fn compile(text: &str, syntax: Syntax) -> Pattern {
        Pattern::from_tokens(tokenize(text, syntax))
    }

    /// Picks the fastest representation for `tokens` (as [`tokenize`] returns them:
    /// adjacent literals merged, no two stars in a row).
    pub(crate) fn from_tokens(mut tokens: Vec<Token>) -> Pattern {
        match tokens.as_mut_slice() {
            [] => Pattern::Exact(Box::from("")),
            [Token::Star] => Pattern::Any,
            [Token::Literal(literal)] => Pattern::Exact(std::mem::take(literal)),
            [Token::Literal(literal), Token::Star] => Pattern::Prefix(std::mem::take(literal)),
            _ => Pattern::Glob(tokens.into_boxed_slice()),
        }
    }

    /// Returns whether `text` matches, replacing variables from `context`.
    pub(crate) fn matches(&self, text: &str, case: CaseMode, context: &Context) -> bool {
        match self {
            Pattern::Any => true,
            Pattern::Exact(literal) => equals(text, literal, case),
            Pattern::Prefix(literal) => strip_prefix(text, literal, case).is_some(),
            Pattern::Glob(tokens) => {
                let all_resolve = tokens.iter().all(|token| match token {
                    Token::Variable(variable) => variable.resolve(context).is_some(),
                    _ => true,
                });
                all_resolve && glob_matches(tokens, text, case, context)
            }
        }
    }
}

/// Splits `text` into tokens: merges adjacent literal text, collapses `**` into one `*`.
pub(crate) fn tokenize(text: &str, syntax: Syntax) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(character) = rest.chars().next() {
        if syntax.wildcards && (character == '*' || character == '?') {
            flush_literal(&mut literal, &mut tokens);
            let token = if character == '*' {
                Token::Star
            } else {
                Token::AnyChar
            };
            if !(token == Token::Star && tokens.last() == Some(&Token::Star)) {
                tokens.push(token);
            }
            rest = &rest[1..];
            continue;
        }
        if syntax.variables
            && rest.starts_with("${")
            && let Some((piece, after)) = parse_variable(rest)
        {
            match piece {
                VariablePiece::Character(escaped) => literal.push(escaped),
                VariablePiece::Variable(variable) => {
                    flush_literal(&mut literal, &mut tokens);
                    tokens.push(Token::Variable(variable));
                }
            }
            rest = after;
            continue;
        }
        literal.push(character);
        rest = &rest[character.len_utf8()..];
    }
    flush_literal(&mut literal, &mut tokens);
    tokens
}

fn flush_literal(literal: &mut String, tokens: &mut Vec<Token>) {
    if !literal.is_empty() {
        tokens.push(Token::Literal(std::mem::take(literal).into_boxed_str()));
    }
}

enum VariablePiece {
    /// `${*}`, `${?}`, `${$}`.
    Character(char),
    Variable(Variable),
}

/// Parses the variable at the start of `text` (which starts with `${`); returns it and the
/// text after its `}`, or `None` when it is not well-formed.
fn parse_variable(text: &str) -> Option<(VariablePiece, &str)> {
    let inner = text.strip_prefix("${")?;
    for escaped in ['*', '?', '$'] {
        if let Some(after) = inner
            .strip_prefix(escaped)
            .and_then(|after| after.strip_prefix('}'))
        {
            return Some((VariablePiece::Character(escaped), after));
        }
    }
    let inner = inner.trim_start();
    let key_length = inner
        .find(|character: char| character == ',' || character == '}' || character.is_whitespace())
        .unwrap_or(inner.len());
    let (key, mut rest) = inner.split_at(key_length);
    if key.is_empty() {
        return None;
    }
    rest = rest.trim_start();
    let mut default = None;
    if let Some(after_comma) = rest.strip_prefix(',') {
        let (value, after_value) = parse_quoted_default(after_comma.trim_start())?;
        default = Some(value.into_boxed_str());
        rest = after_value.trim_start();
    }
    let after = rest.strip_prefix('}')?;
    let variable = Variable {
        key: key.to_lowercase().into_boxed_str(),
        default,
    };
    Some((VariablePiece::Variable(variable), after))
}

/// Parses `'text'` where `''` stands for one `'`; returns the text and what follows.
fn parse_quoted_default(text: &str) -> Option<(String, &str)> {
    let mut rest = text.strip_prefix('\'')?;
    let mut value = String::new();
    loop {
        let quote = rest.find('\'')?;
        value.push_str(&rest[..quote]);
        rest = &rest[quote + 1..];
        match rest.strip_prefix('\'') {
            Some(after_doubled) => {
                value.push('\'');
                rest = after_doubled;
            }
            None => return Some((value, rest)),
        }
    }
}

/// Returns whether the pattern text has a wildcard (for checks such as "no partial
/// wildcard in a principal").
pub(crate) fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

fn chars_equal(left: char, right: char, case: CaseMode) -> bool {
    match case {
        CaseMode::Sensitive => left == right,
        CaseMode::AsciiInsensitive => left.eq_ignore_ascii_case(&right),
        CaseMode::Insensitive => left == right || left.to_lowercase().eq(right.to_lowercase()),
    }
}

fn equals(text: &str, literal: &str, case: CaseMode) -> bool {
    match case {
        CaseMode::Sensitive => text == literal,
        CaseMode::AsciiInsensitive => text.eq_ignore_ascii_case(literal),
        CaseMode::Insensitive => strip_prefix(text, literal, case) == Some(""),
    }
}

/// Returns the rest of `text` after `prefix`, or `None` when it does not start with it.
fn strip_prefix<'t>(text: &'t str, prefix: &str, case: CaseMode) -> Option<&'t str> {
    match case {
        CaseMode::Sensitive => text.strip_prefix(prefix),
        CaseMode::AsciiInsensitive => {
            let head = text.as_bytes().get(..prefix.len())?;
            // Equal ignoring ASCII case means non-ASCII bytes are identical, so the cut
            // falls on the same character boundary as in `prefix`.
            head.eq_ignore_ascii_case(prefix.as_bytes())
                .then(|| text.get(prefix.len()..))
                .flatten()
        }
        CaseMode::Insensitive => {
            let mut rest = text;
            for expected in prefix.chars() {
                let actual = rest.chars().next()?;
                if !chars_equal(expected, actual, case) {
                    return None;
                }
                rest = &rest[actual.len_utf8()..];
            }
            Some(rest)
        }
    }
}

/// A position in a token list: the token, and the byte offset inside a literal (or inside
/// a variable's replacement).
#[derive(Debug, Clone, Copy, Default)]
struct Cursor {
    token: usize,
    offset: usize,
}

enum Atom {
    Star,
    AnyChar,
    Char(char),
}

/// Returns the atom at `cursor` and the cursor after it, skipping exhausted literals.
fn next_atom(tokens: &[Token], context: &Context, mut cursor: Cursor) -> Option<(Atom, Cursor)> {
    loop {
        let after_token = Cursor {
            token: cursor.token + 1,
            offset: 0,
        };
        let text = match tokens.get(cursor.token)? {
            Token::Star => return Some((Atom::Star, after_token)),
            Token::AnyChar => return Some((Atom::AnyChar, after_token)),
            Token::Literal(literal) => literal,
            // `Pattern::matches` checked that every variable resolves.
            Token::Variable(variable) => variable.resolve(context).unwrap_or(""),
        };
        if let Some(character) = text
            .get(cursor.offset..)
            .and_then(|rest| rest.chars().next())
        {
            let after_char = Cursor {
                token: cursor.token,
                offset: cursor.offset + character.len_utf8(),
            };
            return Some((Atom::Char(character), after_char));
        }
        cursor = after_token;
    }
}

/// The classic wildcard match with one backtrack point: on a mismatch, the most recent `*`
/// absorbs one more character and matching resumes after it. Correct for `*`/`?` globs
/// because a later `*` can absorb anything an earlier one could; O(text × pattern) in
/// the worst case, linear for the usual shapes.
fn glob_matches(tokens: &[Token], text: &str, case: CaseMode, context: &Context) -> bool {
    let mut cursor = Cursor::default();
    let mut position = 0;
    let mut backtrack: Option<(Cursor, usize)> = None;
    loop {
        let atom = next_atom(tokens, context, cursor);
        let next_char = text[position..].chars().next();
        match (atom, next_char) {
            (Some((Atom::Star, after)), _) => {
                backtrack = Some((after, position));
                cursor = after;
                continue;
            }
            (Some((Atom::AnyChar, after)), Some(character)) => {
                cursor = after;
                position += character.len_utf8();
                continue;
            }
            (Some((Atom::Char(expected), after)), Some(character))
                if chars_equal(expected, character, case) =>
            {
                cursor = after;
                position += character.len_utf8();
                continue;
            }
            (None, None) => return true,
            _ => {}
        }
        let Some((after_star, star_position)) = backtrack else {
            return false;
        };
        let Some(absorbed) = text[star_position..].chars().next() else {
            return false;
        };
        let resumed = star_position + absorbed.len_utf8();
        backtrack = Some((after_star, resumed));
        cursor = after_star;
        position = resumed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLOB: Syntax = Syntax {
        wildcards: true,
        variables: false,
    };
    const GLOB_AND_VARIABLES: Syntax = Syntax {
        wildcards: true,
        variables: true,
    };
    const LITERAL_AND_VARIABLES: Syntax = Syntax {
        wildcards: false,
        variables: true,
    };

    fn matches(pattern: &str, text: &str) -> bool {
        Pattern::compile(pattern, GLOB).matches(text, CaseMode::Sensitive, &Context::new())
    }

    #[test]
    fn common_shapes_get_fast_paths() {
        assert_eq!(Pattern::compile("*", GLOB), Pattern::Any);
        assert_eq!(Pattern::compile("**", GLOB), Pattern::Any);
        assert_eq!(
            Pattern::compile("s3:GetObject", GLOB),
            Pattern::Exact("s3:GetObject".into())
        );
        assert_eq!(
            Pattern::compile("s3:Get*", GLOB),
            Pattern::Prefix("s3:Get".into())
        );
        assert!(matches!(
            Pattern::compile("s3:*Object", GLOB),
            Pattern::Glob(_)
        ));
    }

    #[test]
    fn star_matches_any_run_including_slashes_and_colons() {
        assert!(matches(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b:c"
        ));
        assert!(matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/"));
        assert!(!matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(matches("arn:*:s3:::*", "arn:aws-cn:s3:::x"));
        assert!(matches("*a*b*c*", "xxaxxbxxcxx"));
        assert!(!matches("*a*b*c*", "xxaxxcxxbxx"));
        assert!(matches("a*a*a", "aaaaa"));
        assert!(!matches("a*a*a", "aa"));
    }

    #[test]
    fn question_mark_matches_exactly_one_character() {
        assert!(matches("s3:Get?bject", "s3:GetObject"));
        assert!(!matches("s3:Get?bject", "s3:Getbject"));
        assert!(matches("??", "é!"));
        assert!(!matches("??", "é"));
        assert!(matches("*?", "x"));
        assert!(!matches("*?", ""));
    }

    #[test]
    fn case_modes() {
        let context = Context::new();
        let action = Pattern::compile("S3:get*", GLOB);
        assert!(action.matches("s3:GetObject", CaseMode::AsciiInsensitive, &context));
        assert!(!action.matches("s3:GetObject", CaseMode::Sensitive, &context));
        let glob = Pattern::compile("S3:*OBJECT", GLOB);
        assert!(glob.matches("s3:GetObject", CaseMode::AsciiInsensitive, &context));
        let exact = Pattern::compile("ÉTÉ", LITERAL_AND_VARIABLES);
        assert!(exact.matches("été", CaseMode::Insensitive, &context));
        assert!(!exact.matches("été", CaseMode::AsciiInsensitive, &context));
        assert!(!exact.matches("étée", CaseMode::Insensitive, &context));
    }

    #[test]
    fn ascii_insensitive_prefix_never_splits_a_character() {
        let context = Context::new();
        let prefix = Pattern::compile("a*", GLOB);
        assert!(prefix.matches("aé", CaseMode::AsciiInsensitive, &context));
        let multibyte = Pattern::compile("é*", GLOB);
        assert!(!multibyte.matches("e", CaseMode::AsciiInsensitive, &context));
        assert!(multibyte.matches("éx", CaseMode::AsciiInsensitive, &context));
    }

    #[test]
    fn wildcards_off_makes_star_and_question_mark_literal() {
        let context = Context::new();
        let literal = Pattern::compile("a*?", LITERAL_AND_VARIABLES);
        assert!(literal.matches("a*?", CaseMode::Sensitive, &context));
        assert!(!literal.matches("abc", CaseMode::Sensitive, &context));
    }

    #[test]
    fn variables_are_replaced_from_the_context() {
        let mut context = Context::new();
        context.insert("aws:username", "alice");
        let pattern = Pattern::compile("home/${aws:UserName}/*", GLOB_AND_VARIABLES);
        assert!(pattern.matches("home/alice/notes.txt", CaseMode::Sensitive, &context));
        assert!(!pattern.matches("home/bob/notes.txt", CaseMode::Sensitive, &context));
        assert!(!pattern.matches("home/${aws:UserName}/x", CaseMode::Sensitive, &context));
    }

    #[test]
    fn unresolvable_variables_match_nothing() {
        let pattern = Pattern::compile("home/${aws:username}*", GLOB_AND_VARIABLES);
        assert!(!pattern.matches("home/", CaseMode::Sensitive, &Context::new()));
        let mut multivalued = Context::new();
        multivalued.insert_many("aws:username", ["a", "b"]);
        assert!(!pattern.matches("home/a", CaseMode::Sensitive, &multivalued));
    }

    #[test]
    fn variable_defaults_and_escapes() {
        let context = Context::new();
        let defaulted = Pattern::compile("${ aws:username , 'it''s' }/x", GLOB_AND_VARIABLES);
        assert!(defaulted.matches("it's/x", CaseMode::Sensitive, &context));
        let escaped = Pattern::compile("a${*}b${?}${$}", GLOB_AND_VARIABLES);
        assert_eq!(escaped, Pattern::Exact("a*b?$".into()));
        assert!(escaped.matches("a*b?$", CaseMode::Sensitive, &context));
        assert!(!escaped.matches("axb?$", CaseMode::Sensitive, &context));
    }

    #[test]
    fn replaced_text_is_literal() {
        let mut context = Context::new();
        context.insert("aws:username", "*");
        let pattern = Pattern::compile("${aws:username}", LITERAL_AND_VARIABLES);
        assert!(pattern.matches("*", CaseMode::Sensitive, &context));
        assert!(!pattern.matches("alice", CaseMode::Sensitive, &context));
    }

    #[test]
    fn malformed_variables_stay_literal() {
        for text in ["${", "${}", "${a b}", "${a, x}", "${a, 'x}", "${a"] {
            let pattern = Pattern::compile(text, LITERAL_AND_VARIABLES);
            assert_eq!(pattern, Pattern::Exact(text.into()), "{text}");
        }
    }

    #[test]
    fn variables_are_literal_without_the_2012_version() {
        let pattern = Pattern::compile("${aws:username}", GLOB);
        assert_eq!(pattern, Pattern::Exact("${aws:username}".into()));
    }
}
