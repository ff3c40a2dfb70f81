//! CloudTrail-events tables (management, data, network activity): spec §3.4.2.

use std::sync::Arc;

use arrow::array::builder::NullBufferBuilder;
use arrow::array::{ArrayRef, BooleanBuilder, StringBuilder, TimestampMillisecondBuilder};
use arrow::datatypes::{DataType, Schema};

use crate::columns::{ListOffsets, MapColumn, TextStruct, item_type, member_type, struct_array};
use crate::error::{Result, RowError};
use crate::json::{Text, text};
use crate::rows::{RowFacts, checksum_hex, parse_record, row_facts};

mod record;

use record::{Record, SessionContext, UserIdentity};

/// Returns `resources[].arnprefix`: the ARN up to and including its last `/` or `:`
/// (spec §3.4.2, a project decision), `None` for an ARN with neither.
pub(crate) fn arn_prefix(arn: &str) -> Option<&str> {
    arn.rfind(['/', ':']).map(|index| &arn[..=index])
}

/// Parses a `creationDate` (both ISO-8601 forms AWS writes); an unparsable one becomes NULL,
/// as the record text in `eventjson` still holds it.
fn creation_date_ms(value: &Option<Text<'_>>) -> Option<i64> {
    let text = text(value)?;
    opentrail_types::Timestamp::parse_event_time(text)
        .ok()
        .map(opentrail_types::Timestamp::as_millis)
}

/// The columns of a CloudTrail-events table under construction.
#[derive(Debug)]
pub(crate) struct CloudTrailColumns {
    event_version: StringBuilder,
    user_identity: UserIdentityColumns,
    event_time: TimestampMillisecondBuilder,
    /// eventsource … errormessage.
    request_texts: [StringBuilder; 7],
    request_maps: [MapColumn; 3],
    request_id: StringBuilder,
    event_id: StringBuilder,
    read_only: BooleanBuilder,
    resources: ListOffsets,
    resource_items: TextStruct<4>,
    event_type: StringBuilder,
    api_version: StringBuilder,
    management_event: BooleanBuilder,
    /// recipientaccountid … vpcendpointaccountid.
    account_texts: [StringBuilder; 5],
    /// serviceeventdetails, addendum, edgedevicedetails, insightdetails.
    detail_maps: [MapColumn; 4],
    event_category: StringBuilder,
    tls_details: TextStruct<3>,
    session_credential_from_console: StringBuilder,
    event_json: StringBuilder,
    event_json_checksum: StringBuilder,
}

impl CloudTrailColumns {
    pub(crate) fn new() -> Self {
        CloudTrailColumns {
            event_version: StringBuilder::new(),
            user_identity: UserIdentityColumns::new(),
            event_time: TimestampMillisecondBuilder::new(),
            request_texts: std::array::from_fn(|_| StringBuilder::new()),
            request_maps: std::array::from_fn(|_| MapColumn::new()),
            request_id: StringBuilder::new(),
            event_id: StringBuilder::new(),
            read_only: BooleanBuilder::new(),
            resources: ListOffsets::new(),
            resource_items: TextStruct::new(),
            event_type: StringBuilder::new(),
            api_version: StringBuilder::new(),
            management_event: BooleanBuilder::new(),
            account_texts: std::array::from_fn(|_| StringBuilder::new()),
            detail_maps: std::array::from_fn(|_| MapColumn::new()),
            event_category: StringBuilder::new(),
            tls_details: TextStruct::new(),
            session_credential_from_console: StringBuilder::new(),
            event_json: StringBuilder::new(),
            event_json_checksum: StringBuilder::new(),
        }
    }

