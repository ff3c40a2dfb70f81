//! `LookupEvents` in domain terms: the request as received, its checked form, the page of
//! results, and the errors (`spec/events-and-queries.md` §2).

use std::fmt;

use opentrail_event::LookupResource;
use opentrail_types::Timestamp;

use crate::history::token::PageToken;

/// Most lookup attributes in one request. AWS takes one; OpenTrail AND-s several (a
/// documented extension) and bounds how many.
pub const MAX_LOOKUP_ATTRIBUTES: usize = 8;
/// Most events in one page, and the default.
pub const MAX_RESULTS: usize = 50;
/// Longest `AttributeValue`, where `_`, space, `,` and newline count twice.
pub const MAX_ATTRIBUTE_VALUE_WEIGHT: usize = 2000;

/// A lookup attribute key (`AttributeKey`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeKey {
    /// `EventId`: the record's `eventID`.
    EventId,
    /// `EventName`.
    EventName,
    /// `ReadOnly`: `"true"` or `"false"`.
    ReadOnly,
    /// `Username`: as derived for the response.
    Username,
    /// `ResourceType`: any derived resource's type.
    ResourceType,
    /// `ResourceName`: any derived resource's name.
    ResourceName,
    /// `EventSource`.
    EventSource,
    /// `AccessKeyId`: `userIdentity.accessKeyId`.
    AccessKeyId,
    /// `ErrorCode`: the record's `errorCode`. An OpenTrail extension (CloudTrail refuses
    /// it); the console's dashboard links its error-code chart through it.
    ErrorCode,
    /// `SourceIPAddress`: the record's `sourceIPAddress`. An OpenTrail extension, like
    /// [`AttributeKey::ErrorCode`].
    SourceIpAddress,
}

impl AttributeKey {
    /// Every key, in the order of the API reference.
    pub const ALL: [AttributeKey; 8] = [
        AttributeKey::EventId,
        AttributeKey::EventName,
        AttributeKey::ReadOnly,
        AttributeKey::Username,
        AttributeKey::ResourceType,
        AttributeKey::ResourceName,
        AttributeKey::EventSource,
        AttributeKey::AccessKeyId,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AttributeKey::EventId => "EventId",
            AttributeKey::EventName => "EventName",
            AttributeKey::ReadOnly => "ReadOnly",
            AttributeKey::Username => "Username",
            AttributeKey::ResourceType => "ResourceType",
            AttributeKey::ResourceName => "ResourceName",
            AttributeKey::EventSource => "EventSource",
            AttributeKey::AccessKeyId => "AccessKeyId",
            AttributeKey::ErrorCode => "ErrorCode",
            AttributeKey::SourceIpAddress => "SourceIPAddress",
        }
    }

    /// The keys OpenTrail accepts besides CloudTrail's.
    pub const EXTENSIONS: [AttributeKey; 2] =
        [AttributeKey::ErrorCode, AttributeKey::SourceIpAddress];

    /// Parses a wire name (case-sensitive, as AWS), CloudTrail's keys and
    /// [`AttributeKey::EXTENSIONS`].
    pub fn from_wire(name: &str) -> Option<AttributeKey> {
        AttributeKey::ALL
            .into_iter()
            .chain(AttributeKey::EXTENSIONS)
            .find(|key| key.as_str() == name)
    }
}

impl fmt::Display for AttributeKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One checked lookup attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LookupAttribute {
    /// The key.
    pub key: AttributeKey,
    /// The exact, case-sensitive value to match.
    pub value: String,
}

/// A `LookupEvents` request as received: every member optional, nothing checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LookupEventsInput {
    /// `LookupAttributes`: (`AttributeKey`, `AttributeValue`) pairs, either may be missing.
    pub lookup_attributes: Vec<(Option<String>, Option<String>)>,
    /// `StartTime`.
    pub start_time: Option<Timestamp>,
    /// `EndTime`.
    pub end_time: Option<Timestamp>,
    /// `EventCategory`.
    pub event_category: Option<String>,
    /// `MaxResults`.
    pub max_results: Option<i64>,
    /// `NextToken`.
    pub next_token: Option<String>,
}

/// A checked `LookupEvents` request.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupQuery {
    /// Attributes, all of which must match.
    pub attributes: Vec<LookupAttribute>,
    /// Inclusive lower bound on event time.
    pub start_time: Option<Timestamp>,
    /// Inclusive upper bound on event time.
    pub end_time: Option<Timestamp>,
    /// `EventCategory=insight`: Insights events instead of the others.
    pub insight: bool,
    /// Page size, 1–50.
    pub max_results: usize,
    /// The account whose events the caller may see: set by the server from the caller's
    /// principal, never from the wire request. `None`, as [`LookupQuery::from_input`]
    /// leaves it, means no restriction (the local `lookup-events` command sees everything).
    ///
    /// When set, only events whose `recipientAccountId` equals it are returned (records
    /// without one are not), whichever attributes or category are asked for, and a
    /// `NextToken` is accepted only by a query for the same account: one issued for another
    /// account (or for an unrestricted query) fails with `InvalidNextToken`.
    pub account: Option<String>,
    /// Where the previous page stopped.
    pub(crate) token: Option<PageToken>,
}

