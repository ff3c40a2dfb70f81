//! Validation of the advanced event selectors of an event data store
//! (`spec/events-and-queries.md` §3.2): the trail rules of §5.2 where they are the same,
//! plus the fields only event data stores accept, the non-CloudTrail categories, the
//! limit of five selectors, and the rule that a store holds one kind of event.

use opentrail_event::EventCategory;

use crate::advanced::{
    MAX_ADVANCED_VALUES, OperatorRule, find_field, single_equals_value, trail_operator_rule,
    validate_field_value, validate_required_fields, validate_selector_shape,
};
use crate::error::{Error, Result};
use crate::field::{Field, Operator, operator_lists};
use crate::model::AdvancedEventSelector;
use crate::sources::NetworkSources;

/// Advanced event selectors an event data store may have.
pub const MAX_EVENT_DATA_STORE_SELECTORS: usize = 5;

/// The kind of event a store holds, decided by the `eventCategory` of its selectors. Every
/// selector of a store must name a category of the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventDataStoreKind {
    /// CloudTrail events: `Management`, `Data` and `NetworkActivity`, mixed freely.
    CloudTrailEvents,
    /// CloudTrail Insights events (`Insight`).
    Insight,
    /// AWS Config configuration items (`ConfigurationItem`).
    ConfigurationItem,
    /// Audit Manager evidence (`Evidence`).
    Evidence,
    /// Events from outside AWS, sent through channels (`ActivityAuditLog`).
    ActivityAuditLog,
}

impl EventDataStoreKind {
    /// The kind a selector's `eventCategory` belongs to; `None` for a category no store
    /// holds (none today; the category enum may grow).
    pub const fn of_category(category: EventCategory) -> Option<EventDataStoreKind> {
        match category {
            EventCategory::Management | EventCategory::Data | EventCategory::NetworkActivity => {
                Some(EventDataStoreKind::CloudTrailEvents)
            }
            EventCategory::Insight => Some(EventDataStoreKind::Insight),
            EventCategory::ConfigurationItem => Some(EventDataStoreKind::ConfigurationItem),
            EventCategory::Evidence => Some(EventDataStoreKind::Evidence),
            EventCategory::ActivityAuditLog => Some(EventDataStoreKind::ActivityAuditLog),
            _ => None,
        }
    }

    /// How messages name the kind.
    pub const fn describe(self) -> &'static str {
        match self {
            EventDataStoreKind::CloudTrailEvents => {
                "CloudTrail events (Management, Data, NetworkActivity)"
            }
            EventDataStoreKind::Insight => "Insight",
            EventDataStoreKind::ConfigurationItem => "ConfigurationItem",
            EventDataStoreKind::Evidence => "Evidence",
            EventDataStoreKind::ActivityAuditLog => "ActivityAuditLog",
        }
    }
}

/// The field/operator table of §3.2 for CloudTrail-event categories on event data stores:
/// the trail table, plus the fields marked "Lake only" for management events, and any
/// operator on a management `eventSource` (a trail only accepts `NotEquals` of two
/// sources there).
fn store_operator_rule(category: EventCategory, field: Field) -> Option<OperatorRule> {
    match (category, field) {
        (EventCategory::Management, Field::EventSource) => Some(OperatorRule::Any),
        (
            EventCategory::Management,
            Field::EventName | Field::EventType | Field::UserIdentityArn,
        ) => Some(OperatorRule::Any),
        (EventCategory::Management, Field::SessionCredentialFromConsole) => {
            Some(OperatorRule::EqualsOrNotEquals)
        }
        _ => trail_operator_rule(category, field),
    }
}

fn store_fields(category: EventCategory) -> String {
    let names: Vec<&str> = Field::ALL
        .into_iter()
        .filter(|field| store_operator_rule(category, *field).is_some())
        .map(Field::as_str)
        .collect();
    names.join(", ")
}