    /// Maps one record (`json` is its whole text) to a row; on error nothing is appended.
    pub(crate) fn push(&mut self, json: &str) -> Result<RowFacts, RowError> {
        let record: Record<'_> = parse_record(json)?;
        let facts = row_facts(
            &record.event_time,
            &record.event_id,
            &record.recipient_account_id,
        )?;
        self.event_version
            .append_option(text(&record.event_version));
        self.user_identity.append(record.user_identity.as_ref());
        self.event_time.append_value(facts.event_time_ms);
        let request_texts = [
            &record.event_source,
            &record.event_name,
            &record.aws_region,
            &record.source_ip_address,
            &record.user_agent,
            &record.error_code,
            &record.error_message,
        ];
        for (column, value) in self.request_texts.iter_mut().zip(request_texts) {
            column.append_option(text(value));
        }
        let request_maps = [
            &record.request_parameters,
            &record.response_elements,
            &record.additional_event_data,
        ];
        for (column, value) in self.request_maps.iter_mut().zip(request_maps) {
            column.append(value.as_ref());
        }
        self.request_id.append_option(text(&record.request_id));
        self.event_id.append_option(text(&record.event_id));
        self.read_only
            .append_option(record.read_only.map(|flag| flag.0));
        if let Some(resources) = &record.resources {
            for resource in resources {
                self.resource_items
                    .append(resource.as_ref().map(|resource| {
                        let arn = text(&resource.arn);
                        [
                            text(&resource.account_id),
                            text(&resource.resource_type),
                            arn,
                            arn.and_then(arn_prefix),
                        ]
                    }));
            }
        }
        self.resources
            .append(self.resource_items.len(), record.resources.is_some());
        self.event_type.append_option(text(&record.event_type));
        self.api_version.append_option(text(&record.api_version));
        self.management_event
            .append_option(record.management_event.map(|flag| flag.0));
        let account_texts = [
            &record.recipient_account_id,
            &record.shared_event_id,
            &record.annotation,
            &record.vpc_endpoint_id,
            &record.vpc_endpoint_account_id,
        ];
        for (column, value) in self.account_texts.iter_mut().zip(account_texts) {
            column.append_option(text(value));
        }
        let detail_maps = [
            &record.service_event_details,
            &record.addendum,
            &record.edge_device_details,
            &record.insight_details,
        ];
        for (column, value) in self.detail_maps.iter_mut().zip(detail_maps) {
            column.append(value.as_ref());
        }
        self.event_category
            .append_option(text(&record.event_category));
        self.tls_details
            .append(record.tls_details.as_ref().map(|tls| {
                [
                    text(&tls.tls_version),
                    text(&tls.cipher_suite),
                    text(&tls.client_provided_host_header),
                ]
            }));
        self.session_credential_from_console
            .append_option(text(&record.session_credential_from_console));
        self.event_json.append_value(json);
        self.event_json_checksum.append_value(checksum_hex(json));
        Ok(facts)
    }

    /// Finishes the columns in schema order and resets the builders.
    pub(crate) fn finish(&mut self, schema: &Schema) -> Result<Vec<ArrayRef>> {
        let column_type = |index: usize| schema.field(index).data_type();
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
        columns.push(Arc::new(self.event_version.finish()));
        columns.push(self.user_identity.finish(column_type(1))?);
        columns.push(Arc::new(self.event_time.finish()));
        for column in &mut self.request_texts {
            columns.push(Arc::new(column.finish()));
        }
        for column in &mut self.request_maps {
            columns.push(column.finish(column_type(columns.len()))?);
        }
        columns.push(Arc::new(self.request_id.finish()));
        columns.push(Arc::new(self.event_id.finish()));
        columns.push(Arc::new(self.read_only.finish()));
        let resources_type = column_type(columns.len());
        let items = self.resource_items.finish(item_type(resources_type)?)?;
        columns.push(self.resources.finish(resources_type, items)?);
        columns.push(Arc::new(self.event_type.finish()));
        columns.push(Arc::new(self.api_version.finish()));
        columns.push(Arc::new(self.management_event.finish()));
        for column in &mut self.account_texts {
            columns.push(Arc::new(column.finish()));
        }
        for column in &mut self.detail_maps {
            columns.push(column.finish(column_type(columns.len()))?);
        }
        columns.push(Arc::new(self.event_category.finish()));
        columns.push(self.tls_details.finish(column_type(columns.len()))?);
        columns.push(Arc::new(self.session_credential_from_console.finish()));
        columns.push(Arc::new(self.event_json.finish()));
        columns.push(Arc::new(self.event_json_checksum.finish()));
        Ok(columns)
    }
}

