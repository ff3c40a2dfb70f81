//! The Arrow schema of each store kind (spec §3.4.2, §3.4.3 with §4.5, §3.4.4).
//!
//! Names are the lowercase forms CloudTrail Lake shows; SQL resolves them
//! case-insensitively. Every column and member is nullable except `eventtime` (a row
//! without an event time is refused) and map keys (Arrow requires them).

use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use arrow::datatypes::{DataType, Field, FieldRef, Fields, Schema, SchemaRef, TimeUnit};

use crate::TableKind;

/// Name of the map entries field (`entries`, with `keys` and `values`, as Arrow's `MapBuilder`).
const MAP_ENTRIES: &str = "entries";
/// Name of list item fields (Arrow's default).
const LIST_ITEM: &str = "item";

/// Returns the Arrow schema of tables of `kind`.
pub fn schema(kind: TableKind) -> SchemaRef {
    static CLOUDTRAIL: LazyLock<SchemaRef> = LazyLock::new(cloudtrail_schema);
    static INSIGHTS: LazyLock<SchemaRef> = LazyLock::new(insights_schema);
    static ACTIVITY: LazyLock<SchemaRef> = LazyLock::new(activity_audit_log_schema);
    match kind {
        TableKind::CloudTrail => Arc::clone(&CLOUDTRAIL),
        TableKind::Insights => Arc::clone(&INSIGHTS),
        TableKind::ActivityAuditLog => Arc::clone(&ACTIVITY),
    }
}

/// The `eventtime` type: milliseconds since the epoch, no zone attached, holding UTC.
pub fn event_time_type() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, None)
}

