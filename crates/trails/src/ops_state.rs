//! GetTrailStatus, StartLogging, StopLogging, Put/GetEventSelectors,
//! Put/GetInsightSelectors, AddTags, RemoveTags, ListTags.

use opentrail_selectors::{
    AdvancedEventSelector, EventSelector, InsightSelectorInput, SelectorConfig, from_put_request,
    validate_for_trail,
};

use crate::checks::{check_tags, merge_tags};
use crate::error::{Error, ErrorKind, Result};
use crate::insights::check_insight_selectors;
use crate::model::{Caller, LoggingInterval, Tag, TagInput, Trail, TrailStatusReport};
use crate::names::TrailArn;
use crate::registry::{NotFoundText, Trails, check_home_region, find_for_write};

/// PutInsightSelectors' members, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutInsightSelectorsInput {
    /// `TrailName`: a name or ARN.
    pub trail_name: Option<String>,
    /// `InsightSelectors`: replaces the trail's list; empty turns Insights off.
    pub insight_selectors: Vec<InsightSelectorInput>,
    /// `EventDataStore`: only to refuse it with `TrailName` (event data stores' Insights
    /// selectors are kept by `opentrail-lake`).
    pub event_data_store: Option<String>,
    /// `InsightsDestination`: only to refuse it with `TrailName`.
    pub insights_destination: Option<String>,
}

/// The tags of one resource, as ListTags returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceTags {
    /// The resource's ARN as given.
    pub resource_id: String,
    /// Its tags.
    pub tags: Vec<Tag>,
}

/// The trail registry does not keep event data stores' Insights selectors: the API layer
/// sends those requests to `opentrail-lake`, so this answers only direct callers.
fn event_data_stores_unsupported() -> Error {
    Error::rejected(
        ErrorKind::Unsupported,
        "the Insights selectors of event data stores are kept by the Lake registry, not the \
         trail registry; give a TrailName",
    )
}

/// Sorts out which of TrailName / EventDataStore / InsightsDestination a request names.
fn insight_target(
    trail_name: Option<String>,
    event_data_store: Option<&str>,
    insights_destination: Option<&str>,
) -> Result<String> {
    match trail_name {
        Some(_) if event_data_store.is_some() || insights_destination.is_some() => {
            Err(Error::rejected(
                ErrorKind::InvalidParameterCombination,
                "TrailName cannot be combined with EventDataStore or InsightsDestination; \
                 give one of TrailName or EventDataStore",
            ))
        }
        Some(name) => Ok(name),
        None if event_data_store.is_some() => Err(event_data_stores_unsupported()),
        None => Err(Error::rejected(
            ErrorKind::InvalidParameterCombination,
            "give a TrailName or an EventDataStore",
        )),
    }
}

impl Trails {
    /// GetTrailStatus. A name that matches no trail is reported with the ARN built from it.
    ///
    /// # Errors
    ///
    /// `InvalidTrailName`, `CloudTrailArnInvalid`, `TrailNotFound`.
    pub fn get_trail_status(&self, caller: &Caller, name: &str) -> Result<TrailStatusReport> {
        let trail = self.find_trail(caller, name, NotFoundText::AsArn)?;
        let start_logging_time = trail.logging_history.last().map(|interval| interval.start);
        let stop_logging_time = trail
            .logging_history
            .iter()
            .rev()
            .find_map(|interval| interval.stop);
        Ok(TrailStatusReport {
            is_logging: trail.logging,
            start_logging_time,
            stop_logging_time,
            status: self.status_of(&trail),
        })
    }

    /// StartLogging; does nothing when the trail already logs. With validation on, a new
    /// digest chain starts now.
    ///
    /// # Errors
    ///
    /// `InvalidTrailName`, `CloudTrailArnInvalid`, `TrailNotFound`, `InvalidHomeRegion`,
    /// storage errors.
    pub fn start_logging(&self, caller: &Caller, name: &str) -> Result<()> {
        let now = self.now();
        let kept = self.limits.logging_history.max(1);
        self.mutate(|state| {
            let index = find_for_write(&state.trails, caller, name)?;
            let trail = &mut state.trails[index];
            if trail.logging {
                return Ok(());
            }
            trail.logging = true;
            trail.logging_history.push(LoggingInterval {
                start: now,
                stop: None,
            });
            let excess = trail.logging_history.len().saturating_sub(kept);
            trail.logging_history.drain(..excess);
            if trail.log_file_validation_enabled {
                trail.validation_since = Some(now);
            }
            trail.generation += 1;
            Ok(())
        })
    }

