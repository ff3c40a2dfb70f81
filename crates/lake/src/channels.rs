//! CreateChannel, GetChannel, UpdateChannel, DeleteChannel, ListChannels, and the
//! ingestion status PutAuditEvents reports (`spec/events-and-queries.md` §3.6.1).

use crate::arns::{channel_arn, validate_name};
use crate::checks::{check_tags, decode_token, encode_token, merge_tags, page_size};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    Caller, Channel, ChannelPage, Destination, DestinationInput, DestinationType, IngestionAttempt,
    IngestionStatus, StoreKind, TagInput,
};
use crate::registry::{Lake, State, check_active, find_channel, find_store};

/// Longest channel source.
pub const MAX_SOURCE_CHARS: usize = 256;
/// Most destinations of a channel.
pub const MAX_DESTINATIONS: usize = 200;
const LOCATION_CHARS: std::ops::RangeInclusive<usize> = 3..=1024;

/// CreateChannel's members, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateChannelInput {
    /// `Name`.
    pub name: String,
    /// `Source`: `Custom` or a partner source name.
    pub source: String,
    /// `Destinations`.
    pub destinations: Vec<DestinationInput>,
    /// `Tags`.
    pub tags: Vec<TagInput>,
}

/// UpdateChannel's members, as received: only the members given change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateChannelInput {
    /// `Channel`: ARN or ID.
    pub channel: String,
    /// `Destinations`: replaces the list.
    pub destinations: Option<Vec<DestinationInput>>,
    /// `Name`.
    pub name: Option<String>,
}

fn check_source(source: &str) -> Result<()> {
    let length = source.chars().count();
    if !(1..=MAX_SOURCE_CHARS).contains(&length) || source.chars().any(char::is_control) {
        return Err(Error::rejected(
            ErrorKind::InvalidSource,
            format!(
                "Source `{source}` is not valid; give `Custom` or a partner source name of 1 to \
                 {MAX_SOURCE_CHARS} printable characters"
            ),
        ));
    }
    Ok(())
}

/// Checks destinations against the stores of `state`: each an active `ActivityAuditLog`
/// store of the caller visible in the caller's region, named once. Locations are stored
/// as store ARNs.
fn resolve_destinations(
    state: &State,
    caller: &Caller,
    inputs: &[DestinationInput],
) -> Result<Vec<Destination>> {
    if !(1..=MAX_DESTINATIONS).contains(&inputs.len()) {
        return Err(Error::rejected(
            ErrorKind::InvalidParameter,
            format!(
                "Destinations has {} entries; give 1 to {MAX_DESTINATIONS}",
                inputs.len()
            ),
        ));
    }
    let mut destinations: Vec<Destination> = Vec::with_capacity(inputs.len());
    for input in inputs {
        match input.destination_type.as_str() {
            "EVENT_DATA_STORE" => {}
            "AWS_SERVICE" => {
                return Err(Error::rejected(
                    ErrorKind::InvalidParameter,
                    "destination type AWS_SERVICE belongs to service-linked channels, which \
                     AWS services create; use EVENT_DATA_STORE",
                ));
            }
            other => {
                return Err(Error::rejected(
                    ErrorKind::InvalidParameter,
                    format!("destination type `{other}` is not valid; use EVENT_DATA_STORE"),
                ));
            }
        }
        if !LOCATION_CHARS.contains(&input.location.chars().count()) {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                format!(
                    "destination location `{}` is not valid; give an event data store ARN or ID",
                    input.location
                ),
            ));
        }
        let index = find_store(&state.stores, caller, &input.location)?;
        let store = &state.stores[index];
        check_active(store)?;
        if store.kind != StoreKind::ActivityAuditLog {
            return Err(Error::rejected(
                ErrorKind::InvalidEventDataStoreCategory,
                format!(
                    "event data store `{}` does not hold ActivityAuditLog events; a channel can \
                     only deliver to such stores",
                    store.arn
                ),
            ));
        }
        if destinations.iter().any(|seen| seen.location == store.arn) {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                format!(
                    "event data store `{}` is named twice in Destinations",
                    store.arn
                ),
            ));
        }
        destinations.push(Destination {
            destination_type: DestinationType::EventDataStore,
            location: store.arn.clone(),
        });
    }
    Ok(destinations)
}

