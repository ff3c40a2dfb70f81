//! The serde form of a CloudTrail record: only the members the table has, borrowed from the
//! record text.

use serde::Deserialize;

use crate::json::{Flag, JsonMap, Text};

/// A CloudTrail record as far as the table needs it; unknown members are skipped.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Record<'a> {
    #[serde(borrow)]
    pub(super) event_version: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) user_identity: Option<UserIdentity<'a>>,
    #[serde(borrow)]
    pub(super) event_time: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) event_source: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) event_name: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) aws_region: Option<Text<'a>>,
    #[serde(borrow, rename = "sourceIPAddress")]
    pub(super) source_ip_address: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) user_agent: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) error_code: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) error_message: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) request_parameters: Option<JsonMap<'a>>,
    #[serde(borrow)]
    pub(super) response_elements: Option<JsonMap<'a>>,
    #[serde(borrow)]
    pub(super) additional_event_data: Option<JsonMap<'a>>,
    #[serde(borrow, rename = "requestID")]
    pub(super) request_id: Option<Text<'a>>,
    #[serde(borrow, rename = "eventID")]
    pub(super) event_id: Option<Text<'a>>,
    pub(super) read_only: Option<Flag>,
    #[serde(borrow)]
    pub(super) resources: Option<Vec<Option<Resource<'a>>>>,
    #[serde(borrow)]
    pub(super) event_type: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) api_version: Option<Text<'a>>,
    pub(super) management_event: Option<Flag>,
    #[serde(borrow)]
    pub(super) recipient_account_id: Option<Text<'a>>,
    #[serde(borrow, rename = "sharedEventID")]
    pub(super) shared_event_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) annotation: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) vpc_endpoint_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) vpc_endpoint_account_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) service_event_details: Option<JsonMap<'a>>,
    #[serde(borrow)]
    pub(super) addendum: Option<JsonMap<'a>>,
    #[serde(borrow)]
    pub(super) edge_device_details: Option<JsonMap<'a>>,
    #[serde(borrow)]
    pub(super) insight_details: Option<JsonMap<'a>>,
    #[serde(borrow)]
    pub(super) event_category: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) tls_details: Option<TlsDetails<'a>>,
    #[serde(borrow)]
    pub(super) session_credential_from_console: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserIdentity<'a> {
    #[serde(borrow, rename = "type")]
    pub(super) identity_type: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) principal_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) arn: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) account_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) access_key_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) user_name: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) session_context: Option<SessionContext<'a>>,
    #[serde(borrow)]
    pub(super) on_behalf_of: Option<OnBehalfOf<'a>>,
    #[serde(borrow)]
    pub(super) in_scope_of: Option<InScopeOf<'a>>,
    #[serde(borrow)]
    pub(super) invoked_by: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) identity_provider: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionContext<'a> {
    #[serde(borrow)]
    pub(super) attributes: Option<SessionAttributes<'a>>,
    #[serde(borrow)]
    pub(super) session_issuer: Option<SessionIssuer<'a>>,
    #[serde(borrow)]
    pub(super) web_id_federation_data: Option<WebIdFederationData<'a>>,
    #[serde(borrow)]
    pub(super) source_identity: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) ec2_role_delivery: Option<Text<'a>>,
    // AWS writes `ec2IssuedInVPC`; the plain camel-case spelling is accepted too.
    #[serde(borrow, rename = "ec2IssuedInVPC", alias = "ec2IssuedInVpc")]
    pub(super) ec2_issued_in_vpc: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionAttributes<'a> {
    #[serde(borrow)]
    pub(super) creation_date: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) mfa_authenticated: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionIssuer<'a> {
    #[serde(borrow, rename = "type")]
    pub(super) issuer_type: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) principal_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) arn: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) account_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) user_name: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WebIdFederationData<'a> {
    #[serde(borrow)]
    pub(super) federated_provider: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) attributes: Option<JsonMap<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OnBehalfOf<'a> {
    #[serde(borrow)]
    pub(super) user_id: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) identity_store_arn: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InScopeOf<'a> {
    #[serde(borrow)]
    pub(super) source_arn: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) source_account: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) issuer_type: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) credentials_issued_to: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Resource<'a> {
    #[serde(borrow, rename = "accountId")]
    pub(super) account_id: Option<Text<'a>>,
    #[serde(borrow, rename = "type")]
    pub(super) resource_type: Option<Text<'a>>,
    #[serde(borrow, rename = "ARN")]
    pub(super) arn: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TlsDetails<'a> {
    #[serde(borrow)]
    pub(super) tls_version: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) cipher_suite: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) client_provided_host_header: Option<Text<'a>>,
}
