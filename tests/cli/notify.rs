//! `--notify URL`: a webhook gets the run's summary when the gate fails; whatever the
//! webhook does, the exit code is the run's own. The webhook here is a local HTTP
//! server on 127.0.0.1 written in the test.

use super::CliTest;

const SCAN: [&str; 5] = [
    "scan",
    "fixtures/customers.csv",
    "--rules",
    "rules/customer-core.yaml",
    "--no-audit",
];

fn scan_with(t: &CliTest, extra: &[&str]) -> super::Run {
    let mut args: Vec<&str> = SCAN.to_vec();
    args.extend_from_slice(&["--as-of", "2026-06-30"]);
    args.extend_from_slice(extra);
    t.run(&args)
}

/// A port nothing listens on: bound, then closed.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn issue_20_a_webhook_that_cannot_be_reached_does_not_change_the_exit_code() {
    let t = CliTest::new();
    let plain = scan_with(&t, &[]);
    assert_eq!(
        plain.code, 1,
        "the fixture fails its gate: {}",
        plain.stderr
    );
    let url = format!("http://127.0.0.1:{}/hook/secret-token", closed_port());
    let r = scan_with(&t, &["--notify", &url]);
    assert_eq!(r.code, plain.code, "{}", r.stderr);
    assert_eq!(r.stdout, plain.stdout);
    assert!(
        r.stderr.contains("warning: --notify: http://127.0.0.1/***"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("secret-token"), "{}", r.stderr);
}

#[cfg(feature = "notify")]
mod live {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;

    use serde_json::Value;

    use super::*;

    /// Serve one request with `status`; hand back the request line and the JSON body.
    fn serve_once(status: &'static str) -> (u16, std::thread::JoinHandle<(String, Value)>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
            )
            .unwrap();
            (request, serde_json::from_slice(&body).unwrap())
        });
        (port, handle)
    }

    #[test]
    fn issue_20_the_summary_reaches_a_local_webhook_without_data_values() {
        let t = CliTest::new();
        let (port, server) = serve_once("200 OK");
        let url = format!("http://127.0.0.1:{port}/hook");
        let r = scan_with(&t, &["--notify", &url]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("notified http://127.0.0.1/***"),
            "{}",
            r.stderr
        );
        let (request, body) = server.join().unwrap();
        assert!(request.starts_with("POST /hook "), "{request}");
        assert_eq!(body["tool"], "steward");
        assert_eq!(body["passed"], false);
        assert!(!body["reasons"].as_array().unwrap().is_empty());
        let failing = body["datasets"][0]["failing_checks"].as_array().unwrap();
        assert!(
            failing.iter().any(|c| c["id"] == "customers.mobile.format"),
            "{body:#}"
        );
        // No value of the fixture: none of its mobiles, IDs or e-mails.
        let text = body.to_string();
        for row in t.csv_rows("fixtures/customers.csv") {
            for (column, value) in row {
                if ["mobile", "id_number", "email", "name"].contains(&column.as_str())
                    && value.len() > 3
                {
                    assert!(!text.contains(&value), "{column} value in the payload");
                }
            }
        }
    }

    #[test]
    fn issue_20_vendor_shapes_and_a_failing_webhook() {
        let t = CliTest::new();
        let (port, server) = serve_once("200 OK");
        let url = format!("http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k");
        let r = scan_with(&t, &["--notify", &url, "--notify-format", "wecom"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let (_, body) = server.join().unwrap();
        assert_eq!(body["msgtype"], "markdown");
        assert!(
            body["markdown"]["content"]
                .as_str()
                .unwrap()
                .contains("customers")
        );

        let (port, server) = serve_once("500 Internal Server Error");
        let url = format!("http://127.0.0.1:{port}/hook");
        let r = scan_with(&t, &["--notify", &url, "--notify-format", "slack"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("answered 500"), "{}", r.stderr);
        let (_, body) = server.join().unwrap();
        assert!(body["text"].as_str().unwrap().contains("FAIL"));
    }
}
