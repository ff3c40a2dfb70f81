//! JSON functions. Trino's `json` type is JSON text in a `varchar` here, so every function
//! takes and returns strings; `json_format` is the identity.
//!
//! NULL rules follow Trino: the extract family and the `json_array_*` functions return
//! NULL for text that is not JSON; `json_parse` and `is_json_scalar` fail on it; a bad
//! JSON path always fails.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Int64Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::error::Result;
use datafusion::logical_expr::ScalarUDF;
use opentrail_types::json_text;
use serde_json::value::RawValue;

use crate::error::Error;
use crate::jsonpath::{self, JsonKind, JsonPath};
use crate::udf::{Udf, arity, is_integer, is_string, unsupported};

/// The functions of this module.
pub(crate) fn functions() -> Vec<Arc<ScalarUDF>> {
    let utf8 = |_: &[DataType]| Ok(DataType::Utf8);
    let int64 = |_: &[DataType]| Ok(DataType::Int64);
    let boolean = |_: &[DataType]| Ok(DataType::Boolean);
    vec![
        Udf::new("json_extract", coerce_json_and_path, utf8, json_extract).into_udf(),
        Udf::new(
            "json_extract_scalar",
            coerce_json_and_path,
            utf8,
            json_extract_scalar,
        )
        .into_udf(),
        Udf::new("json_size", coerce_json_and_path, int64, json_size).into_udf(),
        Udf::new("json_parse", coerce_one_string, utf8, json_parse).into_udf(),
        Udf::new("json_format", coerce_one_string, utf8, |args, _| {
            Ok(Arc::clone(&args[0]))
        })
        .into_udf(),
        Udf::new("is_json_scalar", coerce_one_string, boolean, is_json_scalar).into_udf(),
        Udf::new(
            "json_array_length",
            coerce_one_string,
            int64,
            json_array_length,
        )
        .into_udf(),
        Udf::new("json_array_get", coerce_array_get, utf8, json_array_get).into_udf(),
        Udf::new(
            "json_array_contains",
            coerce_array_contains,
            boolean,
            json_array_contains,
        )
        .into_udf(),
    ]
}

fn coerce_json_and_path(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("json_extract", types, 2, 2)?;
    if !is_string(&types[0]) || !is_string(&types[1]) {
        return unsupported("json_extract", types);
    }
    Ok(vec![DataType::Utf8, DataType::Utf8])
}

fn coerce_one_string(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("json_parse", types, 1, 1)?;
    if !is_string(&types[0]) {
        return unsupported("json_parse", types);
    }
    Ok(vec![DataType::Utf8])
}

fn coerce_array_get(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("json_array_get", types, 2, 2)?;
    if !is_string(&types[0]) || !is_integer(&types[1]) {
        return unsupported("json_array_get", types);
    }
    Ok(vec![DataType::Utf8, DataType::Int64])
}

fn coerce_array_contains(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("json_array_contains", types, 2, 2)?;
    if !is_string(&types[0]) {
        return unsupported("json_array_contains", types);
    }
    let value = match &types[1] {
        DataType::Boolean => DataType::Boolean,
        other if other.is_integer() => DataType::Int64,
        other if other.is_numeric() => DataType::Float64,
        other if is_string(other) => DataType::Utf8,
        _ => return unsupported("json_array_contains", types),
    };
    Ok(vec![DataType::Utf8, value])
}

/// Applies `extract` to the value found at each row's path; the path is parsed once per
/// distinct consecutive value (it is nearly always a literal).
fn at_path<T>(
    args: &[ArrayRef],
    mut extract: impl FnMut(&RawValue) -> Option<T>,
) -> Result<Vec<Option<T>>> {
    let (documents, paths) = (args[0].as_string::<i32>(), args[1].as_string::<i32>());
    let mut parsed: Option<(&str, JsonPath)> = None;
    let mut out = Vec::with_capacity(documents.len());
    for row in 0..documents.len() {
        if documents.is_null(row) || paths.is_null(row) {
            out.push(None);
            continue;
        }
        let text = paths.value(row);
        if !matches!(&parsed, Some((previous, _)) if *previous == text) {
            parsed = Some((text, JsonPath::parse(text)?));
        }
        let found = parsed
            .as_ref()
            .and_then(|(_, path)| path.find(documents.value(row)));
        out.push(found.and_then(&mut extract));
    }
    Ok(out)
}

/// `json_extract(json, path)`: the JSON text at `path`, compact, key order kept (Trino copies
/// extracted values as written: number spelling and string escapes stay).
fn json_extract(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let values = at_path(args, |raw| Some(json_text::compact(raw.get())))?;
    Ok(Arc::new(StringArray::from(values)))
}

/// `json_extract_scalar(json, path)`: the scalar at `path` as text; NULL for objects,
/// arrays and JSON null.
fn json_extract_scalar(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let values = at_path(args, jsonpath::scalar_text)?;
    Ok(Arc::new(StringArray::from(values)))
}

