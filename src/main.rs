use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic is caught per file and reported as ER000; keep the default hook quiet so the
    // report is the only output.
    std::panic::set_hook(Box::new(|_| {}));
    erlint::cli::main()
}