/// Checks the advanced event selectors of an event data store against every rule of §3.2
/// and returns the kind of store they describe.
///
/// The rules: 1 to [`MAX_EVENT_DATA_STORE_SELECTORS`] selectors, at most 500 values in
/// all; in each selector the shape limits trails have (name, field pattern, no field
/// twice, non-empty operator lists, value lengths); `eventCategory` required with exactly
/// one `Equals` value; for `Management`, `Data` and `NetworkActivity` the fields and
/// operators of the table (with the event-data-store-only fields), `resources.type`
/// required for data events and `eventSource` for network activity, and the value checks
/// trails have; for the other categories no field but `eventCategory`; every selector of
/// the same kind. `*` is a literal character, never a wildcard, as on trails.
/// Configuration items and evidence are classified here; refusing them is the caller's
/// decision.
///
/// # Errors
///
/// [`crate::ErrorKind::InvalidEventSelectors`], with a message naming the first rule
/// broken.
pub fn validate_for_event_data_store(
    selectors: &[AdvancedEventSelector],
    sources: &NetworkSources,
) -> Result<EventDataStoreKind> {
    if selectors.is_empty() {
        return Err(Error::invalid(
            "Specify at least one advanced event selector for an event data store.",
        ));
    }
    if selectors.len() > MAX_EVENT_DATA_STORE_SELECTORS {
        return Err(Error::invalid(format!(
            "An event data store can have up to {MAX_EVENT_DATA_STORE_SELECTORS} advanced event selectors. The request has {}.",
            selectors.len()
        )));
    }
    let mut value_count = 0;
    for selector in selectors {
        for field_selector in &selector.field_selectors {
            value_count += operator_lists(field_selector)
                .map(|(_, values)| values.len())
                .sum::<usize>();
        }
    }
    if value_count > MAX_ADVANCED_VALUES {
        return Err(Error::invalid(format!(
            "Specify up to {MAX_ADVANCED_VALUES} values for all conditions in all advanced event selectors for an event data store. The request has {value_count}."
        )));
    }
    let mut store_kind: Option<(EventDataStoreKind, EventCategory)> = None;
    for selector in selectors {
        validate_selector_shape(selector)?;
        let category = store_selector_category(selector)?;
        let Some(kind) = EventDataStoreKind::of_category(category) else {
            return Err(Error::invalid(format!(
                "Invalid value for eventCategory: {category}. Event data stores do not hold {category} events."
            )));
        };
        match store_kind {
            None => store_kind = Some((kind, category)),
            Some((first_kind, first_category)) if first_kind != kind => {
                return Err(Error::invalid(format!(
                    "An event data store holds one kind of event: eventCategory {first_category} cannot be combined with eventCategory {category} in the same event data store."
                )));
            }
            Some(_) => {}
        }
        if kind == EventDataStoreKind::CloudTrailEvents {
            validate_cloudtrail_selector(selector, category, sources)?;
        } else {
            validate_category_only_selector(selector, category)?;
        }
    }
    match store_kind {
        Some((kind, _)) => Ok(kind),
        // Unreachable: the list is not empty and every selector has a category.
        None => Err(Error::invalid(
            "Specify at least one advanced event selector for an event data store.",
        )),
    }
}

/// The `eventCategory` of a selector: required, `Equals` only, exactly one value, one of
/// the seven categories.
fn store_selector_category(selector: &AdvancedEventSelector) -> Result<EventCategory> {
    let Some(category_selector) = find_field(selector, Field::EventCategory) else {
        return Err(Error::invalid(
            "Field eventCategory is required in every advanced event selector.",
        ));
    };
    if let Some((operator, _)) =
        operator_lists(category_selector).find(|(operator, _)| *operator != Operator::Equals)
    {
        return Err(Error::invalid(format!(
            "Operator {operator} is not supported for field eventCategory. Field eventCategory supports only the Equals operator."
        )));
    }
    let value = single_equals_value(category_selector, Field::EventCategory)?;
    EventCategory::ALL
        .into_iter()
        .find(|category| category.as_str() == value)
        .ok_or_else(|| {
            Error::invalid(format!(
                "Invalid value for eventCategory: {value}. Valid values are Management, Data, NetworkActivity, Insight, ConfigurationItem, Evidence, ActivityAuditLog."
            ))
        })
}

