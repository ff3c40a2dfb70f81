//! The rules of `rules-match`: event patterns of mixed kinds, as CloudTrail users write
//! them, built deterministically from sampled envelopes of the stream.
//!
//! Each rule starts from one sampled envelope, picked by first drawing one of the sampled
//! (`source`, `eventName`) pairs uniformly and then one envelope of that pair: rules name
//! rare APIs about as often as busy ones, as rules on sensitive calls (`DeleteTrail`,
//! `CreateAccessKey`) do. The rule's values come from that envelope, so every rule matches
//! at least one event of the stream unless its operator excludes it (`anything-but`,
//! `exists: false`). A rule whose text another rule already has is drawn again (up to
//! [`ATTEMPTS`] times, then the duplicate is kept and counted).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

/// Draws of one rule before a duplicate is accepted.
const ATTEMPTS: usize = 200;
/// Longest string value a rule takes from an event (longer values are skipped).
const MAX_VALUE_CHARS: usize = 128;
/// Largest magnitude of a number a `numeric` rule compares with (EventBridge's range is
/// ±5e9; keep well inside it).
const MAX_NUMERIC: f64 = 1e9;
/// User identity types most events have, which a rule only names together with a source.
const COMMON_IDENTITY_TYPES: &[&str] = &["AssumedRole", "AWSService", "IAMUser"];
/// The `detail-type` of API calls.
const API_CALL: &str = "AWS API Call via CloudTrail";

/// One kind of rule in the mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `source` and one to three exact `detail.eventName`s.
    ExactName,
    /// `detail-type`, mostly with `source`.
    DetailType,
    /// `prefix` on `detail.eventName` (`Delete`, `Put`), mostly with `source`.
    PrefixName,
    /// `prefix` on `detail.eventSource` (`ec2.`), with a write filter or a name prefix.
    PrefixSource,
    /// `suffix` on `detail.eventName` (`Policy`) or `detail.userIdentity.arn` (`:root`).
    Suffix,
    /// `equals-ignore-case` on an event name, a user name or a Region.
    EqualsIgnoreCase,
    /// `anything-but` one value.
    AnythingButValue,
    /// `anything-but` a list of values.
    AnythingButList,
    /// `anything-but` a prefix.
    AnythingButPrefix,
    /// `exists` true or false (`detail.errorCode`, a request parameter).
    Exists,
    /// Exact `detail.errorCode`.
    ErrorCode,
    /// `numeric` comparisons and ranges on numbers of `requestParameters`,
    /// `responseElements` and `additionalEventData`.
    Numeric,
    /// `cidr` on `detail.sourceIPAddress`.
    Cidr,
    /// `wildcard` on `detail.userIdentity.arn`.
    WildcardArn,
    /// `wildcard` on `detail.userAgent`.
    WildcardUserAgent,
    /// Nested `detail.userIdentity.type`.
    IdentityType,
    /// `detail.readOnly` true or false.
    ReadOnly,
    /// `$or` of two conditions.
    Or,
    /// Three to five fields of one event, all required.
    MultiField,
    /// An exact `detail.requestParameters` value (a bucket, a role, a secret).
    RequestParameter,
}

/// The kinds and their weights (out of 1,000).
pub const MIX: [(Kind, usize); 20] = [
    (Kind::ExactName, 150),
    (Kind::DetailType, 20),
    (Kind::PrefixName, 60),
    (Kind::PrefixSource, 30),
    (Kind::Suffix, 40),
    (Kind::EqualsIgnoreCase, 40),
    (Kind::AnythingButValue, 30),
    (Kind::AnythingButList, 30),
    (Kind::AnythingButPrefix, 30),
    (Kind::Exists, 50),
    (Kind::ErrorCode, 40),
    (Kind::Numeric, 60),
    (Kind::Cidr, 50),
    (Kind::WildcardArn, 40),
    (Kind::WildcardUserAgent, 30),
    (Kind::IdentityType, 40),
    (Kind::ReadOnly, 40),
    (Kind::Or, 80),
    (Kind::MultiField, 120),
    (Kind::RequestParameter, 20),
];

