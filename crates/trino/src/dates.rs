//! Date and time functions. Timestamps are `Timestamp(Millisecond, None)` holding UTC, as
//! in OpenTrail's tables; other timestamp types, dates and strings are cast to it first.
//!
//! DataFusion's `date_trunc`, `now`, `current_timestamp` and `current_date` already behave
//! as Trino's (in UTC) and are left in place.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Months, NaiveDateTime, Timelike};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Date32Array, Float64Array, Int64Array, StringArray,
    TimestampMillisecondArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Float64Type, Int64Type, TimeUnit, TimestampMillisecondType,
};
use datafusion::error::Result;
use datafusion::logical_expr::ScalarUDF;

use crate::datetime_format;
use crate::error::Error;
use crate::udf::{Udf, arity, is_integer, is_string, unsupported};

const TIMESTAMP: DataType = DataType::Timestamp(TimeUnit::Millisecond, None);
const MILLIS_PER_DAY: i64 = 86_400_000;

/// The functions of this module.
pub(crate) fn functions() -> Vec<Arc<ScalarUDF>> {
    let int64 = |_: &[DataType]| Ok(DataType::Int64);
    let utf8 = |_: &[DataType]| Ok(DataType::Utf8);
    let timestamp = |_: &[DataType]| Ok(TIMESTAMP);
    let field = |name, kernel, aliases: &[&str]| {
        Udf::new(name, coerce_one_time, int64, kernel)
            .aliases(aliases)
            .into_udf()
    };
    vec![
        field("year", extract::<{ Field::Year as u8 }>, &[]),
        field("quarter", extract::<{ Field::Quarter as u8 }>, &[]),
        field("month", extract::<{ Field::Month as u8 }>, &[]),
        field("week", extract::<{ Field::Week as u8 }>, &["week_of_year"]),
        field(
            "year_of_week",
            extract::<{ Field::YearOfWeek as u8 }>,
            &["yow"],
        ),
        field("day", extract::<{ Field::Day as u8 }>, &["day_of_month"]),
        field(
            "day_of_week",
            extract::<{ Field::DayOfWeek as u8 }>,
            &["dow"],
        ),
        field(
            "day_of_year",
            extract::<{ Field::DayOfYear as u8 }>,
            &["doy"],
        ),
        field("hour", extract::<{ Field::Hour as u8 }>, &[]),
        field("minute", extract::<{ Field::Minute as u8 }>, &[]),
        field("second", extract::<{ Field::Second as u8 }>, &[]),
        field("millisecond", extract::<{ Field::Millisecond as u8 }>, &[]),
        Udf::new("date_diff", coerce_date_diff, int64, date_diff).into_udf(),
        Udf::new(
            "date_add",
            coerce_date_add,
            |types| Ok(types[2].clone()),
            date_add,
        )
        .into_udf(),
        Udf::new(
            "date",
            coerce_date,
            |_| Ok(DataType::Date32),
            |args, _| Ok(cast(&args[0], &DataType::Date32)?),
        )
        .into_udf(),
        Udf::new(
            "from_iso8601_timestamp",
            coerce_string_args::<1>,
            timestamp,
            from_iso8601_timestamp,
        )
        .into_udf(),
        Udf::new(
            "from_iso8601_date",
            coerce_string_args::<1>,
            |_| Ok(DataType::Date32),
            from_iso8601_date,
        )
        .into_udf(),
        Udf::new("to_iso8601", coerce_to_iso8601, utf8, to_iso8601).into_udf(),
        Udf::new(
            "from_unixtime",
            coerce_from_unixtime,
            timestamp,
            from_unixtime,
        )
        .into_udf(),
        Udf::new(
            "to_unixtime",
            coerce_one_time,
            |_| Ok(DataType::Float64),
            to_unixtime,
        )
        .into_udf(),
        Udf::new("date_format", coerce_time_and_pattern, utf8, date_format).into_udf(),
        Udf::new(
            "format_datetime",
            coerce_time_and_pattern,
            utf8,
            format_datetime,
        )
        .into_udf(),
        Udf::new("date_parse", coerce_string_args::<2>, timestamp, date_parse).into_udf(),
    ]
}

