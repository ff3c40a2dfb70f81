//! Insights selectors of trails: the form of `PutInsightSelectors` input is checked by
//! `opentrail-selectors` ([`parse_insight_selectors`], shared with event data stores);
//! the prerequisites are checked here against the trail's basic or advanced event
//! selectors (`spec/trails-and-integrity.md` §4.3).

use opentrail_selectors::{
    InsightSelector, InsightSelectorInput, InsightType, ReadWriteType, SelectorConfig,
    SourceEventCategory, advanced_selectors_log_data_events,
    advanced_selectors_log_management_events, parse_insight_selectors,
};

use crate::error::{Error, ErrorKind, Result};

/// Checks `inputs` and the prerequisites of each selector against `selectors` (the
/// trail's event selectors).
///
/// # Errors
///
/// `InvalidInsightSelectors` for an unknown type or category, a repeated type, or a
/// prerequisite the trail's event selectors do not meet.
pub(crate) fn check_insight_selectors(
    inputs: Vec<InsightSelectorInput>,
    selectors: &SelectorConfig,
) -> Result<Vec<InsightSelector>> {
    let checked = parse_insight_selectors(inputs).map_err(Error::Selectors)?;
    for selector in &checked {
        check_prerequisites(selector, selectors)?;
    }
    Ok(checked)
}

fn check_prerequisites(selector: &InsightSelector, selectors: &SelectorConfig) -> Result<()> {
    for category in selector.effective_categories() {
        let (met, needed) = match (category, selector.insight_type) {
            (SourceEventCategory::Management, InsightType::ApiCallRateInsight) => (
                logs_management_events(selectors, true),
                "write management events",
            ),
            (SourceEventCategory::Management, InsightType::ApiErrorRateInsight) => (
                logs_management_events(selectors, false),
                "read or write management events",
            ),
            (SourceEventCategory::Data, _) => (logs_data_events(selectors), "data events"),
        };
        if !met {
            return Err(invalid(format!(
                "{} on {} events needs a trail that logs {needed}; change the trail's event \
                 selectors first",
                selector.insight_type.as_str(),
                category.as_str().to_lowercase()
            )));
        }
    }
    Ok(())
}

fn invalid(message: impl Into<String>) -> Error {
    Error::rejected(ErrorKind::InvalidInsightSelectors, message)
}

/// Whether `selectors` log management events: write ones when `write_needed`, else
/// read or write ones.
pub(crate) fn logs_management_events(selectors: &SelectorConfig, write_needed: bool) -> bool {
    match selectors {
        SelectorConfig::Basic(basic) => basic.iter().any(|selector| {
            let included = selector.include_management_events.unwrap_or(true);
            let read_write = selector.read_write_type.unwrap_or_default();
            included && (!write_needed || read_write != ReadWriteType::ReadOnly)
        }),
        SelectorConfig::Advanced(advanced) => {
            advanced_selectors_log_management_events(advanced, write_needed)
        }
    }
}

/// Whether `selectors` log data events.
pub(crate) fn logs_data_events(selectors: &SelectorConfig) -> bool {
    match selectors {
        SelectorConfig::Basic(basic) => basic.iter().any(|selector| {
            selector.data_resources.as_ref().is_some_and(|resources| {
                resources.iter().any(|resource| {
                    resource
                        .values
                        .as_ref()
                        .is_some_and(|values| !values.is_empty())
                })
            })
        }),
        SelectorConfig::Advanced(advanced) => advanced_selectors_log_data_events(advanced),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_selectors::{AdvancedEventSelector, AdvancedFieldSelector, EventSelector};

    fn basic(read_write: ReadWriteType, management: bool) -> SelectorConfig {
        SelectorConfig::Basic(vec![EventSelector {
            read_write_type: Some(read_write),
            include_management_events: Some(management),
            data_resources: Some(Vec::new()),
            exclude_management_event_sources: None,
        }])
    }

    #[test]
    fn management_prerequisites_follow_read_write_type() {
        assert!(logs_management_events(
            &basic(ReadWriteType::All, true),
            true
        ));
        assert!(logs_management_events(
            &basic(ReadWriteType::WriteOnly, true),
            true
        ));
        assert!(!logs_management_events(
            &basic(ReadWriteType::ReadOnly, true),
            true
        ));
        assert!(logs_management_events(
            &basic(ReadWriteType::ReadOnly, true),
            false
        ));
        assert!(!logs_management_events(
            &basic(ReadWriteType::All, false),
            false
        ));
        assert!(!logs_data_events(&basic(ReadWriteType::All, true)));
    }

    #[test]
    fn advanced_read_only_conditions_decide_about_writes() {
        let selector = |read_only: Option<&str>| {
            let mut fields = vec![AdvancedFieldSelector {
                field: String::from("eventCategory"),
                equals: Some(vec![String::from("Management")]),
                ..AdvancedFieldSelector::default()
            }];
            if let Some(value) = read_only {
                fields.push(AdvancedFieldSelector {
                    field: String::from("readOnly"),
                    equals: Some(vec![value.to_owned()]),
                    ..AdvancedFieldSelector::default()
                });
            }
            SelectorConfig::Advanced(vec![AdvancedEventSelector {
                name: None,
                field_selectors: fields,
            }])
        };
        assert!(logs_management_events(&selector(None), true));
        assert!(logs_management_events(&selector(Some("false")), true));
        assert!(!logs_management_events(&selector(Some("true")), true));
        assert!(logs_management_events(&selector(Some("true")), false));
    }
}
