//! `steward audit verify`: check the audit log's hash chain.

use std::path::PathBuf;

use clap::Subcommand;
use steward::Outcome;

#[derive(Subcommand)]
pub enum Command {
    /// Verify every line of an audit log; exit 1 naming the first edited, removed or reordered line
    #[command(
        long_about = "Verify every line of an audit log: sequence numbers, each line's hash and \
the chain of `prev` hashes. Exit 0 with the entry count and the head hash when intact, 1 \
naming the first bad line otherwise. Lines removed from the end leave a valid chain: \
compare the head hash with a copy kept elsewhere.\n\n\
Example:\n  steward audit verify .steward/audit.jsonl"
    )]
    Verify {
        #[arg(value_name = "LOG")]
        log: PathBuf,
    },
}

pub fn run(command: Command) -> steward::Result<Outcome> {
    let Command::Verify { log } = command;
    let log = log.as_path();
    let v = steward::audit::log::verify(log)?;
    match &v.first_bad {
        None => {
            eprintln!("ok: {} entries, chain intact; head {}", v.entries, v.head);
            Ok(Outcome::Passed)
        }
        Some((line, why)) => {
            eprintln!(
                "FAIL  {}:{line}: {why}; {} line(s) before it verify",
                log.display(),
                v.entries
            );
            Ok(Outcome::GateFailed)
        }
    }
}
