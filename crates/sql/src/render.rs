//! Result values as the strings of `QueryResultRows` (§3.3), in Trino's text form.
//!
//! | SQL type | Rendering |
//! |---|---|
//! | `varchar` | the string itself, no quotes |
//! | `boolean` | `true` / `false` |
//! | integers | decimal digits, `-` when negative (`96059`) |
//! | `double`, `real` | Java's `Double.toString` as Trino prints it: shortest digits that read back to the same value; plain notation with at least one fraction digit when 10⁻³ ≤ \|x\| < 10⁷ (`1.5`, `100.0`, `0.001`), else scientific (`1.0E7`, `1.25E-5`); `NaN`, `Infinity`, `-Infinity`, `0.0`, `-0.0` |
//! | `decimal(p, s)` | plain with exactly `s` fraction digits (`12.50`) |
//! | `timestamp` | `YYYY-MM-DD HH:MM:SS.fff` in UTC, truncated to milliseconds |
//! | `date` | `YYYY-MM-DD` |
//! | `time` | `HH:MM:SS.fff` |
//! | `array` | `[a, b, c]` |
//! | `map` | `{key=value, key2=value2}` in stored entry order |
//! | `row` (struct) | `{name=value, name2=value2}` with the schema's field names |
//! | NULL | no string at top level (`None`); `null` inside an array, map or row |
//!
//! Values inside arrays, maps and rows use the same rules, without quotes.
//! Other types (intervals, binary) use Arrow's display form.

use std::fmt::Write as _;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
    Time64NanosecondType, TimeUnit, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::error::{Result, SqlError};

/// Prepares a result column for rendering: dictionaries are unpacked once.
pub(crate) fn prepare_column(column: &ArrayRef) -> Result<ArrayRef> {
    match column.data_type() {
        DataType::Dictionary(_, value_type) => cast(column, value_type).map_err(|error| {
            SqlError::internal(format!("cannot unpack a dictionary result column: {error}"))
        }),
        _ => Ok(ArrayRef::clone(column)),
    }
}

/// Renders the value at `row`; `None` for NULL.
pub(crate) fn render_cell(array: &dyn Array, row: usize) -> Option<String> {
    if array.is_null(row) || *array.data_type() == DataType::Null {
        return None;
    }
    let mut out = String::new();
    write_value(array, row, &mut out);
    Some(out)
}

/// Writes a value that may be NULL inside a nested value.
fn write_nested(array: &dyn Array, row: usize, out: &mut String) {
    if array.is_null(row) {
        out.push_str("null");
    } else {
        write_value(array, row, out);
    }
}

/// Writes a non-NULL value.
fn write_value(array: &dyn Array, row: usize, out: &mut String) {
    // `write!` to a `String` cannot fail; the results are ignored on purpose.
    match array.data_type() {
        DataType::Utf8 => out.push_str(array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => out.push_str(array.as_string::<i64>().value(row)),
        DataType::Utf8View => out.push_str(array.as_string_view().value(row)),
        DataType::Boolean => out.push_str(if array.as_boolean().value(row) {
            "true"
        } else {
            "false"
        }),
        DataType::Int8 => {
            let _ = write!(out, "{}", array.as_primitive::<Int8Type>().value(row));
        }
        DataType::Int16 => {
            let _ = write!(out, "{}", array.as_primitive::<Int16Type>().value(row));
        }
        DataType::Int32 => {
            let _ = write!(out, "{}", array.as_primitive::<Int32Type>().value(row));
        }
        DataType::Int64 => {
            let _ = write!(out, "{}", array.as_primitive::<Int64Type>().value(row));
        }
        DataType::UInt8 => {
            let _ = write!(out, "{}", array.as_primitive::<UInt8Type>().value(row));
        }
        DataType::UInt16 => {
            let _ = write!(out, "{}", array.as_primitive::<UInt16Type>().value(row));
        }
        DataType::UInt32 => {
            let _ = write!(out, "{}", array.as_primitive::<UInt32Type>().value(row));
        }
        DataType::UInt64 => {
            let _ = write!(out, "{}", array.as_primitive::<UInt64Type>().value(row));
        }
        DataType::Float64 => {
            out.push_str(&java_double(array.as_primitive::<Float64Type>().value(row)))
        }
        DataType::Float32 => {
            out.push_str(&java_float(array.as_primitive::<Float32Type>().value(row)))
        }
        DataType::Float16 => out.push_str(&java_float(
            array.as_primitive::<Float16Type>().value(row).to_f32(),
        )),
        DataType::Timestamp(unit, _) => {
            let value = match unit {
                TimeUnit::Second => array
                    .as_primitive::<TimestampSecondType>()
                    .value(row)
                    .saturating_mul(1000),
                TimeUnit::Millisecond => {
                    array.as_primitive::<TimestampMillisecondType>().value(row)
                }
                TimeUnit::Microsecond => array
                    .as_primitive::<TimestampMicrosecondType>()
                    .value(row)
                    .div_euclid(1000),
                TimeUnit::Nanosecond => array
                    .as_primitive::<TimestampNanosecondType>()
                    .value(row)
                    .div_euclid(1_000_000),
            };
            write_timestamp_ms(value, out);
        }
        DataType::Date32 => write_date(
            i64::from(array.as_primitive::<Date32Type>().value(row)),
            out,
        ),
        DataType::Date64 => write_date(
            array
                .as_primitive::<Date64Type>()
                .value(row)
                .div_euclid(86_400_000),
            out,
        ),
        DataType::Time32(TimeUnit::Second) => write_time_ms(
            i64::from(array.as_primitive::<Time32SecondType>().value(row)) * 1000,
            out,
        ),
        DataType::Time32(_) => write_time_ms(
            i64::from(array.as_primitive::<Time32MillisecondType>().value(row)),
            out,
        ),
        DataType::Time64(TimeUnit::Microsecond) => write_time_ms(
            array.as_primitive::<Time64MicrosecondType>().value(row) / 1000,
            out,
        ),
        DataType::Time64(_) => write_time_ms(
            array.as_primitive::<Time64NanosecondType>().value(row) / 1_000_000,
            out,
        ),
        DataType::List(_) => write_list(array.as_list::<i32>().value(row).as_ref(), out),
        DataType::LargeList(_) => write_list(array.as_list::<i64>().value(row).as_ref(), out),
        DataType::FixedSizeList(_, _) => {
            write_list(array.as_fixed_size_list().value(row).as_ref(), out)
        }
        DataType::Map(_, _) => {
            let entries = array.as_map().value(row);
            out.push('{');
            for index in 0..entries.len() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_nested(entries.column(0).as_ref(), index, out);
                out.push('=');
                write_nested(entries.column(1).as_ref(), index, out);
            }
            out.push('}');
        }
        DataType::Struct(fields) => {
            let structs = array.as_struct();
            out.push('{');
            for (index, field) in fields.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(field.name());
                out.push('=');
                write_nested(structs.column(index).as_ref(), row, out);
            }
            out.push('}');
        }
        DataType::Dictionary(_, value_type) => match cast(&array.slice(row, 1), value_type) {
            Ok(values) => write_nested(values.as_ref(), 0, out),
            Err(_) => write_with_arrow(array, row, out),
        },
        _ => write_with_arrow(array, row, out),
    }
}

