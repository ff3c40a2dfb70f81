//! The operations on a store or channel named by ARN: tags (AddTags, RemoveTags,
//! ListTags), resource policies (Put/Get/DeleteResourcePolicy), and the event
//! configuration of a store (Put/GetEventConfiguration) (`spec/events-and-queries.md`
//! §3.2.5, §3.2.6).

use crate::arns::{LakeResourceType, lake_resource_type};
use crate::checks::{check_context_key_selectors, check_resource_policy, check_tags, merge_tags};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    Caller, ContextKeySelectorInput, EventConfiguration, EventDataStore, MaxEventSize,
    ResourceTags, StoreKind, Tag, TagInput,
};
use crate::registry::{Lake, State, check_active, find_channel, find_store, find_store_for_write};

/// PutEventConfiguration's members, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutEventConfigurationInput {
    /// `TrailName` (trail aggregation is not offered).
    pub trail_name: Option<String>,
    /// `EventDataStore`: ARN or ID.
    pub event_data_store: Option<String>,
    /// `MaxEventSize`: `Standard` (default) or `Large`.
    pub max_event_size: Option<String>,
    /// `ContextKeySelectors` (default none).
    pub context_key_selectors: Option<Vec<ContextKeySelectorInput>>,
    /// Whether `AggregationConfigurations` was given (trails only).
    pub has_aggregation_configurations: bool,
}

/// A resource of a tagging or policy call, by its index in the state.
#[derive(Debug, Clone, Copy)]
enum Target {
    Store(usize),
    Channel(usize),
}

fn not_supported_type(resource_id: &str) -> Error {
    Error::rejected(
        ErrorKind::ResourceTypeNotSupported,
        format!(
            "`{resource_id}` is not the ARN of an event data store or a channel; this \
             operation takes only those"
        ),
    )
}

/// Resolves a store or channel ARN for tagging: the store and channel lookup errors as
/// they are, a store pending deletion refused, a store write only from its home region.
fn tag_target(state: &State, caller: &Caller, resource_id: &str, write: bool) -> Result<Target> {
    match lake_resource_type(resource_id) {
        Some(LakeResourceType::EventDataStore) => {
            let index = if write {
                find_store_for_write(&state.stores, caller, resource_id)?
            } else {
                find_store(&state.stores, caller, resource_id)?
            };
            check_active(&state.stores[index])?;
            Ok(Target::Store(index))
        }
        Some(LakeResourceType::Channel) => {
            find_channel(&state.channels, caller, resource_id).map(Target::Channel)
        }
        None => Err(not_supported_type(resource_id)),
    }
}

/// Resolves a store or channel ARN for a resource-policy call, with that API's errors:
/// `ResourceArnNotValid`, `ResourceTypeNotSupported`, `ResourceNotFound`.
fn policy_target(state: &State, caller: &Caller, resource_arn: &str) -> Result<Target> {
    let looks_like_arn = resource_arn.starts_with("arn:")
        && resource_arn.splitn(6, ':').count() == 6
        && resource_arn
            .rsplit(':')
            .next()
            .is_some_and(|resource| resource.contains('/'));
    if !looks_like_arn {
        return Err(Error::rejected(
            ErrorKind::ResourceArnNotValid,
            format!("`{resource_arn}` is not a valid resource ARN"),
        ));
    }
    let found = match lake_resource_type(resource_arn) {
        Some(LakeResourceType::EventDataStore) => {
            find_store(&state.stores, caller, resource_arn).map(Target::Store)
        }
        Some(LakeResourceType::Channel) => {
            find_channel(&state.channels, caller, resource_arn).map(Target::Channel)
        }
        None => return Err(not_supported_type(resource_arn)),
    };
    found.map_err(|error| match error.kind() {
        ErrorKind::EventDataStoreArnInvalid | ErrorKind::ChannelArnInvalid => Error::rejected(
            ErrorKind::ResourceArnNotValid,
            format!("`{resource_arn}` is not a valid resource ARN"),
        ),
        ErrorKind::EventDataStoreNotFound | ErrorKind::ChannelNotFound => Error::rejected(
            ErrorKind::ResourceNotFound,
            format!("resource `{resource_arn}` not found"),
        ),
        _ => error,
    })
}

fn parse_max_event_size(text: &str) -> Result<MaxEventSize> {
    match text {
        "Standard" => Ok(MaxEventSize::Standard),
        "Large" => Ok(MaxEventSize::Large),
        other => Err(Error::rejected(
            ErrorKind::InvalidParameter,
            format!("MaxEventSize `{other}` is not valid; use Standard or Large"),
        )),
    }
}

