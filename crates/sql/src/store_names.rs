//! Store names written without quotes.
//!
//! Lake statements name event data stores by id, written bare although ids
//! contain `-` (`FROM EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE`), or by ARN. No SQL
//! parser reads those as one identifier, so before parsing, the tokenized text
//! (string literals and comments stay whole) is rewritten: a hyphenated name in
//! table position (after `FROM`, `JOIN`, or a comma of a `FROM` list) and an
//! event data store ARN anywhere become a quoted identifier holding the id.

use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Location, Token, TokenWithSpan};

/// Returns the id of an event data store ARN
/// (`arn:<partition>:cloudtrail:<region>:<account>:eventdatastore/<id>`).
pub(crate) fn store_id_of_arn(text: &str) -> Option<&str> {
    let mut fields = text.splitn(6, ':');
    let (
        Some("arn"),
        Some(partition),
        Some("cloudtrail"),
        Some(region),
        Some(account),
        Some(resource),
    ) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    )
    else {
        return None;
    };
    let id = resource.strip_prefix("eventdatastore/")?;
    let plausible = !partition.is_empty()
        && !region.is_empty()
        && !account.is_empty()
        && account.bytes().all(|byte| byte.is_ascii_digit())
        && is_store_id(id);
    plausible.then_some(id)
}

/// Whether `text` looks like an event data store id: letters, digits and `-`.
fn is_store_id(text: &str) -> bool {
    text.bytes()
        .next()
        .is_some_and(|byte| byte.is_ascii_alphanumeric())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
}

/// Rewrites bare hyphenated store ids in table position, and store ARNs
/// anywhere outside literals and comments, to quoted identifiers.
pub(crate) fn quote_store_names(text: &str, tokens: &[TokenWithSpan]) -> String {
    let offsets = LineOffsets::new(text);
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    // One entry per parenthesis depth: whether that level is in a FROM clause.
    let mut in_from = vec![false];
    let mut previous_significant: Option<&Token> = None;
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index].token;
        if is_joinable(token) {
            let start = index;
            while index < tokens.len() && is_joinable(&tokens[index].token) {
                index += 1;
            }
            let run = &tokens[start..index];
            let (Some(begin), Some(end)) = (
                offsets.byte_offset(run[0].span.start),
                offsets.byte_offset(run[run.len() - 1].span.end),
            ) else {
                previous_significant = run.last().map(|token| &token.token);
                continue;
            };
            let written = &text[begin..end];
            let table_position = match previous_significant {
                Some(Token::Word(word)) => matches!(word.keyword, Keyword::FROM | Keyword::JOIN),
                Some(Token::Comma) => in_from.last().copied().unwrap_or(false),
                _ => false,
            };
            if let Some(id) = store_id_of_arn(written) {
                replacements.push((begin, end, format!("\"{id}\"")));
            } else if table_position && written.contains('-') && is_store_id(written) {
                replacements.push((begin, end, format!("\"{written}\"")));
            }
            for token in run {
                track_clause(&token.token, &mut in_from);
            }
            previous_significant = run.last().map(|token| &token.token);
            continue;
        }
        track_clause(token, &mut in_from);
        if !matches!(token, Token::Whitespace(_)) {
            previous_significant = Some(token);
        }
        index += 1;
    }
    let mut prepared = String::with_capacity(text.len() + 2 * replacements.len());
    let mut copied_up_to = 0;
    for (begin, end, replacement) in replacements {
        prepared.push_str(&text[copied_up_to..begin]);
        prepared.push_str(&replacement);
        copied_up_to = end;
    }
    prepared.push_str(&text[copied_up_to..]);
    prepared
}

/// Tokens that can be pieces of a store id or ARN written without quotes.
fn is_joinable(token: &Token) -> bool {
    match token {
        Token::Word(word) => word.quote_style.is_none(),
        Token::Number(..)
        | Token::Minus
        | Token::Colon
        | Token::DoubleColon
        | Token::Div
        | Token::Placeholder(_)
        | Token::HexStringLiteral(_) => true,
        _ => false,
    }
}

