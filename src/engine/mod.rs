//! The query engine steward runs on: a DataFusion session with a memory pool and every
//! function a scan plan calls, the domain functions of [`crate::udf`] and the scan's own
//! aggregates (value samples, true counts, duplicate keys, distinct samples, minors,
//! personal data inside text) and helpers (trim, float bits).
//!
//! Below [`crate::scan`] and [`crate::cluster`]: both start their sessions here, so a
//! local scan, a Ballista scheduler and its executors plan with the same functions.
//! Imports only [`crate::udf`], the pure validators and span finder they share
//! ([`crate::validate`], [`crate::classify::spans`]), [`crate::error`] and DataFusion.

pub(crate) mod count_empty;
pub(crate) mod count_true;
mod counter;
pub(crate) mod distinct_sample;
pub(crate) mod duplicates;
pub(crate) mod embedded;
pub(crate) mod float_bits;
pub(crate) mod minors;
pub(crate) mod sample;
pub(crate) mod trim;

use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::{SessionConfig, SessionContext};

use crate::error::{Error, Result};

/// A local session: no information schema (rule SQL must not reach it).
pub(crate) fn session(memory_limit: Option<usize>) -> Result<SessionContext> {
    context(
        SessionConfig::new().with_information_schema(false),
        memory_limit,
        false,
    )
}

/// A context with `config`, a memory pool of `memory_limit` bytes (if any) and every
/// function a scan plan calls. Cluster schedulers and executors start from it too.
///
/// `distributed`: stages of a plan may run in other processes (a cluster), so
/// aggregates keep their state in memory instead of spilling to local files.
pub fn context(
    config: SessionConfig,
    memory_limit: Option<usize>,
    distributed: bool,
) -> Result<SessionContext> {
    let ctx = match memory_limit {
        None => SessionContext::new_with_config(config),
        Some(bytes) => {
            // A fair pool shared by the operators; those that can spill (sorts,
            // group-bys) write to the OS temp dir before the limit is hit.
            let runtime = datafusion::execution::runtime_env::RuntimeEnvBuilder::new()
                .with_memory_pool(std::sync::Arc::new(
                    datafusion::execution::memory_pool::FairSpillPool::new(bytes),
                ))
                .build_arc()
                .map_err(Error::internal)?;
            SessionContext::new_with_config_rt(config, runtime)
        }
    };
    register_functions(&ctx, (!distributed).then(|| key_spill_budget(memory_limit)));
    Ok(ctx)
}

/// Bytes of key rows the exact duplicate counts of a scan hold together before spilling
/// to temporary files: 64 MiB (a million rows of two key sets stay in memory), or a 16th
/// of `--memory-limit`, at least 256 KiB.
fn key_spill_budget(memory_limit: Option<usize>) -> usize {
    const DEFAULT: usize = 64 << 20;
    match memory_limit {
        Some(limit) => (limit / 16).clamp(256 << 10, DEFAULT),
        None => DEFAULT,
    }
}

/// Every SQL function a scan plan can call: the rule functions (`cn_id_valid`, ...) and
/// the scan's own aggregates. A Ballista client registers them again after its state
/// upgrade (which replaces function lists).
///
/// `key_spill`: see [`duplicates::udaf`].
pub fn register_functions(ctx: &SessionContext, key_spill: Option<usize>) {
    crate::udf::register_all(ctx);
    ctx.register_udaf(sample::udaf());
    ctx.register_udaf(count_true::udaf());
    ctx.register_udaf(count_empty::udaf());
    ctx.register_udaf(embedded::udaf());
    ctx.register_udaf(duplicates::udaf(key_spill));
    ctx.register_udaf(distinct_sample::udaf());
    ctx.register_udaf(minors::udaf());
    ctx.register_udf(trim::udf());
    ctx.register_udf(float_bits::udf());
}

/// `List<Utf8>`: what steward's sampling aggregates return and keep as state.
pub(crate) fn utf8_list_type() -> DataType {
    DataType::List(std::sync::Arc::new(
        datafusion::arrow::datatypes::Field::new_list_field(DataType::Utf8, true),
    ))
}

/// The sum of a `UInt64` state column: how steward's counting aggregates merge their
/// partial counts.
pub(crate) fn sum_counts(state: &datafusion::arrow::array::ArrayRef) -> u64 {
    use datafusion::arrow::array::AsArray;
    state
        .as_primitive::<datafusion::arrow::datatypes::UInt64Type>()
        .iter()
        .flatten()
        .sum()
}

/// The count argument of one of steward's aggregate functions (`steward_sample(v, 5)`):
/// a non-negative integer literal, else an error naming the function.
pub(crate) fn count_literal(
    function: &str,
    arg: Option<&std::sync::Arc<dyn datafusion::physical_expr::PhysicalExpr>>,
) -> datafusion::common::Result<usize> {
    use datafusion::common::ScalarValue;
    use datafusion::physical_expr::expressions::Literal;
    match arg
        .and_then(|e| e.downcast_ref::<Literal>())
        .map(Literal::value)
    {
        Some(ScalarValue::Int64(Some(n))) if *n >= 0 => Ok(*n as usize),
        _ => datafusion::common::exec_err!(
            "{function}: the count argument must be a non-negative integer literal"
        ),
    }
}