impl LookupQuery {
    /// Checks a request the way CloudTrail does, except that several attributes are
    /// allowed (and AND-ed).
    ///
    /// # Errors
    ///
    /// A [`LookupError`] whose kind names the AWS exception.
    pub fn from_input(input: &LookupEventsInput) -> Result<LookupQuery, LookupError> {
        let insight = match input.event_category.as_deref() {
            None => false,
            Some("insight") => true,
            Some(other) => {
                return Err(LookupError::new(
                    LookupErrorKind::InvalidEventCategory,
                    format!("event category `{other}` is not valid; the only value is `insight`"),
                ));
            }
        };
        if input.lookup_attributes.len() > MAX_LOOKUP_ATTRIBUTES {
            return Err(LookupError::new(
                LookupErrorKind::InvalidLookupAttributes,
                format!(
                    "{} lookup attributes given; at most {MAX_LOOKUP_ATTRIBUTES} are accepted",
                    input.lookup_attributes.len()
                ),
            ));
        }
        let mut attributes = Vec::with_capacity(input.lookup_attributes.len());
        for (key, value) in &input.lookup_attributes {
            attributes.push(check_attribute(key.as_deref(), value.as_deref(), insight)?);
        }
        if let (Some(start), Some(end)) = (input.start_time, input.end_time)
            && start > end
        {
            return Err(LookupError::new(
                LookupErrorKind::InvalidTimeRange,
                format!(
                    "start time {} is after end time {}",
                    start.format_event_time(),
                    end.format_event_time()
                ),
            ));
        }
        let max_results = match input.max_results {
            None => MAX_RESULTS,
            Some(value) if (1..=MAX_RESULTS as i64).contains(&value) => {
                usize::try_from(value).unwrap_or(MAX_RESULTS)
            }
            Some(value) => {
                return Err(LookupError::new(
                    LookupErrorKind::InvalidMaxResults,
                    format!("max results `{value}` is out of range; it must be 1 to {MAX_RESULTS}"),
                ));
            }
        };
        let mut query = LookupQuery {
            attributes,
            start_time: input.start_time,
            end_time: input.end_time,
            insight,
            max_results,
            account: None,
            token: None,
        };
        if let Some(text) = &input.next_token {
            let token = PageToken::decode(text).ok_or_else(|| {
                LookupError::new(LookupErrorKind::InvalidNextToken, "next token is not valid")
            })?;
            if token.fingerprint != query.fingerprint() {
                return Err(LookupError::new(
                    LookupErrorKind::InvalidNextToken,
                    "next token was issued for a different request; send the same parameters with it",
                ));
            }
            query.token = Some(token);
        }
        Ok(query)
    }

    /// Checks that the next token, if any, was issued for this very request and account.
    ///
    /// [`LookupQuery::from_input`] checks the request parameters; the account is set after
    /// it, so it is checked here, when the query runs (along with the parameters again, in
    /// case they were changed after parsing).
    ///
    /// # Errors
    ///
    /// [`LookupErrorKind::InvalidNextToken`] when the token was issued for another request
    /// or another account.
    pub(crate) fn check_token_binding(&self) -> Result<(), LookupError> {
        let Some(token) = &self.token else {
            return Ok(());
        };
        if token.fingerprint != self.fingerprint() {
            return Err(LookupError::new(
                LookupErrorKind::InvalidNextToken,
                "next token was issued for a different request; send the same parameters with it",
            ));
        }
        if token.account != self.account_fingerprint() {
            return Err(LookupError::new(
                LookupErrorKind::InvalidNextToken,
                "next token was issued for a different account",
            ));
        }
        Ok(())
    }

    /// A hash of [`LookupQuery::account`] for next tokens: 0 when unrestricted.
    pub(crate) fn account_fingerprint(&self) -> u64 {
        // `| 1` keeps 0 for "unrestricted" only.
        self.account.as_deref().map_or(0, |account| {
            xxhash_rust::xxh3::xxh3_64(account.as_bytes()) | 1
        })
    }

    /// A hash of every parameter a next token must be sent with unchanged.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut text = String::new();
        for attribute in &self.attributes {
            text.push_str(attribute.key.as_str());
            text.push('\u{0}');
            text.push_str(&attribute.value);
            text.push('\u{1}');
        }
        let bound = |time: Option<Timestamp>| {
            time.map_or(String::from("-"), |time| time.as_millis().to_string())
        };
        text.push_str(&format!(
            "{}|{}|{}",
            bound(self.start_time),
            bound(self.end_time),
            self.insight
        ));
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }
}