/// A `Management`, `Data` or `NetworkActivity` selector of a store.
fn validate_cloudtrail_selector(
    selector: &AdvancedEventSelector,
    category: EventCategory,
    sources: &NetworkSources,
) -> Result<()> {
    let mut fields = Vec::with_capacity(selector.field_selectors.len());
    for field_selector in &selector.field_selectors {
        let Some(field) = Field::from_wire(&field_selector.field) else {
            return Err(Error::invalid(format!(
                "Invalid field {}. Valid fields for {category} events on event data stores are {}.",
                field_selector.field,
                store_fields(category)
            )));
        };
        let Some(rule) = store_operator_rule(category, field) else {
            return Err(Error::invalid(format!(
                "Field {field} is not supported for {category} events on event data stores. Valid fields for {category} events on event data stores are {}.",
                store_fields(category)
            )));
        };
        for (operator, _) in operator_lists(field_selector) {
            if !rule.allows(operator) {
                return Err(Error::invalid(format!(
                    "Operator {operator} is not supported for field {field} of {category} events. Field {field} supports {}.",
                    rule.describe()
                )));
            }
        }
        fields.push((field, field_selector));
    }
    let resource_type = validate_required_fields(category, selector)?;
    for (field, field_selector) in fields {
        // A management event source is free on a store; the trail check would limit it to
        // the two excludable sources.
        if category == EventCategory::Management && field == Field::EventSource {
            continue;
        }
        for (operator, values) in operator_lists(field_selector) {
            for value in values {
                validate_field_value(category, field, operator, value, resource_type, sources)?;
            }
        }
    }
    Ok(())
}

/// An `Insight`, `ConfigurationItem`, `Evidence` or `ActivityAuditLog` selector: nothing
/// but `eventCategory`.
fn validate_category_only_selector(
    selector: &AdvancedEventSelector,
    category: EventCategory,
) -> Result<()> {
    for field_selector in &selector.field_selectors {
        if field_selector.field != Field::EventCategory.as_str() {
            return Err(Error::invalid(format!(
                "Field {} is not supported for {category} events. For {category} event data stores the only supported field is eventCategory.",
                field_selector.field
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AdvancedFieldSelector;

    fn equals(field: &str, values: &[&str]) -> AdvancedFieldSelector {
        AdvancedFieldSelector {
            field: field.to_owned(),
            equals: Some(values.iter().map(|value| (*value).to_owned()).collect()),
            ..AdvancedFieldSelector::default()
        }
    }

    fn selector(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector {
            name: None,
            field_selectors: fields,
        }
    }

    #[test]
    fn categories_map_to_their_kind() {
        for category in EventCategory::ALL {
            let kind = validate_for_event_data_store(
                &[selector(vec![equals(
                    "eventCategory",
                    &[category.as_str()],
                )])],
                &NetworkSources::default(),
            );
            // Data needs a resource type and network activity an event source; the others
            // stand alone.
            if matches!(
                category,
                EventCategory::Data | EventCategory::NetworkActivity
            ) {
                assert!(kind.is_err());
            } else {
                assert_eq!(
                    Some(kind.unwrap()),
                    EventDataStoreKind::of_category(category)
                );
            }
        }
    }

    #[test]
    fn management_event_source_takes_any_operator_on_a_store() {
        let selectors = [selector(vec![
            equals("eventCategory", &["Management"]),
            AdvancedFieldSelector {
                field: String::from("eventSource"),
                starts_with: Some(vec![String::from("s3")]),
                ..AdvancedFieldSelector::default()
            },
        ])];
        assert_eq!(
            validate_for_event_data_store(&selectors, &NetworkSources::default()).unwrap(),
            EventDataStoreKind::CloudTrailEvents
        );
    }
}