/// True for types a time argument may arrive as (cast to [`TIMESTAMP`]).
fn is_time(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Timestamp(..) | DataType::Date32 | DataType::Date64
    ) || is_string(data_type)
}

fn coerce_one_time(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("date function", types, 1, 1)?;
    if !is_time(&types[0]) {
        return unsupported("date function", types);
    }
    Ok(vec![TIMESTAMP])
}

fn coerce_string_args<const N: usize>(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("date function", types, N, N)?;
    if !types.iter().all(is_string) {
        return unsupported("date function", types);
    }
    Ok(vec![DataType::Utf8; N])
}

fn coerce_time_and_pattern(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("date_format", types, 2, 2)?;
    if !is_time(&types[0]) || !is_string(&types[1]) {
        return unsupported("date_format", types);
    }
    Ok(vec![TIMESTAMP, DataType::Utf8])
}

fn coerce_date(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("date", types, 1, 1)?;
    match &types[0] {
        DataType::Date32 => Ok(vec![DataType::Date32]),
        other if is_time(other) && !is_string(other) => Ok(vec![TIMESTAMP]),
        other if is_string(other) => Ok(vec![DataType::Utf8]),
        _ => unsupported("date", types),
    }
}

/// The calendar fields the extraction functions return.
#[repr(u8)]
enum Field {
    Year,
    Quarter,
    Month,
    Week,
    YearOfWeek,
    Day,
    DayOfWeek,
    DayOfYear,
    Hour,
    Minute,
    Second,
    Millisecond,
}

fn to_datetime(millis: i64) -> Result<NaiveDateTime> {
    DateTime::from_timestamp_millis(millis)
        .map(|time| time.naive_utc())
        .ok_or_else(|| {
            Error::invalid_argument(
                "timestamp",
                format!("timestamp `{millis}` ms is out of range"),
            )
            .into()
        })
}

fn field_value(time: &NaiveDateTime, field: u8) -> i64 {
    let value = match field {
        f if f == Field::Year as u8 => time.year(),
        f if f == Field::Quarter as u8 => time.month0() as i32 / 3 + 1,
        f if f == Field::Month as u8 => time.month() as i32,
        f if f == Field::Week as u8 => time.iso_week().week() as i32,
        f if f == Field::YearOfWeek as u8 => time.iso_week().year(),
        f if f == Field::Day as u8 => time.day() as i32,
        f if f == Field::DayOfWeek as u8 => time.weekday().number_from_monday() as i32,
        f if f == Field::DayOfYear as u8 => time.ordinal() as i32,
        f if f == Field::Hour as u8 => time.hour() as i32,
        f if f == Field::Minute as u8 => time.minute() as i32,
        f if f == Field::Second as u8 => time.second() as i32,
        _ => (time.nanosecond() / 1_000_000) as i32,
    };
    i64::from(value)
}

/// `year(t)`, `month(t)`, …: one calendar field of a UTC timestamp; weeks are ISO weeks
/// and `day_of_week` runs from 1 (Monday) to 7 (Sunday).
fn extract<const FIELD: u8>(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let times = args[0].as_primitive::<TimestampMillisecondType>();
    let mut out = Vec::with_capacity(times.len());
    for time in times.iter() {
        out.push(
            time.map(|millis| to_datetime(millis).map(|time| field_value(&time, FIELD)))
                .transpose()?,
        );
    }
    Ok(Arc::new(Int64Array::from(out)))
}

/// The units of `date_diff` and `date_add`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Fixed(i64),
    Months(i64),
}

