//! Output exactly as the `aws` CLI (v1) prints it, and its pagination tokens.
//!
//! The aws CLI prints `json.dumps(result, indent=4, ensure_ascii=False)` plus a newline,
//! with members in the order of the service model and timestamps as they came over the
//! wire. serde_json's pretty printer with a four-space indent writes the same bytes for
//! the shapes used here (strings escaped alike, `[]` and `{}` for empty collections).
//!
//! With `--max-items` the aws CLI (botocore's paginator) ends its output with a
//! `NextToken` of its own: base64 of `{"NextToken": <service token or null>,
//! "boto_truncate_amount": <events already taken from that page>}` — the second member only
//! when the last page was cut — in Python's `json.dumps` spacing.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

/// Writes `value` as the aws CLI does.
///
/// # Errors
///
/// Serialization errors (not expected for API shapes) and write errors.
pub fn print_json(out: &mut impl std::io::Write, value: &impl Serialize) -> anyhow::Result<()> {
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    value.serialize(&mut serializer)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A paginator position: the service token to send and how many events of that page to skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeToken {
    pub next_token: Option<String>,
    pub truncate_amount: Option<u64>,
}

impl ResumeToken {
    /// Encodes as botocore's `TokenEncoder` does.
    pub fn encode(&self) -> String {
        let token = match &self.next_token {
            Some(token) => serde_json::to_string(token).unwrap_or_default(),
            None => String::from("null"),
        };
        let json = match self.truncate_amount {
            Some(amount) => {
                format!("{{\"NextToken\": {token}, \"boto_truncate_amount\": {amount}}}")
            }
            None => format!("{{\"NextToken\": {token}}}"),
        };
        STANDARD.encode(json)
    }

    /// Decodes a `--starting-token`, accepting the old `<token>___<skip>` form too, as the
    /// aws CLI does.
    ///
    /// # Errors
    ///
    /// A token that decodes to JSON with other members than botocore writes.
    pub fn decode(text: &str) -> anyhow::Result<ResumeToken> {
        let decoded = STANDARD
            .decode(text)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
        if let Some(serde_json::Value::Object(members)) = decoded {
            let mut resume = ResumeToken {
                next_token: None,
                truncate_amount: None,
            };
            for (key, value) in members {
                match (key.as_str(), value) {
                    ("NextToken", serde_json::Value::String(token)) => {
                        resume.next_token = Some(token)
                    }
                    ("NextToken", serde_json::Value::Null) => {}
                    ("boto_truncate_amount", serde_json::Value::Number(amount))
                        if amount.as_u64().is_some() =>
                    {
                        resume.truncate_amount = amount.as_u64();
                    }
                    _ => anyhow::bail!("Bad starting token: {text}"),
                }
            }
            return Ok(resume);
        }
        let (token, skip) = match text.rsplit_once("___") {
            Some((token, skip)) if skip.parse::<u64>().is_ok() => (token, skip.parse::<u64>().ok()),
            _ => (text, None),
        };
        let next_token = (token != "None").then(|| token.to_owned());
        Ok(ResumeToken {
            next_token,
            truncate_amount: skip,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_botocore_bytes() {
        // base64 of `{"NextToken": "abc", "boto_truncate_amount": 2}` as Python writes it.
        let token = ResumeToken {
            next_token: Some(String::from("abc")),
            truncate_amount: Some(2),
        };
        assert_eq!(
            token.encode(),
            "eyJOZXh0VG9rZW4iOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMn0="
        );
        assert_eq!(ResumeToken::decode(&token.encode()).unwrap(), token);
        let first_page = ResumeToken {
            next_token: None,
            truncate_amount: Some(1),
        };
        assert_eq!(
            STANDARD.decode(first_page.encode()).unwrap(),
            br#"{"NextToken": null, "boto_truncate_amount": 1}"#
        );
        assert_eq!(
            ResumeToken::decode("tok___3").unwrap(),
            ResumeToken {
                next_token: Some(String::from("tok")),
                truncate_amount: Some(3)
            }
        );
        assert!(ResumeToken::decode(&STANDARD.encode(br#"{"Other": 1}"#)).is_err());
    }

    #[test]
    fn output_is_indented_like_python() {
        let mut out = Vec::new();
        print_json(
            &mut out,
            &serde_json::json!({"Events": [], "A": {"b": "é\"\n"}}),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n    \"A\": {\n        \"b\": \"é\\\"\\n\"\n    },\n    \"Events\": []\n}\n"
        );
    }
}
