//! The tag operations on rules: `TagResource`, `UntagResource`, `ListTagsForResource`.
//!
//! EventBridge tags rules and event buses. OpenTrail's only bus is the default one, which
//! it does not let callers tag: tagging it is refused explicitly, and listing its tags
//! answers the truth, none.

use crate::check::{Violations, check_event_bus};
use crate::error::{Error, ErrorKind, Result};
use crate::input::{TagInput, TagResourceInput, UntagResourceInput};
use crate::limits::{ARN_MAX, MAX_TAGS_PER_RESOURCE, TAG_KEY_MAX, TAG_VALUE_MAX};
use crate::registry::{Caller, RuleStore, find};

/// Tag keys AWS keeps for itself.
const RESERVED_TAG_PREFIX: &str = "aws:";

/// Records the broken constraints of a `Tags` member at `path`.
pub(crate) fn collect_tag_violations(violations: &mut Violations, path: &str, tags: &[TagInput]) {
    for (index, tag) in tags.iter().enumerate() {
        let key_path = format!("{path}.{}.member.key", index + 1);
        let value_path = format!("{path}.{}.member.value", index + 1);
        violations.required(&key_path, tag.key.as_ref());
        if let Some(key) = &tag.key {
            violations.length(&key_path, key, 1, TAG_KEY_MAX);
        }
        violations.required(&value_path, tag.value.as_ref());
        if let Some(value) = &tag.value {
            violations.length(&value_path, value, 0, TAG_VALUE_MAX);
        }
    }
}

/// Merges `tags` (constraints already checked) into `existing`: a known key gets the new
/// value, a new key is appended.
///
/// # Errors
///
/// `ValidationException` for a key in AWS's reserved `aws:` space or more than 50 tags.
pub(crate) fn check_tags(
    tags: Vec<TagInput>,
    existing: &[(String, String)],
) -> Result<Vec<(String, String)>> {
    let mut merged = existing.to_vec();
    for tag in tags {
        let key = tag.key.unwrap_or_default();
        let value = tag.value.unwrap_or_default();
        if key.to_ascii_lowercase().starts_with(RESERVED_TAG_PREFIX) {
            return Err(Error::validation(format!(
                "Tag key `{key}` is not valid: keys starting with `aws:` are reserved for AWS use."
            )));
        }
        match merged.iter_mut().find(|(kept, _)| *kept == key) {
            Some(entry) => entry.1 = value,
            None => merged.push((key, value)),
        }
    }
    if merged.len() > MAX_TAGS_PER_RESOURCE {
        return Err(Error::validation(format!(
            "A resource can have at most {MAX_TAGS_PER_RESOURCE} tags; this request would give it {}.",
            merged.len()
        )));
    }
    Ok(merged)
}

/// What a `ResourceARN` names.
enum Resource {
    /// A rule of the caller's default bus.
    Rule(String),
    /// The caller's default event bus.
    DefaultBus,
}

/// Reads a `ResourceARN`: `arn:aws:events:<region>:<account>:rule/<name>` or
/// `…:event-bus/<name>`.
fn parse_resource(caller: &Caller, arn: &str) -> Result<Resource> {
    let invalid = || {
        Error::validation(format!(
            "Parameter ResourceARN is not valid. Reason: `{arn}` is not the ARN of an EventBridge rule or event bus."
        ))
    };
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("events"), Some(region), Some(account), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(invalid());
    };
    if let Some(bus) = rest.strip_prefix("event-bus/") {
        if bus == crate::model::DEFAULT_BUS
            && region == caller.region
            && account == caller.account_id
        {
            return Ok(Resource::DefaultBus);
        }
        return check_event_bus(caller, Some(arn)).map(|()| Resource::DefaultBus);
    }
    let Some(path) = rest.strip_prefix("rule/") else {
        return Err(invalid());
    };
    // Rules of other buses carry the bus in their ARN: `rule/<bus>/<name>`.
    if let Some((bus, name)) = path.rsplit_once('/') {
        return Err(Error::rejected(
            ErrorKind::ResourceNotFound,
            format!("Rule {name} does not exist on EventBus {bus}."),
        ));
    }
    if region != caller.region || account != caller.account_id {
        return Err(crate::registry::rule_not_found(path));
    }
    Ok(Resource::Rule(path.to_owned()))
}

fn check_resource_arn(violations: &mut Violations, arn: Option<&String>) {
    violations.required("resourceARN", arn);
    if let Some(arn) = arn {
        violations.length("resourceARN", arn, 1, ARN_MAX);
    }
}

fn bus_tags_refused() -> Error {
    Error::validation("OpenTrail does not support tags on event buses; tag rules instead.")
}