/// The type of every `map<string,string>` column: Utf8 keys, nullable Utf8 values, unsorted.
pub fn string_map_type() -> DataType {
    let entries = Fields::from(vec![
        Field::new("keys", DataType::Utf8, false),
        Field::new("values", DataType::Utf8, true),
    ]);
    DataType::Map(
        Arc::new(Field::new(MAP_ENTRIES, DataType::Struct(entries), false)),
        false,
    )
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn texts(names: &[&str]) -> Vec<Field> {
    names.iter().map(|name| text(name)).collect()
}

fn map(name: &str) -> Field {
    Field::new(name, string_map_type(), true)
}

fn structure(name: &str, members: Vec<Field>) -> Field {
    Field::new(name, DataType::Struct(Fields::from(members)), true)
}

fn list_of_structs(name: &str, members: Vec<Field>) -> Field {
    let item = Field::new(LIST_ITEM, DataType::Struct(Fields::from(members)), true);
    Field::new(name, DataType::List(Arc::new(item)), true)
}

fn event_time() -> Field {
    Field::new("eventtime", event_time_type(), false)
}

fn cloudtrail_schema() -> SchemaRef {
    let session_context = structure(
        "sessioncontext",
        vec![
            structure(
                "attributes",
                vec![
                    Field::new("creationdate", event_time_type(), true),
                    text("mfaauthenticated"),
                ],
            ),
            structure(
                "sessionissuer",
                texts(&["type", "principalid", "arn", "accountid", "username"]),
            ),
            structure(
                "webidfederationdata",
                vec![text("federatedprovider"), map("attributes")],
            ),
            text("sourceidentity"),
            text("ec2roledelivery"),
            text("ec2issuedinvpc"),
        ],
    );
    let mut identity = texts(&[
        "type",
        "principalid",
        "arn",
        "accountid",
        "accesskeyid",
        "username",
    ]);
    identity.push(session_context);
    identity.push(structure(
        "onbehalfof",
        texts(&["userid", "identitystorearn"]),
    ));
    identity.push(structure(
        "inscopeof",
        texts(&[
            "sourcearn",
            "sourceaccount",
            "issuertype",
            "credentialsissuedto",
        ]),
    ));
    identity.extend(texts(&["invokedby", "identityprovider"]));

    let mut columns = vec![
        text("eventversion"),
        structure("useridentity", identity),
        event_time(),
    ];
    columns.extend(texts(&[
        "eventsource",
        "eventname",
        "awsregion",
        "sourceipaddress",
        "useragent",
        "errorcode",
        "errormessage",
    ]));
    columns.extend([
        map("requestparameters"),
        map("responseelements"),
        map("additionaleventdata"),
    ]);
    columns.extend(texts(&["requestid", "eventid"]));
    columns.push(Field::new("readonly", DataType::Boolean, true));
    columns.push(list_of_structs(
        "resources",
        texts(&["accountid", "type", "arn", "arnprefix"]),
    ));
    columns.extend(texts(&["eventtype", "apiversion"]));
    columns.push(Field::new("managementevent", DataType::Boolean, true));
    columns.extend(texts(&[
        "recipientaccountid",
        "sharedeventid",
        "annotation",
        "vpcendpointid",
        "vpcendpointaccountid",
    ]));
    columns.extend([
        map("serviceeventdetails"),
        map("addendum"),
        map("edgedevicedetails"),
        map("insightdetails"),
    ]);
    columns.push(text("eventcategory"));
    columns.push(structure(
        "tlsdetails",
        texts(&["tlsversion", "ciphersuite", "clientprovidedhostheader"]),
    ));
    columns.extend(texts(&[
        "sessioncredentialfromconsole",
        "eventjson",
        "eventjsonchecksum",
    ]));
    Arc::new(Schema::new(columns))
}

fn contributors(name: &str) -> Field {
    list_of_structs(
        name,
        vec![
            text("value"),
            Field::new("average", DataType::Float64, true),
        ],
    )
}

fn insights_schema() -> SchemaRef {
    let attribution = vec![
        text("attribute"),
        contributors("insight"),
        contributors("baseline"),
        text("insightvalue"),
        Field::new("insightaverage", DataType::Float64, true),
        text("baselinevalue"),
        Field::new("baselineaverage", DataType::Float64, true),
    ];
    let context = structure(
        "insightcontext",
        vec![
            Field::new("baselineaverage", DataType::Float64, true),
            Field::new("insightaverage", DataType::Float64, true),
            Field::new("baselineduration", DataType::Int32, true),
            Field::new("insightduration", DataType::Int32, true),
            list_of_structs("attributions", attribution),
        ],
    );
    let mut columns = texts(&["eventversion", "eventcategory", "eventtype", "eventid"]);
    columns.push(event_time());
    columns.extend(texts(&["awsregion", "recipientaccountid", "sharedeventid"]));
    columns.push(map("addendum"));
    columns.extend(texts(&[
        "insightsource",
        "insightstate",
        "insighteventsource",
        "insighteventname",
        "insighterrorcode",
        "insighttype",
    ]));
    columns.push(context);
    columns.push(text("eventjson"));
    Arc::new(Schema::new(columns))
}

fn activity_audit_log_schema() -> SchemaRef {
    let identity = structure(
        "useridentity",
        vec![text("type"), text("principalid"), map("details")],
    );
    let mut event_data = vec![text("version"), identity];
    event_data.extend(texts(&[
        "useragent",
        "eventsource",
        "eventname",
        "eventtime",
        "uid",
    ]));
    event_data.extend([map("requestparameters"), map("responseelements")]);
    event_data.extend(texts(&[
        "errorcode",
        "errormessage",
        "sourceipaddress",
        "recipientaccountid",
    ]));
    event_data.push(map("additionaleventdata"));

    let mut columns = texts(&["eventversion", "eventcategory", "eventtype", "eventid"]);
    columns.push(event_time());
    columns.extend(texts(&["awsregion", "recipientaccountid"]));
    columns.push(structure(
        "addendum",
        texts(&["reason", "updatedfields", "originaluid", "originaleventid"]),
    ));
    columns.push(structure(
        "metadata",
        texts(&["ingestiontime", "channelarn"]),
    ));
    columns.push(structure("eventdata", event_data));
    columns.push(text("eventjson"));
    Arc::new(Schema::new(columns))
}

/// Renders a schema as indented text, one field per line: `name: type[, not null]`.
///
/// Struct members, list items and map entries are indented under their parent. The goldens
/// under `tests/golden/` are written with this, so a change of any type or name shows in review.
pub fn describe_schema(schema: &Schema) -> String {
    let mut out = String::new();
    for field in schema.fields() {
        describe_field(&mut out, field, 0);
    }
    out
}

fn describe_field(out: &mut String, field: &FieldRef, depth: usize) {
    let indent = "  ".repeat(depth);
    let nullability = if field.is_nullable() {
        ""
    } else {
        ", not null"
    };
    let type_name = match field.data_type() {
        DataType::Struct(_) => String::from("struct"),
        DataType::List(_) => String::from("list"),
        DataType::Map(_, sorted) => format!("map (sorted: {sorted})"),
        other => format!("{other:?}"),
    };
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{indent}{}: {type_name}{nullability}", field.name());
    match field.data_type() {
        DataType::Struct(members) => {
            for member in members {
                describe_field(out, member, depth + 1);
            }
        }
        DataType::List(item) | DataType::Map(item, _) => describe_field(out, item, depth + 1),
        _ => {}
    }
}
