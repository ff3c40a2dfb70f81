//! Insights tables: the trail-format record of spec §4.4 flattened as §3.4.3 and §4.5 say.

use std::sync::Arc;

use arrow::array::builder::NullBufferBuilder;
use arrow::array::{
    ArrayRef, Float64Builder, Int32Builder, StringBuilder, TimestampMillisecondBuilder,
};
use arrow::datatypes::{DataType, Schema};
use serde::Deserialize;

use crate::columns::{ListOffsets, MapColumn, item_type, member_type, struct_array};
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
    #[serde(borrow, rename = "sharedEventID")]
    shared_event_id: Option<Text<'a>>,
    #[serde(borrow)]
    addendum: Option<JsonMap<'a>>,
    /// Not in the trail format: the ARN of the source store, written by our Insights
    /// emitter when the record goes to a Lake store (§4.5 `insightSource`).
    #[serde(borrow)]
    insight_source: Option<Text<'a>>,
    #[serde(borrow)]
    insight_details: Option<InsightDetails<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InsightDetails<'a> {
    #[serde(borrow)]
    state: Option<Text<'a>>,
    #[serde(borrow)]
    event_source: Option<Text<'a>>,
    #[serde(borrow)]
    event_name: Option<Text<'a>>,
    #[serde(borrow)]
    error_code: Option<Text<'a>>,
    #[serde(borrow)]
    insight_type: Option<Text<'a>>,
    #[serde(borrow)]
    insight_context: Option<InsightContext<'a>>,
}

#[derive(Debug, Deserialize)]
struct InsightContext<'a> {
    statistics: Option<Statistics>,
    #[serde(borrow)]
    attributions: Option<Vec<Option<Attribution<'a>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Statistics {
    baseline: Option<Average>,
    insight: Option<Average>,
    insight_duration: Option<i32>,
    baseline_duration: Option<i32>,
}

#[derive(Debug, Deserialize)]
struct Average {
    average: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Attribution<'a> {
    #[serde(borrow)]
    attribute: Option<Text<'a>>,
    #[serde(borrow)]
    insight: Option<Vec<Option<Contributor<'a>>>>,
    #[serde(borrow)]
    baseline: Option<Vec<Option<Contributor<'a>>>>,
}

#[derive(Debug, Deserialize)]
struct Contributor<'a> {
    #[serde(borrow)]
    value: Option<Text<'a>>,
    average: Option<f64>,
}

/// Returns the top contributor of a list: the highest `average`, the first one on ties.
///
/// The deprecated single-value members (`insightvalue`, …) hold it (§4.5); AWS sorts the lists
/// by `average` descending, so this is the first element of a well-formed record.
fn top_contributor<'r, 'a>(
    contributors: Option<&'r Vec<Option<Contributor<'a>>>>,
) -> Option<&'r Contributor<'a>> {
    let mut best: Option<&Contributor<'a>> = None;
    for contributor in contributors.into_iter().flatten().flatten() {
        let better = match best {
            None => true,
            Some(current) => {
                contributor.average.unwrap_or(f64::NEG_INFINITY)
                    > current.average.unwrap_or(f64::NEG_INFINITY)
            }
        };
        if better {
            best = Some(contributor);
        }
    }
    best
}

/// The columns of an Insights table under construction.
#[derive(Debug)]
pub(crate) struct InsightsColumns {
    /// eventversion, eventcategory, eventtype, eventid.
    head: [StringBuilder; 4],
    event_time: TimestampMillisecondBuilder,
    /// awsregion, recipientaccountid, sharedeventid.
    middle: [StringBuilder; 3],
    addendum: MapColumn,
    /// insightsource, insightstate, insighteventsource, insighteventname, insighterrorcode,
    /// insighttype.
    insight_texts: [StringBuilder; 6],
    context: ContextColumns,
    event_json: StringBuilder,
}

impl InsightsColumns {
    pub(crate) fn new() -> Self {
        InsightsColumns {
            head: std::array::from_fn(|_| StringBuilder::new()),
            event_time: TimestampMillisecondBuilder::new(),
            middle: std::array::from_fn(|_| StringBuilder::new()),
            addendum: MapColumn::new(),
            insight_texts: std::array::from_fn(|_| StringBuilder::new()),
            context: ContextColumns::new(),
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
        let middle = [
            &record.aws_region,
            &record.recipient_account_id,
            &record.shared_event_id,
        ];
        for (column, value) in self.middle.iter_mut().zip(middle) {
            column.append_option(text(value));
        }
        self.addendum.append(record.addendum.as_ref());
        let details = record.insight_details.as_ref();
        let insight_texts = [
            text(&record.insight_source),
            details.and_then(|details| text(&details.state)),
            details.and_then(|details| text(&details.event_source)),
            details.and_then(|details| text(&details.event_name)),
            details.and_then(|details| text(&details.error_code)),
            details.and_then(|details| text(&details.insight_type)),
        ];
        for (column, value) in self.insight_texts.iter_mut().zip(insight_texts) {
            column.append_option(value);
        }
        self.context
            .append(details.and_then(|details| details.insight_context.as_ref()));
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
        for column in &mut self.insight_texts {
            columns.push(Arc::new(column.finish()));
        }
        columns.push(
            self.context
                .finish(schema.field(columns.len()).data_type())?,
        );
        columns.push(Arc::new(self.event_json.finish()));
        Ok(columns)
    }
}

/// The `insightcontext` struct.
#[derive(Debug)]
struct ContextColumns {
    baseline_average: Float64Builder,
    insight_average: Float64Builder,
    baseline_duration: Int32Builder,
    insight_duration: Int32Builder,
    attributions: ListOffsets,
    attribution_items: AttributionColumns,
    nulls: NullBufferBuilder,
}

impl ContextColumns {
    fn new() -> Self {
        ContextColumns {
            baseline_average: Float64Builder::new(),
            insight_average: Float64Builder::new(),
            baseline_duration: Int32Builder::new(),
            insight_duration: Int32Builder::new(),
            attributions: ListOffsets::new(),
            attribution_items: AttributionColumns::new(),
            nulls: NullBufferBuilder::new(0),
        }
    }

