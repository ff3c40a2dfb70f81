//! Validation of advanced event selectors for trails (§5.2, limits of §4.2).

use opentrail_event::EventCategory;

use crate::arn::is_exact_resource_arn;
use crate::basic::EXCLUDABLE_MANAGEMENT_SOURCES;
use crate::error::{Error, Result};
use crate::field::{Field, Operator, operator_lists};
use crate::model::{AdvancedEventSelector, AdvancedFieldSelector};
use crate::sources::NetworkSources;

/// Values across every operator list of every advanced selector of a trail (§4.2).
pub(crate) const MAX_ADVANCED_VALUES: usize = 500;
/// Characters of an advanced selector's `Name` (§4.2).
pub(crate) const MAX_NAME_CHARS: usize = 1000;
/// Characters of a `Field` (§4.2).
pub(crate) const MAX_FIELD_CHARS: usize = 1000;
/// Characters of one operator value (§4.2).
pub(crate) const MAX_VALUE_CHARS: usize = 2048;
/// The `eventCategory` values a trail's advanced selectors may name (§5.2).
const TRAIL_CATEGORIES: [EventCategory; 3] = [
    EventCategory::Management,
    EventCategory::Data,
    EventCategory::NetworkActivity,
];
/// The only `errorCode` a network activity selector may name (the "access denied" template).
const VPCE_ACCESS_DENIED: &str = "VpceAccessDenied";

/// Which operators a field accepts, for one event category on a trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OperatorRule {
    /// Every operator.
    Any,
    /// `Equals` only.
    EqualsOnly,
    /// `Equals` and `NotEquals`.
    EqualsOrNotEquals,
    /// `NotEquals` only (management `eventSource`).
    NotEqualsOnly,
}

impl OperatorRule {
    pub(crate) fn allows(self, operator: Operator) -> bool {
        match self {
            OperatorRule::Any => true,
            OperatorRule::EqualsOnly => operator == Operator::Equals,
            OperatorRule::EqualsOrNotEquals => {
                matches!(operator, Operator::Equals | Operator::NotEquals)
            }
            OperatorRule::NotEqualsOnly => operator == Operator::NotEquals,
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            OperatorRule::Any => "any operator",
            OperatorRule::EqualsOnly => "only the Equals operator",
            OperatorRule::EqualsOrNotEquals => "only the Equals and NotEquals operators",
            OperatorRule::NotEqualsOnly => "only the NotEquals operator",
        }
    }
}

/// The field/operator table of §5.2 for trails: `None` when `field` is not allowed for
/// `category`.
pub(crate) fn trail_operator_rule(category: EventCategory, field: Field) -> Option<OperatorRule> {
    use OperatorRule::{Any, EqualsOnly, EqualsOrNotEquals, NotEqualsOnly};
    match (category, field) {
        (_, Field::EventCategory) => Some(EqualsOnly),
        (EventCategory::Management, Field::ReadOnly) => Some(EqualsOnly),
        (EventCategory::Management, Field::EventSource) => Some(NotEqualsOnly),
        (EventCategory::Data, Field::ReadOnly | Field::ResourcesType) => Some(EqualsOnly),
        (
            EventCategory::Data,
            Field::EventSource
            | Field::EventName
            | Field::EventType
            | Field::ResourcesArn
            | Field::UserIdentityArn,
        ) => Some(Any),
        (EventCategory::Data, Field::SessionCredentialFromConsole) => Some(EqualsOrNotEquals),
        (EventCategory::NetworkActivity, Field::EventSource | Field::ErrorCode) => Some(EqualsOnly),
        (
            EventCategory::NetworkActivity,
            Field::EventName | Field::UserIdentityArn | Field::VpcEndpointId,
        ) => Some(Any),
        _ => None,
    }
}

/// Fields the spec marks "Lake only" for a category: event data stores accept them there,
/// trails do not.
fn is_lake_only(category: EventCategory, field: Field) -> bool {
    category == EventCategory::Management
        && matches!(
            field,
            Field::EventName
                | Field::EventType
                | Field::SessionCredentialFromConsole
                | Field::UserIdentityArn
        )
}

fn trail_fields(category: EventCategory) -> String {
    let names: Vec<&str> = Field::ALL
        .into_iter()
        .filter(|field| trail_operator_rule(category, *field).is_some())
        .map(Field::as_str)
        .collect();
    names.join(", ")
}

