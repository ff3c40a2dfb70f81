//! `opentrail lookup-events`: `aws cloudtrail lookup-events` on a local data directory.
//!
//! Same flags, same pagination, same output bytes, same error wording. As in the aws CLI,
//! `--max-results` and `--next-token` are manual paging: they turn pagination off (one
//! request, its raw `NextToken` printed); `--page-size`, `--max-items` and
//! `--starting-token` page automatically, printing every page unless `--max-items` stops it.

use std::fmt;

use anyhow::{Context, bail};
use opentrail_api::ApiError;
use opentrail_api::ops::lookup_events::{
    self, EventShape, LookupAttributeShape, LookupEventsRequest, LookupEventsResponse,
};
use opentrail_types::Timestamp;
use serde::Serialize;

use crate::Outcome;
use crate::aws_output::{ResumeToken, print_json};
use crate::cli::LookupEventsArgs;
use crate::engine::open_engine;

/// A service error, printed the way the aws CLI prints a `ClientError`.
#[derive(Debug)]
pub struct ServiceError(pub ApiError);

impl fmt::Display for ServiceError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "An error occurred ({}) when calling the LookupEvents operation: {}",
            self.0.code, self.0.message
        )
    }
}

impl std::error::Error for ServiceError {}

/// The paginated result: all events, and the resume token when `--max-items` cut it short.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct FullResult {
    events: Vec<EventShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// The aws CLI's refusal to mix manual and automatic paging, worded as it words it.
#[derive(Debug)]
pub struct PaginationError(String);

impl fmt::Display for PaginationError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "Error during pagination: Cannot specify --no-paginate along with pagination arguments: {}",
            self.0
        )
    }
}

impl std::error::Error for PaginationError {}

fn check_paging_arguments(args: &LookupEventsArgs) -> Result<(), PaginationError> {
    let manual = args.no_paginate || args.next_token.is_some() || args.max_results.is_some();
    let automatic: Vec<&str> = [
        (args.starting_token.is_some(), "--starting-token"),
        (args.page_size.is_some(), "--page-size"),
        (args.max_items.is_some(), "--max-items"),
    ]
    .into_iter()
    .filter_map(|(given, name)| given.then_some(name))
    .collect();
    if manual && !automatic.is_empty() {
        return Err(PaginationError(automatic.join(", ")));
    }
    Ok(())
}

pub fn run(args: LookupEventsArgs) -> anyhow::Result<Outcome> {
    check_paging_arguments(&args)?;
    let request = build_request(&args)?;
    let opened = open_engine(&args.store, true)?;
    opened.wait_searchable()?;
    let call = |request: LookupEventsRequest| {
        lookup_events::handle(&opened.history, request).map_err(ServiceError)
    };
    let paginate = !args.no_paginate && args.next_token.is_none() && args.max_results.is_none();
    let mut out = std::io::stdout().lock();
    if paginate {
        let result = paginate_like_botocore(&args, request, call)?;
        print_json(&mut out, &result)?;
    } else {
        let response: LookupEventsResponse = call(request)?;
        print_json(&mut out, &response)?;
    }
    drop(out);
    opened.close();
    Ok(Outcome::Success)
}

fn build_request(args: &LookupEventsArgs) -> anyhow::Result<LookupEventsRequest> {
    let mut attributes = Vec::new();
    for value in &args.lookup_attributes {
        attributes.extend(parse_lookup_attributes(value)?);
    }
    let time = |text: &Option<String>, flag: &str| -> anyhow::Result<Option<f64>> {
        text.as_deref()
            .map(|text| {
                Timestamp::parse_cli_time(text)
                    .map(Timestamp::as_epoch_seconds_f64)
                    .with_context(|| format!("invalid value for {flag}"))
            })
            .transpose()
    };
    Ok(LookupEventsRequest {
        lookup_attributes: (!attributes.is_empty()).then_some(attributes),
        start_time: time(&args.start_time, "--start-time")?,
        end_time: time(&args.end_time, "--end-time")?,
        event_category: args.event_category.clone(),
        max_results: args.page_size.or(args.max_results),
        next_token: args.next_token.clone(),
    })
}

