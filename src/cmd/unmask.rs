//! `steward unmask`: decrypt values written by `steward mask` with the encrypt method.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use steward::Outcome;

use steward::audit::Event;

use super::{Context, SourceArgs};

#[derive(ClapArgs)]
pub struct Args {
    /// A file written by `steward mask`
    #[arg(value_name = "DATA")]
    pub data: String,
    /// Output file; its extension chooses the format
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Only these columns (comma-separated); default: every column with encrypted values
    #[arg(long, value_delimiter = ',', value_name = "C,..")]
    pub columns: Option<Vec<String>>,
    /// Key file (repeatable, for rotated keys); default: the STEWARD_KEY variable
    #[arg(long, value_name = "FILE")]
    pub key_file: Vec<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub fn run(args: Args, ctx: &Context, event: &mut Event) -> steward::Result<Outcome> {
    event.with_data(std::slice::from_ref(&args.data));
    event.key_ids = steward::audit::key_ids(&args.key_file);
    let opts = steward::pipeline::mask::UnmaskOptions {
        data: args.data,
        output: args.output,
        columns: args.columns,
        key_files: args.key_file,
        source: args.source.options(),
    };
    let counts = ctx.block_on(steward::pipeline::mask::unmask(&opts))?;
    for (column, n) in counts {
        eprintln!("{column}: {n} values decrypted");
    }
    Ok(Outcome::Passed)
}
