//! Validation and normalisation of basic event selectors (§5.1, limits of §4.2).

use crate::arn::{DYNAMODB_TABLE, LAMBDA_FUNCTION, S3_OBJECT, is_basic_data_resource_value};
use crate::error::{Error, Result};
use crate::model::{DataResource, EventSelector, ReadWriteType};

/// Basic selectors a trail may hold (§4.2).
pub(crate) const MAX_BASIC_SELECTORS: usize = 5;
/// `DataResources.Values` across all basic selectors of a trail (§4.2).
pub(crate) const MAX_DATA_RESOURCE_VALUES: usize = 250;
/// The only `DataResources.Type` values basic selectors accept (§5.1).
pub(crate) const BASIC_DATA_RESOURCE_TYPES: [&str; 3] =
    [S3_OBJECT, LAMBDA_FUNCTION, DYNAMODB_TABLE];
/// The only event sources `ExcludeManagementEventSources` accepts (§5.1).
pub(crate) const EXCLUDABLE_MANAGEMENT_SOURCES: [&str; 2] =
    ["kms.amazonaws.com", "rdsdata.amazonaws.com"];

/// Checks basic selectors for a trail and fills in the defaults of absent members
/// (`ReadWriteType` `All`, `IncludeManagementEvents` true, empty `DataResources` and
/// `ExcludeManagementEventSources`), giving the form GetEventSelectors returns.
pub(crate) fn validate_basic_selectors(
    selectors: Vec<EventSelector>,
) -> Result<Vec<EventSelector>> {
    if selectors.is_empty() || selectors.len() > MAX_BASIC_SELECTORS {
        return Err(Error::invalid(format!(
            "Specify a valid number of event selectors (1 to {MAX_BASIC_SELECTORS}) for a trail. The request has {}.",
            selectors.len()
        )));
    }
    let mut value_count = 0;
    let mut normalized = Vec::with_capacity(selectors.len());
    for selector in selectors {
        let selector = normalize_basic_selector(selector)?;
        for data_resource in selector.data_resources.iter().flatten() {
            value_count += data_resource.values.as_ref().map_or(0, Vec::len);
        }
        normalized.push(selector);
    }
    if value_count > MAX_DATA_RESOURCE_VALUES {
        return Err(Error::invalid(format!(
            "Specify a valid number of DataResources.Values (0 to {MAX_DATA_RESOURCE_VALUES}) for all your selectors. The request has {value_count}."
        )));
    }
    Ok(normalized)
}

fn normalize_basic_selector(selector: EventSelector) -> Result<EventSelector> {
    let include_management_events = selector.include_management_events.unwrap_or(true);
    let excluded_sources = selector
        .exclude_management_event_sources
        .unwrap_or_default();
    for source in &excluded_sources {
        if !EXCLUDABLE_MANAGEMENT_SOURCES.contains(&source.as_str()) {
            return Err(Error::invalid(format!(
                "Value {source} for ExcludeManagementEventSources is invalid. Valid values are {}.",
                EXCLUDABLE_MANAGEMENT_SOURCES.join(", ")
            )));
        }
    }
    let data_resources = selector.data_resources.unwrap_or_default();
    for data_resource in &data_resources {
        validate_data_resource(data_resource)?;
    }
    // AWS refuses a selector that selects nothing (seen in the wild and in the
    // CloudFormation user guide, awsdocs/aws-cloudformation-user-guide#752).
    if !include_management_events && data_resources.is_empty() {
        return Err(Error::invalid(
            "Invalid combination of parameters in EventSelectors. When includeManagementEvents is false, DataResources must not be empty.",
        ));
    }
    Ok(EventSelector {
        read_write_type: Some(selector.read_write_type.unwrap_or(ReadWriteType::All)),
        include_management_events: Some(include_management_events),
        data_resources: Some(data_resources),
        exclude_management_event_sources: Some(excluded_sources),
    })
}

fn validate_data_resource(data_resource: &DataResource) -> Result<()> {
    let Some(resource_type) = data_resource.resource_type.as_deref() else {
        return Err(Error::invalid(format!(
            "DataResources.Type is required. Valid values are {}.",
            BASIC_DATA_RESOURCE_TYPES.join(", ")
        )));
    };
    if !BASIC_DATA_RESOURCE_TYPES.contains(&resource_type) {
        return Err(Error::invalid(format!(
            "Value {resource_type} for DataResources.Type is invalid. Valid values are {}. Use advanced event selectors for other resource types.",
            BASIC_DATA_RESOURCE_TYPES.join(", ")
        )));
    }
    let values = data_resource.values.as_deref().unwrap_or_default();
    if values.is_empty() {
        return Err(Error::invalid(format!(
            "DataResources.Values for type {resource_type} must contain at least one value."
        )));
    }
    for value in values {
        if !is_basic_data_resource_value(resource_type, value) {
            // The first sentence is AWS's own text (seen in aws-cdk#3450 and
            // aws-security-reference-architecture-examples#335); the second says why.
            return Err(Error::invalid(format!(
                "Value {value} for DataResources.Values is invalid. {}",
                data_resource_value_hint(resource_type)
            )));
        }
    }
    Ok(())
}

fn data_resource_value_hint(resource_type: &str) -> &'static str {
    match resource_type {
        S3_OBJECT => {
            "For AWS::S3::Object use arn:aws:s3 for all buckets, arn:aws:s3:::bucket/ for a whole bucket (with the trailing slash) or arn:aws:s3:::bucket/prefix."
        }
        LAMBDA_FUNCTION => {
            "For AWS::Lambda::Function use arn:aws:lambda for all functions or an exact function ARN."
        }
        _ => "For AWS::DynamoDB::Table use arn:aws:dynamodb for all tables or an exact table ARN.",
    }
}