/// The store an event configuration call names: `EventDataStore` alone.
fn configuration_target(
    trail_name: Option<&str>,
    event_data_store: Option<&str>,
) -> Result<String> {
    match (trail_name, event_data_store) {
        (Some(_), Some(_)) => Err(Error::rejected(
            ErrorKind::InvalidParameterCombination,
            "give TrailName or EventDataStore, not both",
        )),
        (Some(trail), None) => Err(Error::rejected(
            ErrorKind::Unsupported,
            format!(
                "OpenTrail does not offer event configuration (aggregation) of trails such as \
                 `{trail}`; give an EventDataStore"
            ),
        )),
        (None, Some(store)) => Ok(store.to_owned()),
        (None, None) => Err(Error::rejected(
            ErrorKind::InvalidParameterCombination,
            "give an EventDataStore",
        )),
    }
}

impl Lake {
    fn change_tags(
        &self,
        caller: &Caller,
        resource_id: &str,
        change: impl FnOnce(&[Tag]) -> Result<Vec<Tag>>,
    ) -> Result<()> {
        let now = self.now();
        self.mutate(true, |state| {
            match tag_target(state, caller, resource_id, true)? {
                Target::Store(index) => {
                    let store = &mut state.stores[index];
                    let tags = change(&store.tags)?;
                    if tags != store.tags {
                        store.tags = tags;
                        store.updated = now;
                    }
                    Ok(())
                }
                Target::Channel(index) => {
                    let channel = &mut state.channels[index];
                    channel.tags = change(&channel.tags)?;
                    Ok(())
                }
            }
        })
    }

    /// AddTags on a store or channel ARN: adds or overwrites tags.
    ///
    /// # Errors
    ///
    /// `ResourceTypeNotSupported` (not a store or channel ARN), the store lookup errors
    /// (`EventDataStoreArnInvalid`, `EventDataStoreNotFound`, `InvalidHomeRegion`,
    /// `InactiveEventDataStore`) or the channel ones (`ChannelArnInvalid`,
    /// `ChannelNotFound`), `InvalidTagParameter`, `TagsLimitExceeded`, storage errors.
    pub fn add_tags(&self, caller: &Caller, resource_id: &str, tags: Vec<TagInput>) -> Result<()> {
        let limit = self.limits.tags_per_resource;
        self.change_tags(caller, resource_id, |existing| {
            merge_tags(
                existing,
                check_tags(tags)?,
                limit,
                ErrorKind::TagsLimitExceeded,
            )
        })
    }

    /// RemoveTags on a store or channel ARN: removes the listed keys (values are not
    /// compared; absent keys are ignored).
    ///
    /// # Errors
    ///
    /// As [`Lake::add_tags`], without `TagsLimitExceeded`.
    pub fn remove_tags(
        &self,
        caller: &Caller,
        resource_id: &str,
        tags: Vec<TagInput>,
    ) -> Result<()> {
        self.change_tags(caller, resource_id, |existing| {
            let removed = check_tags(tags)?;
            let mut kept = existing.to_vec();
            kept.retain(|tag| !removed.iter().any(|gone| gone.key == tag.key));
            Ok(kept)
        })
    }

    /// The tags of one store or channel ARN (ListTags takes a mixed list: the API asks
    /// this for the Lake ARNs of it, in order).
    ///
    /// # Errors
    ///
    /// As [`Lake::add_tags`], without the home-region rule and the tag errors.
    pub fn list_tags_of(&self, caller: &Caller, resource_id: &str) -> Result<ResourceTags> {
        let state = self.read();
        let tags = match tag_target(&state, caller, resource_id, false)? {
            Target::Store(index) => state.stores[index].tags.clone(),
            Target::Channel(index) => state.channels[index].tags.clone(),
        };
        Ok(ResourceTags {
            resource_id: resource_id.to_owned(),
            tags,
        })
    }

    /// PutResourcePolicy on a store or channel ARN; returns the policy as stored.
    ///
    /// # Errors
    ///
    /// `ResourceArnNotValid`, `ResourceTypeNotSupported`, `ResourceNotFound`,
    /// `ResourcePolicyNotValid`, storage errors.
    pub fn put_resource_policy(
        &self,
        caller: &Caller,
        resource_arn: &str,
        policy: &str,
    ) -> Result<String> {
        policy_target(&self.read(), caller, resource_arn)?;
        check_resource_policy(policy)?;
        self.mutate(true, |state| {
            match policy_target(state, caller, resource_arn)? {
                Target::Store(index) => {
                    state.stores[index].resource_policy = Some(policy.to_owned())
                }
                Target::Channel(index) => {
                    state.channels[index].resource_policy = Some(policy.to_owned());
                }
            }
            Ok(policy.to_owned())
        })
    }

