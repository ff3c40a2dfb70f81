//! Conditional and type functions: `if(condition, a [, b])` and `typeof(x)`.
//!
//! `try_cast` is SQL syntax DataFusion already plans. `try(expression)` cannot be a
//! function here: arguments are evaluated before a function runs, so it cannot catch
//! their errors.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, StringArray, new_null_array,
};
use datafusion::arrow::compute::kernels::zip::zip;
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::error::Result;
use datafusion::logical_expr::ScalarUDF;
use datafusion::logical_expr::type_coercion::binary::type_union_resolution;

use crate::udf::{Udf, arity, rows, unsupported};

/// The functions of this module.
pub(crate) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        Udf::new("if", coerce_if, |types| Ok(types[1].clone()), if_kernel).into_udf(),
        Udf::new(
            "typeof",
            |types| Ok(types.to_vec()),
            |_| Ok(DataType::Utf8),
            typeof_kernel,
        )
        .into_udf(),
    ]
}

fn coerce_if(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("if", types, 2, 3)?;
    if !matches!(types[0], DataType::Boolean | DataType::Null) {
        return unsupported("if", types);
    }
    let Some(common) = type_union_resolution(&types[1..]) else {
        return unsupported("if", types);
    };
    let mut coerced = vec![DataType::Boolean];
    coerced.extend(std::iter::repeat_n(common, types.len() - 1));
    Ok(coerced)
}

/// `if(condition, a [, b])`: `a` where `condition` is true, else `b` (NULL without `b`).
/// Both branches are evaluated for every row, unlike Trino's lazy `if`.
fn if_kernel(args: &[ArrayRef], return_type: &DataType) -> Result<ArrayRef> {
    let condition: BooleanArray = args[0]
        .as_boolean()
        .iter()
        .map(|value| Some(value == Some(true)))
        .collect();
    let otherwise = match args.get(2) {
        Some(otherwise) => Arc::clone(otherwise),
        None => new_null_array(return_type, rows(args)),
    };
    Ok(zip(&condition, &args[1], &otherwise)?)
}

/// `typeof(x)`: the Trino name of the argument's type (`varchar`, `bigint`,
/// `timestamp(3)`, `map(varchar, varchar)`, `array(row(arn varchar))`, …).
fn typeof_kernel(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let name = trino_type_name(args[0].data_type());
    Ok(Arc::new(StringArray::from(vec![name; args[0].len()])))
}

/// Returns Trino's spelling of an Arrow type.
pub(crate) fn trino_type_name(data_type: &DataType) -> String {
    match data_type {
        DataType::Null => "unknown".to_owned(),
        DataType::Boolean => "boolean".to_owned(),
        DataType::Int8 => "tinyint".to_owned(),
        DataType::Int16 | DataType::UInt8 => "smallint".to_owned(),
        DataType::Int32 | DataType::UInt16 => "integer".to_owned(),
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint".to_owned(),
        DataType::Float16 | DataType::Float32 => "real".to_owned(),
        DataType::Float64 => "double".to_owned(),
        DataType::Decimal32(precision, scale)
        | DataType::Decimal64(precision, scale)
        | DataType::Decimal128(precision, scale) => format!("decimal({precision},{scale})"),
        DataType::Decimal256(precision, scale) => format!("decimal({precision},{scale})"),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "varchar".to_owned(),
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => "varbinary".to_owned(),
        DataType::Date32 | DataType::Date64 => "date".to_owned(),
        DataType::Timestamp(unit, zone) => {
            let precision = match unit {
                TimeUnit::Second => 0,
                TimeUnit::Millisecond => 3,
                TimeUnit::Microsecond => 6,
                TimeUnit::Nanosecond => 9,
            };
            let zone = if zone.is_some() {
                " with time zone"
            } else {
                ""
            };
            format!("timestamp({precision}){zone}")
        }
        DataType::List(field)
        | DataType::LargeList(field)
        | DataType::ListView(field)
        | DataType::LargeListView(field)
        | DataType::FixedSizeList(field, _) => {
            format!("array({})", trino_type_name(field.data_type()))
        }
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(fields) if fields.len() == 2 => {
                format!(
                    "map({}, {})",
                    trino_type_name(fields[0].data_type()),
                    trino_type_name(fields[1].data_type())
                )
            }
            other => trino_type_name(other),
        },
        DataType::Struct(fields) => {
            let members: Vec<String> = fields
                .iter()
                .map(|field| format!("{} {}", field.name(), trino_type_name(field.data_type())))
                .collect();
            format!("row({})", members.join(", "))
        }
        DataType::Dictionary(_, value) => trino_type_name(value),
        other => other.to_string().to_lowercase(),
    }
}
