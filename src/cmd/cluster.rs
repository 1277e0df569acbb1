//! `steward cluster scheduler|executor`: the processes of a Ballista cluster.

use std::path::PathBuf;

use clap::Subcommand;
use steward::{Error, Outcome};

#[derive(Subcommand)]
pub enum Command {
    /// Run a scheduler until stopped
    Scheduler {
        /// Address to listen on
        #[arg(long, default_value = "0.0.0.0:50050", value_name = "ADDR")]
        bind: std::net::SocketAddr,
        /// Host name executors and clients use to reach this scheduler
        #[arg(long, value_name = "HOST")]
        external_host: Option<String>,
    },
    /// Run an executor until stopped
    Executor {
        /// The scheduler, host:port
        #[arg(long, default_value = "localhost:50050", value_name = "HOST:PORT")]
        scheduler: String,
        /// Address of the executor's Flight service (shuffle data)
        #[arg(long, default_value = "0.0.0.0:50051", value_name = "ADDR")]
        bind: std::net::SocketAddr,
        /// Port of the executor's gRPC service
        #[arg(long, default_value_t = 50052, value_name = "PORT")]
        grpc_port: u16,
        /// Host name the scheduler and other executors use to reach this one
        #[arg(long, value_name = "HOST")]
        external_host: Option<String>,
        /// Concurrent tasks (default: the number of cores)
        #[arg(long, value_name = "N")]
        vcores: Option<usize>,
        /// Directory for shuffle files (default: a temporary directory)
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
    },
}

#[cfg(feature = "ballista")]
pub fn run(command: Command) -> steward::Result<Outcome> {
    let rt = super::runtime()?;
    match command {
        Command::Scheduler {
            bind,
            external_host,
        } => rt.block_on(steward::cluster::run_scheduler(bind, external_host))?,
        Command::Executor {
            scheduler,
            bind,
            grpc_port,
            external_host,
            vcores,
            work_dir,
        } => {
            let (host, port) = scheduler
                .rsplit_once(':')
                .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
                .ok_or_else(|| {
                    Error::Usage(format!("--scheduler '{scheduler}': expected host:port"))
                })?;
            let vcores = vcores
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
            rt.block_on(steward::cluster::run_executor(
                (host, port),
                bind,
                grpc_port,
                external_host,
                vcores,
                work_dir.map(|d| d.display().to_string()),
            ))?
        }
    }
    Ok(Outcome::Passed)
}

#[cfg(not(feature = "ballista"))]
pub fn run(_command: Command) -> steward::Result<Outcome> {
    Err(Error::Usage(
        "this steward was built without the distributed mode; rebuild with `cargo build --release --features ballista`".into(),
    ))
}
