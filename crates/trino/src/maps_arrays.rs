//! Map and array functions: `element_at`, `contains`, `array_max`, `array_min`, `slice`,
//! and Trino's names for DataFusion's lambda functions (`transform`, `filter`).
//!
//! DataFusion's `cardinality`, `map_keys`, `map_values`, `array_join` and
//! `array_distinct` already behave as Trino's and are left in place.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, BooleanBuilder, GenericListArray, Int64Array,
    ListArray, MapArray, Scalar, UInt64Array, UInt64Builder, new_null_array,
};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::kernels::cmp;
use datafusion::arrow::compute::{cast, nullif, take};
use datafusion::arrow::datatypes::{DataType, Field, Int64Type};
use datafusion::common::config::ConfigOptions;
use datafusion::error::Result;
use datafusion::logical_expr::type_coercion::binary::comparison_coercion;
use datafusion::logical_expr::{ColumnarValue, HigherOrderUDF, ScalarFunctionArgs, ScalarUDF};

use crate::error::Error;
use crate::udf::{Udf, arity, is_integer, is_string, list_element, rows, unsupported};

/// The scalar functions of this module.
pub(crate) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        Udf::new(
            "element_at",
            coerce_element_at,
            return_element_at,
            element_at,
        )
        .into_udf(),
        Udf::new(
            "contains",
            coerce_contains,
            |_| Ok(DataType::Boolean),
            contains,
        )
        .into_udf(),
        Udf::new("array_max", coerce_one_list, return_list_element, array_max).into_udf(),
        Udf::new("array_min", coerce_one_list, return_list_element, array_min).into_udf(),
        Udf::new("slice", coerce_slice, |types| Ok(types[0].clone()), slice).into_udf(),
    ]
}

/// DataFusion's lambda functions under their Trino names.
pub(crate) fn higher_order_functions() -> Vec<Arc<HigherOrderUDF>> {
    use datafusion::functions_nested::{array_filter, array_transform};
    let aliased = |function: Arc<HigherOrderUDF>, alias: &'static str| {
        Arc::new(
            HigherOrderUDF::new_from_shared_impl(Arc::clone(function.inner()))
                .with_aliases([alias]),
        )
    };
    vec![
        aliased(
            array_transform::array_transform_higher_order_function(),
            "transform",
        ),
        aliased(array_filter::array_filter_higher_order_function(), "filter"),
    ]
}

/// Lists of every flavour become `List`, so kernels see one layout.
fn as_list_type(data_type: &DataType) -> Option<DataType> {
    let element = list_element(data_type)?;
    Some(DataType::new_list(element.clone(), true))
}

fn coerce_element_at(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("element_at", types, 2, 2)?;
    match &types[0] {
        DataType::Map(entries, _) => {
            let DataType::Struct(fields) = entries.data_type() else {
                return unsupported("element_at", types);
            };
            Ok(vec![types[0].clone(), fields[0].data_type().clone()])
        }
        DataType::Null if is_integer(&types[1]) => Ok(vec![DataType::Null, DataType::Int64]),
        other => match as_list_type(other) {
            Some(list) if is_integer(&types[1]) => Ok(vec![list, DataType::Int64]),
            _ => unsupported("element_at", types),
        },
    }
}

fn return_element_at(types: &[DataType]) -> Result<DataType> {
    match &types[0] {
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(fields) if fields.len() == 2 => Ok(fields[1].data_type().clone()),
            _ => unsupported("element_at", types),
        },
        DataType::Null => Ok(DataType::Null),
        other => list_element(other)
            .cloned()
            .map_or_else(|| unsupported("element_at", types), Ok),
    }
}

/// `element_at(map, key)` is the value for `key` (NULL when absent); `element_at(array, i)`
/// is the element at 1-based `i`, counted from the end when negative, NULL when out of range.
fn element_at(args: &[ArrayRef], return_type: &DataType) -> Result<ArrayRef> {
    match args[0].data_type() {
        DataType::Map(..) => map_element_at(args[0].as_map(), &args[1]),
        DataType::List(_) => list_element_at(args[0].as_list::<i32>(), args[1].as_primitive()),
        _ => Ok(new_null_array(return_type, rows(args))),
    }
}

