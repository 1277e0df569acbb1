//! The scan: [`PostgresTable`] as a DataFusion `TableProvider`, and its plan, one
//! `SELECT` on a connection of its own whose rows stream as record batches.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::TableType;
use datafusion::error::DataFusionError;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchReceiverStreamBuilder;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
    SendableRecordBatchStream,
};
use futures::StreamExt;
use tokio_postgres::Config;

use super::connection::{PostgresStreamError, error_chain, open};
use super::filters::render_filter;
use super::rows::BatchBuilder;
use super::types::Kind;
use super::{PostgresTable, Secrets};

#[async_trait]
impl TableProvider for PostgresTable {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> datafusion::error::Result<Vec<TableProviderFilterPushDown>> {
        Ok(filters
            .iter()
            .map(|f| match render_filter(f, &self.columns) {
                Some(_) => TableProviderFilterPushDown::Inexact,
                None => TableProviderFilterPushDown::Unsupported,
            })
            .collect())
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::error::Result<Arc<dyn ExecutionPlan>> {
        let schema = match projection {
            Some(p) => Arc::new(self.schema.project(p)?),
            None => Arc::clone(&self.schema),
        };
        let kinds: Vec<Kind> = match projection {
            Some(p) => p.iter().map(|&i| self.columns[i].kind).collect(),
            None => self.columns.iter().map(|c| c.kind).collect(),
        };
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let properties = Arc::new(PlanProperties::new(
            EquivalenceProperties::new(Arc::clone(&schema)),
            Partitioning::UnknownPartitioning(1),
            EmissionType::Incremental,
            Boundedness::Bounded,
        ));
        Ok(Arc::new(PostgresExec {
            config: self.config.clone(),
            display: self.display.clone(),
            source: self.source.describe(),
            sql: self.select_sql(projection, filters, limit),
            filters: filters.len(),
            schema,
            kinds,
            names,
            properties,
            secrets: Arc::clone(&self.secrets),
        }))
    }
}

/// One `SELECT` on its own connection, streamed as record batches. One partition.
struct PostgresExec {
    config: Config,
    display: String,
    source: String,
    sql: String,
    filters: usize,
    schema: SchemaRef,
    kinds: Vec<Kind>,
    names: Vec<String>,
    properties: Arc<PlanProperties>,
    secrets: Arc<Secrets>,
}

impl fmt::Debug for PostgresExec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the SQL: its WHERE may quote values from a rule.
        f.debug_struct("PostgresExec")
            .field("url", &self.display)
            .field("source", &self.source)
            .field("columns", &self.names)
            .field("filters", &self.filters)
            .finish_non_exhaustive()
    }
}

impl DisplayAs for PostgresExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "PostgresExec: {} of {}, columns={}, pushed filters={}",
            self.source,
            self.display,
            self.names.len(),
            self.filters
        )
    }
}

impl ExecutionPlan for PostgresExec {
    fn name(&self) -> &str {
        "PostgresExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> datafusion::error::Result<TreeNodeRecursion>,
    ) -> datafusion::error::Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> datafusion::error::Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> datafusion::error::Result<SendableRecordBatchStream> {
        if partition != 0 {
            return Err(DataFusionError::Internal(format!(
                "PostgresExec has one partition, asked for {partition}"
            )));
        }
        let batch_size = context.session_config().batch_size().max(1);
        let mut builder = RecordBatchReceiverStreamBuilder::new(Arc::clone(&self.schema), 2);
        let tx = builder.tx();
        let config = self.config.clone();
        let sql = self.sql.clone();
        let schema = Arc::clone(&self.schema);
        let kinds = self.kinds.clone();
        let names = self.names.clone();
        let display = self.display.clone();
        let secrets = Arc::clone(&self.secrets);
        builder.spawn(async move {
            let fail = |message: String| {
                DataFusionError::External(Box::new(PostgresStreamError(format!(
                    "{display}: {}",
                    secrets.scrub(&message)
                ))))
            };
            let (client, guard) = open(&config).await.map_err(fail)?;
            let rows = client
                .query_raw(sql.as_str(), std::iter::empty::<i32>())
                .await
                .map_err(|e| {
                    fail(format!(
                        "the query failed: {}",
                        super::super::diagnose::scrub(&error_chain(&e))
                    ))
                })?;
            let mut rows = std::pin::pin!(rows);
            let mut batch = BatchBuilder::new(&kinds, batch_size);
            while let Some(row) = rows.next().await {
                let row = row.map_err(|e| {
                    fail(format!(
                        "reading rows failed: {}",
                        super::super::diagnose::scrub(&error_chain(&e))
                    ))
                })?;
                batch.push(&row, &names).map_err(fail)?;
                if batch.rows == batch_size {
                    let full = batch.finish(&schema).map_err(DataFusionError::from)?;
                    if tx.send(Ok(full)).await.is_err() {
                        // The consumer is gone (a LIMIT was met): stop the server.
                        return Ok(());
                    }
                }
            }
            if batch.rows > 0 {
                let last = batch.finish(&schema).map_err(DataFusionError::from)?;
                let _ = tx.send(Ok(last)).await;
            }
            // All rows read: close politely rather than abort.
            drop(client);
            guard.release();
            Ok(())
        });
        Ok(builder.build())
    }
}
