//! Distributed scans on Apache Ballista (cargo feature `ballista`).
//!
//! A scan's plan is the same SQL either way; only the `SessionContext` differs. With
//! `--cluster df://host:port` the context plans on a remote Ballista scheduler; with
//! `--cluster standalone[:N]` it starts a scheduler and N executors in this process
//! (for tests and single-machine use). Executors resolve steward's SQL functions by
//! name from their function registry, so a remote cluster must run steward's own
//! processes (`steward cluster scheduler`, `steward cluster executor`), which register
//! the same functions as a local scan ([`crate::engine::register_functions`]).
//!
//! Only DataFusion's listing tables (CSV, Parquet, NDJSON by path or object-store URL)
//! travel to executors; paths must be readable by every executor. GBK CSV and database
//! tables are read by steward's own providers and are refused with `--cluster`.

/// Where `--cluster` runs the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cluster {
    /// A scheduler and `executors` executors in this process.
    Standalone { executors: usize },
    /// A running scheduler, `df://host:port`.
    Remote { url: String },
}

/// Parse a `--cluster` value: `standalone`, `standalone:N` or `df://host[:port]`.
pub fn parse(spec: &str) -> std::result::Result<Cluster, String> {
    if spec == "standalone" {
        return Ok(Cluster::Standalone { executors: 2 });
    }
    if let Some(n) = spec.strip_prefix("standalone:") {
        return match n.parse::<usize>() {
            Ok(n) if (1..=64).contains(&n) => Ok(Cluster::Standalone { executors: n }),
            _ => Err(format!(
                "'{n}' is not a number of executors from 1 to 64 (standalone:N)"
            )),
        };
    }
    match url::Url::parse(spec) {
        Ok(u) if u.scheme() == "df" && u.host_str().is_some_and(|h| !h.is_empty()) => {
            Ok(Cluster::Remote {
                url: spec.to_string(),
            })
        }
        _ => Err(format!(
            "'{}' is not a cluster; expected df://host:port or standalone[:N]",
            crate::source::remote::redact(spec)
        )),
    }
}

/// Refuses `--cluster` in a binary built without Ballista.
#[cfg(not(feature = "ballista"))]
pub async fn session(
    _cluster: &Cluster,
    _memory_limit: Option<usize>,
) -> crate::error::Result<datafusion::prelude::SessionContext> {
    Err(crate::error::Error::Usage(
        "this steward was built without the distributed mode; rebuild with `cargo build --release --features ballista`".into(),
    ))
}

#[cfg(feature = "ballista")]
pub use ballista_impl::{run_executor, run_scheduler, session};

#[cfg(feature = "ballista")]
mod ballista_impl {
    use std::net::SocketAddr;
    use std::sync::Arc;

    use ballista::extension::{SessionConfigExt, SessionContextExt, SessionStateExt};
    use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
    use datafusion::execution::SessionState;
    use datafusion::prelude::{SessionConfig, SessionContext};

    use super::Cluster;
    use crate::error::{Error, Result};

    /// The session config every process of a cluster uses: Ballista's defaults, no
    /// information schema (rule SQL must not reach it), one partition per core.
    fn config() -> SessionConfig {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        SessionConfig::new_with_ballista()
            .with_information_schema(false)
            .with_target_partitions(cores)
    }

    /// A state holding steward's functions, for a scheduler or executor.
    fn state(config: SessionConfig, memory_limit: Option<usize>) -> Result<SessionState> {
        crate::engine::context(config, memory_limit, true).map(|ctx| ctx.state())
    }

    /// How long a standalone cluster waits for its own scheduler to accept connections.
    const CONNECT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

    fn unavailable(what: &str, e: impl std::fmt::Display) -> Error {
        Error::Usage(format!(
            "{what}: {}",
            crate::source::remote::redact(&e.to_string())
        ))
    }