/// The `useridentity` struct column.
#[derive(Debug)]
struct UserIdentityColumns {
    /// type, principalid, arn, accountid, accesskeyid, username.
    head: [StringBuilder; 6],
    session_context: SessionContextColumns,
    on_behalf_of: TextStruct<2>,
    in_scope_of: TextStruct<4>,
    /// invokedby, identityprovider.
    tail: [StringBuilder; 2],
    nulls: NullBufferBuilder,
}

impl UserIdentityColumns {
    fn new() -> Self {
        UserIdentityColumns {
            head: std::array::from_fn(|_| StringBuilder::new()),
            session_context: SessionContextColumns::new(),
            on_behalf_of: TextStruct::new(),
            in_scope_of: TextStruct::new(),
            tail: std::array::from_fn(|_| StringBuilder::new()),
            nulls: NullBufferBuilder::new(0),
        }
    }

    fn append(&mut self, identity: Option<&UserIdentity<'_>>) {
        let Some(identity) = identity else {
            for column in self.head.iter_mut().chain(&mut self.tail) {
                column.append_null();
            }
            self.session_context.append(None);
            self.on_behalf_of.append(None);
            self.in_scope_of.append(None);
            self.nulls.append_null();
            return;
        };
        let head = [
            &identity.identity_type,
            &identity.principal_id,
            &identity.arn,
            &identity.account_id,
            &identity.access_key_id,
            &identity.user_name,
        ];
        for (column, value) in self.head.iter_mut().zip(head) {
            column.append_option(text(value));
        }
        self.session_context
            .append(identity.session_context.as_ref());
        self.on_behalf_of
            .append(identity.on_behalf_of.as_ref().map(|on_behalf_of| {
                [
                    text(&on_behalf_of.user_id),
                    text(&on_behalf_of.identity_store_arn),
                ]
            }));
        self.in_scope_of
            .append(identity.in_scope_of.as_ref().map(|in_scope_of| {
                [
                    text(&in_scope_of.source_arn),
                    text(&in_scope_of.source_account),
                    text(&in_scope_of.issuer_type),
                    text(&in_scope_of.credentials_issued_to),
                ]
            }));
        let tail = [&identity.invoked_by, &identity.identity_provider];
        for (column, value) in self.tail.iter_mut().zip(tail) {
            column.append_option(text(value));
        }
        self.nulls.append_non_null();
    }

    fn finish(&mut self, data_type: &DataType) -> Result<ArrayRef> {
        let mut children: Vec<ArrayRef> = Vec::with_capacity(11);
        for column in &mut self.head {
            children.push(Arc::new(column.finish()));
        }
        children.push(self.session_context.finish(member_type(data_type, 6)?)?);
        children.push(self.on_behalf_of.finish(member_type(data_type, 7)?)?);
        children.push(self.in_scope_of.finish(member_type(data_type, 8)?)?);
        for column in &mut self.tail {
            children.push(Arc::new(column.finish()));
        }
        struct_array(data_type, children, self.nulls.finish())
    }
}

/// The `useridentity.sessioncontext` struct.
#[derive(Debug)]
struct SessionContextColumns {
    attributes_creation_date: TimestampMillisecondBuilder,
    attributes_mfa_authenticated: StringBuilder,
    attributes_nulls: NullBufferBuilder,
    session_issuer: TextStruct<5>,
    web_id_provider: StringBuilder,
    web_id_attributes: MapColumn,
    web_id_nulls: NullBufferBuilder,
    /// sourceidentity, ec2roledelivery, ec2issuedinvpc.
    tail: [StringBuilder; 3],
    nulls: NullBufferBuilder,
}