impl Kind {
    /// A short name for the report.
    pub fn label(self) -> &'static str {
        match self {
            Kind::ExactName => "exact eventName + source",
            Kind::DetailType => "detail-type",
            Kind::PrefixName => "prefix on eventName",
            Kind::PrefixSource => "prefix on eventSource",
            Kind::Suffix => "suffix",
            Kind::EqualsIgnoreCase => "equals-ignore-case",
            Kind::AnythingButValue => "anything-but value",
            Kind::AnythingButList => "anything-but list",
            Kind::AnythingButPrefix => "anything-but prefix",
            Kind::Exists => "exists true/false",
            Kind::ErrorCode => "exact errorCode",
            Kind::Numeric => "numeric",
            Kind::Cidr => "cidr on sourceIPAddress",
            Kind::WildcardArn => "wildcard on userIdentity.arn",
            Kind::WildcardUserAgent => "wildcard on userAgent",
            Kind::IdentityType => "nested userIdentity.type",
            Kind::ReadOnly => "readOnly boolean",
            Kind::Or => "$or",
            Kind::MultiField => "multi-field AND",
            Kind::RequestParameter => "requestParameters value",
        }
    }
}

/// One generated rule: its kind and its pattern's text.
#[derive(Debug, Clone)]
pub struct RuleText {
    /// What kind of rule it is.
    pub kind: Kind,
    /// The event pattern (JSON).
    pub text: String,
}

/// The rules, and how many are duplicates of an earlier one.
#[derive(Debug)]
pub struct Mix {
    /// The rules, grouped by kind in [`MIX`] order.
    pub rules: Vec<RuleText>,
    /// Rules whose text an earlier rule has too.
    pub duplicates: usize,
}

/// Sampled envelopes (parsed), and what rules pick from them.
#[derive(Debug)]
pub struct Samples {
    envelopes: Vec<Value>,
    /// Indices into `envelopes`, one list per (`source`, `detail.eventName`) pair.
    groups: Vec<Vec<usize>>,
    /// The sampled event names of each source.
    names_by_source: BTreeMap<String, Vec<String>>,
    /// Every sampled `detail.userIdentity.type`.
    identity_types: Vec<String>,
}

impl Samples {
    /// Indexes `envelopes` (parsed envelope JSON); envelopes without a string `source` and
    /// `detail.eventName` are left out.
    pub fn new(envelopes: Vec<Value>) -> Samples {
        let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        let mut names_by_source: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut identity_types = BTreeSet::new();
        for (index, envelope) in envelopes.iter().enumerate() {
            let (Some(source), Some(name)) = (
                text(envelope, &["source"]),
                text(envelope, &["detail", "eventName"]),
            ) else {
                continue;
            };
            groups
                .entry((source.to_owned(), name.to_owned()))
                .or_default()
                .push(index);
            names_by_source
                .entry(source.to_owned())
                .or_default()
                .insert(name.to_owned());
            if let Some(kind) = text(envelope, &["detail", "userIdentity", "type"]) {
                identity_types.insert(kind.to_owned());
            }
        }
        Samples {
            envelopes,
            groups: groups.into_values().collect(),
            names_by_source: names_by_source
                .into_iter()
                .map(|(source, names)| (source, names.into_iter().collect()))
                .collect(),
            identity_types: identity_types.into_iter().collect(),
        }
    }

    /// How many distinct (`source`, `eventName`) pairs the sample holds.
    pub fn pairs(&self) -> usize {
        self.groups.len()
    }

    /// Picks an envelope: a pair uniformly, then one of its envelopes.
    fn pick(&self, rng: &mut StdRng) -> Option<&Value> {
        let group = self.groups.choose(rng)?;
        let index = group.choose(rng)?;
        self.envelopes.get(*index)
    }
}

