//! `cargo splitcheck …`: cargo runs this binary as `cargo-splitcheck splitcheck …`.

fn main() -> std::process::ExitCode {
    splitcheck::cli::main(true)
}