impl SessionContextColumns {
    fn new() -> Self {
        SessionContextColumns {
            attributes_creation_date: TimestampMillisecondBuilder::new(),
            attributes_mfa_authenticated: StringBuilder::new(),
            attributes_nulls: NullBufferBuilder::new(0),
            session_issuer: TextStruct::new(),
            web_id_provider: StringBuilder::new(),
            web_id_attributes: MapColumn::new(),
            web_id_nulls: NullBufferBuilder::new(0),
            tail: std::array::from_fn(|_| StringBuilder::new()),
            nulls: NullBufferBuilder::new(0),
        }
    }

    fn append(&mut self, context: Option<&SessionContext<'_>>) {
        let attributes = context.and_then(|context| context.attributes.as_ref());
        self.attributes_creation_date.append_option(
            attributes.and_then(|attributes| creation_date_ms(&attributes.creation_date)),
        );
        self.attributes_mfa_authenticated
            .append_option(attributes.and_then(|attributes| text(&attributes.mfa_authenticated)));
        self.attributes_nulls.append(attributes.is_some());

        self.session_issuer.append(
            context
                .and_then(|context| context.session_issuer.as_ref())
                .map(|issuer| {
                    [
                        text(&issuer.issuer_type),
                        text(&issuer.principal_id),
                        text(&issuer.arn),
                        text(&issuer.account_id),
                        text(&issuer.user_name),
                    ]
                }),
        );

        let web_id = context.and_then(|context| context.web_id_federation_data.as_ref());
        self.web_id_provider
            .append_option(web_id.and_then(|web_id| text(&web_id.federated_provider)));
        self.web_id_attributes
            .append(web_id.and_then(|web_id| web_id.attributes.as_ref()));
        self.web_id_nulls.append(web_id.is_some());

        let tail = [
            context.and_then(|context| text(&context.source_identity)),
            context.and_then(|context| text(&context.ec2_role_delivery)),
            context.and_then(|context| text(&context.ec2_issued_in_vpc)),
        ];
        for (column, value) in self.tail.iter_mut().zip(tail) {
            column.append_option(value);
        }
        self.nulls.append(context.is_some());
    }

    fn finish(&mut self, data_type: &DataType) -> Result<ArrayRef> {
        let attributes = struct_array(
            member_type(data_type, 0)?,
            vec![
                Arc::new(self.attributes_creation_date.finish()),
                Arc::new(self.attributes_mfa_authenticated.finish()),
            ],
            self.attributes_nulls.finish(),
        )?;
        let issuer = self.session_issuer.finish(member_type(data_type, 1)?)?;
        let web_id_type = member_type(data_type, 2)?;
        let web_id = struct_array(
            web_id_type,
            vec![
                Arc::new(self.web_id_provider.finish()),
                self.web_id_attributes
                    .finish(member_type(web_id_type, 1)?)?,
            ],
            self.web_id_nulls.finish(),
        )?;
        let mut children = vec![attributes, issuer, web_id];
        for column in &mut self.tail {
            children.push(Arc::new(column.finish()) as ArrayRef);
        }
        struct_array(data_type, children, self.nulls.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_prefix_cuts_after_the_last_slash_or_colon() {
        let cases = [
            (
                "arn:aws:s3:::bucket/2026/a.pdf",
                Some("arn:aws:s3:::bucket/2026/"),
            ),
            ("arn:aws:s3:::bucket", Some("arn:aws:s3:::")),
            (
                "arn:aws:iam::123456789012:role/Admin",
                Some("arn:aws:iam::123456789012:role/"),
            ),
            (
                "arn:aws:sns:us-east-1:123456789012:topic",
                Some("arn:aws:sns:us-east-1:123456789012:"),
            ),
            ("no-separator", None),
            ("", None),
        ];
        for (arn, expected) in cases {
            assert_eq!(arn_prefix(arn), expected, "{arn}");
        }
    }
}