/// Builds `count` rules from `samples`, the same ones for the same seed and samples.
///
/// # Errors
///
/// When the sample holds no usable envelope, or a kind finds nothing to build from in
/// [`ATTEMPTS`] draws per rule.
pub fn build(samples: &Samples, count: usize, seed: u64) -> anyhow::Result<Mix> {
    anyhow::ensure!(
        samples.pairs() > 0,
        "no sampled envelope has a `source` and a `detail.eventName`"
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut rules = Vec::with_capacity(count);
    let mut duplicates = 0;
    for (kind, kind_count) in kind_counts(count) {
        for _ in 0..kind_count {
            let mut last = None;
            for _ in 0..ATTEMPTS {
                let Some(pattern) = make(kind, samples, &mut rng) else {
                    continue;
                };
                let text = pattern.to_string();
                if !seen.contains(&text) {
                    last = Some((text, false));
                    break;
                }
                last = Some((text, true));
            }
            let Some((text, duplicate)) = last else {
                anyhow::bail!(
                    "no `{}` rule could be built from the sample in {ATTEMPTS} draws",
                    kind.label()
                );
            };
            duplicates += usize::from(duplicate);
            seen.insert(text.clone());
            rules.push(RuleText { kind, text });
        }
    }
    Ok(Mix { rules, duplicates })
}

/// How many rules of each kind make `count`: the weights scaled, the rounding left over
/// given to the first kinds.
fn kind_counts(count: usize) -> Vec<(Kind, usize)> {
    let total: usize = MIX.iter().map(|(_, weight)| weight).sum();
    let mut counts: Vec<(Kind, usize)> = MIX
        .iter()
        .map(|(kind, weight)| (*kind, count * weight / total))
        .collect();
    let assigned: usize = counts.iter().map(|(_, each)| each).sum();
    let kinds = counts.len();
    for index in 0..count - assigned {
        counts[index % kinds].1 += 1;
    }
    counts
}

/// One rule of `kind`, or `None` when the picked envelope lacks what the kind needs.
fn make(kind: Kind, samples: &Samples, rng: &mut StdRng) -> Option<Value> {
    let event = samples.pick(rng)?;
    let source = text(event, &["source"])?;
    let detail = event.get("detail")?;
    let name = text(detail, &["eventName"])?;
    let event_source = text(detail, &["eventSource"])?;
    let variant = rng.random_range(0..10u32);
    let pattern = match kind {
        Kind::ExactName => {
            let names = samples.names_by_source.get(source)?;
            let extra = match variant {
                0..=6 => 0,
                7 | 8 => 1,
                _ => 2,
            };
            let mut chosen = BTreeSet::from([name]);
            for _ in 0..extra {
                chosen.insert(names.choose(rng)?.as_str());
            }
            pattern(&[
                (&["source"], json!([source])),
                (&["detail", "eventName"], json!(chosen)),
            ])
        }
        Kind::DetailType => {
            // AWS's own example: detail-type, source, eventSource and names; a type other
            // than API calls (console sign-ins, service events) is rare enough alone.
            let detail_type = text(event, &["detail-type"])?;
            if detail_type != API_CALL {
                pattern(&[(&["detail-type"], json!([detail_type]))])
            } else {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail-type"], json!([detail_type])),
                    (&["detail", "eventSource"], json!([event_source])),
                    (&["detail", "eventName"], json!([name])),
                ])
            }
        }
        Kind::PrefixName => {
            let verb = leading_word(name)?;
            let condition = json!([{"prefix": verb}]);
            // Alone only for verbs of write calls (`Delete`, `Put`): read verbs (`Describe`,
            // `Get`) alone would match a third of all events.
            if variant < 4 && !read_only(detail) {
                pattern(&[(&["detail", "eventName"], condition)])
            } else {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail", "eventName"], condition),
                ])
            }
        }
        Kind::PrefixSource => {
            let service = event_source.split('.').next()?;
            let condition = json!([{"prefix": format!("{service}.")}]);
            match variant {
                0 => pattern(&[
                    (&["detail", "eventSource"], condition),
                    (&["detail", "errorCode"], json!([{"exists": true}])),
                ]),
                1..=4 => pattern(&[
                    (&["detail", "eventSource"], condition),
                    (&["detail", "readOnly"], json!([false])),
                ]),
                _ => pattern(&[
                    (&["detail", "eventSource"], condition),
                    (
                        &["detail", "eventName"],
                        json!([{"prefix": leading_word(name)?}]),
                    ),
                ]),
            }
        }
        Kind::Suffix => match variant {
            0..=2 if !read_only(detail) => pattern(&[(
                &["detail", "eventName"],
                json!([{"suffix": last_word(name)?}]),
            )]),
            0..=7 => pattern(&[
                (&["source"], json!([source])),
                (
                    &["detail", "eventName"],
                    json!([{"suffix": last_word(name)?}]),
                ),
            ]),
            _ => {
                let arn = text(detail, &["userIdentity", "arn"])?;
                let suffix = match arn.rfind('/') {
                    Some(slash) => &arn[slash..],
                    None => &arn[arn.rfind(':')?..],
                };
                pattern(&[(
                    &["detail", "userIdentity", "arn"],
                    json!([{"suffix": short(suffix)?}]),
                )])
            }
        },
        Kind::EqualsIgnoreCase => match variant {
            0..=4 => pattern(&[
                (&["source"], json!([source])),
                (
                    &["detail", "eventName"],
                    json!([{"equals-ignore-case": name.to_lowercase()}]),
                ),
            ]),
            5..=7 => {
                const USER_NAME: &[&str] = &["detail", "userIdentity", "userName"];
                const ISSUER_NAME: &[&str] = &[
                    "detail",
                    "userIdentity",
                    "sessionContext",
                    "sessionIssuer",
                    "userName",
                ];
                let (path, user) = match text(event, USER_NAME) {
                    Some(user) => (USER_NAME, user),
                    None => (ISSUER_NAME, text(event, ISSUER_NAME)?),
                };
                pattern(&[(
                    path,
                    json!([{"equals-ignore-case": short(user)?.to_uppercase()}]),
                )])
            }
            _ => pattern(&[
                (
                    &["detail", "awsRegion"],
                    json!([{"equals-ignore-case": text(detail, &["awsRegion"])?.to_uppercase()}]),
                ),
                (&["detail", "eventName"], json!([name])),
            ]),
        },
        Kind::AnythingButValue => {
            // "Write calls of S3 but PutObject": anything-but narrows a write filter.
            if variant < 6 {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail", "readOnly"], json!([false])),
                    (&["detail", "eventName"], json!([{"anything-but": name}])),
                ])
            } else {
                let identity = text(detail, &["userIdentity", "type"])?;
                pattern(&[
                    (&["detail", "eventSource"], json!([event_source])),
                    (&["detail", "readOnly"], json!([false])),
                    (
                        &["detail", "userIdentity", "type"],
                        json!([{"anything-but": identity}]),
                    ),
                ])
            }
        }
        Kind::AnythingButList => {
            if variant < 7 {
                let names = samples.names_by_source.get(source)?;
                let mut chosen = BTreeSet::from([name]);
                for _ in 0..rng.random_range(1..4) {
                    chosen.insert(names.choose(rng)?.as_str());
                }
                if chosen.len() < 2 {
                    return None;
                }
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail", "readOnly"], json!([false])),
                    (&["detail", "eventName"], json!([{"anything-but": chosen}])),
                ])
            } else {
                let identity = text(detail, &["userIdentity", "type"])?;
                let other = samples.identity_types.choose(rng)?;
                if other == identity {
                    return None;
                }
                pattern(&[
                    (&["detail", "eventSource"], json!([event_source])),
                    (&["detail", "errorCode"], json!([{"exists": true}])),
                    (
                        &["detail", "userIdentity", "type"],
                        json!([{"anything-but": [identity, other]}]),
                    ),
                ])
            }
        }
        Kind::AnythingButPrefix => {
            if variant < 7 {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["account"], json!([text(event, &["account"])?])),
                    (&["detail", "readOnly"], json!([false])),
                    (
                        &["detail", "eventName"],
                        json!([{"anything-but": {"prefix": leading_word(name)?}}]),
                    ),
                ])
            } else {
                let agent = text(detail, &["userAgent"])?;
                let product = short(&agent[..agent.find('/')?])?;
                pattern(&[
                    (&["detail", "eventSource"], json!([event_source])),
                    (&["detail", "readOnly"], json!([false])),
                    (
                        &["detail", "userAgent"],
                        json!([{"anything-but": {"prefix": format!("{product}/")}}]),
                    ),
                ])
            }
        }
        Kind::Exists => match variant {
            0..=3 => pattern(&[
                (&["detail", "eventSource"], json!([event_source])),
                (&["detail", "errorCode"], json!([{"exists": true}])),
            ]),
            4..=6 => pattern(&[
                (&["source"], json!([source])),
                (&["detail", "eventName"], json!([name])),
                (&["detail", "errorCode"], json!([{"exists": false}])),
            ]),
            _ => {
                let parameters = detail.get("requestParameters")?.as_object()?;
                let scalars: Vec<&String> = parameters
                    .iter()
                    .filter(|(_, value)| is_scalar(value))
                    .map(|(key, _)| key)
                    .collect();
                let key = scalars.choose(rng)?;
                pattern(&[
                    (&["detail", "eventSource"], json!([event_source])),
                    (&["detail", "eventName"], json!([name])),
                    (
                        &["detail", "requestParameters", key.as_str()],
                        json!([{"exists": true}]),
                    ),
                ])
            }
        },
        Kind::ErrorCode => {
            let code = text(detail, &["errorCode"])?;
            if variant < 4 {
                pattern(&[(&["detail", "errorCode"], json!([code]))])
            } else {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail", "errorCode"], json!([code])),
                ])
            }
        }
        Kind::Numeric => {
            let mut numbers = Vec::new();
            for member in [
                "requestParameters",
                "responseElements",
                "additionalEventData",
            ] {
                if let Some(value) = detail.get(member) {
                    let mut path = vec![String::from("detail"), String::from(member)];
                    numeric_leaves(value, &mut path, &mut numbers);
                }
            }
            let (path, value) = numbers.choose(rng)?;
            let value = *value;
            let condition = match rng.random_range(0..4u32) {
                0 => json!([">", number((value / 2.0).floor())]),
                1 => json!(["<=", number(value)]),
                2 if value >= 0.0 => json!([">=", number(value), "<", number(value * 2.0 + 1.0)]),
                _ => json!(["=", number(value)]),
            };
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            let numeric = json!([{ "numeric": condition }]);
            pattern(&[
                (&["source"], json!([source])),
                (&["detail", "eventName"], json!([name])),
                (&path, numeric),
            ])
        }
        Kind::Cidr => {
            let address: IpAddr = text(detail, &["sourceIPAddress"])?.parse().ok()?;
            let bits = match address {
                IpAddr::V4(_) => *[16u8, 24, 24, 28].choose(rng)?,
                IpAddr::V6(_) => *[32u8, 48, 64].choose(rng)?,
            };
            let cidr = json!([{ "cidr": cidr(address, bits) }]);
            if variant < 6 {
                pattern(&[(&["detail", "sourceIPAddress"], cidr)])
            } else {
                pattern(&[
                    (&["detail", "sourceIPAddress"], cidr),
                    (&["detail", "readOnly"], json!([false])),
                ])
            }
        }
        Kind::WildcardArn => {
            let arn = text(detail, &["userIdentity", "arn"])?;
            let wildcard = if variant < 6 {
                let slash = arn.rfind('/')?;
                format!("{}/*", escape_wildcard(&arn[..slash]))
            } else {
                let parts: Vec<&str> = arn.splitn(6, ':').collect();
                if parts.len() != 6 || parts[4].is_empty() {
                    return None;
                }
                let escaped: Vec<String> = parts.iter().map(|part| escape_wildcard(part)).collect();
                format!("{}:*:{}", escaped[..4].join(":"), escaped[5])
            };
            // A role's sessions on writes; one principal in any account on anything.
            let condition = json!([{ "wildcard": wildcard }]);
            if variant < 6 {
                pattern(&[
                    (&["detail", "userIdentity", "arn"], condition),
                    (&["detail", "readOnly"], json!([false])),
                ])
            } else {
                pattern(&[(&["detail", "userIdentity", "arn"], condition)])
            }
        }
        Kind::WildcardUserAgent => {
            let agent = text(detail, &["userAgent"])?;
            let wildcard = if variant < 5 {
                format!("{}/*", escape_wildcard(short(&agent[..agent.find('/')?])?))
            } else {
                let words: Vec<&str> = agent
                    .split(|character: char| !character.is_ascii_alphanumeric())
                    .filter(|word| word.len() >= 4)
                    .collect();
                format!("*{}*", words.choose(rng)?)
            };
            // "Which tool changed IAM": a user agent with a source, mostly on writes.
            let condition = json!([{ "wildcard": wildcard }]);
            if variant % 3 == 0 {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail", "userAgent"], condition),
                ])
            } else {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail", "readOnly"], json!([false])),
                    (&["detail", "userAgent"], condition),
                ])
            }
        }
        Kind::IdentityType => {
            let identity = text(detail, &["userIdentity", "type"])?;
            if !COMMON_IDENTITY_TYPES.contains(&identity) {
                if variant < 5 {
                    pattern(&[(&["detail", "userIdentity", "type"], json!([identity]))])
                } else {
                    pattern(&[
                        (&["source"], json!([source])),
                        (&["detail", "userIdentity", "type"], json!([identity])),
                    ])
                }
            } else {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail", "readOnly"], json!([false])),
                    (&["detail", "userIdentity", "type"], json!([identity])),
                ])
            }
        }
        Kind::ReadOnly => {
            // Write calls of a service, or reads or writes of one account's service.
            let read_only = detail.get("readOnly")?.as_bool()?;
            if variant < 6 {
                pattern(&[
                    (&["source"], json!([source])),
                    (&["detail", "readOnly"], json!([false])),
                ])
            } else {
                pattern(&[
                    (&["account"], json!([text(event, &["account"])?])),
                    (&["detail", "eventSource"], json!([event_source])),
                    (&["detail", "readOnly"], json!([read_only])),
                ])
            }
        }
        Kind::Or => match variant {
            0..=3 if !read_only(detail) => pattern(&[
                (&["source"], json!([source])),
                (
                    &["$or"],
                    json!([
                        {"detail": {"eventName": [{"prefix": leading_word(name)?}]}},
                        {"detail": {"errorCode": [{"exists": true}]}},
                    ]),
                ),
            ]),
            0..=3 => return None,
            4..=6 => pattern(&[(
                &["$or"],
                json!([
                    {"detail": {"userIdentity": {"type": ["Root"]}}},
                    {"source": [source], "detail": {"eventName": [name]}},
                ]),
            )]),
            _ => {
                let address: IpAddr = text(detail, &["sourceIPAddress"])?.parse().ok()?;
                let bits = if address.is_ipv4() { 16 } else { 48 };
                pattern(&[
                    (&["detail", "eventSource"], json!([event_source])),
                    (
                        &["detail", "$or"],
                        json!([
                            {"readOnly": [false]},
                            {"sourceIPAddress": [{"cidr": cidr(address, bits)}]},
                        ]),
                    ),
                ])
            }
        },
        Kind::MultiField => {
            const CANDIDATES: &[&[&str]] = &[
                &["account"],
                &["region"],
                &["detail-type"],
                &["detail", "eventName"],
                &["detail", "userIdentity", "type"],
                &["detail", "readOnly"],
                &["detail", "userIdentity", "accountId"],
                &[
                    "detail",
                    "userIdentity",
                    "sessionContext",
                    "sessionIssuer",
                    "userName",
                ],
            ];
            let mut present: Vec<(&[&str], Value)> = CANDIDATES
                .iter()
                .filter_map(|path| {
                    let value = at(event, path)?;
                    is_scalar(value).then(|| (*path, json!([value])))
                })
                .collect();
            present.shuffle(rng);
            present.truncate(rng.random_range(2..5));
            if present.len() < 2 {
                return None;
            }
            present.push((&["source"], json!([source])));
            pattern(&present)
        }
        Kind::RequestParameter => {
            let parameters = detail.get("requestParameters")?.as_object()?;
            let strings: Vec<(&String, &str)> = parameters
                .iter()
                .filter_map(|(key, value)| Some((key, short(value.as_str()?)?)))
                .collect();
            let (key, value) = strings.choose(rng)?;
            pattern(&[
                (&["source"], json!([source])),
                (
                    &["detail", "requestParameters", key.as_str()],
                    json!([value]),
                ),
            ])
        }
    };
    Some(pattern)
}