fn map_element_at(map: &MapArray, keys: &ArrayRef) -> Result<ArrayRef> {
    let mut indices = UInt64Builder::with_capacity(map.len());
    let offsets = map.value_offsets();
    let map_keys = map.keys();
    let string_keys = map_keys
        .as_string_opt::<i32>()
        .zip(keys.as_string_opt::<i32>());
    for row in 0..map.len() {
        if map.is_null(row) || keys.is_null(row) {
            indices.append_null();
            continue;
        }
        let (start, end) = (offsets[row] as usize, offsets[row + 1] as usize);
        // Trino maps have unique keys, so the first match is the only one.
        let found = if let Some((map_keys, wanted)) = string_keys {
            let wanted = wanted.value(row);
            (start..end).find(|&entry| map_keys.is_valid(entry) && map_keys.value(entry) == wanted)
        } else {
            let matches = cmp::eq(
                &map_keys.slice(start, end - start),
                &Scalar::new(keys.slice(row, 1)),
            )?;
            (0..matches.len())
                .find(|&entry| matches.is_valid(entry) && matches.value(entry))
                .map(|entry| start + entry)
        };
        indices.append_option(found.map(|entry| entry as u64));
    }
    Ok(take(map.values().as_ref(), &indices.finish(), None)?)
}

/// Resolves a Trino array subscript to a 0-based position within `len` elements.
fn resolve_index(function: &'static str, index: i64, len: usize) -> Result<Option<usize>> {
    let len = len as i64;
    if index == 0 {
        return Err(Error::invalid_argument(function, "sql array indices start at 1").into());
    }
    let position = if index > 0 { index - 1 } else { len + index };
    Ok((0..len).contains(&position).then_some(position as usize))
}

fn list_element_at(list: &ListArray, indexes: &Int64Array) -> Result<ArrayRef> {
    let mut positions = UInt64Builder::with_capacity(list.len());
    let offsets = list.value_offsets();
    for row in 0..list.len() {
        if list.is_null(row) || indexes.is_null(row) {
            positions.append_null();
            continue;
        }
        let start = offsets[row] as usize;
        let len = offsets[row + 1] as usize - start;
        let position = resolve_index("element_at", indexes.value(row), len)?;
        positions.append_option(position.map(|position| (start + position) as u64));
    }
    Ok(take(list.values().as_ref(), &positions.finish(), None)?)
}

fn coerce_contains(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("contains", types, 2, 2)?;
    if is_string(&types[0]) && is_string(&types[1]) {
        return Ok(vec![DataType::Utf8, DataType::Utf8]);
    }
    let Some(element) = list_element(&types[0]) else {
        return unsupported("contains", types);
    };
    let Some(common) = comparison_coercion(element, &types[1]) else {
        return unsupported("contains", types);
    };
    Ok(vec![DataType::new_list(common.clone(), true), common])
}

/// `contains(array, x)` as Trino: true when an element equals `x`; otherwise NULL when the
/// array holds a NULL, else false. `contains(string, substring)` keeps DataFusion's meaning.
fn contains(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    if let (Some(haystacks), Some(needles)) = (
        args[0].as_string_opt::<i32>(),
        args[1].as_string_opt::<i32>(),
    ) {
        let result: BooleanArray = haystacks
            .iter()
            .zip(needles.iter())
            .map(|(haystack, needle)| Some(haystack?.contains(needle?)))
            .collect();
        return Ok(Arc::new(result));
    }
    let Some(list) = args[0].as_list_opt::<i32>() else {
        return Ok(new_null_array(&DataType::Boolean, rows(args)));
    };
    let needles = &args[1];
    let mut result = BooleanBuilder::with_capacity(list.len());
    for row in 0..list.len() {
        if list.is_null(row) || needles.is_null(row) {
            result.append_null();
            continue;
        }
        let elements = list.value(row);
        let matches = cmp::eq(&elements, &Scalar::new(needles.slice(row, 1)))?;
        if matches.true_count() > 0 {
            result.append_value(true);
        } else if elements.null_count() > 0 {
            result.append_null();
        } else {
            result.append_value(false);
        }
    }
    Ok(Arc::new(result.finish()))
}

fn coerce_one_list(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("array_max", types, 1, 1)?;
    match as_list_type(&types[0]) {
        Some(list) => Ok(vec![list]),
        None => unsupported("array_max", types),
    }
}

fn return_list_element(types: &[DataType]) -> Result<DataType> {
    list_element(&types[0])
        .cloned()
        .map_or_else(|| unsupported("array_max", types), Ok)
}

static ARRAY_MAX: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(datafusion::functions_nested::min_max::array_max_udf);
static ARRAY_MIN: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(datafusion::functions_nested::min_max::array_min_udf);