fn check_attribute(
    key: Option<&str>,
    value: Option<&str>,
    insight: bool,
) -> Result<LookupAttribute, LookupError> {
    let invalid =
        |message: String| LookupError::new(LookupErrorKind::InvalidLookupAttributes, message);
    let key_text =
        key.ok_or_else(|| invalid(String::from("a lookup attribute has no `AttributeKey`")))?;
    let key = AttributeKey::from_wire(key_text).ok_or_else(|| {
        invalid(format!(
            "unknown lookup attribute `{key_text}`; valid keys are {}",
            AttributeKey::ALL.map(AttributeKey::as_str).join(", ")
        ))
    })?;
    let value = value
        .ok_or_else(|| invalid(format!("lookup attribute `{key}` has no `AttributeValue`")))?;
    let weight: usize = value
        .chars()
        .map(|character| {
            if matches!(character, '_' | ' ' | ',' | '\n') {
                2
            } else {
                1
            }
        })
        .sum();
    if weight == 0 || weight > MAX_ATTRIBUTE_VALUE_WEIGHT {
        return Err(invalid(format!(
            "value of lookup attribute `{key}` must be 1 to {MAX_ATTRIBUTE_VALUE_WEIGHT} characters (`_`, space, `,` and newline count as two)"
        )));
    }
    if insight
        && !matches!(
            key,
            AttributeKey::EventId | AttributeKey::EventName | AttributeKey::EventSource
        )
    {
        return Err(invalid(format!(
            "lookup attribute `{key}` cannot be used with event category `insight`; use EventId, EventName or EventSource"
        )));
    }
    Ok(LookupAttribute {
        key,
        value: value.to_owned(),
    })
}

/// One event of a result page (`Event` in the API reference).
#[derive(Debug, Clone, PartialEq)]
pub struct LookupEvent {
    /// `EventId`.
    pub event_id: String,
    /// `EventName`.
    pub event_name: Option<String>,
    /// `ReadOnly`: `"true"` / `"false"`.
    pub read_only: Option<String>,
    /// `AccessKeyId`.
    pub access_key_id: Option<String>,
    /// `EventTime`.
    pub event_time: Timestamp,
    /// `EventSource`.
    pub event_source: Option<String>,
    /// `Username`.
    pub username: Option<String>,
    /// `Resources`.
    pub resources: Vec<LookupResource>,
    /// `CloudTrailEvent`: the whole record as JSON text.
    pub cloudtrail_event: String,
}

/// One page of `LookupEvents` results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LookupPage {
    /// Events, newest first.
    pub events: Vec<LookupEvent>,
    /// Token for the next page; `None` on the last page.
    pub next_token: Option<String>,
}

/// Which AWS exception a lookup error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LookupErrorKind {
    /// `InvalidLookupAttributesException`.
    InvalidLookupAttributes,
    /// `InvalidTimeRangeException`.
    InvalidTimeRange,
    /// `InvalidMaxResultsException`.
    InvalidMaxResults,
    /// `InvalidNextTokenException`.
    InvalidNextToken,
    /// `InvalidEventCategoryException`.
    InvalidEventCategory,
    /// A broken invariant or failed storage read: not the caller's fault.
    Internal,
}

/// A failed lookup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LookupError {
    kind: LookupErrorKind,
    message: String,
}

impl LookupError {
    pub(crate) fn new(kind: LookupErrorKind, message: impl Into<String>) -> LookupError {
        LookupError {
            kind,
            message: message.into(),
        }
    }

    /// Which exception this is.
    pub fn kind(&self) -> LookupErrorKind {
        self.kind
    }

