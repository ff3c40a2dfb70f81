//! Column builders shared by the table kinds: text structs, string maps, lists.
//!
//! Every builder appends exactly one slot per call, null or not, so the children of a struct
//! always have the struct's length. The finished arrays take their field names and types from
//! the schema of [`crate::schema()`]; Arrow checks that the builders agree with it.

use std::sync::Arc;

use arrow::array::builder::{ArrayBuilder, NullBufferBuilder};
use arrow::array::{ArrayRef, ListArray, MapArray, StringBuilder, StructArray};
use arrow::buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow::datatypes::{DataType, Fields};

use crate::error::{Error, Result};
use crate::json::JsonMap;

/// Returns the members of a struct type.
pub(crate) fn struct_fields(data_type: &DataType) -> Result<&Fields> {
    match data_type {
        DataType::Struct(fields) => Ok(fields),
        other => Err(Error::Internal(format!(
            "expected a struct type, the schema has `{other}`"
        ))),
    }
}

/// Returns the type of member `index` of a struct type.
pub(crate) fn member_type(data_type: &DataType, index: usize) -> Result<&DataType> {
    struct_fields(data_type)?
        .get(index)
        .map(|field| field.data_type())
        .ok_or_else(|| Error::Internal(format!("struct has no member {index}")))
}

/// Returns the item type of a list type.
pub(crate) fn item_type(data_type: &DataType) -> Result<&DataType> {
    match data_type {
        DataType::List(item) => Ok(item.data_type()),
        other => Err(Error::Internal(format!(
            "expected a list type, the schema has `{other}`"
        ))),
    }
}

/// Assembles a struct array of `data_type` from finished children.
pub(crate) fn struct_array(
    data_type: &DataType,
    children: Vec<ArrayRef>,
    nulls: Option<NullBuffer>,
) -> Result<ArrayRef> {
    let fields = struct_fields(data_type)?.clone();
    let array = StructArray::try_new(fields, children, nulls).map_err(Error::arrow("struct"))?;
    Ok(Arc::new(array))
}

/// Converts a child length to an Arrow offset.
///
/// A batch holds at most [`crate::MAX_BATCH_RECORD_BYTES`] of record text and every list
/// entry or string byte comes from that text, so lengths stay far below `i32::MAX`; the
/// saturation only keeps the offsets monotonic should that bound ever be broken, and Arrow
/// then refuses the array at `finish` instead of this code panicking.
fn offset(length: usize) -> i32 {
    i32::try_from(length).unwrap_or(i32::MAX)
}

fn take_offsets(offsets: &mut Vec<i32>) -> OffsetBuffer<i32> {
    let finished = std::mem::replace(offsets, vec![0]);
    OffsetBuffer::new(ScalarBuffer::from(finished))
}

/// A nullable struct whose members are all strings.
#[derive(Debug)]
pub(crate) struct TextStruct<const N: usize> {
    members: [StringBuilder; N],
    nulls: NullBufferBuilder,
}

impl<const N: usize> TextStruct<N> {
    pub(crate) fn new() -> Self {
        TextStruct {
            members: std::array::from_fn(|_| StringBuilder::new()),
            nulls: NullBufferBuilder::new(0),
        }
    }

    /// Appends one struct: `None` for a NULL struct, else its members in schema order.
    pub(crate) fn append(&mut self, values: Option<[Option<&str>; N]>) {
        match values {
            Some(values) => {
                for (member, value) in self.members.iter_mut().zip(values) {
                    member.append_option(value);
                }
                self.nulls.append_non_null();
            }
            None => {
                for member in &mut self.members {
                    member.append_null();
                }
                self.nulls.append_null();
            }
        }
    }

    /// Returns how many structs (null or not) were appended since the last finish.
    pub(crate) fn len(&self) -> usize {
        self.nulls.len()
    }

    pub(crate) fn finish(&mut self, data_type: &DataType) -> Result<ArrayRef> {
        let children = self
            .members
            .iter_mut()
            .map(|member| Arc::new(member.finish()) as ArrayRef)
            .collect();
        struct_array(data_type, children, self.nulls.finish())
    }
}

/// A nullable `map<string,string>` column (see [`crate::schema::string_map_type`]).
#[derive(Debug)]
pub(crate) struct MapColumn {
    offsets: Vec<i32>,
    keys: StringBuilder,
    values: StringBuilder,
    nulls: NullBufferBuilder,
}

impl MapColumn {
    pub(crate) fn new() -> Self {
        MapColumn {
            offsets: vec![0],
            keys: StringBuilder::new(),
            values: StringBuilder::new(),
            nulls: NullBufferBuilder::new(0),
        }
    }

    /// Appends one map: `None` for a NULL map (member absent or `null`).
    pub(crate) fn append(&mut self, map: Option<&JsonMap<'_>>) {
        match map {
            Some(map) => {
                for (key, value) in &map.0 {
                    self.keys.append_value(key);
                    self.values.append_option(value.as_deref());
                }
                self.nulls.append_non_null();
            }
            None => self.nulls.append_null(),
        }
        self.offsets.push(offset(self.keys.len()));
    }

    pub(crate) fn finish(&mut self, data_type: &DataType) -> Result<ArrayRef> {
        let DataType::Map(entries_field, sorted) = data_type else {
            return Err(Error::Internal(format!(
                "expected a map type, the schema has `{data_type}`"
            )));
        };
        let entries = StructArray::try_new(
            struct_fields(entries_field.data_type())?.clone(),
            vec![
                Arc::new(self.keys.finish()) as ArrayRef,
                Arc::new(self.values.finish()) as ArrayRef,
            ],
            None,
        )
        .map_err(Error::arrow("map entries"))?;
        let array = MapArray::try_new(
            Arc::clone(entries_field),
            take_offsets(&mut self.offsets),
            entries,
            self.nulls.finish(),
            *sorted,
        )
        .map_err(Error::arrow("map"))?;
        Ok(Arc::new(array))
    }
}

/// The offsets and validity of a nullable list column; the items are built by the caller.
#[derive(Debug)]
pub(crate) struct ListOffsets {
    offsets: Vec<i32>,
    nulls: NullBufferBuilder,
}

impl ListOffsets {
    pub(crate) fn new() -> Self {
        ListOffsets {
            offsets: vec![0],
            nulls: NullBufferBuilder::new(0),
        }
    }

    /// Closes one list slot; `items_so_far` is the item builder's length after the list's
    /// items were appended (unchanged for a NULL list).
    pub(crate) fn append(&mut self, items_so_far: usize, present: bool) {
        self.nulls.append(present);
        self.offsets.push(offset(items_so_far));
    }

    pub(crate) fn finish(&mut self, data_type: &DataType, items: ArrayRef) -> Result<ArrayRef> {
        let DataType::List(item_field) = data_type else {
            return Err(Error::Internal(format!(
                "expected a list type, the schema has `{data_type}`"
            )));
        };
        let array = ListArray::try_new(
            Arc::clone(item_field),
            take_offsets(&mut self.offsets),
            items,
            self.nulls.finish(),
        )
        .map_err(Error::arrow("list"))?;
        Ok(Arc::new(array))
    }
}