/// Checks a trail's advanced selectors against every rule of §5.2 and §4.2.
pub(crate) fn validate_advanced_selectors(
    selectors: &[AdvancedEventSelector],
    sources: &NetworkSources,
) -> Result<()> {
    if selectors.is_empty() {
        return Err(Error::invalid(
            "Specify at least one advanced event selector for a trail.",
        ));
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
            "Specify up to {MAX_ADVANCED_VALUES} values for all conditions in all advanced event selectors for a trail. The request has {value_count}."
        )));
    }
    for selector in selectors {
        validate_selector_shape(selector)?;
        validate_selector_rules(selector, sources)?;
    }
    Ok(())
}

/// The limits of §4.2: name and field lengths, the field pattern, non-empty operator lists,
/// value lengths, and no field twice in one selector.
pub(crate) fn validate_selector_shape(selector: &AdvancedEventSelector) -> Result<()> {
    if let Some(name) = &selector.name {
        let name_chars = name.chars().count();
        if name_chars > MAX_NAME_CHARS {
            return Err(Error::invalid(format!(
                "The advanced event selector Name must be at most {MAX_NAME_CHARS} characters long. The request has {name_chars}."
            )));
        }
    }
    let mut seen_fields: Vec<&str> = Vec::with_capacity(selector.field_selectors.len());
    for field_selector in &selector.field_selectors {
        let field = field_selector.field.as_str();
        validate_field_name(field)?;
        if seen_fields.contains(&field) {
            return Err(Error::invalid(format!(
                "Field {field} appears more than once in an advanced event selector. Each field can be used only once per selector."
            )));
        }
        seen_fields.push(field);
        let mut has_operator = false;
        for (operator, values) in operator_lists(field_selector) {
            has_operator = true;
            if values.is_empty() {
                return Err(Error::invalid(format!(
                    "Operator {operator} of field {field} must have at least one value."
                )));
            }
            for value in values {
                let value_chars = value.chars().count();
                if !(1..=MAX_VALUE_CHARS).contains(&value_chars) {
                    return Err(Error::invalid(format!(
                        "Values of operator {operator} of field {field} must be between 1 and {MAX_VALUE_CHARS} characters long."
                    )));
                }
            }
        }
        if !has_operator {
            return Err(Error::invalid(format!(
                "Field {field} must have at least one operator: Equals, StartsWith, EndsWith, NotEquals, NotStartsWith or NotEndsWith."
            )));
        }
    }
    Ok(())
}

/// `Field` is 1–1000 characters matching `[\w|\d|\.|_]+`: word characters, `|` and `.`
/// (the pattern is a character class, so its `|` are literal).
fn validate_field_name(field: &str) -> Result<()> {
    let field_chars = field.chars().count();
    if !(1..=MAX_FIELD_CHARS).contains(&field_chars) {
        return Err(Error::invalid(format!(
            "Field must be between 1 and {MAX_FIELD_CHARS} characters long."
        )));
    }
    let pattern_ok = field
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'|'));
    if !pattern_ok {
        return Err(Error::invalid(format!(
            "Field {field} is invalid. Field names must match the pattern [\\w|\\d|\\.|_]+."
        )));
    }
    Ok(())
}

pub(crate) fn find_field(
    selector: &AdvancedEventSelector,
    field: Field,
) -> Option<&AdvancedFieldSelector> {
    selector
        .field_selectors
        .iter()
        .find(|field_selector| field_selector.field == field.as_str())
}

/// The single `Equals` value of `field_selector`, or an error naming `field`.
pub(crate) fn single_equals_value(
    field_selector: &AdvancedFieldSelector,
    field: Field,
) -> Result<&str> {
    match field_selector.equals.as_deref() {
        Some([value]) => Ok(value),
        _ => Err(Error::invalid(format!(
            "Field {field} must use the Equals operator with exactly one value."
        ))),
    }
}

/// The category rules of §5.2: the required fields, the fields and operators each category
/// allows on a trail, and the values some fields accept.
fn validate_selector_rules(
    selector: &AdvancedEventSelector,
    sources: &NetworkSources,
) -> Result<()> {
    let category = selector_category(selector)?;
    // Field names and operators first, so a misspelt `resources.type` is reported as
    // misspelt rather than as missing.
    let mut fields = Vec::with_capacity(selector.field_selectors.len());
    for field_selector in &selector.field_selectors {
        fields.push((trail_field(category, field_selector)?, field_selector));
    }
    let resource_type = validate_required_fields(category, selector)?;
    for (field, field_selector) in fields {
        for (operator, values) in operator_lists(field_selector) {
            for value in values {
                validate_field_value(category, field, operator, value, resource_type, sources)?;
            }
        }
    }
    Ok(())
}