fn parse_unit(function: &'static str, unit: &str) -> Result<Unit> {
    Ok(match unit.to_ascii_lowercase().as_str() {
        "millisecond" => Unit::Fixed(1),
        "second" => Unit::Fixed(1000),
        "minute" => Unit::Fixed(60_000),
        "hour" => Unit::Fixed(3_600_000),
        "day" => Unit::Fixed(MILLIS_PER_DAY),
        "week" => Unit::Fixed(7 * MILLIS_PER_DAY),
        "month" => Unit::Months(1),
        "quarter" => Unit::Months(3),
        "year" => Unit::Months(12),
        _ => {
            return Err(Error::invalid_argument(
                function,
                format!("`{unit}` is not a valid timestamp field"),
            )
            .into());
        }
    })
}

fn coerce_date_diff(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("date_diff", types, 3, 3)?;
    if !is_string(&types[0]) || !is_time(&types[1]) || !is_time(&types[2]) {
        return unsupported("date_diff", types);
    }
    Ok(vec![DataType::Utf8, TIMESTAMP, TIMESTAMP])
}

/// Whole months from `start` to `end` (`start <= end`), as Joda-Time counts them: a month
/// is complete when the day and time of month are reached, the last day of a shorter
/// month counting as reaching any later day.
fn whole_months(start: &NaiveDateTime, end: &NaiveDateTime) -> i64 {
    let mut months = i64::from(end.year() - start.year()) * 12 + i64::from(end.month())
        - i64::from(start.month());
    if months > 0 {
        let shifted = start.checked_add_months(Months::new(months as u32));
        if shifted.is_some_and(|shifted| shifted > *end) {
            months -= 1;
        }
    }
    months
}

/// `date_diff(unit, t1, t2)`: the number of whole `unit`s from `t1` to `t2`, negative when
/// `t2` is earlier.
fn date_diff(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let units = args[0].as_string::<i32>();
    let (starts, ends) = (
        args[1].as_primitive::<TimestampMillisecondType>(),
        args[2].as_primitive::<TimestampMillisecondType>(),
    );
    let mut out = Vec::with_capacity(starts.len());
    for row in 0..starts.len() {
        if units.is_null(row) || starts.is_null(row) || ends.is_null(row) {
            out.push(None);
            continue;
        }
        let (start, end) = (starts.value(row), ends.value(row));
        let difference = match parse_unit("date_diff", units.value(row))? {
            Unit::Fixed(unit_millis) => (end - start) / unit_millis,
            Unit::Months(per_unit) => {
                let (start_time, end_time) = (to_datetime(start)?, to_datetime(end)?);
                let months = if start <= end {
                    whole_months(&start_time, &end_time)
                } else {
                    -whole_months(&end_time, &start_time)
                };
                months / per_unit
            }
        };
        out.push(Some(difference));
    }
    Ok(Arc::new(Int64Array::from(out)))
}

fn coerce_date_add(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("date_add", types, 3, 3)?;
    if !is_string(&types[0]) || !is_integer(&types[1]) || !is_time(&types[2]) {
        return unsupported("date_add", types);
    }
    let time = if types[2] == DataType::Date32 {
        DataType::Date32
    } else {
        TIMESTAMP
    };
    Ok(vec![DataType::Utf8, DataType::Int64, time])
}

fn add_to(function: &'static str, millis: i64, unit: Unit, amount: i64) -> Result<i64> {
    let overflow = || {
        Error::invalid_argument(
            function,
            format!("adding `{amount}` overflows the timestamp range"),
        )
    };
    match unit {
        Unit::Fixed(unit_millis) => amount
            .checked_mul(unit_millis)
            .and_then(|delta| millis.checked_add(delta))
            .ok_or_else(|| overflow().into()),
        Unit::Months(per_unit) => {
            let time = to_datetime(millis)?;
            let months = amount.checked_mul(per_unit).ok_or_else(overflow)?;
            let magnitude =
                Months::new(u32::try_from(months.unsigned_abs()).map_err(|_| overflow())?);
            let shifted = if months >= 0 {
                time.checked_add_months(magnitude)
            } else {
                time.checked_sub_months(magnitude)
            };
            Ok(shifted.ok_or_else(overflow)?.and_utc().timestamp_millis())
        }
    }
}

