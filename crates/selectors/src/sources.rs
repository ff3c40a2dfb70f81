//! The event sources that network activity selectors may name (§5.2).

use std::collections::BTreeSet;

/// The services whose network activity events a trail may select, without the
/// `.amazonaws.com` suffix (CloudTrail User Guide, "Logging network activity events", 2026;
/// `spec/trails-and-integrity.md` §5.2).
pub const DEFAULT_NETWORK_ACTIVITY_SERVICES: [&str; 76] = [
    "aco-automation",
    "appconfig",
    "application-signals",
    "appmesh",
    "athena",
    "b2bi",
    "backup-gateway",
    "bcm-data-exports",
    "bcm-pricing-calculator",
    "bedrock-agentcore",
    "bedrock",
    "billing",
    "cassandra",
    "ce",
    "cloudcontrolapi",
    "cloudformation",
    "cloudhsm",
    "cloudoptimization",
    "cloudtrail",
    "codedeploy",
    "comprehend",
    "comprehendmedical",
    "config",
    "ds",
    "dynamodb",
    "ec2",
    "ecs",
    "elasticfilesystem",
    "elasticloadbalancing",
    "events",
    "firehose",
    "frauddetector",
    "freetier",
    "fsx",
    "glue",
    "healthlake",
    "invoicing",
    "iot",
    "iotfleetwise",
    "iotsecuredtunneling",
    "kms",
    "lakeformation",
    "lambda",
    "license-manager",
    "lookoutequipment",
    "lookoutvision",
    "monitoring",
    "nova-act",
    "personalize",
    "qbusiness",
    "rds",
    "rekognition",
    "rolesanywhere",
    "s3",
    "sagemaker",
    "scheduler",
    "secretsmanager",
    "servicediscovery",
    "sns",
    "sqs",
    "ssm-contacts",
    "ssm",
    "storagegateway",
    "swf",
    "textract",
    "transcribe",
    "transcribestreaming",
    "transform-agents",
    "transform-custom",
    "transform",
    "translate",
    "user-subscriptions",
    "verifiedpermissions",
    "voiceid",
    "workmail",
    "workmailmessageflow",
];

/// The suffix AWS event sources carry (`s3` → `s3.amazonaws.com`).
const AWS_EVENT_SOURCE_SUFFIX: &str = ".amazonaws.com";

/// The full `eventSource` names a `NetworkActivity` advanced selector may name.
///
/// The default holds every service of [`DEFAULT_NETWORK_ACTIVITY_SERVICES`] as
/// `<name>.amazonaws.com`. Operators extend it from configuration with
/// [`NetworkSources::with_extra`] for our own and non-AWS services (§5.2 **\[P\]**).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkSources {
    sources: BTreeSet<String>,
}

impl Default for NetworkSources {
    fn default() -> NetworkSources {
        let sources = DEFAULT_NETWORK_ACTIVITY_SERVICES
            .iter()
            .map(|service| format!("{service}{AWS_EVENT_SOURCE_SUFFIX}"))
            .collect();
        NetworkSources { sources }
    }
}

impl NetworkSources {
    /// Returns the default list plus `extra`, each a full event source name taken as given
    /// (`search.example.com`, `myservice.amazonaws.com`).
    pub fn with_extra<I, S>(extra: I) -> NetworkSources
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut sources = NetworkSources::default();
        sources.sources.extend(extra.into_iter().map(Into::into));
        sources
    }

    /// Tells whether `event_source` (e.g. `s3.amazonaws.com`) is supported.
    pub fn contains(&self, event_source: &str) -> bool {
        self.sources.contains(event_source)
    }

    /// Returns the supported event sources in byte order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(String::as_str)
    }

    /// Returns how many event sources are supported.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Tells whether no event source is supported (never true for the default list).
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_list_holds_every_service_with_the_aws_suffix() {
        let sources = NetworkSources::default();
        assert_eq!(sources.len(), DEFAULT_NETWORK_ACTIVITY_SERVICES.len());
        assert!(sources.contains("s3.amazonaws.com"));
        assert!(sources.contains("workmailmessageflow.amazonaws.com"));
        assert!(sources.contains("bedrock-agentcore.amazonaws.com"));
        assert!(!sources.contains("s3"));
        assert!(!sources.contains("iam.amazonaws.com"));
    }

    #[test]
    fn extra_sources_are_added_as_given() {
        let sources = NetworkSources::with_extra(["search.example.com"]);
        assert!(sources.contains("search.example.com"));
        assert!(sources.contains("kms.amazonaws.com"));
        assert_eq!(sources.len(), DEFAULT_NETWORK_ACTIVITY_SERVICES.len() + 1);
    }

    #[test]
    fn default_services_are_distinct() {
        let distinct: BTreeSet<_> = DEFAULT_NETWORK_ACTIVITY_SERVICES.iter().collect();
        assert_eq!(distinct.len(), DEFAULT_NETWORK_ACTIVITY_SERVICES.len());
    }
}
