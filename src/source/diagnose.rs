//! Find the first line of an input that cannot be read, and say why, without quoting it.
//!
//! Runs only after the engine failed to read a file, so its cost does not matter; what
//! matters is an exact line number (the engine reads in parallel ranges and its line
//! numbers are relative) and a message that never contains a cell value.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

use super::{Input, InputFormat, TextEncoding};

/// `(line, message)` of the first problem found, lines 1-based (the header is line 1).
pub(super) fn first_problem(input: &Input, encoding: TextEncoding) -> Option<(u64, String)> {
    let file = std::fs::File::open(&input.path).ok()?;
    match input.format {
        InputFormat::Csv | InputFormat::Tsv => {
            let delimiter = input.format.delimiter();
            let reader: Box<dyn Read> = match encoding.encoding() {
                Some(enc) => Box::new(
                    encoding_rs_io::DecodeReaderBytesBuilder::new()
                        .encoding(Some(enc))
                        .build(file),
                ),
                None => Box::new(file),
            };
            csv_problem(reader, delimiter, encoding == TextEncoding::Utf8)
        }
        InputFormat::Json => json_problem(file),
        InputFormat::Parquet | InputFormat::Postgres => None,
    }
}

fn csv_problem(reader: impl Read, delimiter: u8, utf8: bool) -> Option<(u64, String)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut expected: Option<usize> = None;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Some((line, describe_csv_error(e.kind())));
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if let Some(i) = record.iter().position(|f| std::str::from_utf8(f).is_err()) {
            let hint = if utf8 {
                "; if the file is a GBK/GB18030 export, pass --encoding gbk or --encoding gb18030"
            } else {
                ""
            };
            return Some((line, format!("field {} is not valid UTF-8{hint}", i + 1)));
        }
        match expected {
            None => expected = Some(record.len()),
            Some(n) if n != record.len() => {
                return Some((
                    line,
                    format!(
                        "expected {n} fields as in the header, found {}",
                        record.len()
                    ),
                ));
            }
            Some(_) => {}
        }
    }
}

fn describe_csv_error(kind: &csv::ErrorKind) -> String {
    match kind {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields as in the header, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        csv::ErrorKind::Io(e) => format!("cannot read: {e}"),
        _ => "malformed CSV record".into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Object,
    Array,
}

impl Kind {
    fn of(v: &serde_json::Value) -> Option<Kind> {
        match v {
            serde_json::Value::Null => None,
            serde_json::Value::Object(_) => Some(Kind::Object),
            serde_json::Value::Array(_) => Some(Kind::Array),
            _ => Some(Kind::Scalar),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Scalar => "a plain value",
            Kind::Object => "an object",
            Kind::Array => "an array",
        }
    }
}

fn json_problem(file: std::fs::File) -> Option<(u64, String)> {
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    let mut seen: BTreeMap<String, (Kind, u64)> = BTreeMap::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return None,
            Ok(_) => line += 1,
            Err(e) => return Some((line + 1, format!("cannot read: {e}"))),
        }
        let Ok(text) = std::str::from_utf8(&buf) else {
            return Some((line, "not valid UTF-8".into()));
        };
        if text.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return Some((
                    line,
                    format!(
                        "not valid JSON ({} at column {})",
                        classify_json(&e),
                        e.column()
                    ),
                ));
            }
        };
        let serde_json::Value::Object(map) = value else {
            return Some((line, "expected a JSON object".into()));
        };
        for (key, v) in &map {
            let Some(kind) = Kind::of(v) else { continue };
            match seen.get(key) {
                Some((first, at)) if *first != kind => {
                    return Some((
                        line,
                        format!(
                            "field '{key}' is {} here but {} on line {at}; expected one type per field",
                            kind.name(),
                            first.name()
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    seen.insert(key.clone(), (kind, line));
                }
            }
        }
    }
}

fn classify_json(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Eof => "unexpected end of line",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Io => "read error",
    }
}

/// Remove anything quoted from an engine message: quoted text may be a cell value.
pub(super) fn scrub(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '\'' || c == '"' || c == '`' => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_rows_are_found_by_line() {
        let data = "a,b\n1,2\n3,4,5\n";
        let (line, msg) = csv_problem(data.as_bytes(), b',', true).unwrap();
        assert_eq!(line, 3);
        assert_eq!(msg, "expected 2 fields as in the header, found 3");
    }

    #[test]
    fn invalid_utf8_is_found_by_line_and_field() {
        let data = b"a,b\n1,2\n3,\xff\n";
        let (line, msg) = csv_problem(&data[..], b',', true).unwrap();
        assert_eq!(line, 3);
        assert!(msg.starts_with("field 2 is not valid UTF-8"), "{msg}");
    }

    #[test]
    fn quoted_newlines_keep_line_numbers_right() {
        let data = "a,b\n\"x\ny\",2\n3,4,5\n";
        let (line, _) = csv_problem(data.as_bytes(), b',', true).unwrap();
        assert_eq!(line, 4);
    }

    #[test]
    fn scrub_hides_quoted_values() {
        assert_eq!(
            scrub("Error while parsing value '13800138000' for column 3"),
            "Error while parsing value '…' for column 3"
        );
        assert_eq!(scrub("unterminated 'secret"), "unterminated '…");
    }
}
