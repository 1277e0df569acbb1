//! `--notify URL`: post a summary of a run to a webhook when its gate fails or an anomaly
//! fires. The payload is shaped for the incoming webhooks of WeCom (企业微信), DingTalk
//! (钉钉), Feishu / Lark (飞书) and Slack, recognised by host, or steward's own JSON for
//! any other URL (docs/history.md#notifications).
//!
//! What is sent: the verdict, the gate's reasons, per dataset the rows, the overall
//! score, the failing checks (id, failed, evaluated) and the anomalies that fired. Never
//! a sample or any value from the data. A webhook that is slow, refuses or fails never
//! changes the run's exit code: [`notify`] returns the problem for the caller to print.
//! The URL's token is never printed: messages show its scheme and host only.

use serde_json::{Value, json};

use crate::report::history::{Anomaly, AnomalyStatus};
use crate::report::{CheckResult, DatasetReport, Report, Status};

/// Seconds a webhook gets to answer.
pub const TIMEOUT_SECS: u64 = 10;

/// The payload shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Flavor {
    /// By the URL's host: WeCom, DingTalk, Feishu/Lark, Slack, else steward's JSON.
    Auto,
    /// steward's own JSON summary.
    Json,
    Wecom,
    Dingtalk,
    Feishu,
    Slack,
}

impl Flavor {
    /// The flavour a URL's host implies.
    pub fn of(url: &url::Url) -> Flavor {
        match url.host_str().unwrap_or_default() {
            "qyapi.weixin.qq.com" => Flavor::Wecom,
            "oapi.dingtalk.com" => Flavor::Dingtalk,
            "open.feishu.cn" | "open.larksuite.com" => Flavor::Feishu,
            "hooks.slack.com" => Flavor::Slack,
            _ => Flavor::Json,
        }
    }
}

/// `https://qyapi.weixin.qq.com/***`: a webhook URL as messages may show it.
pub fn shown(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!("{}://{}/***", u.scheme(), u.host_str().unwrap_or("")),
        Err(_) => "the --notify URL".into(),
    }
}

/// The checks of a dataset that did not pass.
fn failing(d: &DatasetReport) -> impl Iterator<Item = &CheckResult> {
    d.checks.iter().filter(|c| c.status != Status::Pass)
}

/// The anomalies of a dataset that warned or failed.
fn fired(d: &DatasetReport) -> impl Iterator<Item = &Anomaly> {
    d.anomalies
        .iter()
        .filter(|a| matches!(a.status, AnomalyStatus::Warn | AnomalyStatus::Fail))
}

/// Why a run is worth a message: its gate failed, or an anomaly warned or failed.
pub fn worth_sending(report: &Report, extra_reasons: &[String]) -> bool {
    !report.gate.passed
        || !extra_reasons.is_empty()
        || report.datasets.iter().any(|d| fired(d).next().is_some())
}

/// steward's own JSON summary.
pub fn summary(report: &Report, command: &str, extra_reasons: &[String]) -> Value {
    let passed = report.gate.passed && extra_reasons.is_empty();
    let reasons: Vec<&String> = report.gate.reasons.iter().chain(extra_reasons).collect();
    let datasets: Vec<Value> = report
        .datasets
        .iter()
        .map(|d| {
            let failing: Vec<Value> = failing(d)
                .map(|c| {
                    json!({ "id": c.id, "status": c.status.as_str(), "failed": c.failed, "evaluated": c.evaluated })
                })
                .collect();
            let anomalies: Vec<Value> = fired(d)
                .map(|a| json!({ "id": a.id, "status": a.status.as_str(), "note": a.note }))
                .collect();
            json!({
                "name": d.name,
                "rows": d.rows,
                "overall": d.scores.overall,
                "failing_checks": failing,
                "anomalies": anomalies,
            })
        })
        .collect();
    json!({
        "tool": "steward",
        "version": report.tool.version,
        "command": command,
        "passed": passed,
        "reasons": reasons,
        "run": {
            "started_at": report.run.started_at,
            "as_of": report.run.as_of,
            "rules_sha256": report.run.rules_sha256,
        },
        "datasets": datasets,
    })
}

/// The same facts as Markdown lines for the chat webhooks (at most 10 checks per dataset).
fn text(report: &Report, command: &str, extra_reasons: &[String], markdown: bool) -> String {
    let bold = |t: &str| {
        if markdown {
            format!("**{t}**")
        } else {
            t.to_string()
        }
    };
    let verdict = if report.gate.passed && extra_reasons.is_empty() {
        "anomaly"
    } else {
        "FAIL"
    };
    let mut out = format!(
        "{} steward {command}: {verdict} (as of {})\n",
        bold("steward"),
        report.run.as_of
    );
    for r in report.gate.reasons.iter().chain(extra_reasons) {
        out.push_str(&format!("- {r}\n"));
    }
    for d in &report.datasets {
        let checks: Vec<&CheckResult> = failing(d).collect();
        let anomalies: Vec<&Anomaly> = fired(d).collect();
        if checks.is_empty() && anomalies.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{} {} rows, overall {}\n",
            bold(&d.name),
            d.rows,
            d.scores
                .overall
                .map(|v| format!("{v:.2}"))
                .unwrap_or_else(|| "-".into())
        ));
        for c in checks.iter().take(10) {
            out.push_str(&format!(
                "- {} {}: {} of {} failed\n",
                c.status.as_str(),
                c.id,
                c.failed,
                c.evaluated
            ));
        }
        if checks.len() > 10 {
            out.push_str(&format!("- … and {} more\n", checks.len() - 10));
        }
        for a in &anomalies {
            out.push_str(&format!(
                "- anomaly {} {}: {}\n",
                a.status.as_str(),
                a.id,
                a.note
            ));
        }
    }
    out
}