/// Follows whether the current parenthesis level is inside a FROM clause, so a
/// name after a comma is known to be a table.
fn track_clause(token: &Token, in_from: &mut Vec<bool>) {
    match token {
        Token::LParen => in_from.push(false),
        Token::RParen if in_from.len() > 1 => {
            in_from.pop();
        }
        Token::Word(word) if word.quote_style.is_none() => {
            let Some(current) = in_from.last_mut() else {
                return;
            };
            match word.keyword {
                Keyword::FROM => *current = true,
                Keyword::WHERE
                | Keyword::GROUP
                | Keyword::HAVING
                | Keyword::ORDER
                | Keyword::LIMIT
                | Keyword::OFFSET
                | Keyword::FETCH
                | Keyword::UNION
                | Keyword::INTERSECT
                | Keyword::EXCEPT
                | Keyword::WINDOW
                | Keyword::QUALIFY
                | Keyword::SELECT
                | Keyword::ON
                | Keyword::USING => *current = false,
                _ => {}
            }
        }
        _ => {}
    }
}

/// Converts the tokenizer's 1-based line and character column to byte offsets.
struct LineOffsets<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineOffsets<'a> {
    fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        for (offset, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(offset + 1);
            }
        }
        Self { text, line_starts }
    }

    fn byte_offset(&self, location: Location) -> Option<usize> {
        let line_index = usize::try_from(location.line).ok()?.checked_sub(1)?;
        let line_start = *self.line_starts.get(line_index)?;
        let column = usize::try_from(location.column).ok()?.checked_sub(1)?;
        let line = &self.text[line_start..];
        match line.char_indices().nth(column) {
            Some((offset, _)) => Some(line_start + offset),
            None if line.chars().count() == column => Some(self.text.len()),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::lake_dialect;
    use datafusion::sql::sqlparser::tokenizer::Tokenizer;

    fn prepared(text: &str) -> String {
        let tokens = Tokenizer::new(lake_dialect(), text)
            .tokenize_with_location()
            .unwrap();
        quote_store_names(text, &tokens)
    }

    #[test]
    fn bare_hyphenated_ids_in_table_position_are_quoted() {
        assert_eq!(
            prepared("SELECT a-b FROM EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE WHERE x = 'a-b'"),
            "SELECT a-b FROM \"EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE\" WHERE x = 'a-b'"
        );
        assert_eq!(
            prepared(
                "select 1 from 0c9a1b0e-1e5b-4e8f-9bd1-bcf6c0aa1234 as a join x-y b on 1=1, c-d"
            ),
            "select 1 from \"0c9a1b0e-1e5b-4e8f-9bd1-bcf6c0aa1234\" as a join \"x-y\" b on 1=1, c-d"
        );
        assert_eq!(
            prepared("select 1 from a-b, c-d where 1=1"),
            "select 1 from \"a-b\", \"c-d\" where 1=1"
        );
    }

    #[test]
    fn arns_become_quoted_ids_but_not_inside_literals_or_comments() {
        let arn = "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLE-f852";
        assert_eq!(
            prepared(&format!("select '{arn}' from {arn} -- {arn}\n")),
            format!("select '{arn}' from \"EXAMPLE-f852\" -- {arn}\n")
        );
    }

    #[test]
    fn multibyte_text_keeps_offsets_right() {
        assert_eq!(
            prepared("select 'é' from\n  é-x, ab-cd"),
            "select 'é' from\n  é-x, \"ab-cd\""
        );
    }

    #[test]
    fn arn_parsing() {
        assert_eq!(
            store_id_of_arn("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/abc-1"),
            Some("abc-1")
        );
        assert_eq!(store_id_of_arn("arn:aws:s3:::bucket"), None);
        assert_eq!(
            store_id_of_arn("arn:aws:cloudtrail:us-east-1:12a:eventdatastore/abc"),
            None
        );
    }
}
