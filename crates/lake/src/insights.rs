//! PutInsightSelectors and GetInsightSelectors on event data stores, and the list the
//! Insights analyzer reads (`spec/events-and-queries.md` §4.6).
//!
//! A *source* store (of CloudTrail events, logging the management events the Insights
//! types need) names a *destination* store (of kind `Insight`, same account) that
//! receives the Insights events. The source keeps the configuration
//! ([`crate::InsightsConfiguration`]); the destination knows nothing of it.
//!
//! Deleting either store leaves the configuration as it is: GetInsightSelectors on the
//! source still answers with the destination's ARN, and [`Lake::insights_configs`] leaves
//! the pair out while either store does not ingest (pending deletion, purged, stopped).
//! Restoring the store brings Insights back; PutInsightSelectors with another destination
//! (or an empty list) replaces the configuration.

use opentrail_selectors::{
    AdvancedEventSelector, InsightSelector, InsightSelectorInput, InsightType, SourceEventCategory,
    advanced_selectors_log_management_events, parse_insight_selectors,
};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    Caller, EventDataStoreInsightSelectors, EventDataStoreStatus, InsightsConfiguration,
    StoreInsights, StoreKind,
};
use crate::registry::{Lake, State, check_active, find_store, find_store_for_write};

/// PutInsightSelectors' members for an event data store, as received. (`TrailName`
/// requests go to the trail registry; the API layer routes on the members given.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutInsightSelectorsInput {
    /// `EventDataStore`: the source store's ARN or ID.
    pub event_data_store: Option<String>,
    /// `InsightsDestination`: the destination store's ARN or ID.
    pub insights_destination: Option<String>,
    /// `InsightSelectors`: replaces the source store's list; empty turns Insights off.
    pub insight_selectors: Vec<InsightSelectorInput>,
}

/// The two stores a PutInsightSelectors request names. AWS documents both as required
/// to enable Insights on a store and names no exception for one without the other; as
/// for TrailName combined with a store, a request with one of the pair is answered
/// `InvalidParameterCombinationException` ("the combination of parameters provided is
/// not valid"). Both are required to turn Insights off too.
fn insight_stores<'a>(
    event_data_store: Option<&'a str>,
    insights_destination: Option<&'a str>,
) -> Result<(&'a str, &'a str)> {
    match (event_data_store, insights_destination) {
        (Some(source), Some(destination)) => Ok((source, destination)),
        (Some(_), None) => Err(Error::rejected(
            ErrorKind::InvalidParameterCombination,
            "EventDataStore needs an InsightsDestination: give the ARN or ID of the event data \
             store of kind Insight that receives the Insights events",
        )),
        (None, Some(_)) => Err(Error::rejected(
            ErrorKind::InvalidParameterCombination,
            "InsightsDestination needs an EventDataStore: give the ARN or ID of the event data \
             store whose management events are analyzed",
        )),
        (None, None) => Err(Error::rejected(
            ErrorKind::InvalidParameterCombination,
            "give an EventDataStore and an InsightsDestination",
        )),
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::rejected(ErrorKind::InvalidInsightSelectors, message)
}

/// Refuses categories other than `Management`: Insights on data events are not
/// available for event data stores.
fn check_management_only(selectors: &[InsightSelector]) -> Result<()> {
    for selector in selectors {
        if let Some(category) = selector
            .effective_categories()
            .into_iter()
            .find(|category| *category != SourceEventCategory::Management)
        {
            return Err(invalid(format!(
                "EventCategories `{}` of `{}` is not available for event data stores; event \
                 data stores support Insights on Management events only",
                category.as_str(),
                selector.insight_type.as_str()
            )));
        }
    }
    Ok(())
}

/// Checks that `advanced_event_selectors` (those of the source store `store_arn`) log the
/// management events each Insights type needs: write ones for `ApiCallRateInsight`, read
/// or write ones for `ApiErrorRateInsight`.
///
/// # Errors
///
/// `InvalidInsightSelectors` naming the first type whose prerequisite is not met.
pub(crate) fn check_store_prerequisites(
    selectors: &[InsightSelector],
    advanced_event_selectors: &[AdvancedEventSelector],
    store_arn: &str,
) -> Result<()> {
    for selector in selectors {
        let (write_needed, needed) = match selector.insight_type {
            InsightType::ApiCallRateInsight => (true, "write management events"),
            InsightType::ApiErrorRateInsight => (false, "read or write management events"),
        };
        if !advanced_selectors_log_management_events(advanced_event_selectors, write_needed) {
            return Err(invalid(format!(
                "`{}` needs a source event data store that logs {needed}, and the advanced \
                 event selectors of `{store_arn}` do not select them",
                selector.insight_type.as_str()
            )));
        }
    }
    Ok(())
}

/// Finds the source and destination stores of a PutInsightSelectors call and checks
/// them: the source writable from the caller's region, neither pending deletion, the
/// source of CloudTrail events meeting the prerequisites of `selectors`, the destination
/// of kind `Insight`. Returns the source's index and the destination's ARN.
fn resolve_insight_stores(
    state: &State,
    caller: &Caller,
    source: &str,
    destination: &str,
    selectors: &[InsightSelector],
) -> Result<(usize, String)> {
    let source_index = find_store_for_write(&state.stores, caller, source)?;
    let source_store = &state.stores[source_index];
    check_active(source_store)?;
    // `find_store` only sees stores of the caller's account: the destination belongs to
    // the same account as the source, as AWS requires.
    let destination_index = find_store(&state.stores, caller, destination)?;
    let destination_store = &state.stores[destination_index];
    check_active(destination_store)?;
    if source_store.kind != StoreKind::CloudTrailEvents {
        return Err(invalid(format!(
            "event data store `{}` holds {} events; the source of Insights must be an event \
             data store that logs management events",
            source_store.arn,
            kind_name(source_store.kind)
        )));
    }
    if destination_store.kind != StoreKind::Insight {
        return Err(invalid(format!(
            "InsightsDestination `{}` holds {} events; the destination must be an event data \
             store of kind Insight (its advanced event selectors select eventCategory \
             Insight)",
            destination_store.arn,
            kind_name(destination_store.kind)
        )));
    }
    check_store_prerequisites(
        selectors,
        &source_store.advanced_event_selectors,
        &source_store.arn,
    )?;
    Ok((source_index, destination_store.arn.clone()))
}

fn kind_name(kind: StoreKind) -> &'static str {
    match kind {
        StoreKind::CloudTrailEvents => "CloudTrail",
        StoreKind::Insight => "Insight",
        StoreKind::ActivityAuditLog => "ActivityAuditLog",
    }
}