/// `date_add(unit, n, t)`: `t` moved by `n` units; month arithmetic clamps to the end of
/// the month (January 31 plus one month is February 28 or 29). Dates take day units and up.
fn date_add(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let units = args[0].as_string::<i32>();
    let amounts = args[1].as_primitive::<Int64Type>();
    let is_date = args[2].data_type() == &DataType::Date32;
    let times: Vec<Option<i64>> = if is_date {
        args[2]
            .as_primitive::<Date32Type>()
            .iter()
            .map(|days| days.map(|days| i64::from(days) * MILLIS_PER_DAY))
            .collect()
    } else {
        args[2]
            .as_primitive::<TimestampMillisecondType>()
            .iter()
            .collect()
    };
    let mut out = Vec::with_capacity(times.len());
    for (row, time) in times.into_iter().enumerate() {
        let (Some(millis), true) = (time, units.is_valid(row) && amounts.is_valid(row)) else {
            out.push(None);
            continue;
        };
        let unit = parse_unit("date_add", units.value(row))?;
        if is_date && matches!(unit, Unit::Fixed(unit_millis) if unit_millis < MILLIS_PER_DAY) {
            return Err(Error::invalid_argument(
                "date_add",
                format!("`{}` is not a valid date field", units.value(row)),
            )
            .into());
        }
        out.push(Some(add_to("date_add", millis, unit, amounts.value(row))?));
    }
    if is_date {
        let days: Date32Array = out
            .into_iter()
            .map(|millis| millis.map(|millis| (millis / MILLIS_PER_DAY) as i32))
            .collect();
        return Ok(Arc::new(days));
    }
    Ok(Arc::new(TimestampMillisecondArray::from(out)))
}

/// `from_iso8601_timestamp(text)`: the instant, in UTC; an error for text that is not ISO 8601.
fn from_iso8601_timestamp(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let mut out = Vec::with_capacity(args[0].len());
    for text in args[0].as_string::<i32>().iter() {
        out.push(
            text.map(|text| {
                datetime_format::parse_iso8601_timestamp(text)
                    .map(|time| time.and_utc().timestamp_millis())
            })
            .transpose()?,
        );
    }
    Ok(Arc::new(TimestampMillisecondArray::from(out)))
}

/// `from_iso8601_date(text)`: the date of `YYYY-MM-DD` text.
fn from_iso8601_date(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut out = Vec::with_capacity(args[0].len());
    for text in args[0].as_string::<i32>().iter() {
        let Some(text) = text else {
            out.push(None);
            continue;
        };
        let date = datetime_format::parse_iso8601_date_text(text).ok_or_else(|| {
            Error::invalid_argument(
                "from_iso8601_date",
                format!("invalid iso 8601 date `{text}`"),
            )
        })?;
        out.push(Some((date - epoch).num_days() as i32));
    }
    Ok(Arc::new(Date32Array::from(out)))
}

fn coerce_to_iso8601(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("to_iso8601", types, 1, 1)?;
    match &types[0] {
        DataType::Date32 => Ok(vec![DataType::Date32]),
        DataType::Timestamp(_, None) => Ok(vec![TIMESTAMP]),
        DataType::Timestamp(_, Some(_)) => Ok(vec![DataType::Timestamp(
            TimeUnit::Millisecond,
            Some("UTC".into()),
        )]),
        _ => unsupported("to_iso8601", types),
    }
}

/// `to_iso8601(x)`: `2026-01-22` for a date, `2026-01-22T10:15:05.000` for a timestamp,
/// with `Z` appended when the timestamp carries a zone.
fn to_iso8601(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    if let Some(dates) = args[0].as_primitive_opt::<Date32Type>() {
        let text: StringArray = dates
            .iter()
            .map(|days| {
                days.and_then(Date32Type::to_naive_date_opt)
                    .map(|date| date.format("%Y-%m-%d").to_string())
            })
            .collect();
        return Ok(Arc::new(text));
    }
    let zone = if matches!(args[0].data_type(), DataType::Timestamp(_, Some(_))) {
        "Z"
    } else {
        ""
    };
    let mut out = Vec::with_capacity(args[0].len());
    for millis in args[0].as_primitive::<TimestampMillisecondType>().iter() {
        out.push(
            millis
                .map(|millis| {
                    to_datetime(millis)
                        .map(|time| format!("{}{zone}", time.format("%Y-%m-%dT%H:%M:%S%.3f")))
                })
                .transpose()?,
        );
    }
    Ok(Arc::new(StringArray::from(out)))
}

