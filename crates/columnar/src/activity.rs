//! `ActivityAuditLog` tables: the stored record of spec §3.6.3 as the columns of §3.4.4.

use std::sync::Arc;

use arrow::array::builder::NullBufferBuilder;
use arrow::array::{ArrayRef, StringBuilder, TimestampMillisecondBuilder};
use arrow::datatypes::{DataType, Schema};
use serde::Deserialize;

use crate::columns::{MapColumn, TextStruct, member_type, struct_array};
use crate::error::{Result, RowError};
use crate::json::{JsonMap, Text, text};
use crate::rows::{RowFacts, parse_record, row_facts};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    #[serde(borrow)]
    event_version: Option<Text<'a>>,
    #[serde(borrow)]
    event_category: Option<Text<'a>>,
    #[serde(borrow)]
    event_type: Option<Text<'a>>,
    #[serde(borrow, rename = "eventID")]
    event_id: Option<Text<'a>>,
    #[serde(borrow)]
    event_time: Option<Text<'a>>,
    #[serde(borrow)]
    aws_region: Option<Text<'a>>,
    #[serde(borrow)]
    recipient_account_id: Option<Text<'a>>,
    #[serde(borrow)]
    addendum: Option<Addendum<'a>>,
    #[serde(borrow)]
    metadata: Option<Metadata<'a>>,
    #[serde(borrow)]
    event_data: Option<EventData<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Addendum<'a> {
    #[serde(borrow)]
    reason: Option<Text<'a>>,
    #[serde(borrow)]
    updated_fields: Option<Text<'a>>,
    #[serde(borrow, rename = "originalUID")]
    original_uid: Option<Text<'a>>,
    #[serde(borrow, rename = "originalEventID")]
    original_event_id: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata<'a> {
    #[serde(borrow)]
    ingestion_time: Option<Text<'a>>,
    #[serde(borrow, rename = "channelARN")]
    channel_arn: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventData<'a> {
    #[serde(borrow)]
    version: Option<Text<'a>>,
    #[serde(borrow)]
    user_identity: Option<Identity<'a>>,
    #[serde(borrow)]
    user_agent: Option<Text<'a>>,
    #[serde(borrow)]
    event_source: Option<Text<'a>>,
    #[serde(borrow)]
    event_name: Option<Text<'a>>,
    #[serde(borrow)]
    event_time: Option<Text<'a>>,
    #[serde(borrow, rename = "UID")]
    uid: Option<Text<'a>>,
    #[serde(borrow)]
    request_parameters: Option<JsonMap<'a>>,
    #[serde(borrow)]
    response_elements: Option<JsonMap<'a>>,
    #[serde(borrow)]
    error_code: Option<Text<'a>>,
    #[serde(borrow)]
    error_message: Option<Text<'a>>,
    #[serde(borrow, rename = "sourceIPAddress")]
    source_ip_address: Option<Text<'a>>,
    #[serde(borrow)]
    recipient_account_id: Option<Text<'a>>,
    #[serde(borrow)]
    additional_event_data: Option<JsonMap<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Identity<'a> {
    #[serde(borrow, rename = "type")]
    identity_type: Option<Text<'a>>,
    #[serde(borrow)]
    principal_id: Option<Text<'a>>,
    #[serde(borrow)]
    details: Option<JsonMap<'a>>,
}

/// The columns of an `ActivityAuditLog` table under construction.
#[derive(Debug)]
pub(crate) struct ActivityColumns {
    /// eventversion, eventcategory, eventtype, eventid.
    head: [StringBuilder; 4],
    event_time: TimestampMillisecondBuilder,
    /// awsregion, recipientaccountid.
    middle: [StringBuilder; 2],
    addendum: TextStruct<4>,
    metadata: TextStruct<2>,
    event_data: EventDataColumns,
    event_json: StringBuilder,
}

impl ActivityColumns {
    pub(crate) fn new() -> Self {
        ActivityColumns {
            head: std::array::from_fn(|_| StringBuilder::new()),
            event_time: TimestampMillisecondBuilder::new(),
            middle: std::array::from_fn(|_| StringBuilder::new()),
            addendum: TextStruct::new(),
            metadata: TextStruct::new(),
            event_data: EventDataColumns::new(),
            event_json: StringBuilder::new(),
        }
    }

    pub(crate) fn push(&mut self, json: &str) -> Result<RowFacts, RowError> {
        let record: Record<'_> = parse_record(json)?;
        let facts = row_facts(
            &record.event_time,
            &record.event_id,
            &record.recipient_account_id,
        )?;
        let head = [
            &record.event_version,
            &record.event_category,
            &record.event_type,
            &record.event_id,
        ];
        for (column, value) in self.head.iter_mut().zip(head) {
            column.append_option(text(value));
        }
        self.event_time.append_value(facts.event_time_ms);
        let middle = [&record.aws_region, &record.recipient_account_id];
        for (column, value) in self.middle.iter_mut().zip(middle) {
            column.append_option(text(value));
        }
        self.addendum
            .append(record.addendum.as_ref().map(|addendum| {
                [
                    text(&addendum.reason),
                    text(&addendum.updated_fields),
                    text(&addendum.original_uid),
                    text(&addendum.original_event_id),
                ]
            }));
        self.metadata.append(
            record
                .metadata
                .as_ref()
                .map(|metadata| [text(&metadata.ingestion_time), text(&metadata.channel_arn)]),
        );
        self.event_data.append(record.event_data.as_ref());
        self.event_json.append_value(json);
        Ok(facts)
    }

