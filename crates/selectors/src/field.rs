//! The record fields and operators of advanced selectors (§5.2).

use std::fmt;

use crate::model::AdvancedFieldSelector;

/// A record field an advanced field selector may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Field {
    /// `eventCategory` (derived for old records, see [`crate::EventView`]).
    EventCategory,
    /// `readOnly`, compared as `true` / `false`.
    ReadOnly,
    /// `eventSource`.
    EventSource,
    /// `eventName`.
    EventName,
    /// `eventType`.
    EventType,
    /// `resources[].type`.
    ResourcesType,
    /// `resources[].ARN`.
    ResourcesArn,
    /// `sessionCredentialFromConsole`.
    SessionCredentialFromConsole,
    /// `userIdentity.arn`.
    UserIdentityArn,
    /// `errorCode`.
    ErrorCode,
    /// `vpcEndpointId`.
    VpcEndpointId,
}

impl Field {
    /// Every field, in the order of the spec's table.
    pub(crate) const ALL: [Field; 11] = [
        Field::EventCategory,
        Field::ReadOnly,
        Field::EventSource,
        Field::EventName,
        Field::EventType,
        Field::ResourcesType,
        Field::ResourcesArn,
        Field::SessionCredentialFromConsole,
        Field::UserIdentityArn,
        Field::ErrorCode,
        Field::VpcEndpointId,
    ];

    /// The name as it appears in `Field`.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Field::EventCategory => "eventCategory",
            Field::ReadOnly => "readOnly",
            Field::EventSource => "eventSource",
            Field::EventName => "eventName",
            Field::EventType => "eventType",
            Field::ResourcesType => "resources.type",
            Field::ResourcesArn => "resources.ARN",
            Field::SessionCredentialFromConsole => "sessionCredentialFromConsole",
            Field::UserIdentityArn => "userIdentity.arn",
            Field::ErrorCode => "errorCode",
            Field::VpcEndpointId => "vpcEndpointId",
        }
    }

    /// Parses a `Field` value, exactly as AWS spells it (case-sensitive).
    pub(crate) fn from_wire(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.as_str() == name)
    }

    /// Tells whether the field reads an element of `resources[]` rather than the record.
    pub(crate) const fn is_resource_field(self) -> bool {
        matches!(self, Field::ResourcesType | Field::ResourcesArn)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// An operator of an advanced field selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operator {
    /// `Equals`.
    Equals,
    /// `StartsWith`.
    StartsWith,
    /// `EndsWith`.
    EndsWith,
    /// `NotEquals`.
    NotEquals,
    /// `NotStartsWith`.
    NotStartsWith,
    /// `NotEndsWith`.
    NotEndsWith,
}

impl Operator {
    /// The member name (`Equals`, ...).
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "Equals",
            Operator::StartsWith => "StartsWith",
            Operator::EndsWith => "EndsWith",
            Operator::NotEquals => "NotEquals",
            Operator::NotStartsWith => "NotStartsWith",
            Operator::NotEndsWith => "NotEndsWith",
        }
    }

    /// Tells whether `value` is matched by `operand` under this operator, ignoring negation:
    /// `NotStartsWith` answers like `StartsWith`. Comparison is exact and case-sensitive;
    /// `*` is a literal.
    pub(crate) fn compares(self, value: &str, operand: &str) -> bool {
        match self {
            Operator::Equals | Operator::NotEquals => value == operand,
            Operator::StartsWith | Operator::NotStartsWith => value.starts_with(operand),
            Operator::EndsWith | Operator::NotEndsWith => value.ends_with(operand),
        }
    }

    /// Tells whether the list is negative (satisfied when no value matches).
    pub(crate) const fn is_negative(self) -> bool {
        matches!(
            self,
            Operator::NotEquals | Operator::NotStartsWith | Operator::NotEndsWith
        )
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// The operator lists a field selector carries, in wire member order (absent ones skipped).
pub(crate) fn operator_lists(
    selector: &AdvancedFieldSelector,
) -> impl Iterator<Item = (Operator, &[String])> {
    [
        (Operator::Equals, &selector.equals),
        (Operator::StartsWith, &selector.starts_with),
        (Operator::EndsWith, &selector.ends_with),
        (Operator::NotEquals, &selector.not_equals),
        (Operator::NotStartsWith, &selector.not_starts_with),
        (Operator::NotEndsWith, &selector.not_ends_with),
    ]
    .into_iter()
    .filter_map(|(operator, values)| values.as_deref().map(|values| (operator, values)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_round_trip() {
        for field in Field::ALL {
            assert_eq!(Field::from_wire(field.as_str()), Some(field));
        }
        assert_eq!(Field::from_wire("resources.arn"), None);
    }

    #[test]
    fn operators_compare_exactly_and_literally() {
        assert!(Operator::Equals.compares("a*", "a*"));
        assert!(!Operator::Equals.compares("abc", "a*"));
        assert!(Operator::StartsWith.compares("abc", "ab"));
        assert!(!Operator::StartsWith.compares("abc", "AB"));
        assert!(Operator::NotEndsWith.compares("abc", "bc"));
        assert!(Operator::NotEndsWith.is_negative());
        assert!(!Operator::EndsWith.is_negative());
    }
}