/// The body for `flavor` (Auto is resolved by the caller).
pub fn payload(flavor: Flavor, report: &Report, command: &str, extra: &[String]) -> Value {
    match flavor {
        Flavor::Auto | Flavor::Json => summary(report, command, extra),
        // https://developer.work.weixin.qq.com/document/path/91770
        Flavor::Wecom => json!({
            "msgtype": "markdown",
            "markdown": { "content": text(report, command, extra, true) },
        }),
        // https://open.dingtalk.com/document/robots/custom-robot-access
        Flavor::Dingtalk => json!({
            "msgtype": "markdown",
            "markdown": { "title": format!("steward {command}"), "text": text(report, command, extra, true) },
        }),
        // https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
        Flavor::Feishu => json!({
            "msg_type": "text",
            "content": { "text": text(report, command, extra, false) },
        }),
        // https://api.slack.com/messaging/webhooks
        Flavor::Slack => json!({ "text": text(report, command, extra, true) }),
    }
}

/// Post the run's summary to `url` when it is worth sending. `Ok(false)`: nothing to
/// send. An error is a message for stderr; it never changes the exit code.
pub async fn notify(
    url: &str,
    flavor: Flavor,
    report: &Report,
    command: &str,
    extra_reasons: &[String],
) -> Result<bool, String> {
    if !worth_sending(report, extra_reasons) {
        return Ok(false);
    }
    let parsed = url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| format!("{} is not an http(s) URL", shown(url)))?;
    let flavor = match flavor {
        Flavor::Auto => Flavor::of(&parsed),
        f => f,
    };
    let body = payload(flavor, report, command, extra_reasons).to_string();
    post(parsed, body).await.map(|()| true)
}

#[cfg(feature = "notify")]
async fn post(url: url::Url, body: String) -> Result<(), String> {
    let shown = shown(url.as_str());
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(TIMEOUT_SECS))
        .build()
        .map_err(|e| format!("{shown}: {e}"))?;
    let response = client
        .post(url)
        .header("content-type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        // Without the URL: reqwest's message would print it, token and all.
        .map_err(|e| {
            let why = if e.is_timeout() {
                format!("no answer within {TIMEOUT_SECS} s")
            } else if e.is_connect() {
                "cannot connect".to_string()
            } else {
                "the request failed".to_string()
            };
            format!("{shown}: {why}")
        })?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("{shown}: the webhook answered {status}"))
    }
}

#[cfg(not(feature = "notify"))]
async fn post(url: url::Url, _body: String) -> Result<(), String> {
    Err(format!(
        "{}: this build has no webhook client; build steward with `--features notify`",
        shown(url.as_str())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing() -> Report {
        let mut r = crate::report::test_support::report();
        r.gate.passed = false;
        r.gate.reasons = vec!["customers: overall 91.00 < 95".into()];
        r
    }

    #[test]
    fn flavours_follow_the_host_and_shapes_follow_each_vendors_documentation() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(
            Flavor::of(&u("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")),
            Flavor::Wecom
        );
        assert_eq!(
            Flavor::of(&u("https://oapi.dingtalk.com/robot/send?access_token=t")),
            Flavor::Dingtalk
        );
        assert_eq!(
            Flavor::of(&u("https://open.feishu.cn/open-apis/bot/v2/hook/x")),
            Flavor::Feishu
        );
        assert_eq!(
            Flavor::of(&u("https://hooks.slack.com/services/T/B/x")),
            Flavor::Slack
        );
        assert_eq!(Flavor::of(&u("http://127.0.0.1:9/hook")), Flavor::Json);
        let r = failing();
        let w = payload(Flavor::Wecom, &r, "scan", &[]);
        assert_eq!(w["msgtype"], "markdown");
        assert!(
            w["markdown"]["content"]
                .as_str()
                .unwrap()
                .contains("overall 91.00 < 95")
        );
        let d = payload(Flavor::Dingtalk, &r, "scan", &[]);
        assert_eq!(d["msgtype"], "markdown");
        assert!(d["markdown"]["title"].is_string() && d["markdown"]["text"].is_string());
        let f = payload(Flavor::Feishu, &r, "scan", &[]);
        assert_eq!(f["msg_type"], "text");
        assert!(f["content"]["text"].is_string());
        assert!(payload(Flavor::Slack, &r, "scan", &[])["text"].is_string());
        let j = payload(Flavor::Json, &r, "scan", &[]);
        assert_eq!(j["passed"], false);
        assert_eq!(j["reasons"][0], "customers: overall 91.00 < 95");
    }

    #[test]
    fn a_passing_run_without_anomalies_sends_nothing_and_urls_are_shown_without_tokens() {
        let mut r = failing();
        r.gate.passed = true;
        r.gate.reasons.clear();
        assert!(!worth_sending(&r, &[]));
        assert!(worth_sending(
            &r,
            &["compliance: 2 obligations fail".into()]
        ));
        assert_eq!(
            shown("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret"),
            "https://qyapi.weixin.qq.com/***"
        );
        assert_eq!(
            shown("https://hooks.slack.com/services/T0/B0/secret"),
            "https://hooks.slack.com/***"
        );
    }
}
