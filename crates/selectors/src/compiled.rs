//! Evaluation: does a trail's selector configuration select an event (§5.1, §5.2)?

use opentrail_event::EventCategory;

use crate::arn::S3_OBJECT;
use crate::field::{Field, Operator, operator_lists};
use crate::model::{AdvancedEventSelector, EventSelector, ReadWriteType, SelectorConfig};
use crate::view::{EventResource, EventView};

/// A selector configuration prepared for evaluation on the delivery path.
///
/// Built once per configuration with [`CompiledSelectors::new`]; [`CompiledSelectors::matches`]
/// then decides per event without allocating.
///
/// Semantics, beyond the wording of §5:
/// * **Insights** events are never selected: trails take them through insight selectors,
///   which the caller applies.
/// * **Unknown `readOnly`** (absent, as on console sign-in events) counts as a **write**:
///   `WriteOnly` and `All` select the event, `ReadOnly` does not, and an advanced
///   `readOnly Equals false` matches it. Records that lack the member are old API calls
///   (2014 examples of `CreateUser`, `StartInstances`) and console sign-ins, which newer
///   records mark `readOnly: false` (the real 2023 `ConsoleLogin` of the invictus fixture)
///   **\[P\]**.
/// * **Absent fields** satisfy no positive list and every negative list (the field matches
///   none of the values) **\[P\]**.
/// * **`resources.*`**: all `resources.type` / `resources.ARN` field selectors of one
///   advanced selector must hold on the **same** `resources[]` element. With one such field
///   selector this is the spec's "any element satisfies it"; with both it keeps S3's bucket
///   element (`AWS::S3::Bucket`, ARN without `/`) from satisfying a `resources.ARN
///   NotStartsWith arn:aws:s3:::bucket/` meant for the object element **\[P\]**. A record
///   without resources is evaluated as one element with neither member.
/// * A field this crate does not know (possible only in a configuration that skipped
///   validation) makes its selector match nothing.
#[derive(Debug, Clone)]
pub struct CompiledSelectors {
    selectors: Compiled,
}

#[derive(Debug, Clone)]
enum Compiled {
    Basic(Vec<BasicSelector>),
    Advanced(Vec<AdvancedSelector>),
}

#[derive(Debug, Clone)]
struct BasicSelector {
    read_write_type: ReadWriteType,
    include_management_events: bool,
    excluded_sources: Vec<Box<str>>,
    data_resources: Vec<BasicDataResource>,
}

#[derive(Debug, Clone)]
struct BasicDataResource {
    resource_type: Box<str>,
    /// Values an ARN must start with: every S3 value, and the `arn:aws:<service>` forms.
    prefixes: Vec<Box<str>>,
    /// Values an ARN must equal: exact Lambda function and DynamoDB table ARNs.
    exact: Vec<Box<str>>,
}

#[derive(Debug, Clone)]
struct AdvancedSelector {
    /// Conditions on record members, `eventCategory` first so most events leave early.
    record_conditions: Vec<Condition>,
    /// Conditions on `resources[]`, all to hold on one element.
    resource_conditions: Vec<Condition>,
    /// Set when a condition names an unknown field: the selector matches nothing.
    never_matches: bool,
}

#[derive(Debug, Clone)]
struct Condition {
    field: Field,
    lists: Vec<(Operator, Vec<Box<str>>)>,
}

impl CompiledSelectors {
    /// Prepares `config` for evaluation. `config` should have passed
    /// [`validate_for_trail`](crate::validate_for_trail); absent basic members take their
    /// defaults.
    pub fn new(config: &SelectorConfig) -> CompiledSelectors {
        let selectors = match config {
            SelectorConfig::Basic(selectors) => {
                Compiled::Basic(selectors.iter().map(compile_basic).collect())
            }
            SelectorConfig::Advanced(selectors) => {
                Compiled::Advanced(selectors.iter().map(compile_advanced).collect())
            }
        };
        CompiledSelectors { selectors }
    }

    /// Tells whether the configuration selects `event`: whether any selector matches it.
    pub fn matches(&self, event: &EventView<'_>) -> bool {
        if event.category() == EventCategory::Insight {
            return false;
        }
        match &self.selectors {
            Compiled::Basic(selectors) => selectors.iter().any(|selector| selector.matches(event)),
            Compiled::Advanced(selectors) => {
                selectors.iter().any(|selector| selector.matches(event))
            }
        }
    }
}

fn boxed(values: &[String]) -> Vec<Box<str>> {
    values.iter().map(|value| value.as_str().into()).collect()
}

