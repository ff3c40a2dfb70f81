//! Insights selectors: checking `PutInsightSelectors` input and its prerequisites against
//! the trail's event selectors (`spec/trails-and-integrity.md` §4.3).

use opentrail_selectors::{
    AdvancedEventSelector, AdvancedFieldSelector, ReadWriteType, SelectorConfig,
};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{InsightSelector, InsightSelectorInput, InsightType, SourceEventCategory};

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
    let mut checked: Vec<InsightSelector> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let insight_type = match input.insight_type.as_deref() {
            Some("ApiCallRateInsight") => InsightType::ApiCallRateInsight,
            Some("ApiErrorRateInsight") => InsightType::ApiErrorRateInsight,
            Some(other) => {
                return Err(invalid(format!(
                    "InsightType `{other}` is not valid; valid values are ApiCallRateInsight and \
                     ApiErrorRateInsight"
                )));
            }
            None => {
                return Err(invalid(
                    "an insight selector has no InsightType; valid values are \
                     ApiCallRateInsight and ApiErrorRateInsight",
                ));
            }
        };
        if checked
            .iter()
            .any(|selector| selector.insight_type == insight_type)
        {
            return Err(invalid(format!(
                "InsightType `{}` is given more than once",
                insight_type.as_str()
            )));
        }
        let event_categories = match input.event_categories {
            None => None,
            Some(names) => Some(parse_categories(&names)?),
        };
        let selector = InsightSelector {
            insight_type,
            event_categories,
        };
        check_prerequisites(&selector, selectors)?;
        checked.push(selector);
    }
    Ok(checked)
}

fn parse_categories(names: &[String]) -> Result<Vec<SourceEventCategory>> {
    if names.is_empty() {
        return Err(invalid(
            "EventCategories is empty; give Management, Data or both, or leave it out for \
             Management",
        ));
    }
    let mut categories = Vec::with_capacity(names.len());
    for name in names {
        let category = match name.as_str() {
            "Management" => SourceEventCategory::Management,
            "Data" => SourceEventCategory::Data,
            other => {
                return Err(invalid(format!(
                    "event category `{other}` is not valid; valid values are Management and Data"
                )));
            }
        };
        if categories.contains(&category) {
            return Err(invalid(format!(
                "event category `{}` is given more than once",
                category.as_str()
            )));
        }
        categories.push(category);
    }
    Ok(categories)
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
        SelectorConfig::Advanced(advanced) => advanced.iter().any(|selector| {
            category_is(selector, "Management") && (!write_needed || may_select_writes(selector))
        }),
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
        SelectorConfig::Advanced(advanced) => advanced
            .iter()
            .any(|selector| category_is(selector, "Data")),
    }
}

fn field<'a>(selector: &'a AdvancedEventSelector, name: &str) -> Option<&'a AdvancedFieldSelector> {
    selector
        .field_selectors
        .iter()
        .find(|field_selector| field_selector.field == name)
}

fn category_is(selector: &AdvancedEventSelector, category: &str) -> bool {
    field(selector, "eventCategory")
        .and_then(|field_selector| field_selector.equals.as_ref())
        .is_some_and(|values| values.iter().any(|value| value == category))
}

/// A selector without a `readOnly` condition, or one that lets `readOnly = false`
/// through, selects write events.
fn may_select_writes(selector: &AdvancedEventSelector) -> bool {
    let Some(read_only) = field(selector, "readOnly") else {
        return true;
    };
    let equals_ok = read_only
        .equals
        .as_ref()
        .is_none_or(|values| values.iter().any(|value| value == "false"));
    let not_equals_ok = read_only
        .not_equals
        .as_ref()
        .is_none_or(|values| values.iter().all(|value| value != "false"));
    equals_ok && not_equals_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_selectors::EventSelector;

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
