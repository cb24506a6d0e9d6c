use std::process::ExitCode;
use std::sync::Mutex;

/// Where the last panic happened in erlint's code (for the report of one nobody caught).
static PANICKED_AT: Mutex<Option<String>> = Mutex::new(None);

fn main() -> ExitCode {
    // A panic while evaluating is caught and reported as ER000 where it happened; keep the
    // default hook quiet so the report is the only output, but remember where it was.
    std::panic::set_hook(Box::new(|info| {
        if let (Ok(mut at), Some(l)) = (PANICKED_AT.lock(), info.location()) {
            *at = Some(format!("{}:{}", l.file(), l.line()));
        }
    }));
    let ran = std::panic::catch_unwind(erlint::cli::main);
    // The callers caches written on threads of their own while the files were linted.
    erlint::discover::finish_writes();
    match ran {
        Ok(code) => code,
        // Outside every unit (discovery, configuration, sorting): never silence.
        Err(payload) => {
            let at = PANICKED_AT
                .lock()
                .ok()
                .and_then(|a| a.clone())
                .unwrap_or_else(|| "unknown".into());
            eprintln!(
                "error[ER000]: internal error: {} (at {at}); this is a bug in erlint: please report it with the erlint version and the command line (https://github.com/erlint/erlint/issues)",
                erlint::panics::message(payload.as_ref())
            );
            ExitCode::from(2)
        }
    }
}