/// The field of `field_selector`, if the trail table allows it and its operators for
/// `category`.
fn trail_field(category: EventCategory, field_selector: &AdvancedFieldSelector) -> Result<Field> {
    let Some(field) = Field::from_wire(&field_selector.field) else {
        return Err(Error::invalid(format!(
            "Invalid field {}. Valid fields for {category} events on trails are {}.",
            field_selector.field,
            trail_fields(category)
        )));
    };
    let Some(rule) = trail_operator_rule(category, field) else {
        let lake_note = if is_lake_only(category, field) {
            " (it is available on event data stores only)"
        } else {
            ""
        };
        return Err(Error::invalid(format!(
            "Field {field} is not supported for {category} events on trails{lake_note}. Valid fields for {category} events on trails are {}.",
            trail_fields(category)
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
    Ok(field)
}

/// The fields a category requires: `resources.type` for Data (returned, as `resources.ARN`
/// values are checked against it) and `eventSource` for NetworkActivity, each with exactly
/// one `Equals` value.
pub(crate) fn validate_required_fields(
    category: EventCategory,
    selector: &AdvancedEventSelector,
) -> Result<Option<&str>> {
    match category {
        EventCategory::Data => {
            let Some(type_selector) = find_field(selector, Field::ResourcesType) else {
                return Err(Error::invalid(
                    "Field resources.type is required for Data events.",
                ));
            };
            single_equals_value(type_selector, Field::ResourcesType).map(Some)
        }
        EventCategory::NetworkActivity => {
            let Some(source_selector) = find_field(selector, Field::EventSource) else {
                return Err(Error::invalid(
                    "Field eventSource is required for NetworkActivity events.",
                ));
            };
            single_equals_value(source_selector, Field::EventSource)?;
            Ok(None)
        }
        _ => Ok(None),
    }
}

/// The `eventCategory` of a selector: required, `Equals` only, one of the trail categories.
fn selector_category(selector: &AdvancedEventSelector) -> Result<EventCategory> {
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
    TRAIL_CATEGORIES
        .into_iter()
        .find(|category| category.as_str() == value)
        .ok_or_else(|| {
            Error::invalid(format!(
                "Invalid value for eventCategory: {value}. Valid values are Management, Data, NetworkActivity."
            ))
        })
}

pub(crate) fn validate_field_value(
    category: EventCategory,
    field: Field,
    operator: Operator,
    value: &str,
    resource_type: Option<&str>,
    sources: &NetworkSources,
) -> Result<()> {
    match (category, field) {
        (_, Field::ReadOnly) if value != "true" && value != "false" => Err(Error::invalid(
            format!("Invalid value for readOnly: {value}. Valid values are true, false."),
        )),
        (EventCategory::Management, Field::EventSource)
            if !EXCLUDABLE_MANAGEMENT_SOURCES.contains(&value) =>
        {
            Err(Error::invalid(format!(
                "Invalid value for eventSource: {value}. For Management events, eventSource can only be NotEquals {}.",
                EXCLUDABLE_MANAGEMENT_SOURCES.join(" or ")
            )))
        }
        (EventCategory::NetworkActivity, Field::EventSource) if !sources.contains(value) => {
            Err(Error::invalid(format!(
                "Invalid value for eventSource: {value}. The event source does not support network activity events."
            )))
        }
        (_, Field::ErrorCode) if value != VPCE_ACCESS_DENIED => Err(Error::invalid(format!(
            "Invalid value for errorCode: {value}. Valid values are {VPCE_ACCESS_DENIED}."
        ))),
        (_, Field::ResourcesType) if !is_resource_type_name(value) => Err(Error::invalid(format!(
            "Invalid value for resources.type: {value}. Resource types have the form AWS::Service::Resource."
        ))),
        (_, Field::ResourcesArn) if matches!(operator, Operator::Equals | Operator::NotEquals) => {
            let resource_type = resource_type.unwrap_or_default();
            if is_exact_resource_arn(resource_type, value) {
                Ok(())
            } else {
                Err(Error::invalid(format!(
                    "Invalid value for resources.ARN: {value}. The {operator} operator needs the exact ARN of a {resource_type} resource."
                )))
            }
        }
        _ => Ok(()),
    }
}

/// `<Word>::<Word>::<Word>` (`AWS::S3::Object`); the list of types grows with AWS, so only
/// the shape is checked **\[P\]**.
fn is_resource_type_name(value: &str) -> bool {
    let parts: Vec<&str> = value.split("::").collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_alphanumeric()))
}