impl RuleStore {
    /// `TagResource`: adds tags to the caller's rule; a known key gets the new value.
    ///
    /// # Errors
    ///
    /// `ValidationException` (also for the default bus, which OpenTrail does not tag),
    /// `ResourceNotFoundException` for an unknown rule or bus, `Io`.
    pub fn tag_resource(&self, caller: &Caller, input: TagResourceInput) -> Result<()> {
        let mut violations = Violations::default();
        check_resource_arn(&mut violations, input.resource_arn.as_ref());
        violations.required("tags", input.tags.as_ref());
        if let Some(tags) = &input.tags {
            collect_tag_violations(&mut violations, "tags", tags);
        }
        violations.finish()?;
        let arn = input.resource_arn.unwrap_or_default();
        let Resource::Rule(name) = parse_resource(caller, &arn)? else {
            return Err(bus_tags_refused());
        };
        let tags = input.tags.unwrap_or_default();
        self.mutate(|rules| {
            let index = find(rules, caller, &name)?;
            rules[index].tags = check_tags(tags, &rules[index].tags)?;
            Ok(())
        })
    }

    /// `UntagResource`: removes the tags with these keys from the caller's rule; a key the
    /// rule does not carry is no error.
    ///
    /// # Errors
    ///
    /// `ValidationException` (also for the default bus), `ResourceNotFoundException` for
    /// an unknown rule or bus, `Io`.
    pub fn untag_resource(&self, caller: &Caller, input: UntagResourceInput) -> Result<()> {
        let mut violations = Violations::default();
        check_resource_arn(&mut violations, input.resource_arn.as_ref());
        violations.required("tagKeys", input.tag_keys.as_ref());
        for (index, key) in input.tag_keys.iter().flatten().enumerate() {
            let path = format!("tagKeys.{}.member", index + 1);
            violations.length(&path, key, 1, TAG_KEY_MAX);
        }
        violations.finish()?;
        let arn = input.resource_arn.unwrap_or_default();
        let Resource::Rule(name) = parse_resource(caller, &arn)? else {
            return Err(bus_tags_refused());
        };
        let keys = input.tag_keys.unwrap_or_default();
        self.mutate(|rules| {
            let index = find(rules, caller, &name)?;
            rules[index].tags.retain(|(key, _)| !keys.contains(key));
            Ok(())
        })
    }

    /// `ListTagsForResource`: the tags of the caller's rule, in the order they were added;
    /// none for the default bus.
    ///
    /// # Errors
    ///
    /// `ValidationException`, `ResourceNotFoundException` for an unknown rule or bus.
    pub fn list_tags_for_resource(
        &self,
        caller: &Caller,
        resource_arn: Option<String>,
    ) -> Result<Vec<(String, String)>> {
        let mut violations = Violations::default();
        check_resource_arn(&mut violations, resource_arn.as_ref());
        violations.finish()?;
        let arn = resource_arn.unwrap_or_default();
        match parse_resource(caller, &arn)? {
            Resource::DefaultBus => Ok(Vec::new()),
            Resource::Rule(name) => {
                self.read(|rules| find(rules, caller, &name).map(|index| rules[index].tags.clone()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> TagInput {
        TagInput {
            key: Some(key.to_owned()),
            value: Some(value.to_owned()),
        }
    }

    #[test]
    fn tags_merge_by_key_and_refuse_the_aws_space() {
        let existing = vec![(String::from("team"), String::from("a"))];
        let merged = check_tags(vec![tag("team", "b"), tag("env", "")], &existing).unwrap();
        assert_eq!(
            merged,
            vec![
                (String::from("team"), String::from("b")),
                (String::from("env"), String::new()),
            ]
        );
        assert!(check_tags(vec![tag("aws:x", "1")], &[]).is_err());
        let many: Vec<TagInput> = (0..51).map(|n| tag(&format!("k{n}"), "v")).collect();
        assert!(check_tags(many, &[]).is_err());
    }

    #[test]
    fn resource_arns_name_rules_or_the_default_bus() {
        let caller = Caller::new("111122223333", "us-east-1");
        assert!(matches!(
            parse_resource(&caller, "arn:aws:events:us-east-1:111122223333:rule/r1"),
            Ok(Resource::Rule(name)) if name == "r1"
        ));
        assert!(matches!(
            parse_resource(
                &caller,
                "arn:aws:events:us-east-1:111122223333:event-bus/default"
            ),
            Ok(Resource::DefaultBus)
        ));
        let error = parse_resource(
            &caller,
            "arn:aws:events:us-east-1:111122223333:rule/orders/r1",
        )
        .err()
        .unwrap();
        assert_eq!(
            error.message(),
            "Rule r1 does not exist on EventBus orders."
        );
        let error = parse_resource(&caller, "arn:aws:events:eu-west-1:111122223333:rule/r1")
            .err()
            .unwrap();
        assert_eq!(error.kind(), ErrorKind::ResourceNotFound);
        let error = parse_resource(&caller, "arn:aws:sqs:us-east-1:111122223333:q")
            .err()
            .unwrap();
        assert_eq!(error.kind(), ErrorKind::Validation);
    }
}
