//! Read failures as errors that name the file and line, without quoting the data.

use super::{Input, InputFormat, SourceOptions, diagnose, typing};
use crate::error::Error;

/// Prefer the exact line of the first problem over a schema-inference message.
pub(super) fn located(input: &Input, opts: &SourceOptions, err: Error) -> Error {
    match diagnose::first_problem(input, opts.encoding) {
        Some((line, message)) => Error::Data {
            path: input.path.clone(),
            line: Some(line),
            column: None,
            message,
        },
        None => err,
    }
}

/// When a CSV value did not fit the type inferred from the first rows, the position of
/// its column (Arrow says `... for column N at line ...`).
pub fn mistyped_column(input: &Input, err: &datafusion::error::DataFusionError) -> Option<usize> {
    if !matches!(input.format, InputFormat::Csv | InputFormat::Tsv) {
        return None;
    }
    if let Some(column) = typing::not_canonical_column(err) {
        return Some(column);
    }
    let text = err.to_string();
    let at = text.find("Error while parsing value")?;
    let rest = &text[at..];
    let after = &rest[rest.find(" for column ")? + " for column ".len()..];
    after.split_whitespace().next()?.parse().ok()
}

/// Turn a DataFusion/Arrow read failure into a `Data` error naming the file and line.
/// The input is read again to find the exact line; the engine's own message is used only
/// after removing anything quoted from the data.
pub fn read_error(
    input: &Input,
    opts: &SourceOptions,
    err: &datafusion::error::DataFusionError,
) -> Error {
    if let Some((line, message)) = diagnose::first_problem(input, opts.encoding) {
        return Error::Data {
            path: input.path.clone(),
            line: Some(line),
            column: None,
            message,
        };
    }
    Error::data(&input.path, diagnose::scrub(&err.to_string()))
}