/// Refuses a name or source another channel of the caller's region has (`except` is the
/// channel being updated).
fn check_unique(
    state: &State,
    caller: &Caller,
    name: Option<&str>,
    source: Option<&str>,
    except: Option<usize>,
) -> Result<()> {
    for (index, channel) in state.channels.iter().enumerate() {
        if Some(index) == except
            || channel.account_id != caller.account_id
            || channel.region != caller.region
        {
            continue;
        }
        if name.is_some_and(|name| channel.name == name) {
            return Err(Error::rejected(
                ErrorKind::ChannelAlreadyExists,
                format!("a channel named `{}` already exists", channel.name),
            ));
        }
        if source.is_some_and(|source| channel.source == source) {
            return Err(Error::rejected(
                ErrorKind::ChannelAlreadyExists,
                format!(
                    "channel `{}` already exists for source `{}`; a source can have one channel",
                    channel.arn, channel.source
                ),
            ));
        }
    }
    Ok(())
}

impl Lake {
    fn check_can_create_channel(
        &self,
        state: &State,
        caller: &Caller,
        input: &CreateChannelInput,
    ) -> Result<Vec<Destination>> {
        check_unique(state, caller, Some(&input.name), Some(&input.source), None)?;
        let count = state
            .channels
            .iter()
            .filter(|channel| {
                channel.account_id == caller.account_id && channel.region == caller.region
            })
            .count();
        let limit = self.limits.channels_per_region;
        if count >= limit {
            return Err(Error::rejected(
                ErrorKind::ChannelMaxLimitExceeded,
                format!(
                    "account {} already has {limit} channels in {}",
                    caller.account_id, caller.region
                ),
            ));
        }
        resolve_destinations(state, caller, &input.destinations)
    }

    /// CreateChannel.
    ///
    /// # Errors
    ///
    /// In this order: `InvalidParameter` (name), `InvalidSource`, `ChannelAlreadyExists`
    /// (name or source taken), `ChannelMaxLimitExceeded`, the destination errors
    /// (`InvalidParameter`, `EventDataStoreArnInvalid`, `EventDataStoreNotFound`,
    /// `InactiveEventDataStore`, `InvalidEventDataStoreCategory`),
    /// `InvalidTagParameter`, `TagsLimitExceeded`, storage errors.
    pub fn create_channel(&self, caller: &Caller, input: CreateChannelInput) -> Result<Channel> {
        validate_name("channel", &input.name)?;
        check_source(&input.source)?;
        self.check_can_create_channel(&self.read(), caller, &input)?;
        let tags = merge_tags(
            &[],
            check_tags(input.tags.clone())?,
            self.limits.tags_per_resource,
            ErrorKind::TagsLimitExceeded,
        )?;
        let id = self.ids.uuid();
        let created = self.now();
        self.mutate(true, |state| {
            // Checked again under the write lock: another call may have won the race.
            let destinations = self.check_can_create_channel(state, caller, &input)?;
            let channel = Channel {
                arn: channel_arn(&caller.region, &caller.account_id, &id),
                id,
                name: input.name,
                account_id: caller.account_id.clone(),
                region: caller.region.clone(),
                source: input.source,
                destinations,
                tags,
                resource_policy: None,
                ingestion_status: IngestionStatus::default(),
                created,
            };
            state.channels.push(channel.clone());
            Ok(channel)
        })
    }

    /// GetChannel: a channel of the caller's region.
    ///
    /// # Errors
    ///
    /// `ChannelArnInvalid`, `ChannelNotFound`.
    pub fn get_channel(&self, caller: &Caller, given: &str) -> Result<Channel> {
        let state = self.read();
        let index = find_channel(&state.channels, caller, given)?;
        Ok(state.channels[index].clone())
    }

