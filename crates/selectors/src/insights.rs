//! Insights selectors (`spec/events-and-queries.md` §4.6), shared by trails and event
//! data stores: the Insights types and source categories, the checked
//! [`InsightSelector`], the parsing of a `PutInsightSelectors` list
//! ([`parse_insight_selectors`]) and the questions the prerequisite checks ask of
//! advanced event selectors. The prerequisites themselves differ between trails (basic or
//! advanced selectors, management or data events) and event data stores (advanced
//! selectors, management events only), so each registry checks its own.
//!
//! ```
//! use opentrail_selectors::{InsightSelectorInput, InsightType, parse_insight_selectors};
//!
//! let input = InsightSelectorInput {
//!     insight_type: Some("ApiCallRateInsight".to_owned()),
//!     event_categories: None,
//! };
//! let checked = parse_insight_selectors(vec![input])?;
//! assert_eq!(checked[0].insight_type, InsightType::ApiCallRateInsight);
//! # Ok::<(), opentrail_selectors::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{AdvancedEventSelector, AdvancedFieldSelector};

/// `InsightType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InsightType {
    /// Unusual call volume.
    ApiCallRateInsight,
    /// Unusual error volume.
    ApiErrorRateInsight,
}

impl InsightType {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            InsightType::ApiCallRateInsight => "ApiCallRateInsight",
            InsightType::ApiErrorRateInsight => "ApiErrorRateInsight",
        }
    }

    /// Parses the wire name.
    pub fn from_wire(text: &str) -> Option<InsightType> {
        [
            InsightType::ApiCallRateInsight,
            InsightType::ApiErrorRateInsight,
        ]
        .into_iter()
        .find(|insight_type| insight_type.as_str() == text)
    }
}

/// `SourceEventCategory`: which events an Insights type analyzes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SourceEventCategory {
    /// Management events.
    Management,
    /// Data events (trails only).
    Data,
}

impl SourceEventCategory {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            SourceEventCategory::Management => "Management",
            SourceEventCategory::Data => "Data",
        }
    }

    /// Parses the wire name.
    pub fn from_wire(text: &str) -> Option<SourceEventCategory> {
        [SourceEventCategory::Management, SourceEventCategory::Data]
            .into_iter()
            .find(|category| category.as_str() == text)
    }
}

/// One Insights selector, checked: a known type, and known categories, none repeated.
///
/// Persisted by the trail and Lake registries as
/// `{"insight_type": "ApiCallRateInsight", "event_categories": ["Management"] | null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightSelector {
    /// The Insights type.
    pub insight_type: InsightType,
    /// The categories as given (never empty); `None` means management events (AWS's
    /// default), and is echoed back as absent.
    pub event_categories: Option<Vec<SourceEventCategory>>,
}

impl InsightSelector {
    /// The categories in force.
    pub fn effective_categories(&self) -> Vec<SourceEventCategory> {
        self.event_categories
            .clone()
            .unwrap_or_else(|| vec![SourceEventCategory::Management])
    }
}

/// One `InsightSelectors[]` element as received, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InsightSelectorInput {
    /// `InsightType`.
    pub insight_type: Option<String>,
    /// `EventCategories`.
    pub event_categories: Option<Vec<String>>,
}

/// Checks the form of a `PutInsightSelectors` list: every type known and given once,
/// every category list non-empty, known and without repeats. The prerequisites (what the
/// trail or store must log) are left to the caller.
///
/// # Errors
///
/// [`ErrorKind::InvalidInsightSelectors`](crate::ErrorKind::InvalidInsightSelectors),
/// with a message naming the bad value.
pub fn parse_insight_selectors(inputs: Vec<InsightSelectorInput>) -> Result<Vec<InsightSelector>> {
    let mut checked: Vec<InsightSelector> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let insight_type = match input.insight_type.as_deref() {
            Some(text) => InsightType::from_wire(text).ok_or_else(|| {
                Error::invalid_insights(format!(
                    "InsightType `{text}` is not valid; valid values are ApiCallRateInsight and \
                     ApiErrorRateInsight"
                ))
            })?,
            None => {
                return Err(Error::invalid_insights(
                    "an insight selector has no InsightType; valid values are \
                     ApiCallRateInsight and ApiErrorRateInsight",
                ));
            }
        };
        if checked
            .iter()
            .any(|selector| selector.insight_type == insight_type)
        {
            return Err(Error::invalid_insights(format!(
                "InsightType `{}` is given more than once",
                insight_type.as_str()
            )));
        }
        let event_categories = match input.event_categories {
            None => None,
            Some(names) => Some(parse_categories(&names)?),
        };
        checked.push(InsightSelector {
            insight_type,
            event_categories,
        });
    }
    Ok(checked)
}

