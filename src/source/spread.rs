//! Spreading one input stream over every core.
//!
//! DataFusion reads a Parquet file one row group per partition, and files written with
//! default settings (arrow-rs, pyarrow) hold up to a million rows in one row group, so a
//! scan of such a file decodes and checks every row on one core. Decoding is the cheap
//! part; the checks are not. [`SpreadTable`] wraps a table so that its scan reads the file
//! as one stream and deals the decoded batches round-robin to one partition per core.
//!
//! The inner plan sits inside a leaf node ([`SpreadExec`]) rather than under a
//! `RepartitionExec` in the plan tree: DataFusion's distribution optimizer would
//! otherwise replace the round-robin with its byte-range file split, which leaves all but
//! one partition empty for a single row group.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::Result;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::TableType;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::Expr;
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::repartition::RepartitionExec;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
    SendableRecordBatchStream,
};

/// A table whose scans are spread over `partitions` streams.
#[derive(Debug)]
pub(super) struct SpreadTable {
    inner: Arc<dyn TableProvider>,
    partitions: usize,
}

impl SpreadTable {
    pub(super) fn new(inner: Arc<dyn TableProvider>, partitions: usize) -> Self {
        Self { inner, partitions }
    }
}

#[async_trait]
impl TableProvider for SpreadTable {
    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }

    fn table_type(&self) -> TableType {
        self.inner.table_type()
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let plan = self.inner.scan(state, projection, filters, limit).await?;
        let spread =
            RepartitionExec::try_new(plan, Partitioning::RoundRobinBatch(self.partitions))?;
        Ok(Arc::new(SpreadExec {
            properties: Arc::clone(spread.properties()),
            inner: Arc::new(spread),
        }))
    }
}

/// A leaf that runs a private plan (a round-robin repartition over the real scan).
#[derive(Debug)]
struct SpreadExec {
    inner: Arc<dyn ExecutionPlan>,
    properties: Arc<PlanProperties>,
}

impl DisplayAs for SpreadExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "SpreadExec: partitions={}",
            self.properties.partitioning.partition_count()
        )
    }
}

impl ExecutionPlan for SpreadExec {
    fn name(&self) -> &str {
        "SpreadExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        self.inner.execute(partition, context)
    }
}