fn compile_basic(selector: &EventSelector) -> BasicSelector {
    let mut data_resources = Vec::new();
    for data_resource in selector.data_resources.iter().flatten() {
        let resource_type = data_resource.resource_type.as_deref().unwrap_or_default();
        let mut prefixes = Vec::new();
        let mut exact = Vec::new();
        for value in data_resource.values.iter().flatten() {
            // Only S3 values and the `arn:<partition>:<service>` forms (two colons) are
            // prefixes; `helloworld` must not select `helloworld2`.
            let is_prefix = resource_type == S3_OBJECT || value.matches(':').count() == 2;
            if is_prefix {
                prefixes.push(value.as_str().into());
            } else {
                exact.push(value.as_str().into());
            }
        }
        data_resources.push(BasicDataResource {
            resource_type: resource_type.into(),
            prefixes,
            exact,
        });
    }
    BasicSelector {
        read_write_type: selector.read_write_type.unwrap_or_default(),
        include_management_events: selector.include_management_events.unwrap_or(true),
        excluded_sources: boxed(
            selector
                .exclude_management_event_sources
                .as_deref()
                .unwrap_or_default(),
        ),
        data_resources,
    }
}

fn compile_advanced(selector: &AdvancedEventSelector) -> AdvancedSelector {
    let mut compiled = AdvancedSelector {
        record_conditions: Vec::new(),
        resource_conditions: Vec::new(),
        never_matches: false,
    };
    for field_selector in &selector.field_selectors {
        let Some(field) = Field::from_wire(&field_selector.field) else {
            compiled.never_matches = true;
            continue;
        };
        let condition = Condition {
            field,
            lists: operator_lists(field_selector)
                .map(|(operator, values)| (operator, boxed(values)))
                .collect(),
        };
        if field.is_resource_field() {
            compiled.resource_conditions.push(condition);
        } else {
            compiled.record_conditions.push(condition);
        }
    }
    compiled
        .record_conditions
        .sort_by_key(|condition| condition.field != Field::EventCategory);
    compiled
}

/// `readOnly` as selectors compare it; unknown counts as a write (see [`CompiledSelectors`]).
fn is_read_only(event: &EventView<'_>) -> bool {
    event.read_only().unwrap_or(false)
}

impl BasicSelector {
    fn matches(&self, event: &EventView<'_>) -> bool {
        let read_write_allows = match self.read_write_type {
            ReadWriteType::All => true,
            ReadWriteType::ReadOnly => is_read_only(event),
            ReadWriteType::WriteOnly => !is_read_only(event),
        };
        if !read_write_allows {
            return false;
        }
        match event.category() {
            EventCategory::Management => {
                self.include_management_events
                    && !event.event_source().is_some_and(|source| {
                        self.excluded_sources
                            .iter()
                            .any(|excluded| &**excluded == source)
                    })
            }
            EventCategory::Data => event.resources().iter().any(|resource| {
                self.data_resources
                    .iter()
                    .any(|data_resource| data_resource.matches(resource))
            }),
            // Basic selectors cannot select network activity (§5.1) or Lake-only categories.
            _ => false,
        }
    }
}

impl BasicDataResource {
    fn matches(&self, resource: &EventResource<'_>) -> bool {
        let (Some(resource_type), Some(arn)) = (resource.resource_type(), resource.arn()) else {
            return false;
        };
        if resource_type != &*self.resource_type {
            return false;
        }
        self.prefixes
            .iter()
            .any(|prefix| arn.starts_with(&**prefix))
            || self.exact.iter().any(|exact| arn == &**exact)
    }
}

impl AdvancedSelector {
    fn matches(&self, event: &EventView<'_>) -> bool {
        if self.never_matches {
            return false;
        }
        let record_ok = self
            .record_conditions
            .iter()
            .all(|condition| condition.holds(record_value(event, condition.field)));
        if !record_ok {
            return false;
        }
        if self.resource_conditions.is_empty() {
            return true;
        }
        let resources = event.resources();
        if resources.is_empty() {
            return self.resources_hold(&EventResource::default());
        }
        resources
            .iter()
            .any(|resource| self.resources_hold(resource))
    }

    fn resources_hold(&self, resource: &EventResource<'_>) -> bool {
        self.resource_conditions.iter().all(|condition| {
            let value = match condition.field {
                Field::ResourcesType => resource.resource_type(),
                _ => resource.arn(),
            };
            condition.holds(value)
        })
    }
}

/// The value of a record-level field (`resources.*` are read per element elsewhere).
fn record_value<'e>(event: &'e EventView<'_>, field: Field) -> Option<&'e str> {
    match field {
        Field::EventCategory => Some(event.category().as_str()),
        Field::ReadOnly => Some(if is_read_only(event) { "true" } else { "false" }),
        Field::EventSource => event.event_source(),
        Field::EventName => event.event_name(),
        Field::EventType => event.event_type(),
        Field::SessionCredentialFromConsole => event.session_credential_from_console(),
        Field::UserIdentityArn => event.user_identity_arn(),
        Field::ErrorCode => event.error_code(),
        Field::VpcEndpointId => event.vpc_endpoint_id(),
        Field::ResourcesType | Field::ResourcesArn => None,
    }
}

impl Condition {
    /// Every list holds: a positive list when `value` matches any operand, a negative list
    /// when it matches none. An absent value matches no operand.
    fn holds(&self, value: Option<&str>) -> bool {
        self.lists.iter().all(|(operator, operands)| {
            let any_match = value.is_some_and(|value| {
                operands
                    .iter()
                    .any(|operand| operator.compares(value, operand))
            });
            any_match != operator.is_negative()
        })
    }
}
