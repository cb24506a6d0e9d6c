//! `ERLINT_TIMINGS=1`: the end of each stage and the peak RSS so far, on stderr.

use std::time::{Duration, Instant};

/// `ERLINT_TIMINGS=1`: each phase's end time and the peak RSS so far (Linux) on stderr.
pub(super) struct Timer {
    start: Instant,
    on: bool,
}

impl Timer {
    pub(super) fn start() -> Timer {
        Timer {
            start: Instant::now(),
            on: std::env::var_os("ERLINT_TIMINGS").is_some(),
        }
    }

    pub(super) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    pub(super) fn phase(&self, name: &str) {
        if !self.on {
            return;
        }
        let hwm = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM"))
                    .map(str::to_string)
            })
            .unwrap_or_default();
        eprintln!(
            "erlint timing: {name} at {:.3}s; {}",
            self.elapsed().as_secs_f64(),
            hwm.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
}