    pub(crate) fn finish(&mut self, schema: &Schema) -> Result<Vec<ArrayRef>> {
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
        for column in &mut self.head {
            columns.push(Arc::new(column.finish()));
        }
        columns.push(Arc::new(self.event_time.finish()));
        for column in &mut self.middle {
            columns.push(Arc::new(column.finish()));
        }
        columns.push(
            self.addendum
                .finish(schema.field(columns.len()).data_type())?,
        );
        columns.push(
            self.metadata
                .finish(schema.field(columns.len()).data_type())?,
        );
        columns.push(
            self.event_data
                .finish(schema.field(columns.len()).data_type())?,
        );
        columns.push(Arc::new(self.event_json.finish()));
        Ok(columns)
    }
}

/// The `eventdata` struct.
#[derive(Debug)]
struct EventDataColumns {
    version: StringBuilder,
    identity_type: StringBuilder,
    identity_principal_id: StringBuilder,
    identity_details: MapColumn,
    identity_nulls: NullBufferBuilder,
    /// useragent, eventsource, eventname, eventtime, uid.
    call_texts: [StringBuilder; 5],
    /// requestparameters, responseelements.
    call_maps: [MapColumn; 2],
    /// errorcode, errormessage, sourceipaddress, recipientaccountid.
    outcome_texts: [StringBuilder; 4],
    additional_event_data: MapColumn,
    nulls: NullBufferBuilder,
}

impl EventDataColumns {
    fn new() -> Self {
        EventDataColumns {
            version: StringBuilder::new(),
            identity_type: StringBuilder::new(),
            identity_principal_id: StringBuilder::new(),
            identity_details: MapColumn::new(),
            identity_nulls: NullBufferBuilder::new(0),
            call_texts: std::array::from_fn(|_| StringBuilder::new()),
            call_maps: std::array::from_fn(|_| MapColumn::new()),
            outcome_texts: std::array::from_fn(|_| StringBuilder::new()),
            additional_event_data: MapColumn::new(),
            nulls: NullBufferBuilder::new(0),
        }
    }

    fn append(&mut self, data: Option<&EventData<'_>>) {
        self.version
            .append_option(data.and_then(|data| text(&data.version)));
        let identity = data.and_then(|data| data.user_identity.as_ref());
        self.identity_type
            .append_option(identity.and_then(|identity| text(&identity.identity_type)));
        self.identity_principal_id
            .append_option(identity.and_then(|identity| text(&identity.principal_id)));
        self.identity_details
            .append(identity.and_then(|identity| identity.details.as_ref()));
        self.identity_nulls.append(identity.is_some());
        let call_texts = [
            data.and_then(|data| text(&data.user_agent)),
            data.and_then(|data| text(&data.event_source)),
            data.and_then(|data| text(&data.event_name)),
            data.and_then(|data| text(&data.event_time)),
            data.and_then(|data| text(&data.uid)),
        ];
        for (column, value) in self.call_texts.iter_mut().zip(call_texts) {
            column.append_option(value);
        }
        let call_maps = [
            data.and_then(|data| data.request_parameters.as_ref()),
            data.and_then(|data| data.response_elements.as_ref()),
        ];
        for (column, value) in self.call_maps.iter_mut().zip(call_maps) {
            column.append(value);
        }
        let outcome_texts = [
            data.and_then(|data| text(&data.error_code)),
            data.and_then(|data| text(&data.error_message)),
            data.and_then(|data| text(&data.source_ip_address)),
            data.and_then(|data| text(&data.recipient_account_id)),
        ];
        for (column, value) in self.outcome_texts.iter_mut().zip(outcome_texts) {
            column.append_option(value);
        }
        self.additional_event_data
            .append(data.and_then(|data| data.additional_event_data.as_ref()));
        self.nulls.append(data.is_some());
    }

    fn finish(&mut self, data_type: &DataType) -> Result<ArrayRef> {
        let identity_type = member_type(data_type, 1)?;
        let identity = struct_array(
            identity_type,
            vec![
                Arc::new(self.identity_type.finish()),
                Arc::new(self.identity_principal_id.finish()),
                self.identity_details
                    .finish(member_type(identity_type, 2)?)?,
            ],
            self.identity_nulls.finish(),
        )?;
        let mut children: Vec<ArrayRef> = vec![Arc::new(self.version.finish()), identity];
        for column in &mut self.call_texts {
            children.push(Arc::new(column.finish()));
        }
        for column in &mut self.call_maps {
            children.push(column.finish(member_type(data_type, children.len())?)?);
        }
        for column in &mut self.outcome_texts {
            children.push(Arc::new(column.finish()));
        }
        children.push(
            self.additional_event_data
                .finish(member_type(data_type, children.len())?)?,
        );
        struct_array(data_type, children, self.nulls.finish())
    }
}