    /// A context whose queries run on `cluster`.
    pub async fn session(cluster: &Cluster, memory_limit: Option<usize>) -> Result<SessionContext> {
        let state = state(config(), memory_limit)?;
        let ctx = match cluster {
            Cluster::Standalone { executors } => {
                let addr =
                    ballista_scheduler::standalone::new_standalone_scheduler_from_state(&state)
                        .await
                        .map_err(|e| unavailable("cannot start the standalone scheduler", e))?;
                let url = format!("http://localhost:{}", addr.port());
                // The scheduler's listener is up once its address is returned, but the
                // first connections can still be refused for a moment; retry for a bounded
                // time, then say what failed instead of waiting for ever.
                let deadline = std::time::Instant::now() + CONNECT_DEADLINE;
                let client = loop {
                    match SchedulerGrpcClient::connect(url.clone()).await {
                        Ok(c) => break c,
                        Err(e) if std::time::Instant::now() >= deadline => {
                            return Err(unavailable(
                                &format!(
                                    "cannot connect to the standalone scheduler at {url} within {} s",
                                    CONNECT_DEADLINE.as_secs()
                                ),
                                e,
                            ));
                        }
                        Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                    }
                };
                let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
                let vcores = (cores / executors).max(1);
                for _ in 0..*executors {
                    start_executor(client.clone(), vcores, &state)
                        .await
                        .map_err(|e| unavailable("cannot start a standalone executor", e))?;
                }
                let state = state
                    .upgrade_for_ballista(url)
                    .map_err(|e| unavailable("cannot connect to the standalone scheduler", e))?;
                SessionContext::new_with_state(state)
            }
            Cluster::Remote { url } => SessionContext::remote_with_state(url, state)
                .await
                .map_err(|e| unavailable(&format!("cannot use the cluster at {url}"), e))?,
        };
        // Upgrading the state for Ballista replaces its function lists with Ballista's
        // defaults; the client plans with steward's functions again.
        crate::engine::register_functions(&ctx, None);
        Ok(ctx)
    }

    /// Starts an in-process executor polling `scheduler`, as Ballista's
    /// `new_standalone_executor_from_state` does, except that its work dir (shuffle files)
    /// is a temporary directory owned by the executor's task: it is removed when the
    /// runtime drops that task at the end of the command. (Ballista's helper drops the
    /// directory's guard at once, and the executor re-creates the path, so every run left
    /// its shuffle files in TMPDIR.)
    async fn start_executor(
        scheduler: SchedulerGrpcClient<tonic::transport::Channel>,
        vcores: usize,
        state: &SessionState,
    ) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
        use ballista_core::serde::BallistaCodec;
        use ballista_core::serde::protobuf::ExecutorRegistration;
        use ballista_core::serde::scheduler::{
            ExecutorOperatingSystemSpecification, ExecutorSpecification,
        };
        use ballista_core::utils::{GrpcServerConfig, create_grpc_server};
        use ballista_core::{ConfigProducer, RuntimeProducer};
        use ballista_executor::executor::Executor;
        use ballista_executor::flight_service::BallistaFlightService;
        use ballista_executor::metrics::LoggingMetricsCollector;

        let codec: BallistaCodec = BallistaCodec::new(
            state.config().ballista_logical_extension_codec(),
            state.config().ballista_physical_extension_codec(),
        );
        let config = state.config().clone().upgrade_for_ballista();
        let max_message_size = config.ballista_grpc_client_max_message_size();
        let runtime = state.runtime_env().clone();
        let config_producer: ConfigProducer = Arc::new(move || config.clone());
        let runtime_producer: RuntimeProducer = Arc::new(move |_| Ok(runtime.clone()));

