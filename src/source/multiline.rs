//! Does a CSV file have a line break inside a quoted value?
//!
//! DataFusion reads a large CSV file as several byte ranges in parallel, each starting
//! after the first line break past its offset. A break inside a quoted value (a
//! multi-line address, a note) can be that line break, and then a range starts in the
//! middle of a record: the scan fails with a wrong "incorrect number of fields", or
//! worse, reads a fragment as a record. Such a file has to be read in one piece
//! (`newlines_in_values`), which decodes on one core; every other file keeps the
//! parallel read. One pass over the bytes decides, before the scan.
//!
//! The pass follows quoting as the CSV reader does: a `"` opens a quoted value only at
//! the start of a field, `""` inside one is an escaped quote, and a `"` in the middle of
//! an unquoted field is a literal character.

use std::io::{self, Read};

/// Whether the CSV text read from `reader` (fields separated by `delimiter`) has a
/// `\n` or `\r` inside a quoted value.
pub(crate) fn has_quoted_line_break(mut reader: impl Read, delimiter: u8) -> io::Result<bool> {
    let mut buf = vec![0u8; 1 << 20];
    let mut scanner = Scanner::new(delimiter);
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(false),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if scanner.feed(&buf[..n]) {
            return Ok(true);
        }
    }
}

/// The quoting state between chunks of input.
struct Scanner {
    delimiter: u8,
    in_quotes: bool,
    /// The byte before the current chunk (a line break before the input's first byte).
    prev: u8,
    /// Offset in the input of the chunk's first byte.
    offset: u64,
    /// Offset of the last `"` that closed a quoted value.
    closed_at: Option<u64>,
}

impl Scanner {
    fn new(delimiter: u8) -> Self {
        Self {
            delimiter,
            in_quotes: false,
            prev: b'\n',
            offset: 0,
            closed_at: None,
        }
    }

    /// Follows `chunk`; true at the first line break inside quotes.
    fn feed(&mut self, chunk: &[u8]) -> bool {
        for pos in memchr::memchr3_iter(b'"', b'\n', b'\r', chunk) {
            let at = self.offset + pos as u64;
            if chunk[pos] != b'"' {
                if self.in_quotes {
                    return true;
                }
                continue;
            }
            let prev = if pos == 0 { self.prev } else { chunk[pos - 1] };
            if self.in_quotes {
                self.in_quotes = false;
                self.closed_at = Some(at);
            } else if self.closed_at.is_some_and(|c| c + 1 == at)
                || prev == self.delimiter
                || prev == b'\n'
                || prev == b'\r'
            {
                // `""` within a quoted value, or a quote opening a field.
                self.in_quotes = true;
            }
        }
        if let Some(&last) = chunk.last() {
            self.prev = last;
        }
        self.offset += chunk.len() as u64;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> bool {
        has_quoted_line_break(text.as_bytes(), b',').unwrap()
    }

    #[test]
    fn finds_breaks_inside_quotes_only() {
        assert!(!check("a,b\n1,2\r\n3,4\n"));
        assert!(!check("a,b\n\"x, y\",2\n"));
        assert!(check("a,b\n\"line 1\nline 2\",2\n"));
        assert!(check("a,b\n1,\"x\r\ny\"\n"));
        // Escaped quotes keep the value open; the break after them is inside it.
        assert!(check("a,b\n\"say \"\"hi\"\"\nthere\",2\n"));
        assert!(!check("a,b\n\"say \"\"hi\"\"\",2\n3,4\n"));
        // A quote inside an unquoted field is a literal character.
        assert!(!check("a,b\n5'11\" tall,2\n3,4\n"));
        assert!(has_quoted_line_break("a\tb\n\"x\ny\"\t2\n".as_bytes(), b'\t').unwrap());
    }

    /// The input split into chunks at every position gives the same answer.
    #[test]
    fn chunk_boundaries_do_not_matter() {
        let cases = [
            "a,b\n\"say \"\"hi\"\"\nthere\",2\n",
            "a,b\n\"say \"\"hi\"\"\",2\n3,4\n",
            "a,b\n5'11\" tall,2\n\"x\"\n",
            "a,b\n\"\"\n\"\"\"\"\n",
            "a,b\n\"\"\"\n\"\n",
        ];
        for text in cases {
            let whole = check(text);
            let bytes = text.as_bytes();
            for cut in 0..=bytes.len() {
                let mut s = Scanner::new(b',');
                let found = s.feed(&bytes[..cut]) || s.feed(&bytes[cut..]);
                assert_eq!(found, whole, "{text:?} cut at {cut}");
            }
        }
    }

    proptest::proptest! {
        /// Agrees with the csv crate: a file has a quoted line break exactly when some
        /// parsed field contains one.
        #[test]
        fn agrees_with_a_csv_parser(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-c\"\r\n ,]{0,5}", 1..4), 1..6)
        ) {
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            for row in &rows {
                w.write_record(row).unwrap();
            }
            let data = w.into_inner().unwrap();
            let expected = rows.iter().flatten().any(|f| f.contains(['\n', '\r']));
            proptest::prop_assert_eq!(has_quoted_line_break(&data[..], b',').unwrap(), expected);
        }
    }
}