impl Lake {
    /// PutInsightSelectors on an event data store: replaces the Insights selectors of
    /// the source store `EventDataStore` and points them at the destination store
    /// `InsightsDestination` (an empty list turns Insights off). Returns the source's
    /// ARN, the destination's ARN and the selectors as stored.
    ///
    /// # Errors
    ///
    /// In this order: `InvalidParameterCombination` (one of the two stores missing),
    /// `InvalidInsightSelectors` (a bad or repeated type or category, or a category
    /// other than `Management`), the store lookup errors (`EventDataStoreArnInvalid`,
    /// `EventDataStoreNotFound`; `InvalidHomeRegion` for the source),
    /// `InactiveEventDataStore` (either store pending deletion),
    /// `InvalidInsightSelectors` (the source not a store of CloudTrail events, the
    /// destination not of kind `Insight`, or the source not logging the management
    /// events a type needs), storage errors.
    pub fn put_insight_selectors(
        &self,
        caller: &Caller,
        input: PutInsightSelectorsInput,
    ) -> Result<EventDataStoreInsightSelectors> {
        let (source, destination) = insight_stores(
            input.event_data_store.as_deref(),
            input.insights_destination.as_deref(),
        )?;
        let selectors =
            parse_insight_selectors(input.insight_selectors).map_err(Error::Selectors)?;
        check_management_only(&selectors)?;
        let now = self.now();
        self.mutate(true, |state| {
            let (index, destination_arn) =
                resolve_insight_stores(state, caller, source, destination, &selectors)?;
            let store = &mut state.stores[index];
            store.insights = if selectors.is_empty() {
                None
            } else {
                let enabled_at = store
                    .insights
                    .as_ref()
                    .map_or(now, |current| current.enabled_at);
                Some(InsightsConfiguration {
                    insight_selectors: selectors.clone(),
                    insights_destination: destination_arn.clone(),
                    enabled_at,
                })
            };
            Ok(EventDataStoreInsightSelectors {
                event_data_store_arn: store.arn.clone(),
                insights_destination: destination_arn,
                insight_selectors: selectors,
            })
        })
    }