/// The value at `path` (object members) in `value`.
fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut current = value;
    for member in path {
        current = current.get(member)?;
    }
    Some(current)
}

/// The string at `path` in `value`, if it is a string.
fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(value, path)?.as_str()
}

/// Whether the event is a read call (`detail.readOnly` true).
fn read_only(detail: &Value) -> bool {
    detail.get("readOnly").and_then(Value::as_bool) == Some(true)
}

/// `text` if it is at most [`MAX_VALUE_CHARS`] long and not empty.
fn short(text: &str) -> Option<&str> {
    (!text.is_empty() && text.chars().count() <= MAX_VALUE_CHARS).then_some(text)
}

/// Whether `value` is a string, a number or a boolean (a short string only).
fn is_scalar(value: &Value) -> bool {
    match value {
        Value::String(text) => short(text).is_some(),
        Value::Number(_) | Value::Bool(_) => true,
        Value::Null | Value::Array(_) | Value::Object(_) => false,
    }
}

/// A pattern object with each leaf at its path (paths sharing a start share objects).
fn pattern(fields: &[(&[&str], Value)]) -> Value {
    let mut root = Map::new();
    for (path, leaf) in fields {
        insert(&mut root, path, leaf.clone());
    }
    Value::Object(root)
}

fn insert(target: &mut Map<String, Value>, path: &[&str], leaf: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        target.insert((*first).to_owned(), leaf);
        return;
    }
    let entry = target
        .entry((*first).to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(inner) = entry {
        insert(inner, rest, leaf);
    }
}