    /// StopLogging; does nothing when the trail does not log.
    ///
    /// # Errors
    ///
    /// As [`Trails::start_logging`].
    pub fn stop_logging(&self, caller: &Caller, name: &str) -> Result<()> {
        let now = self.now();
        self.mutate(|state| {
            let index = find_for_write(&state.trails, caller, name)?;
            let trail = &mut state.trails[index];
            if !trail.logging {
                return Ok(());
            }
            trail.logging = false;
            if let Some(last) = trail.logging_history.last_mut() {
                last.stop = Some(now);
            }
            trail.generation += 1;
            Ok(())
        })
    }

    /// PutEventSelectors: exactly one of the lists; it replaces the whole configuration.
    /// Returns the trail as stored (its selectors normalized).
    ///
    /// # Errors
    ///
    /// `InvalidTrailName`, `CloudTrailArnInvalid`, `TrailNotFound`, `InvalidHomeRegion`,
    /// `InvalidEventSelectors`, storage errors.
    pub fn put_event_selectors(
        &self,
        caller: &Caller,
        trail_name: &str,
        event_selectors: Option<Vec<EventSelector>>,
        advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    ) -> Result<Trail> {
        {
            let state = self.read();
            find_for_write(&state.trails, caller, trail_name)?;
        }
        let requested = from_put_request(event_selectors, advanced_event_selectors)
            .map_err(Error::Selectors)?;
        let selectors =
            validate_for_trail(requested, &self.network_sources).map_err(Error::Selectors)?;
        let default = SelectorConfig::trail_default();
        let is_default = selectors == default
            || validate_for_trail(default, &self.network_sources)
                .is_ok_and(|normalized| normalized == selectors);
        self.mutate(|state| {
            let index = find_for_write(&state.trails, caller, trail_name)?;
            let trail = &mut state.trails[index];
            if trail.selectors != selectors || trail.has_custom_event_selectors == is_default {
                trail.selectors = selectors;
                trail.has_custom_event_selectors = !is_default;
                trail.generation += 1;
            }
            Ok(trail.clone())
        })
    }

    /// GetEventSelectors: from any region by ARN. A name that matches no trail is
    /// reported with the ARN built from it, as AWS does.
    ///
    /// # Errors
    ///
    /// `InvalidTrailName`, `CloudTrailArnInvalid`, `TrailNotFound`.
    pub fn get_event_selectors(&self, caller: &Caller, trail_name: &str) -> Result<Trail> {
        self.find_trail(caller, trail_name, NotFoundText::AsArn)
    }

    /// PutInsightSelectors: replaces the trail's Insights selectors (empty: Insights off)
    /// after checking their prerequisites against the trail's event selectors.
    ///
    /// # Errors
    ///
    /// `InvalidParameterCombination` (TrailName with EventDataStore or
    /// InsightsDestination, or none of them), `Unsupported` (an event data store: those
    /// are `opentrail_lake::Lake::put_insight_selectors`'s),
    /// the trail lookup errors, `InvalidHomeRegion`, `InvalidInsightSelectors`.
    pub fn put_insight_selectors(
        &self,
        caller: &Caller,
        input: PutInsightSelectorsInput,
    ) -> Result<Trail> {
        let trail_name = insight_target(
            input.trail_name,
            input.event_data_store.as_deref(),
            input.insights_destination.as_deref(),
        )?;
        let current = {
            let state = self.read();
            let index = find_for_write(&state.trails, caller, &trail_name)?;
            state.trails[index].clone()
        };
        check_insight_selectors(input.insight_selectors.clone(), &current.selectors)?;
        self.mutate(|state| {
            let index = find_for_write(&state.trails, caller, &trail_name)?;
            let trail = &mut state.trails[index];
            // Checked again against the selectors in force now.
            let selectors = check_insight_selectors(input.insight_selectors, &trail.selectors)?;
            if trail.insight_selectors != selectors {
                trail.insight_selectors = selectors;
                trail.generation += 1;
            }
            Ok(trail.clone())
        })
    }

    /// GetInsightSelectors.
    ///
    /// # Errors
    ///
    /// As PutInsightSelectors for the members, the trail lookup errors, and
    /// `InsightNotEnabled` when the trail has no Insights selectors.
    pub fn get_insight_selectors(
        &self,
        caller: &Caller,
        trail_name: Option<String>,
        event_data_store: Option<&str>,
    ) -> Result<Trail> {
        let trail_name = insight_target(trail_name, event_data_store, None)?;
        let trail = self.find_trail(caller, &trail_name, NotFoundText::AsGiven)?;
        if trail.insight_selectors.is_empty() {
            return Err(Error::rejected(
                ErrorKind::InsightNotEnabled,
                format!(
                    "Trail {} does not have Insights enabled. Edit the trail settings to enable \
                     Insights, and then try the operation again.",
                    trail.arn
                ),
            ));
        }
        Ok(trail)
    }

