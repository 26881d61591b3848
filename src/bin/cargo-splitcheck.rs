//! `cargo splitcheck …`: cargo runs this binary as `cargo-splitcheck splitcheck …`.

// The analysis allocates many small strings and vectors: with glibc's allocator the report on
// a generated 125K-line crate took 0.88-0.93 s, with mimalloc 0.63-0.65 s (3 interleaved runs
// each, 2-core Xeon).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    splitcheck::cli::main(true)
}
