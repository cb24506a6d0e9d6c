use std::process::ExitCode;

/// mimalloc: parsing allocates many small nodes from two threads; it is measurably faster
/// than the system allocator here (see BENCHMARKS.md) and returns memory sooner.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic is caught per file and reported as ER000; keep the default hook quiet so the
    // report is the only output.
    std::panic::set_hook(Box::new(|_| {}));
    erlint::cli::main()
}
