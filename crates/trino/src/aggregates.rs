//! Aggregate functions: `count_if`, `max_by`, `min_by`, `approx_percentile`, and
//! `arbitrary` (DataFusion's `any_value` under Trino's other name).
//!
//! DataFusion's `approx_distinct`, `array_agg` and `any_value` already behave as Trino's
//! and are left in place.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type, Schema};
use datafusion::common::ScalarValue;
use datafusion::common::types::{NativeType, logical_float64};
use datafusion::error::Result;
use datafusion::functions_aggregate::approx_percentile_cont::ApproxPercentileCont;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Coercion, ColumnarValue, Signature, TypeSignature,
    TypeSignatureClass, Volatility,
};

use crate::error::Error;
use crate::udf::unsupported;

/// The functions of this module.
pub(crate) fn functions() -> Vec<Arc<AggregateUDF>> {
    let any_value = datafusion::functions_aggregate::any_value::any_value_udaf();
    vec![
        Arc::new(AggregateUDF::new_from_impl(CountIf::default())),
        Arc::new(AggregateUDF::new_from_impl(BestBy::new(
            "max_by",
            Ordering::Greater,
        ))),
        Arc::new(AggregateUDF::new_from_impl(BestBy::new(
            "min_by",
            Ordering::Less,
        ))),
        Arc::new(AggregateUDF::new_from_impl(ApproxPercentile::default())),
        Arc::new(any_value.as_ref().clone().with_aliases(["arbitrary"])),
    ]
}

/// `count_if(condition)`: how many rows have `condition` true (0 for no rows).
#[derive(Debug, PartialEq, Eq, Hash)]
struct CountIf {
    signature: Signature,
}

impl Default for CountIf {
    fn default() -> Self {
        CountIf {
            signature: Signature::exact(vec![DataType::Boolean], Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for CountIf {
    fn name(&self) -> &str {
        "count_if"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(CountIfAccumulator { count: 0 }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format_state_name(args.name, "count"),
            DataType::Int64,
            false,
        ))])
    }

    fn default_value(&self, _: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(0)))
    }
}

#[derive(Debug)]
struct CountIfAccumulator {
    count: i64,
}

impl Accumulator for CountIfAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.count += values[0]
            .as_boolean()
            .iter()
            .filter(|value| *value == Some(true))
            .count() as i64;
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(self.count)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Int64(Some(self.count))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.count += states[0]
            .as_primitive::<Int64Type>()
            .iter()
            .flatten()
            .sum::<i64>();
        Ok(())
    }
}

/// `max_by(x, y)` / `min_by(x, y)`: the `x` of the row with the greatest (least) `y`;
/// rows whose `y` is NULL are skipped, and ties keep the first row seen.
#[derive(Debug, PartialEq, Eq, Hash)]
struct BestBy {
    name: &'static str,
    wanted: Ordering,
    signature: Signature,
}

impl BestBy {
    fn new(name: &'static str, wanted: Ordering) -> Self {
        BestBy {
            name,
            wanted,
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for BestBy {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, types: &[DataType]) -> Result<DataType> {
        if types.len() != 2 {
            return unsupported("max_by", types);
        }
        Ok(types[0].clone())
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let value = ScalarValue::try_from(args.expr_fields[0].data_type())?;
        let key = ScalarValue::try_from(args.expr_fields[1].data_type())?;
        Ok(Box::new(BestByAccumulator {
            wanted: self.wanted,
            value,
            key,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(Field::new(
                format_state_name(args.name, "value"),
                args.input_fields[0].data_type().clone(),
                true,
            )),
            Arc::new(Field::new(
                format_state_name(args.name, "key"),
                args.input_fields[1].data_type().clone(),
                true,
            )),
        ])
    }
}

#[derive(Debug)]
struct BestByAccumulator {
    wanted: Ordering,
    value: ScalarValue,
    key: ScalarValue,
}

impl BestByAccumulator {
    fn offer(&mut self, values: &ArrayRef, keys: &ArrayRef) -> Result<()> {
        for row in 0..keys.len() {
            if keys.is_null(row) {
                continue;
            }
            let key = ScalarValue::try_from_array(keys, row)?;
            if self.key.is_null() || key.partial_cmp(&self.key) == Some(self.wanted) {
                self.key = key;
                self.value = ScalarValue::try_from_array(values, row)?;
            }
        }
        Ok(())
    }
}

impl Accumulator for BestByAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.offer(&values[0], &values[1])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.value.clone())
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.value.size() + self.key.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.value.clone(), self.key.clone()])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.offer(&states[0], &states[1])
    }
}

/// `approx_percentile(x, percentage)`: the approximate `percentage` quantile (0 to 1) of the
/// non-NULL values of `x`, as a double; NULL for no values.
///
/// Trino's argument order over DataFusion's t-digest `approx_percentile_cont`, which is
/// written `approx_percentile_cont(percentage) WITHIN GROUP (ORDER BY x)`. Like Trino,
/// `percentage` must be a constant; unlike Trino the result is always a double (Trino
/// returns `x`'s type), and the weighted and array forms are not provided.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ApproxPercentile {
    signature: Signature,
    inner: ApproxPercentileCont,
}

impl Default for ApproxPercentile {
    fn default() -> Self {
        let to_double = || {
            Coercion::new_implicit(
                TypeSignatureClass::Native(logical_float64()),
                vec![TypeSignatureClass::Numeric],
                NativeType::Float64,
            )
        };
        ApproxPercentile {
            signature: Signature::one_of(
                vec![TypeSignature::Coercible(vec![to_double(), to_double()])],
                Volatility::Immutable,
            ),
            inner: ApproxPercentileCont::new(),
        }
    }
}

impl ApproxPercentile {
    const NAME: &'static str = "approx_percentile";

    /// Checks the percentage the way Trino words it before DataFusion sees it.
    fn check_percentage(args: &AccumulatorArgs) -> Result<()> {
        let Some(percentage) = args.exprs.get(1) else {
            return unsupported(Self::NAME, &[]);
        };
        let empty = RecordBatch::new_empty(Arc::new(Schema::empty()));
        let value = match percentage.evaluate(&empty) {
            Ok(ColumnarValue::Scalar(value)) => value,
            _ => {
                return Err(Error::invalid_argument(
                    Self::NAME,
                    format!("percentage `{percentage}` must be a constant"),
                )
                .into());
            }
        };
        let in_range = match &value {
            ScalarValue::Float64(Some(value)) => (0.0..=1.0).contains(value),
            _ => false,
        };
        if !in_range {
            return Err(Error::invalid_argument(
                Self::NAME,
                format!("percentage must be between 0 and 1, found `{value}`"),
            )
            .into());
        }
        Ok(())
    }
}

impl AggregateUDFImpl for ApproxPercentile {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Self::check_percentage(&args)?;
        // Both arguments are coerced to double, so DataFusion's accumulator sees
        // `approx_percentile_cont(x, percentage)` over doubles, ascending.
        self.inner.accumulator(args)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        self.inner.state_fields(args)
    }
}