    /// UpdateChannel: a new name and/or a new list of destinations.
    ///
    /// # Errors
    ///
    /// `ChannelArnInvalid`, `ChannelNotFound`, `InvalidParameter` (name),
    /// `ChannelAlreadyExists` (name taken), the destination errors of
    /// [`Lake::create_channel`], storage errors.
    pub fn update_channel(&self, caller: &Caller, input: UpdateChannelInput) -> Result<Channel> {
        {
            let state = self.read();
            find_channel(&state.channels, caller, &input.channel)?;
        }
        if let Some(name) = &input.name {
            validate_name("channel", name)?;
        }
        self.mutate(true, |state| {
            let index = find_channel(&state.channels, caller, &input.channel)?;
            check_unique(state, caller, input.name.as_deref(), None, Some(index))?;
            let destinations = match &input.destinations {
                Some(destinations) => Some(resolve_destinations(state, caller, destinations)?),
                None => None,
            };
            let channel = &mut state.channels[index];
            if let Some(name) = input.name {
                channel.name = name;
            }
            if let Some(destinations) = destinations {
                channel.destinations = destinations;
            }
            Ok(channel.clone())
        })
    }

    /// DeleteChannel.
    ///
    /// # Errors
    ///
    /// `ChannelArnInvalid`, `ChannelNotFound`, storage errors.
    pub fn delete_channel(&self, caller: &Caller, given: &str) -> Result<()> {
        self.mutate(true, |state| {
            let index = find_channel(&state.channels, caller, given)?;
            state.channels.remove(index);
            Ok(())
        })
    }

    /// ListChannels: the caller's channels of the caller's region, ordered by ARN.
    ///
    /// # Errors
    ///
    /// `InvalidMaxResults`, `InvalidNextToken`.
    pub fn list_channels(
        &self,
        caller: &Caller,
        max_results: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<ChannelPage> {
        let size = page_size(max_results, self.limits.default_page_size)?;
        let after = next_token.map(decode_token).transpose()?;
        let state = self.read();
        let mut visible: Vec<&Channel> = state
            .channels
            .iter()
            .filter(|channel| {
                channel.account_id == caller.account_id
                    && channel.region == caller.region
                    && after
                        .as_deref()
                        .is_none_or(|last| channel.arn.as_str() > last)
            })
            .collect();
        visible.sort_by(|left, right| left.arn.cmp(&right.arn));
        let next_token = (visible.len() > size).then(|| encode_token(&visible[size - 1].arn));
        Ok(ChannelPage {
            channels: visible.into_iter().take(size).cloned().collect(),
            next_token,
        })
    }

    /// Records one PutAuditEvents attempt on the channel with `channel_arn` (shown by
    /// GetChannel's `IngestionStatus`): the attempt always, a success also as the latest
    /// success (clearing the error code), a failure as the latest error code. A channel
    /// deleted meanwhile is ignored. Does not bump the change channel.
    ///
    /// # Errors
    ///
    /// `channels.json` could not be written.
    pub fn record_ingestion(&self, channel_arn: &str, attempt: IngestionAttempt) -> Result<()> {
        self.mutate(false, |state| {
            let Some(channel) = state
                .channels
                .iter_mut()
                .find(|channel| channel.arn == channel_arn)
            else {
                return Ok(());
            };
            let status = &mut channel.ingestion_status;
            status.latest_ingestion_attempt_time = Some(attempt.time);
            status.latest_ingestion_attempt_event_id = attempt.event_id.clone();
            match attempt.error_code {
                None => {
                    status.latest_ingestion_success_time = Some(attempt.time);
                    status.latest_ingestion_success_event_id = attempt.event_id;
                    status.latest_ingestion_error_code = None;
                }
                Some(code) => status.latest_ingestion_error_code = Some(code),
            }
            Ok(())
        })
    }
}
