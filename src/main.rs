//! The `splitcheck` binary: everything lives in the library; see `splitcheck::cli`.

// The analysis allocates many small strings and vectors; mimalloc halves the time glibc's
// allocator took (see reports/bench.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    splitcheck::cli::main(false)
}