    /// GetResourcePolicy on a store or channel ARN.
    ///
    /// # Errors
    ///
    /// `ResourceArnNotValid`, `ResourceTypeNotSupported`, `ResourceNotFound`,
    /// `ResourcePolicyNotFound`.
    pub fn get_resource_policy(&self, caller: &Caller, resource_arn: &str) -> Result<String> {
        let state = self.read();
        let policy = match policy_target(&state, caller, resource_arn)? {
            Target::Store(index) => state.stores[index].resource_policy.clone(),
            Target::Channel(index) => state.channels[index].resource_policy.clone(),
        };
        policy.ok_or_else(|| policy_not_found(resource_arn))
    }

    /// DeleteResourcePolicy on a store or channel ARN.
    ///
    /// # Errors
    ///
    /// As [`Lake::get_resource_policy`], and storage errors.
    pub fn delete_resource_policy(&self, caller: &Caller, resource_arn: &str) -> Result<()> {
        self.mutate(true, |state| {
            let policy = match policy_target(state, caller, resource_arn)? {
                Target::Store(index) => &mut state.stores[index].resource_policy,
                Target::Channel(index) => &mut state.channels[index].resource_policy,
            };
            if policy.take().is_none() {
                return Err(policy_not_found(resource_arn));
            }
            Ok(())
        })
    }

    /// PutEventConfiguration on a store: replaces its configuration (absent
    /// `MaxEventSize` means `Standard`, absent `ContextKeySelectors` none). Returns the
    /// store.
    ///
    /// # Errors
    ///
    /// `InvalidParameterCombination` (TrailName with EventDataStore, neither, or
    /// AggregationConfigurations with a store), `Unsupported` (a trail), the store lookup
    /// errors, `InvalidHomeRegion`, `InactiveEventDataStore`,
    /// `InvalidEventDataStoreCategory` (not a CloudTrail-events store),
    /// `InvalidParameter` (values, context keys without `Large`), storage errors.
    pub fn put_event_configuration(
        &self,
        caller: &Caller,
        input: PutEventConfigurationInput,
    ) -> Result<EventDataStore> {
        let given = configuration_target(
            input.trail_name.as_deref(),
            input.event_data_store.as_deref(),
        )?;
        if input.has_aggregation_configurations {
            return Err(Error::rejected(
                ErrorKind::InvalidParameterCombination,
                "AggregationConfigurations apply to trails only; leave them out for an event \
                 data store",
            ));
        }
        let max_event_size = match &input.max_event_size {
            Some(text) => parse_max_event_size(text)?,
            None => MaxEventSize::Standard,
        };
        let context_key_selectors =
            check_context_key_selectors(input.context_key_selectors.unwrap_or_default())?;
        if !context_key_selectors.is_empty() && max_event_size != MaxEventSize::Large {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                "ContextKeySelectors need MaxEventSize Large",
            ));
        }
        let configuration = EventConfiguration {
            max_event_size,
            context_key_selectors,
        };
        let now = self.now();
        self.mutate(true, |state| {
            let index = find_store_for_write(&state.stores, caller, &given)?;
            let store = &mut state.stores[index];
            check_active(store)?;
            if store.kind != StoreKind::CloudTrailEvents {
                return Err(Error::rejected(
                    ErrorKind::InvalidEventDataStoreCategory,
                    format!(
                        "event data store `{}` does not hold CloudTrail events; event size and \
                         context keys apply to management, data and network activity events",
                        store.arn
                    ),
                ));
            }
            if store.event_configuration != configuration {
                store.event_configuration = configuration;
                store.updated = now;
            }
            Ok(store.clone())
        })
    }

    /// GetEventConfiguration of a store (the defaults when never set).
    ///
    /// # Errors
    ///
    /// As PutEventConfiguration for the target, and the store lookup errors.
    pub fn get_event_configuration(
        &self,
        caller: &Caller,
        trail_name: Option<&str>,
        event_data_store: Option<&str>,
    ) -> Result<EventDataStore> {
        let given = configuration_target(trail_name, event_data_store)?;
        self.get_event_data_store(caller, &given)
    }
}

fn policy_not_found(resource_arn: &str) -> Error {
    Error::rejected(
        ErrorKind::ResourcePolicyNotFound,
        format!("resource `{resource_arn}` has no resource policy"),
    )
}