fn write_list(values: &dyn Array, out: &mut String) {
    out.push('[');
    for index in 0..values.len() {
        if index > 0 {
            out.push_str(", ");
        }
        write_nested(values, index, out);
    }
    out.push(']');
}

fn write_with_arrow(array: &dyn Array, row: usize, out: &mut String) {
    match ArrayFormatter::try_new(array, &FormatOptions::default()) {
        Ok(formatter) => {
            let _ = write!(out, "{}", formatter.value(row));
        }
        Err(_) => out.push_str("null"),
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are in range by construction (1..=31, 1..=12).
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

fn write_date(days: i64, out: &mut String) {
    let (year, month, day) = civil_from_days(days);
    let _ = write!(out, "{year:04}-{month:02}-{day:02}");
}

fn write_time_ms(ms_of_day: i64, out: &mut String) {
    let ms = ms_of_day.rem_euclid(86_400_000);
    let _ = write!(
        out,
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    );
}

/// Writes `YYYY-MM-DD HH:MM:SS.fff` (UTC) for milliseconds since the epoch.
pub(crate) fn write_timestamp_ms(ms: i64, out: &mut String) {
    write_date(ms.div_euclid(86_400_000), out);
    out.push(' ');
    write_time_ms(ms.rem_euclid(86_400_000), out);
}

/// Formats a double like Java's `Double.toString`, which Trino uses.
pub(crate) fn java_double(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .to_owned();
    }
    let magnitude = value.abs();
    if (1e-3..1e7).contains(&magnitude) {
        plain_with_fraction(format!("{value}"))
    } else {
        scientific(format!("{value:e}"))
    }
}

/// Formats a real like Java's `Float.toString`.
pub(crate) fn java_float(value: f32) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .to_owned();
    }
    let magnitude = value.abs();
    if (1e-3..1e7).contains(&magnitude) {
        plain_with_fraction(format!("{value}"))
    } else {
        scientific(format!("{value:e}"))
    }
}

fn plain_with_fraction(mut text: String) -> String {
    if !text.contains('.') {
        text.push_str(".0");
    }
    text
}

/// `1.25e-5` → `1.25E-5`, `1e7` → `1.0E7`.
fn scientific(text: String) -> String {
    match text.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => format!("{mantissa}E{exponent}"),
        Some((mantissa, exponent)) => format!("{mantissa}.0E{exponent}"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_like_java() {
        let cases = [
            (1.5, "1.5"),
            (100.0, "100.0"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1.25e-5, "1.25E-5"),
            (1e7, "1.0E7"),
            (9_999_999.5, "9999999.5"),
            (12_345_678.9, "1.23456789E7"),
            (-2.0, "-2.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (value, expected) in cases {
            assert_eq!(java_double(value), expected, "{value}");
        }
        assert_eq!(java_float(0.1), "0.1");
        assert_eq!(java_float(3e10), "3.0E10");
    }

    #[test]
    fn timestamps_and_dates() {
        let mut out = String::new();
        write_timestamp_ms(1_674_406_433_000, &mut out);
        assert_eq!(out, "2023-01-22 16:53:53.000");
        out.clear();
        write_timestamp_ms(-1, &mut out);
        assert_eq!(out, "1969-12-31 23:59:59.999");
        out.clear();
        write_date(19_417 + 366 + 365 + 365 + 365 + 30, &mut out); // checked with Python datetime
        assert_eq!(out, "2027-03-31");
        out.clear();
        write_date(11_016, &mut out);
        assert_eq!(out, "2000-02-29");
    }
}