/// `array_max` as Trino: NULL when the array holds a NULL (DataFusion skips NULLs).
fn array_max(args: &[ArrayRef], return_type: &DataType) -> Result<ArrayRef> {
    min_max_without_nulls(&ARRAY_MAX, args, return_type)
}

/// `array_min` as Trino: NULL when the array holds a NULL (DataFusion skips NULLs).
fn array_min(args: &[ArrayRef], return_type: &DataType) -> Result<ArrayRef> {
    min_max_without_nulls(&ARRAY_MIN, args, return_type)
}

fn min_max_without_nulls(
    builtin: &ScalarUDF,
    args: &[ArrayRef],
    return_type: &DataType,
) -> Result<ArrayRef> {
    let extreme = call_builtin(builtin, args, return_type)?;
    let Some(list) = args[0].as_list_opt::<i32>() else {
        return Ok(extreme);
    };
    let has_null: BooleanArray = (0..list.len())
        .map(|row| Some(list.is_valid(row) && list.value(row).null_count() > 0))
        .collect();
    Ok(nullif(&extreme, &has_null)?)
}

/// Evaluates one of DataFusion's own functions over arrays.
pub(crate) fn call_builtin(
    udf: &ScalarUDF,
    args: &[ArrayRef],
    return_type: &DataType,
) -> Result<ArrayRef> {
    let arg_fields = args
        .iter()
        .enumerate()
        .map(|(position, array)| {
            Arc::new(Field::new(
                format!("arg{position}"),
                array.data_type().clone(),
                true,
            ))
        })
        .collect();
    let call = ScalarFunctionArgs {
        args: args
            .iter()
            .map(|array| ColumnarValue::Array(Arc::clone(array)))
            .collect(),
        arg_fields,
        number_rows: rows(args),
        return_field: Arc::new(Field::new(udf.name(), return_type.clone(), true)),
        config_options: Arc::new(ConfigOptions::default()),
    };
    let result = udf.invoke_with_args(call)?.into_array(rows(args))?;
    if result.data_type() == return_type {
        Ok(result)
    } else {
        Ok(cast(&result, return_type)?)
    }
}

fn coerce_slice(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("slice", types, 3, 3)?;
    match as_list_type(&types[0]) {
        Some(list) if is_integer(&types[1]) && is_integer(&types[2]) => {
            Ok(vec![list, DataType::Int64, DataType::Int64])
        }
        _ => unsupported("slice", types),
    }
}

/// `slice(array, start, length)`: `length` elements from 1-based `start` (from the end
/// when negative); an empty array when `start` is past either end.
fn slice(args: &[ArrayRef], return_type: &DataType) -> Result<ArrayRef> {
    let Some(list) = args[0].as_list_opt::<i32>() else {
        return Ok(new_null_array(return_type, rows(args)));
    };
    let (starts, lengths) = (
        args[1].as_primitive::<Int64Type>(),
        args[2].as_primitive::<Int64Type>(),
    );
    let mut positions = Vec::new();
    let mut offsets = vec![0i32];
    let mut valid = Vec::with_capacity(list.len());
    for row in 0..list.len() {
        let is_valid = list.is_valid(row) && starts.is_valid(row) && lengths.is_valid(row);
        valid.push(is_valid);
        if is_valid {
            let (start, length) = (starts.value(row), lengths.value(row));
            if length < 0 {
                return Err(Error::invalid_argument(
                    "slice",
                    format!("length `{length}` must be greater than or equal to 0"),
                )
                .into());
            }
            let first = list.value_offsets()[row] as usize;
            let size = list.value_length(row) as i64;
            if start == 0 {
                return Err(
                    Error::invalid_argument("slice", "sql array indices start at 1").into(),
                );
            }
            let from = if start > 0 { start - 1 } else { size + start };
            if (0..size).contains(&from) {
                let to = from.saturating_add(length).min(size);
                positions.extend((from..to).map(|position| (first as i64 + position) as u64));
            }
        }
        offsets.push(positions.len() as i32);
    }
    let DataType::List(field) = return_type else {
        return unsupported("slice", std::slice::from_ref(return_type));
    };
    let values = take(list.values().as_ref(), &UInt64Array::from(positions), None)?;
    let result = GenericListArray::<i32>::try_new(
        Arc::clone(field),
        OffsetBuffer::new(offsets.into()),
        values,
        Some(valid.into()),
    )?;
    Ok(Arc::new(result))
}
