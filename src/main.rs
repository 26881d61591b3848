//! The `splitcheck` binary: everything lives in the library; see `splitcheck::cli`.

fn main() -> std::process::ExitCode {
    splitcheck::cli::main(false)
}