    /// The message for the client.
    pub fn message(&self) -> &str {
        &self.message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(attributes: &[(&str, &str)]) -> LookupEventsInput {
        LookupEventsInput {
            lookup_attributes: attributes
                .iter()
                .map(|(key, value)| (Some((*key).to_owned()), Some((*value).to_owned())))
                .collect(),
            ..LookupEventsInput::default()
        }
    }

    fn kind(input: &LookupEventsInput) -> LookupErrorKind {
        LookupQuery::from_input(input).unwrap_err().kind()
    }

    #[test]
    fn defaults_and_several_attributes_are_accepted() {
        let query = LookupQuery::from_input(&input(&[
            ("EventName", "RunInstances"),
            ("Username", "alice"),
        ]))
        .unwrap();
        assert_eq!(query.max_results, 50);
        assert_eq!(query.attributes.len(), 2);
        assert!(!query.insight);
    }

    #[test]
    fn bad_attributes_are_invalid_lookup_attributes() {
        assert_eq!(
            kind(&input(&[("eventName", "x")])),
            LookupErrorKind::InvalidLookupAttributes
        );
        assert_eq!(
            kind(&input(&[("EventName", "")])),
            LookupErrorKind::InvalidLookupAttributes
        );
        let missing = LookupEventsInput {
            lookup_attributes: vec![(Some(String::from("EventName")), None)],
            ..LookupEventsInput::default()
        };
        assert_eq!(kind(&missing), LookupErrorKind::InvalidLookupAttributes);
        let nine = input(&[("EventName", "x"); 9]);
        assert_eq!(kind(&nine), LookupErrorKind::InvalidLookupAttributes);
    }

    #[test]
    fn value_length_counts_separators_twice() {
        assert!(LookupQuery::from_input(&input(&[("EventName", &"a".repeat(2000))])).is_ok());
        assert!(LookupQuery::from_input(&input(&[("EventName", &"_".repeat(1000))])).is_ok());
        assert_eq!(
            kind(&input(&[("EventName", &"_".repeat(1001))])),
            LookupErrorKind::InvalidLookupAttributes
        );
        assert_eq!(
            kind(&input(&[("EventName", &"a".repeat(2001))])),
            LookupErrorKind::InvalidLookupAttributes
        );
    }

    #[test]
    fn insight_lookups_take_only_id_name_and_source() {
        let mut request = input(&[("Username", "alice")]);
        request.event_category = Some(String::from("insight"));
        assert_eq!(kind(&request), LookupErrorKind::InvalidLookupAttributes);
        request.lookup_attributes = input(&[("EventName", "x")]).lookup_attributes;
        assert!(LookupQuery::from_input(&request).unwrap().insight);
        request.event_category = Some(String::from("Insight"));
        assert_eq!(kind(&request), LookupErrorKind::InvalidEventCategory);
    }

    #[test]
    fn ranges_and_page_sizes_are_checked() {
        let mut request = input(&[]);
        request.start_time = Some(Timestamp::from_secs(10));
        request.end_time = Some(Timestamp::from_secs(9));
        assert_eq!(kind(&request), LookupErrorKind::InvalidTimeRange);
        request.end_time = Some(Timestamp::from_secs(10));
        assert!(LookupQuery::from_input(&request).is_ok());
        for bad in [0, 51, -1] {
            let request = LookupEventsInput {
                max_results: Some(bad),
                ..LookupEventsInput::default()
            };
            assert_eq!(kind(&request), LookupErrorKind::InvalidMaxResults, "{bad}");
        }
    }

    #[test]
    fn tokens_must_match_the_request() {
        let query = LookupQuery::from_input(&input(&[("EventName", "a")])).unwrap();
        let token = PageToken {
            fingerprint: query.fingerprint(),
            account: 0,
            snapshot_seq: 9,
            time_ms: 5,
            seq: 3,
        }
        .encode();
        let mut same = input(&[("EventName", "a")]);
        same.next_token = Some(token.clone());
        same.max_results = Some(5);
        assert!(LookupQuery::from_input(&same).unwrap().token.is_some());
        let mut other = input(&[("EventName", "b")]);
        other.next_token = Some(token);
        assert_eq!(kind(&other), LookupErrorKind::InvalidNextToken);
        let mut garbage = input(&[]);
        garbage.next_token = Some(String::from("not-a-token"));
        assert_eq!(kind(&garbage), LookupErrorKind::InvalidNextToken);
    }

    #[test]
    fn tokens_are_bound_to_the_account() {
        let request = input(&[("EventName", "a")]);
        let mut for_a = LookupQuery::from_input(&request).unwrap();
        for_a.account = Some(String::from("111111111111"));
        let token = PageToken {
            fingerprint: for_a.fingerprint(),
            account: for_a.account_fingerprint(),
            snapshot_seq: 9,
            time_ms: 5,
            seq: 3,
        }
        .encode();
        let mut with_token = request.clone();
        with_token.next_token = Some(token);
        let reuse = |account: Option<&str>| {
            let mut query = LookupQuery::from_input(&with_token).unwrap();
            query.account = account.map(str::to_owned);
            query.check_token_binding().map_err(|error| error.kind())
        };
        assert_eq!(reuse(Some("111111111111")), Ok(()));
        assert_eq!(
            reuse(Some("222222222222")),
            Err(LookupErrorKind::InvalidNextToken)
        );
        assert_eq!(reuse(None), Err(LookupErrorKind::InvalidNextToken));
        // Parameters changed after parsing are caught too.
        let mut changed = LookupQuery::from_input(&with_token).unwrap();
        changed.account = Some(String::from("111111111111"));
        changed.attributes[0].value = String::from("b");
        assert_eq!(
            changed.check_token_binding().map_err(|error| error.kind()),
            Err(LookupErrorKind::InvalidNextToken)
        );
        assert_ne!(for_a.account_fingerprint(), 0);
    }
}