fn coerce_from_unixtime(types: &[DataType]) -> Result<Vec<DataType>> {
    arity("from_unixtime", types, 1, 1)?;
    if !types[0].is_numeric() && types[0] != DataType::Null {
        return unsupported("from_unixtime", types);
    }
    Ok(vec![DataType::Float64])
}

/// `from_unixtime(seconds)`: the UTC timestamp `seconds` (fractions kept to the
/// millisecond) after the epoch.
fn from_unixtime(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let seconds = args[0].as_primitive::<Float64Type>();
    let millis: TimestampMillisecondArray = seconds
        .iter()
        .map(|seconds| seconds.map(|seconds| (seconds * 1000.0).round() as i64))
        .collect();
    Ok(Arc::new(millis))
}

/// `to_unixtime(t)`: seconds since the epoch as a double, fractions included.
fn to_unixtime(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let times = args[0].as_primitive::<TimestampMillisecondType>();
    let seconds: Float64Array = times
        .iter()
        .map(|millis| millis.map(|millis| millis as f64 / 1000.0))
        .collect();
    Ok(Arc::new(seconds))
}

fn format_rows(
    args: &[ArrayRef],
    format: fn(&NaiveDateTime, &str) -> Result<String, Error>,
) -> Result<ArrayRef> {
    let times = args[0].as_primitive::<TimestampMillisecondType>();
    let patterns = args[1].as_string::<i32>();
    let mut out = Vec::with_capacity(times.len());
    for row in 0..times.len() {
        if times.is_null(row) || patterns.is_null(row) {
            out.push(None);
            continue;
        }
        out.push(Some(format(
            &to_datetime(times.value(row))?,
            patterns.value(row),
        )?));
    }
    Ok(Arc::new(StringArray::from(out)))
}

/// `date_format(t, format)` with MySQL specifiers (`%Y-%m-%d %H:%i:%s`).
fn date_format(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    format_rows(args, datetime_format::format_mysql)
}

/// `format_datetime(t, pattern)` with a Joda-Time pattern (`yyyy-MM-dd HH:mm:ss`).
fn format_datetime(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    format_rows(args, datetime_format::format_joda)
}

/// `date_parse(text, format)`: the timestamp `text` spells in MySQL specifiers,
/// truncated to milliseconds.
fn date_parse(args: &[ArrayRef], _: &DataType) -> Result<ArrayRef> {
    let (texts, formats) = (args[0].as_string::<i32>(), args[1].as_string::<i32>());
    let mut out = Vec::with_capacity(texts.len());
    for row in 0..texts.len() {
        if texts.is_null(row) || formats.is_null(row) {
            out.push(None);
            continue;
        }
        let time = datetime_format::parse_mysql(texts.value(row), formats.value(row))?;
        out.push(Some(time.and_utc().timestamp_millis()));
    }
    Ok(Arc::new(TimestampMillisecondArray::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn whole_months_follow_joda() {
        let cases = [
            ("2026-01-31 00:00:00", "2026-02-28 00:00:00", 1),
            ("2026-01-31 00:00:00", "2026-02-27 00:00:00", 0),
            ("2026-01-15 12:00:00", "2026-02-15 11:59:59", 0),
            ("2026-01-15 12:00:00", "2026-02-15 12:00:00", 1),
            ("2024-02-29 00:00:00", "2025-02-28 00:00:00", 12),
            ("2026-01-01 00:00:00", "2026-01-31 00:00:00", 0),
        ];
        for (start, end, expected) in cases {
            assert_eq!(
                whole_months(&at(start), &at(end)),
                expected,
                "{start} {end}"
            );
        }
    }
}