fn parse_categories(names: &[String]) -> Result<Vec<SourceEventCategory>> {
    if names.is_empty() {
        return Err(Error::invalid_insights(
            "EventCategories is empty; give Management, Data or both, or leave it out for \
             Management",
        ));
    }
    let mut categories = Vec::with_capacity(names.len());
    for name in names {
        let Some(category) = SourceEventCategory::from_wire(name) else {
            return Err(Error::invalid_insights(format!(
                "event category `{name}` is not valid; valid values are Management and Data"
            )));
        };
        if categories.contains(&category) {
            return Err(Error::invalid_insights(format!(
                "event category `{}` is given more than once",
                category.as_str()
            )));
        }
        categories.push(category);
    }
    Ok(categories)
}

/// Whether advanced event selectors log management events: write ones when
/// `write_needed` (the prerequisite of `ApiCallRateInsight`), else read or write ones
/// (that of `ApiErrorRateInsight`).
pub fn advanced_selectors_log_management_events(
    selectors: &[AdvancedEventSelector],
    write_needed: bool,
) -> bool {
    selectors.iter().any(|selector| {
        selects_category(selector, "Management") && (!write_needed || may_select_writes(selector))
    })
}

/// Whether advanced event selectors log data events.
pub fn advanced_selectors_log_data_events(selectors: &[AdvancedEventSelector]) -> bool {
    selectors
        .iter()
        .any(|selector| selects_category(selector, "Data"))
}

fn field<'a>(selector: &'a AdvancedEventSelector, name: &str) -> Option<&'a AdvancedFieldSelector> {
    selector
        .field_selectors
        .iter()
        .find(|field_selector| field_selector.field == name)
}

fn selects_category(selector: &AdvancedEventSelector, category: &str) -> bool {
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
    use crate::ErrorKind;

    fn input(insight_type: Option<&str>, categories: Option<&[&str]>) -> InsightSelectorInput {
        InsightSelectorInput {
            insight_type: insight_type.map(str::to_owned),
            event_categories: categories
                .map(|names| names.iter().map(|name| (*name).to_owned()).collect()),
        }
    }

    fn management(read_only: Option<&str>) -> Vec<AdvancedEventSelector> {
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
        vec![AdvancedEventSelector {
            name: None,
            field_selectors: fields,
        }]
    }

    #[test]
    fn parse_insight_selectors_keeps_the_categories_as_given() {
        let checked = parse_insight_selectors(vec![
            input(Some("ApiCallRateInsight"), None),
            input(Some("ApiErrorRateInsight"), Some(&["Data", "Management"])),
        ])
        .unwrap();
        assert_eq!(checked[0].event_categories, None);
        assert_eq!(
            checked[0].effective_categories(),
            vec![SourceEventCategory::Management]
        );
        assert_eq!(
            checked[1].event_categories,
            Some(vec![
                SourceEventCategory::Data,
                SourceEventCategory::Management
            ])
        );
        assert_eq!(parse_insight_selectors(Vec::new()).unwrap(), Vec::new());
    }

    #[test]
    fn parse_insight_selectors_rejects_bad_types_and_categories() {
        for (inputs, names) in [
            (vec![input(None, None)], "no InsightType"),
            (vec![input(Some("ApiRate"), None)], "`ApiRate`"),
            (
                vec![
                    input(Some("ApiCallRateInsight"), None),
                    input(Some("ApiCallRateInsight"), Some(&["Management"])),
                ],
                "`ApiCallRateInsight` is given more than once",
            ),
            (
                vec![input(Some("ApiCallRateInsight"), Some(&[]))],
                "EventCategories is empty",
            ),
            (
                vec![input(Some("ApiCallRateInsight"), Some(&["Network"]))],
                "`Network`",
            ),
            (
                vec![input(Some("ApiCallRateInsight"), Some(&["Data", "Data"]))],
                "`Data` is given more than once",
            ),
        ] {
            let error = parse_insight_selectors(inputs).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInsightSelectors);
            assert!(error.to_string().contains(names), "{error}");
        }
    }

    #[test]
    fn read_only_conditions_decide_about_writes() {
        assert!(advanced_selectors_log_management_events(
            &management(None),
            true
        ));
        assert!(advanced_selectors_log_management_events(
            &management(Some("false")),
            true
        ));
        assert!(!advanced_selectors_log_management_events(
            &management(Some("true")),
            true
        ));
        assert!(advanced_selectors_log_management_events(
            &management(Some("true")),
            false
        ));
        assert!(!advanced_selectors_log_management_events(&[], false));
        assert!(!advanced_selectors_log_data_events(&management(None)));
    }

    #[test]
    fn wire_names_round_trip() {
        for insight_type in [
            InsightType::ApiCallRateInsight,
            InsightType::ApiErrorRateInsight,
        ] {
            assert_eq!(
                InsightType::from_wire(insight_type.as_str()),
                Some(insight_type)
            );
        }
        for category in [SourceEventCategory::Management, SourceEventCategory::Data] {
            assert_eq!(
                SourceEventCategory::from_wire(category.as_str()),
                Some(category)
            );
        }
        assert_eq!(InsightType::from_wire("apicallrateinsight"), None);
    }
}
