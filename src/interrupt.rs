//! Interrupts and time limits for a running command.
//!
//! [`install`] makes SIGINT and SIGTERM set a flag instead of killing the process;
//! [`guarded`] runs a command's future until it finishes, the flag is set, or the time
//! limit passes. A stopped future is dropped at its next await, and with it every
//! temporary output file it holds (they are `tempfile`s, removed on drop), so an
//! interrupted run leaves no partial output; the command then ends with
//! [`Error::Interrupted`] (exit 130) or [`Error::Limit`] (exit 2).
//!
//! A second SIGINT or SIGTERM while the first is pending ends the process at once with
//! exit 130, for work that does not reach an await point soon (a long CPU-bound step).
//! That exit runs no destructors: the output is never written, but a hidden temporary
//! file (`.steward-*.tmp`) can stay beside it.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::error::{Error, Result};

static SIGNAL: std::sync::OnceLock<Arc<AtomicUsize>> = std::sync::OnceLock::new();

/// Route SIGINT and SIGTERM to the flag. Call once, early in `main`.
pub fn install() -> Result<()> {
    let flag = SIGNAL.get_or_init(|| Arc::new(AtomicUsize::new(0)));
    // Shared by both signals: whichever comes second exits at once; the first only
    // records itself.
    let pending = Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&pending))
            .and_then(|_| signal_hook::flag::register(sig, Arc::clone(&pending)))
            .and_then(|_| signal_hook::flag::register_usize(sig, Arc::clone(flag), sig as usize))
            .map_err(|e| Error::internal(format!("cannot install signal handlers: {e}")))?;
    }
    Ok(())
}

/// The signal received so far, if any.
fn received() -> Option<&'static str> {
    let sig = SIGNAL.get()?.load(Ordering::SeqCst) as i32;
    match sig {
        0 => None,
        signal_hook::consts::SIGTERM => Some("SIGTERM"),
        _ => Some("SIGINT"),
    }
}

/// Run `fut` until it completes, a signal arrives, or `limit` passes.
pub async fn guarded<T>(
    fut: impl Future<Output = Result<T>>,
    limit: Option<Duration>,
) -> Result<T> {
    let watch = async {
        loop {
            if let Some(sig) = received() {
                return sig;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let deadline = async {
        match limit {
            Some(d) => tokio::time::sleep(d).await,
            None => std::future::pending().await,
        }
    };
    let out = tokio::select! {
        biased;
        sig = watch => Err(Error::Interrupted(sig)),
        _ = deadline => Err(Error::Limit(format!(
            "stopped after the --timeout of {} s; no output was written",
            limit.map(|d| d.as_secs_f64()).unwrap_or_default()
        ))),
        r = fut => r,
    }?;
    // A signal that came while the last step ran still stops the run before any
    // output is written by the caller.
    match received() {
        Some(sig) => Err(Error::Interrupted(sig)),
        None => Ok(out),
    }
}

/// `Error::Interrupted` when a signal has arrived: checked before an output is renamed
/// into place (`output::persist`), so the caller drops its temporary file instead.
pub fn check() -> Result<()> {
    match received() {
        Some(sig) => Err(Error::Interrupted(sig)),
        None => Ok(()),
    }
}

/// `512M`, `2G`, `1.5GiB`, `1048576`: a byte count.
pub fn parse_size(s: &str) -> std::result::Result<usize, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a size; expected a number with K, M or G (512M, 2G)"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" | "kib" => 1024.0,
        "m" | "mb" | "mib" => 1024.0 * 1024.0,
        "g" | "gb" | "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(format!(
                "'{s}': unknown unit; expected K, M or G (512M, 2G)"
            ));
        }
    };
    let bytes = n * mult;
    if !(1.0..=(usize::MAX as f64)).contains(&bytes) {
        return Err(format!("'{s}' is out of range"));
    }
    Ok(bytes as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5X").is_err());
        assert!(parse_size("0").is_err());
    }

    #[tokio::test]
    async fn a_time_limit_stops_a_slow_future() {
        let slow = async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(())
        };
        let r = guarded(slow, Some(Duration::from_millis(20))).await;
        assert!(matches!(r, Err(Error::Limit(_))), "{r:?}");
        let quick = async { Ok(7) };
        assert_eq!(guarded(quick, None).await.unwrap(), 7);
    }
}
