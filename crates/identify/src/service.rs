//! Service names: the SigV4 signing name, CloudTrail's `eventSource`, the IAM prefix.
//!
//! The three usually agree (`kms`, `kms.amazonaws.com`, `kms:`). Where they do not, the
//! tables below say so and name where the fact comes from. A signing name that is not in a
//! table follows the usual rule; that is right for most services and, for the rest, gives a
//! name an operator can still read.

/// The longest signing name accepted; longer or malformed names fall back to the default.
pub(crate) const MAX_SERVICE_NAME: usize = 64;

/// Signing names whose CloudTrail `eventSource` is not `<signing name>.amazonaws.com`.
///
/// | signing name | eventSource | source |
/// | --- | --- | --- |
/// | `rds-data` | `rdsdataapi.amazonaws.com` | EventBridge events reference, "Amazon RDS Data API events" |
/// | `awsssoportal` | `sso.amazonaws.com` | IAM Identity Center portal calls (`ListAccounts`, `GetRoleCredentials`) as recorded in published CloudTrail records |
///
/// Checked and found to follow the usual rule: `monitoring` (CloudWatch,
/// `monitoring.amazonaws.com`), `es` (OpenSearch, `es.amazonaws.com`), `sso-oauth`,
/// `s3express`, `s3tables`, `redshift-data`, `cloudtrail-data`. `execute-api` (calls to a
/// deployed API Gateway API) is not a CloudTrail event source at all; API Gateway's own
/// management calls are signed `apigateway` and logged as `apigateway.amazonaws.com`, so
/// the usual rule is kept and the name stays recognisable.
const EVENT_SOURCE_EXCEPTIONS: &[(&str, &str)] = &[
    ("rds-data", "rdsdataapi.amazonaws.com"),
    ("awsssoportal", "sso.amazonaws.com"),
];

/// Signing names whose IAM action prefix differs from the signing name.
///
/// From the Service Authorization Reference: CloudWatch's prefix is `cloudwatch`, the
/// IAM Identity Center portal's is `sso`, AWS IoT data plane's is `iot`.
const IAM_PREFIX_EXCEPTIONS: &[(&str, &str)] = &[
    ("monitoring", "cloudwatch"),
    ("awsssoportal", "sso"),
    ("iotdata", "iot"),
];

/// Returns CloudTrail's `eventSource` for a SigV4 signing name.
///
/// The name is lowercased first. Known exceptions are listed in the table above; every
/// other name gives `<name>.amazonaws.com`.
///
/// ```
/// assert_eq!(opentrail_identify::event_source_of("s3"), "s3.amazonaws.com");
/// assert_eq!(opentrail_identify::event_source_of("rds-data"), "rdsdataapi.amazonaws.com");
/// ```
pub fn event_source_of(service: &str) -> String {
    let service = service.to_ascii_lowercase();
    for (signing_name, event_source) in EVENT_SOURCE_EXCEPTIONS {
        if *signing_name == service {
            return (*event_source).to_owned();
        }
    }
    format!("{service}.amazonaws.com")
}

/// Returns the IAM action prefix (`kms` in `kms:Decrypt`) for a signing name.
pub fn iam_prefix_of(service: &str) -> String {
    let service = service.to_ascii_lowercase();
    for (signing_name, prefix) in IAM_PREFIX_EXCEPTIONS {
        if *signing_name == service {
            return (*prefix).to_owned();
        }
    }
    service
}

/// Returns `service` lowercased when it is a plausible signing name, else `None`.
///
/// Signing names are lowercase letters, digits and dashes (`s3`, `rds-data`,
/// `cognito-idp`); anything else (empty, over [`MAX_SERVICE_NAME`] bytes, other
/// characters) is not trusted as one.
pub(crate) fn normalize_service(service: &str) -> Option<String> {
    let service = service.trim().to_ascii_lowercase();
    let plausible = !service.is_empty()
        && service.len() <= MAX_SERVICE_NAME
        && service
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    plausible.then_some(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_source_follows_the_usual_rule_and_its_exceptions() {
        assert_eq!(event_source_of("kms"), "kms.amazonaws.com");
        assert_eq!(event_source_of("monitoring"), "monitoring.amazonaws.com");
        assert_eq!(event_source_of("es"), "es.amazonaws.com");
        assert_eq!(event_source_of("RDS-Data"), "rdsdataapi.amazonaws.com");
        assert_eq!(event_source_of("awsssoportal"), "sso.amazonaws.com");
    }

    #[test]
    fn iam_prefix_follows_the_usual_rule_and_its_exceptions() {
        assert_eq!(iam_prefix_of("sqs"), "sqs");
        assert_eq!(iam_prefix_of("monitoring"), "cloudwatch");
        assert_eq!(iam_prefix_of("iotdata"), "iot");
    }

    #[test]
    fn normalize_service_rejects_what_no_signing_name_looks_like() {
        assert_eq!(normalize_service(" S3 "), Some("s3".to_owned()));
        assert_eq!(
            normalize_service("cognito-idp"),
            Some("cognito-idp".to_owned())
        );
        assert_eq!(normalize_service(""), None);
        assert_eq!(normalize_service("s3/evil"), None);
        assert_eq!(normalize_service(&"a".repeat(MAX_SERVICE_NAME + 1)), None);
    }
}