        let listener = tokio::net::TcpListener::bind("localhost:0").await?;
        let registration = ExecutorRegistration {
            id: ballista_core::ids::new_instance_id(),
            host: Some("localhost".to_string()),
            port: listener.local_addr()?.port() as u32,
            grpc_port: 50020,
            specification: Some(
                ExecutorSpecification::default()
                    .with_vcores(vcores as u32)
                    .into(),
            ),
            os_info: Some(ExecutorOperatingSystemSpecification::default().into()),
            ballista_protocol_version: ballista_core::BALLISTA_PROTOCOL_VERSION,
        };
        let work_dir = tempfile::Builder::new()
            .prefix("steward-executor-")
            .tempdir()?;
        let path = work_dir
            .path()
            .to_str()
            .ok_or("the temporary directory's path is not UTF-8")?
            .to_string();
        let executor = Arc::new(Executor::with_default_execution_engine(
            registration,
            &path,
            runtime_producer,
            config_producer,
            Arc::new(state.into()),
            Arc::new(LoggingMetricsCollector::default()),
            vcores,
        ));
        let flight = arrow_flight::flight_service_server::FlightServiceServer::new(
            BallistaFlightService::new(path),
        )
        .max_decoding_message_size(max_message_size)
        .max_encoding_message_size(max_message_size);
        tokio::spawn(
            create_grpc_server(&GrpcServerConfig::default())
                .add_service(flight)
                .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
        );
        tokio::spawn(async move {
            let _work_dir = work_dir;
            ballista_executor::execution_loop::poll_loop(
                scheduler,
                executor,
                codec,
                None,
                None,
                ballista_executor::health::ExecutorHealth::new(),
            )
            .await
        });
        Ok(())
    }

    /// Run a Ballista scheduler that plans with steward's functions, until stopped.
    pub async fn run_scheduler(bind: SocketAddr, external_host: Option<String>) -> Result<()> {
        use ballista_scheduler::cluster::BallistaCluster;
        use ballista_scheduler::config::SchedulerConfig;
        let mut cfg = SchedulerConfig {
            bind_host: bind.ip().to_string(),
            bind_port: bind.port(),
            ..Default::default()
        }
        .with_override_config_producer(Arc::new(config))
        .with_override_session_builder(Arc::new(|c: SessionConfig| {
            state(c, None).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))
        }));
        if let Some(host) = external_host {
            cfg.external_host = host;
        }
        let cluster = BallistaCluster::new_from_config(&cfg)
            .await
            .map_err(|e| unavailable("cannot start the scheduler", e))?;
        ballista_scheduler::scheduler_process::start_server(cluster, bind, Arc::new(cfg))
            .await
            .map_err(|e| unavailable("scheduler stopped", e))
    }

    /// Run a Ballista executor with steward's functions, registered with `scheduler`,
    /// until stopped.
    pub async fn run_executor(
        scheduler: (String, u16),
        bind: SocketAddr,
        grpc_port: u16,
        external_host: Option<String>,
        vcores: usize,
        work_dir: Option<String>,
    ) -> Result<()> {
        use ballista_core::registry::BallistaFunctionRegistry;
        use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
        let st = state(config(), None)?;
        let cfg = ExecutorProcessConfig {
            bind_host: bind.ip().to_string(),
            port: bind.port(),
            grpc_port,
            external_host,
            scheduler_host: scheduler.0,
            scheduler_port: scheduler.1,
            vcores,
            work_dir,
            override_function_registry: Some(Arc::new(BallistaFunctionRegistry::from(&st))),
            override_config_producer: Some(Arc::new(config)),
            ..Default::default()
        };
        start_executor_process(Arc::new(cfg))
            .await
            .map_err(|e| unavailable("executor stopped", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_specs_parse() {
        assert_eq!(
            parse("standalone"),
            Ok(Cluster::Standalone { executors: 2 })
        );
        assert_eq!(
            parse("standalone:3"),
            Ok(Cluster::Standalone { executors: 3 })
        );
        assert!(parse("standalone:0").is_err());
        assert_eq!(
            parse("df://sched:50050"),
            Ok(Cluster::Remote {
                url: "df://sched:50050".into()
            })
        );
        let err = parse("http://u:pw@x").unwrap_err();
        assert!(
            err.contains("df://host:port") && !err.contains("pw"),
            "{err}"
        );
    }
}