    /// GetInsightSelectors on an event data store: its Insights selectors and
    /// destination, whatever the status of either store (a destination deleted since is
    /// still named).
    ///
    /// # Errors
    ///
    /// `EventDataStoreArnInvalid`, `EventDataStoreNotFound`, `InsightNotEnabled` (the
    /// store has no Insights selectors).
    pub fn get_insight_selectors(
        &self,
        caller: &Caller,
        event_data_store: &str,
    ) -> Result<EventDataStoreInsightSelectors> {
        let state = self.read();
        let index = find_store(&state.stores, caller, event_data_store)?;
        let store = &state.stores[index];
        let Some(insights) = &store.insights else {
            // The trail form of AWS's text, for a store.
            return Err(Error::rejected(
                ErrorKind::InsightNotEnabled,
                format!(
                    "Event data store {} does not have Insights enabled. Edit the event data \
                     store settings to enable Insights, and then try the operation again.",
                    store.arn
                ),
            ));
        };
        Ok(EventDataStoreInsightSelectors {
            event_data_store_arn: store.arn.clone(),
            insights_destination: insights.insights_destination.clone(),
            insight_selectors: insights.insight_selectors.clone(),
        })
    }

    /// Every source store with Insights on whose events are analyzed now, for the
    /// Insights analyzer: the source is `ENABLED` (ingesting) and its destination exists
    /// and is `ENABLED` too (not pending deletion, not purged). Stores of every account,
    /// in creation order. Changes are announced on [`Lake::subscribe`] like every other
    /// change of a store.
    pub fn insights_configs(&self) -> Vec<StoreInsights> {
        let state = self.read();
        let mut configs = Vec::new();
        for source in &state.stores {
            let Some(insights) = &source.insights else {
                continue;
            };
            if source.status != EventDataStoreStatus::Enabled {
                continue;
            }
            let destination = state.stores.iter().find(|store| {
                store.arn == insights.insights_destination
                    && store.account_id == source.account_id
                    && store.kind == StoreKind::Insight
            });
            let Some(destination) = destination else {
                continue;
            };
            if destination.status != EventDataStoreStatus::Enabled {
                continue;
            }
            configs.push(StoreInsights {
                source_store_arn: source.arn.clone(),
                source_store_id: source.id.clone(),
                account_id: source.account_id.clone(),
                home_region: source.home_region.clone(),
                multi_region: source.multi_region_enabled,
                destination_store_id: destination.id.clone(),
                destination_store_arn: destination.arn.clone(),
                insight_types: insights
                    .insight_selectors
                    .iter()
                    .map(|selector| selector.insight_type)
                    .collect(),
                enabled_at: insights.enabled_at,
            });
        }
        configs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_selectors::AdvancedFieldSelector;

    fn selector(insight_type: InsightType) -> InsightSelector {
        InsightSelector {
            insight_type,
            event_categories: None,
        }
    }

    fn condition(field: &str, value: &str) -> AdvancedFieldSelector {
        AdvancedFieldSelector {
            field: field.to_owned(),
            equals: Some(vec![value.to_owned()]),
            ..AdvancedFieldSelector::default()
        }
    }

    #[test]
    fn one_of_the_two_stores_is_a_bad_combination() {
        assert_eq!(insight_stores(Some("a"), Some("b")).unwrap(), ("a", "b"));
        for (source, destination) in [(Some("a"), None), (None, Some("b")), (None, None)] {
            assert_eq!(
                insight_stores(source, destination).unwrap_err().kind(),
                ErrorKind::InvalidParameterCombination
            );
        }
    }

    #[test]
    fn only_management_categories_are_allowed() {
        let mut data = selector(InsightType::ApiErrorRateInsight);
        data.event_categories = Some(vec![
            SourceEventCategory::Management,
            SourceEventCategory::Data,
        ]);
        let error =
            check_management_only(&[selector(InsightType::ApiCallRateInsight), data]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInsightSelectors);
        assert!(error.message().contains("`Data` of `ApiErrorRateInsight`"));
        let mut management = selector(InsightType::ApiCallRateInsight);
        management.event_categories = Some(vec![SourceEventCategory::Management]);
        check_management_only(&[management]).unwrap();
    }

    #[test]
    fn read_only_stores_allow_error_rate_only() {
        let read_only = vec![AdvancedEventSelector {
            name: None,
            field_selectors: vec![
                condition("eventCategory", "Management"),
                condition("readOnly", "true"),
            ],
        }];
        check_store_prerequisites(
            &[selector(InsightType::ApiErrorRateInsight)],
            &read_only,
            "arn",
        )
        .unwrap();
        let error = check_store_prerequisites(
            &[selector(InsightType::ApiCallRateInsight)],
            &read_only,
            "arn",
        )
        .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInsightSelectors);
        assert!(error.message().contains("write management events"));
    }
}
