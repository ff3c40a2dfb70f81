//! A small generic [`ScalarUDFImpl`]: most Trino functions here are a name, a type rule
//! and a kernel over whole arrays, so one struct carries them instead of a type each.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::error::Result;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use crate::error::Error;

/// Computes the argument types a call is coerced to, from the types written.
pub(crate) type CoerceFn = fn(&[DataType]) -> Result<Vec<DataType>>;
/// Computes the return type from the coerced argument types.
pub(crate) type ReturnTypeFn = fn(&[DataType]) -> Result<DataType>;
/// Evaluates the function over arrays of equal length (scalars already expanded).
pub(crate) type KernelFn = fn(&[ArrayRef], &DataType) -> Result<ArrayRef>;

/// A scalar function described by plain function pointers.
pub(crate) struct Udf {
    name: &'static str,
    aliases: Vec<String>,
    signature: Signature,
    coerce: CoerceFn,
    return_type: ReturnTypeFn,
    kernel: KernelFn,
}

impl Udf {
    /// Builds the function; `coerce` decides which argument types are accepted.
    pub(crate) fn new(
        name: &'static str,
        coerce: CoerceFn,
        return_type: ReturnTypeFn,
        kernel: KernelFn,
    ) -> Self {
        Udf {
            name,
            aliases: Vec::new(),
            signature: Signature::user_defined(Volatility::Immutable),
            coerce,
            return_type,
            kernel,
        }
    }

    /// Adds other names the function answers to.
    pub(crate) fn aliases(mut self, aliases: &[&str]) -> Self {
        self.aliases = aliases.iter().map(|alias| (*alias).to_owned()).collect();
        self
    }

    /// Wraps the function for registration.
    pub(crate) fn into_udf(self) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(self))
    }
}

impl fmt::Debug for Udf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Udf")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Udf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.aliases == other.aliases
    }
}

impl Eq for Udf {}

impl Hash for Udf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.aliases.hash(state);
    }
}

impl ScalarUDFImpl for Udf {
    fn name(&self) -> &str {
        self.name
    }

    fn aliases(&self) -> &[String] {
        &self.aliases
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        (self.coerce)(arg_types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        (self.return_type)(arg_types)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let all_scalars = args
            .args
            .iter()
            .all(|arg| matches!(arg, ColumnarValue::Scalar(_)));
        let rows = if all_scalars { 1 } else { args.number_rows };
        let mut arrays = Vec::with_capacity(args.args.len());
        for arg in &args.args {
            arrays.push(arg.to_array(rows)?);
        }
        let result = (self.kernel)(&arrays, args.return_type())?;
        if all_scalars {
            Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(
                &result, 0,
            )?))
        } else {
            Ok(ColumnarValue::Array(result))
        }
    }
}

/// Fails the coercion of a call whose argument types the function does not take.
pub(crate) fn unsupported<T>(function: &'static str, types: &[DataType]) -> Result<T> {
    let types = types
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Err(Error::UnsupportedTypes {
        function,
        types: format!("({types})"),
    }
    .into())
}

/// True for the string types a text argument may arrive as.
pub(crate) fn is_string(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    )
}

/// True for the integer types an index or count may arrive as.
pub(crate) fn is_integer(data_type: &DataType) -> bool {
    data_type.is_integer() || matches!(data_type, DataType::Null)
}

/// The element type of a list-like type, if it is one.
pub(crate) fn list_element(data_type: &DataType) -> Option<&DataType> {
    match data_type {
        DataType::List(field) | DataType::LargeList(field) | DataType::FixedSizeList(field, _) => {
            Some(field.data_type())
        }
        _ => None,
    }
}

/// Checks the argument count against `min..=max`.
pub(crate) fn arity(
    function: &'static str,
    types: &[DataType],
    min: usize,
    max: usize,
) -> Result<()> {
    if types.len() < min || types.len() > max {
        return unsupported(function, types);
    }
    Ok(())
}

/// Returns a value's length as the array's row count, for kernels that walk rows.
pub(crate) fn rows(arrays: &[ArrayRef]) -> usize {
    arrays.first().map_or(0, |array| array.len())
}