/// `json_size(json, path)`: members of the object or elements of the array at `path`,
/// 0 for a scalar.
fn json_size(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let values = at_path(args, |raw| match jsonpath::kind(raw) {
        JsonKind::Object | JsonKind::Array => jsonpath::container_size(raw).map(|size| size as i64),
        _ => Some(0),
    })?;
    Ok(Arc::new(Int64Array::from(values)))
}

/// `json_parse(text)`: the JSON value, compact with object keys sorted as Trino writes it.
fn json_parse(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let texts = args[0].as_string::<i32>();
    let mut out = Vec::with_capacity(texts.len());
    for text in texts.iter() {
        let Some(text) = text else {
            out.push(None);
            continue;
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|_| Error::invalid_json("json_parse", text))?;
        out.push(Some(value.to_string()));
    }
    Ok(Arc::new(StringArray::from(out)))
}

/// `is_json_scalar(json)`: whether the value is a number, string, boolean or null.
fn is_json_scalar(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let texts = args[0].as_string::<i32>();
    let mut out = Vec::with_capacity(texts.len());
    for text in texts.iter() {
        let Some(text) = text else {
            out.push(None);
            continue;
        };
        let raw: &RawValue =
            serde_json::from_str(text).map_err(|_| Error::invalid_json("is_json_scalar", text))?;
        out.push(Some(!matches!(
            jsonpath::kind(raw),
            JsonKind::Object | JsonKind::Array
        )));
    }
    Ok(Arc::new(BooleanArray::from(out)))
}

/// Parses each row as a JSON array; rows that are NULL, not JSON or not arrays give NULL.
fn for_each_array<T>(
    documents: &ArrayRef,
    mut apply: impl FnMut(usize, Vec<&RawValue>) -> Option<T>,
) -> Vec<Option<T>> {
    let documents = documents.as_string::<i32>();
    let mut out = Vec::with_capacity(documents.len());
    for row in 0..documents.len() {
        if documents.is_null(row) {
            out.push(None);
            continue;
        }
        let elements = serde_json::from_str::<&RawValue>(documents.value(row))
            .ok()
            .filter(|raw| jsonpath::kind(raw) == JsonKind::Array)
            .and_then(jsonpath::array_elements);
        out.push(elements.and_then(|elements| apply(row, elements)));
    }
    out
}

/// `json_array_length(json)`: the number of elements of a JSON array.
fn json_array_length(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let values = for_each_array(&args[0], |_, elements| Some(elements.len() as i64));
    Ok(Arc::new(Int64Array::from(values)))
}

/// `json_array_get(json, index)`: the element at 0-based `index` (from the end when
/// negative), scalars as text like `json_extract_scalar`, containers as JSON text.
fn json_array_get(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let indexes = args[1].as_primitive::<Int64Type>();
    let values = for_each_array(&args[0], |row, elements| {
        if indexes.is_null(row) {
            return None;
        }
        let index = indexes.value(row);
        let len = elements.len() as i64;
        let position = if index < 0 {
            len.checked_add(index)?
        } else {
            index
        };
        if !(0..len).contains(&position) {
            return None;
        }
        let element = elements[position as usize];
        match jsonpath::kind(element) {
            JsonKind::Object | JsonKind::Array => Some(json_text::compact(element.get())),
            _ => jsonpath::scalar_text(element),
        }
    });
    Ok(Arc::new(StringArray::from(values)))
}

/// `json_array_contains(json, value)`: whether a top-level element of the array equals
/// `value`, comparing only elements of the same JSON kind (an integer matches a bigint, any
/// number a double).
fn json_array_contains(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let needles = &args[1];
    let values = for_each_array(&args[0], |row, elements| {
        if needles.is_null(row) {
            return None;
        }
        let found = match needles.data_type() {
            DataType::Boolean => {
                let wanted = needles.as_boolean().value(row);
                elements
                    .iter()
                    .any(|element| element.get().trim() == if wanted { "true" } else { "false" })
            }
            DataType::Int64 => {
                let wanted = needles.as_primitive::<Int64Type>().value(row);
                elements
                    .iter()
                    .any(|element| element.get().trim().parse::<i64>().ok() == Some(wanted))
            }
            DataType::Float64 => {
                let wanted = needles.as_primitive::<Float64Type>().value(row);
                elements.iter().any(|element| {
                    jsonpath::kind(element) == JsonKind::Number
                        && element.get().trim().parse::<f64>().ok() == Some(wanted)
                })
            }
            _ => {
                let wanted = needles.as_string::<i32>().value(row);
                elements.iter().any(|element| {
                    jsonpath::kind(element) == JsonKind::String
                        && jsonpath::scalar_text(element).as_deref() == Some(wanted)
                })
            }
        };
        Some(found)
    });
    Ok(Arc::new(BooleanArray::from(values)))
}