/// Parses one `--lookup-attributes` value: JSON (an object or a list of objects) or the
/// aws CLI shorthand `AttributeKey=EventName,AttributeValue=ConsoleLogin`, where a value may
/// be quoted to hold a comma.
fn parse_lookup_attributes(text: &str) -> anyhow::Result<Vec<LookupAttributeShape>> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return serde_json::from_str(trimmed)
            .with_context(|| format!("invalid JSON for --lookup-attributes: {text}"));
    }
    if trimmed.starts_with('{') {
        let one: LookupAttributeShape = serde_json::from_str(trimmed)
            .with_context(|| format!("invalid JSON for --lookup-attributes: {text}"))?;
        return Ok(vec![one]);
    }
    let mut attribute = LookupAttributeShape::default();
    for pair in split_shorthand(text)? {
        let Some((key, value)) = pair.split_once('=') else {
            bail!(
                "error parsing parameter '--lookup-attributes': expected `Key=Value` in `{pair}`"
            );
        };
        let value = unquote(value);
        match key.trim() {
            "AttributeKey" => attribute.attribute_key = Some(value),
            "AttributeValue" => attribute.attribute_value = Some(value),
            other => bail!(
                "error parsing parameter '--lookup-attributes': unknown key `{other}`; use AttributeKey and AttributeValue"
            ),
        }
    }
    Ok(vec![attribute])
}

/// Splits shorthand at commas outside quotes.
fn split_shorthand(text: &str) -> anyhow::Result<Vec<String>> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for character in text.chars() {
        match (quote, character) {
            (None, '"' | '\'') => {
                quote = Some(character);
                current.push(character);
            }
            (Some(open), _) if character == open => {
                quote = None;
                current.push(character);
            }
            (None, ',') => parts.push(std::mem::take(&mut current)),
            _ => current.push(character),
        }
    }
    if quote.is_some() {
        bail!("error parsing parameter '--lookup-attributes': unclosed quote in `{text}`");
    }
    parts.push(current);
    Ok(parts)
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner.to_owned();
        }
    }
    value.to_owned()
}