/// Adds every number below `value` (paths of object members; arrays add no step, as
/// patterns address array elements by their array's path) within ±[`MAX_NUMERIC`].
fn numeric_leaves(value: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, f64)>) {
    match value {
        Value::Number(number) => {
            if let Some(number) = number.as_f64()
                && number.abs() <= MAX_NUMERIC
            {
                out.push((path.clone(), number));
            }
        }
        Value::Array(items) => {
            for item in items {
                numeric_leaves(item, path, out);
            }
        }
        Value::Object(members) => {
            for (key, member) in members {
                path.push(key.clone());
                numeric_leaves(member, path, out);
                path.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// A JSON number: an integer when `value` is whole.
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() <= MAX_NUMERIC * 4.0 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// The first word of a PascalCase name (`Delete` of `DeleteBucketPolicy`), when the name
/// has more than one.
fn leading_word(name: &str) -> Option<&str> {
    let end = name
        .char_indices()
        .skip(1)
        .find(|(_, character)| character.is_ascii_uppercase())?
        .0;
    Some(&name[..end])
}

/// The last word of a PascalCase name (`Policy` of `DeleteBucketPolicy`), when the name
/// has more than one.
fn last_word(name: &str) -> Option<&str> {
    let start = name
        .char_indices()
        .rev()
        .find(|(_, character)| character.is_ascii_uppercase())?
        .0;
    (start > 0).then(|| &name[start..])
}

/// `address/bits` with the host bits cleared.
fn cidr(address: IpAddr, bits: u8) -> String {
    match address {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            format!("{}/{bits}", std::net::Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            format!("{}/{bits}", std::net::Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// `text` with the wildcard pattern's special characters (`*`, `\`) escaped.
fn escape_wildcard(text: &str) -> String {
    text.replace('\\', "\\\\").replace('*', "\\*")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(source: &str, name: &str, extra: Value) -> Value {
        let mut detail = json!({
            "eventSource": format!("{}.amazonaws.com", source.trim_start_matches("aws.")),
            "eventName": name,
            "awsRegion": "us-east-1",
            "sourceIPAddress": "203.0.113.77",
            "userAgent": "aws-cli/2.15.30 Python/3.11.8 Linux/6.1",
            "readOnly": false,
            "userIdentity": {
                "type": "IAMUser",
                "arn": "arn:aws:iam::111122223333:user/alice",
                "accountId": "111122223333",
                "userName": "alice",
            },
            "requestParameters": {"bucketName": "logs-bucket", "maxResults": 50},
        });
        if let (Value::Object(detail), Value::Object(extra)) = (&mut detail, extra) {
            detail.extend(extra);
        }
        json!({
            "version": "0",
            "detail-type": "AWS API Call via CloudTrail",
            "source": source,
            "account": "111122223333",
            "region": "us-east-1",
            "detail": detail,
        })
    }

    fn samples() -> Samples {
        Samples::new(vec![
            envelope(
                "aws.s3",
                "DeleteBucketPolicy",
                json!({"errorCode": "AccessDenied"}),
            ),
            envelope("aws.s3", "PutBucketAcl", json!({})),
            envelope("aws.iam", "CreateAccessKey", json!({})),
            envelope(
                "aws.ec2",
                "DescribeInstances",
                json!({"userIdentity": {"type": "Root", "arn": "arn:aws:iam::111122223333:root"}}),
            ),
        ])
    }

    #[test]
    fn counts_add_up_to_the_rules_asked() {
        assert_eq!(MIX.iter().map(|(_, weight)| weight).sum::<usize>(), 1000);
        for count in [1, 7, 999, 1000, 1001, 4321] {
            let counts = kind_counts(count);
            assert_eq!(counts.iter().map(|(_, each)| each).sum::<usize>(), count);
        }
        assert_eq!(kind_counts(1000)[0], (Kind::ExactName, 150));
    }

    #[test]
    fn every_kind_builds_valid_patterns_reproducibly() {
        let samples = samples();
        let first = build(&samples, 1000, 3).unwrap();
        let second = build(&samples, 1000, 3).unwrap();
        assert_eq!(first.rules.len(), 1000);
        for (one, other) in first.rules.iter().zip(&second.rules) {
            assert_eq!(one.text, other.text);
            opentrail_patterns::Pattern::parse(&one.text)
                .unwrap_or_else(|error| panic!("{}: {error}", one.text));
        }
        for (kind, _) in MIX {
            assert!(first.rules.iter().any(|rule| rule.kind == kind), "{kind:?}");
        }
    }

    #[test]
    fn words_cidrs_and_wildcards() {
        assert_eq!(leading_word("DeleteBucketPolicy"), Some("Delete"));
        assert_eq!(leading_word("Invoke"), None);
        assert_eq!(last_word("DeleteBucketPolicy"), Some("Policy"));
        assert_eq!(last_word("Invoke"), None);
        assert_eq!(cidr("3.246.161.105".parse().unwrap(), 16), "3.246.0.0/16");
        assert_eq!(
            cidr("3.246.161.105".parse().unwrap(), 28),
            "3.246.161.96/28"
        );
        assert_eq!(
            cidr("2001:db8:1:2::5".parse().unwrap(), 48),
            "2001:db8:1::/48"
        );
        assert_eq!(escape_wildcard(r"a*b\c"), r"a\*b\\c");
        assert_eq!(number(50.0), json!(50));
        assert_eq!(number(0.5), json!(0.5));
    }

    #[test]
    fn nested_paths_share_objects() {
        let built = pattern(&[
            (&["source"], json!(["aws.s3"])),
            (&["detail", "eventName"], json!(["A"])),
            (&["detail", "userIdentity", "type"], json!(["Root"])),
        ]);
        assert_eq!(
            built,
            json!({"source": ["aws.s3"], "detail": {"eventName": ["A"], "userIdentity": {"type": ["Root"]}}})
        );
    }
}