    /// Parses a tagging `ResourceId` and checks it names a trail of the caller's account.
    fn tagged_arn(caller: &Caller, resource_id: &str) -> Result<TrailArn> {
        if !resource_id.starts_with("arn:") {
            return Err(Error::rejected(
                ErrorKind::CloudTrailArnInvalid,
                format!(
                    "`{resource_id}` is not a trail ARN; tagging operations take the trail's ARN"
                ),
            ));
        }
        let arn = TrailArn::parse(resource_id)?;
        if arn.account != caller.account_id {
            return Err(Error::rejected(
                ErrorKind::CloudTrailArnInvalid,
                format!(
                    "AccountID in ARN is wrong, you can only access resources with AccountID {}.",
                    caller.account_id
                ),
            ));
        }
        Ok(arn)
    }

    fn find_tagged(state: &[Trail], arn: &TrailArn, resource_id: &str) -> Result<usize> {
        let text = arn.to_arn_string();
        state
            .iter()
            .position(|trail| !trail.is_deleted() && trail.arn == text)
            .ok_or_else(|| {
                Error::rejected(
                    ErrorKind::ResourceNotFound,
                    format!("no trail has the ARN `{resource_id}`"),
                )
            })
    }

    fn change_tags(
        &self,
        caller: &Caller,
        resource_id: &str,
        change: impl FnOnce(&[Tag]) -> Result<Vec<Tag>>,
    ) -> Result<()> {
        let arn = Self::tagged_arn(caller, resource_id)?;
        self.mutate(|state| {
            let index = Self::find_tagged(&state.trails, &arn, resource_id)?;
            let trail = &mut state.trails[index];
            check_home_region(trail, caller)?;
            let tags = change(&trail.tags)?;
            if tags != trail.tags {
                trail.tags = tags;
                trail.generation += 1;
            }
            Ok(())
        })
    }

    /// AddTags: adds or overwrites tags of the trail with ARN `resource_id`.
    ///
    /// # Errors
    ///
    /// `CloudTrailArnInvalid`, `InvalidTrailName`, `ResourceNotFound`,
    /// `InvalidHomeRegion`, `InvalidTagParameter`, `TagsLimitExceeded`, storage errors.
    pub fn add_tags(&self, caller: &Caller, resource_id: &str, tags: Vec<TagInput>) -> Result<()> {
        let limit = self.limits.tags_per_trail;
        self.change_tags(caller, resource_id, |existing| {
            merge_tags(existing, check_tags(tags)?, limit)
        })
    }

    /// RemoveTags: removes the listed keys (values are not compared; absent keys are
    /// ignored).
    ///
    /// # Errors
    ///
    /// As [`Trails::add_tags`], without `TagsLimitExceeded`.
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

    /// ListTags: the tags of up to [`crate::TrailLimits::list_tags_resources`] trails,
    /// all in one page, in the order asked. The ARNs must be of the caller's region.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` (no ARN, or too many), `InvalidToken` (OpenTrail never issues
    /// a ListTags token), `CloudTrailArnInvalid`, `InvalidTrailName`, `ResourceNotFound`.
    pub fn list_tags(
        &self,
        caller: &Caller,
        resource_ids: &[String],
        next_token: Option<&str>,
    ) -> Result<Vec<ResourceTags>> {
        let limit = self.limits.list_tags_resources;
        if resource_ids.is_empty() || resource_ids.len() > limit {
            return Err(Error::rejected(
                ErrorKind::InvalidParameter,
                format!(
                    "ResourceIdList has {} ARNs; give 1 to {limit}",
                    resource_ids.len()
                ),
            ));
        }
        if let Some(token) = next_token {
            return Err(Error::rejected(
                ErrorKind::InvalidToken,
                format!("NextToken `{token}` was not issued by this server"),
            ));
        }
        let state = self.read();
        let mut answer = Vec::with_capacity(resource_ids.len());
        for resource_id in resource_ids {
            let arn = Self::tagged_arn(caller, resource_id)?;
            if arn.region != caller.region {
                return Err(Error::rejected(
                    ErrorKind::CloudTrailArnInvalid,
                    format!(
                        "Region in ARN is wrong, you can only access resources in region {}.",
                        caller.region
                    ),
                ));
            }
            let index = Self::find_tagged(&state.trails, &arn, resource_id)?;
            answer.push(ResourceTags {
                resource_id: resource_id.clone(),
                tags: state.trails[index].tags.clone(),
            });
        }
        Ok(answer)
    }
}