    fn append(&mut self, context: Option<&InsightContext<'_>>) {
        let statistics = context.and_then(|context| context.statistics.as_ref());
        self.baseline_average.append_option(
            statistics
                .and_then(|statistics| statistics.baseline.as_ref())
                .and_then(|baseline| baseline.average),
        );
        self.insight_average.append_option(
            statistics
                .and_then(|statistics| statistics.insight.as_ref())
                .and_then(|insight| insight.average),
        );
        self.baseline_duration
            .append_option(statistics.and_then(|statistics| statistics.baseline_duration));
        self.insight_duration
            .append_option(statistics.and_then(|statistics| statistics.insight_duration));
        let attributions = context.and_then(|context| context.attributions.as_ref());
        for attribution in attributions.into_iter().flatten() {
            self.attribution_items.append(attribution.as_ref());
        }
        self.attributions
            .append(self.attribution_items.len(), attributions.is_some());
        self.nulls.append(context.is_some());
    }

    fn finish(&mut self, data_type: &DataType) -> Result<ArrayRef> {
        let attributions_type = member_type(data_type, 4)?;
        let items = self
            .attribution_items
            .finish(item_type(attributions_type)?)?;
        let children: Vec<ArrayRef> = vec![
            Arc::new(self.baseline_average.finish()),
            Arc::new(self.insight_average.finish()),
            Arc::new(self.baseline_duration.finish()),
            Arc::new(self.insight_duration.finish()),
            self.attributions.finish(attributions_type, items)?,
        ];
        struct_array(data_type, children, self.nulls.finish())
    }
}

/// The items of `insightcontext.attributions`.
#[derive(Debug)]
struct AttributionColumns {
    attribute: StringBuilder,
    insight: ContributorColumns,
    baseline: ContributorColumns,
    insight_value: StringBuilder,
    insight_average: Float64Builder,
    baseline_value: StringBuilder,
    baseline_average: Float64Builder,
    nulls: NullBufferBuilder,
}

impl AttributionColumns {
    fn new() -> Self {
        AttributionColumns {
            attribute: StringBuilder::new(),
            insight: ContributorColumns::new(),
            baseline: ContributorColumns::new(),
            insight_value: StringBuilder::new(),
            insight_average: Float64Builder::new(),
            baseline_value: StringBuilder::new(),
            baseline_average: Float64Builder::new(),
            nulls: NullBufferBuilder::new(0),
        }
    }

    fn len(&self) -> usize {
        self.nulls.len()
    }

    fn append(&mut self, attribution: Option<&Attribution<'_>>) {
        self.attribute
            .append_option(attribution.and_then(|attribution| text(&attribution.attribute)));
        let insight = attribution.and_then(|attribution| attribution.insight.as_ref());
        let baseline = attribution.and_then(|attribution| attribution.baseline.as_ref());
        self.insight.append(insight);
        self.baseline.append(baseline);
        let top_insight = top_contributor(insight);
        let top_baseline = top_contributor(baseline);
        self.insight_value
            .append_option(top_insight.and_then(|top| text(&top.value)));
        self.insight_average
            .append_option(top_insight.and_then(|top| top.average));
        self.baseline_value
            .append_option(top_baseline.and_then(|top| text(&top.value)));
        self.baseline_average
            .append_option(top_baseline.and_then(|top| top.average));
        self.nulls.append(attribution.is_some());
    }

    fn finish(&mut self, data_type: &DataType) -> Result<ArrayRef> {
        let children: Vec<ArrayRef> = vec![
            Arc::new(self.attribute.finish()),
            self.insight.finish(member_type(data_type, 1)?)?,
            self.baseline.finish(member_type(data_type, 2)?)?,
            Arc::new(self.insight_value.finish()),
            Arc::new(self.insight_average.finish()),
            Arc::new(self.baseline_value.finish()),
            Arc::new(self.baseline_average.finish()),
        ];
        struct_array(data_type, children, self.nulls.finish())
    }
}

/// A `list<struct<value string, average double>>` of contributors.
#[derive(Debug)]
struct ContributorColumns {
    lists: ListOffsets,
    value: StringBuilder,
    average: Float64Builder,
    nulls: NullBufferBuilder,
}

impl ContributorColumns {
    fn new() -> Self {
        ContributorColumns {
            lists: ListOffsets::new(),
            value: StringBuilder::new(),
            average: Float64Builder::new(),
            nulls: NullBufferBuilder::new(0),
        }
    }

    fn append(&mut self, contributors: Option<&Vec<Option<Contributor<'_>>>>) {
        for contributor in contributors.into_iter().flatten() {
            let contributor = contributor.as_ref();
            self.value
                .append_option(contributor.and_then(|contributor| text(&contributor.value)));
            self.average
                .append_option(contributor.and_then(|contributor| contributor.average));
            self.nulls.append(contributor.is_some());
        }
        self.lists.append(self.nulls.len(), contributors.is_some());
    }

    fn finish(&mut self, data_type: &DataType) -> Result<ArrayRef> {
        let items = struct_array(
            item_type(data_type)?,
            vec![
                Arc::new(self.value.finish()),
                Arc::new(self.average.finish()),
            ],
            self.nulls.finish(),
        )?;
        self.lists.finish(data_type, items)
    }
}