/// botocore's `PageIterator` + `build_full_result`, for one result key (`Events`).
fn paginate_like_botocore(
    args: &LookupEventsArgs,
    mut request: LookupEventsRequest,
    call: impl Fn(LookupEventsRequest) -> Result<LookupEventsResponse, ServiceError>,
) -> anyhow::Result<FullResult> {
    let (mut current_token, mut starting_truncation) = match &args.starting_token {
        Some(text) => {
            let resume = ResumeToken::decode(text)?;
            (resume.next_token, resume.truncate_amount.unwrap_or(0))
        }
        None => (None, 0),
    };
    let mut events: Vec<EventShape> = Vec::new();
    let mut total: u64 = 0;
    let mut resume: Option<ResumeToken> = None;
    let mut previous: Option<String> = None;
    loop {
        request.next_token.clone_from(&current_token);
        let response = call(request.clone())?;
        let mut page = response.events;
        let skip = usize::try_from(starting_truncation)
            .unwrap_or(usize::MAX)
            .min(page.len());
        page.drain(..skip);
        let page_len = page.len() as u64;
        if let Some(max_items) = args.max_items {
            let overflow = (total + page_len).saturating_sub(max_items);
            if overflow > 0 {
                let keep = page_len - overflow;
                page.truncate(usize::try_from(keep).unwrap_or(usize::MAX));
                events.extend(page);
                resume = Some(ResumeToken {
                    next_token: current_token,
                    truncate_amount: Some(keep + starting_truncation),
                });
                break;
            }
        }
        events.extend(page);
        total += page_len;
        starting_truncation = 0;
        let Some(next) = response.next_token else {
            break;
        };
        if args.max_items == Some(total) {
            resume = Some(ResumeToken {
                next_token: Some(next),
                truncate_amount: None,
            });
            break;
        }
        if previous.as_ref() == Some(&next) {
            bail!("The same next token was received twice: {{'NextToken': '{next}'}}");
        }
        previous = Some(next.clone());
        current_token = Some(next);
    }
    Ok(FullResult {
        events,
        next_token: resume.map(|resume| resume.encode()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_and_json_attributes_parse() {
        let parsed =
            parse_lookup_attributes("AttributeKey=EventName,AttributeValue=ConsoleLogin").unwrap();
        assert_eq!(parsed[0].attribute_key.as_deref(), Some("EventName"));
        assert_eq!(parsed[0].attribute_value.as_deref(), Some("ConsoleLogin"));
        let quoted =
            parse_lookup_attributes(r#"AttributeKey=ResourceName,AttributeValue="a,b""#).unwrap();
        assert_eq!(quoted[0].attribute_value.as_deref(), Some("a,b"));
        let json =
            parse_lookup_attributes(r#"[{"AttributeKey":"Username","AttributeValue":"root"}]"#)
                .unwrap();
        assert_eq!(json[0].attribute_value.as_deref(), Some("root"));
        assert!(parse_lookup_attributes("Key=EventName").is_err());
        assert!(parse_lookup_attributes("AttributeKey=\"open").is_err());
    }

    fn event(id: u32) -> EventShape {
        EventShape {
            event_id: id.to_string(),
            event_name: None,
            read_only: None,
            access_key_id: None,
            event_time: 0.0,
            event_source: None,
            username: None,
            resources: Vec::new(),
            cloud_trail_event: String::from("{}"),
        }
    }

    /// A fake service with pages of 3 events out of 8, tokens `p1`, `p2`.
    fn service(request: LookupEventsRequest) -> Result<LookupEventsResponse, ServiceError> {
        let (start, next) = match request.next_token.as_deref() {
            None => (0, Some("p1")),
            Some("p1") => (3, Some("p2")),
            _ => (6, None),
        };
        let events = (start..(start + 3).min(8)).map(event).collect();
        Ok(LookupEventsResponse {
            events,
            next_token: next.map(str::to_owned),
        })
    }

    fn args(max_items: Option<u64>, starting_token: Option<String>) -> LookupEventsArgs {
        LookupEventsArgs {
            store: crate::cli::StoreArgs {
                config: None,
                data_dir: None,
            },
            lookup_attributes: Vec::new(),
            start_time: None,
            end_time: None,
            event_category: None,
            max_results: None,
            max_items,
            starting_token,
            page_size: None,
            next_token: None,
            no_paginate: false,
        }
    }

    fn ids(result: &FullResult) -> Vec<String> {
        result
            .events
            .iter()
            .map(|event| event.event_id.clone())
            .collect()
    }

    #[test]
    fn pagination_follows_botocore() {
        let all =
            paginate_like_botocore(&args(None, None), LookupEventsRequest::default(), service)
                .unwrap();
        assert_eq!(ids(&all), ["0", "1", "2", "3", "4", "5", "6", "7"]);
        assert!(all.next_token.is_none());

        let first = paginate_like_botocore(
            &args(Some(4), None),
            LookupEventsRequest::default(),
            service,
        )
        .unwrap();
        assert_eq!(ids(&first), ["0", "1", "2", "3"]);
        let token = first.next_token.unwrap();
        assert_eq!(
            ResumeToken::decode(&token).unwrap(),
            ResumeToken {
                next_token: Some(String::from("p1")),
                truncate_amount: Some(1)
            }
        );

        let second = paginate_like_botocore(
            &args(Some(4), Some(token)),
            LookupEventsRequest::default(),
            service,
        )
        .unwrap();
        assert_eq!(ids(&second), ["4", "5", "6", "7"]);
        assert!(second.next_token.is_none());

        let aligned = paginate_like_botocore(
            &args(Some(3), None),
            LookupEventsRequest::default(),
            service,
        )
        .unwrap();
        assert_eq!(
            ResumeToken::decode(&aligned.next_token.unwrap()).unwrap(),
            ResumeToken {
                next_token: Some(String::from("p1")),
                truncate_amount: None
            }
        );

        let within = paginate_like_botocore(
            &args(
                Some(1),
                Some(
                    ResumeToken {
                        next_token: Some(String::from("p1")),
                        truncate_amount: Some(1),
                    }
                    .encode(),
                ),
            ),
            LookupEventsRequest::default(),
            service,
        )
        .unwrap();
        assert_eq!(ids(&within), ["4"]);
        assert_eq!(
            ResumeToken::decode(&within.next_token.unwrap()).unwrap(),
            ResumeToken {
                next_token: Some(String::from("p1")),
                truncate_amount: Some(2)
            }
        );
    }
}
