//! `steward rules check` and `steward rules list`.

use std::path::PathBuf;

use clap::Subcommand;
use steward::Outcome;

use super::print_stdout;

#[derive(Subcommand)]
pub enum Command {
    /// Validate rule files without reading data; every problem is reported with file:line:col
    Check {
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
    },
    /// List the built-in check shorthands, formats and SQL functions
    List {
        #[arg(long, short, value_enum, default_value = "table")]
        format: steward::registry::ListFormat,
    },
}

pub fn run(command: Command) -> steward::Result<Outcome> {
    match command {
        Command::Check { paths } => steward::rules::load(&paths).map(|rs| {
            let checks: usize = rs.datasets.iter().map(|d| d.checks.len()).sum();
            eprintln!("ok: {} rule file(s), {} check(s)", rs.files.len(), checks);
            Outcome::Passed
        }),
        Command::List { format } => {
            print_stdout(&steward::registry::render(format)).map(|_| Outcome::Passed)
        }
    }
}
