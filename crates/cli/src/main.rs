//! `bulwark`: the command-line front of the bulwark libraries.
//!
//! This binary is glue (ripgrep's model): it parses arguments, calls
//! `bulwark-collect`, `bulwark-rules` and `bulwark-report`, and turns the
//! outcome into an exit code. The exit codes are a contract, documented in
//! [`exit`] and the README.

mod args;
mod commands;
mod config;
mod exit;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: parsing and linting allocate
/// many small strings, and glibc's malloc and free were a third of the
/// instructions of a lint (measured with callgrind, docs/performance.md).
/// Through `bulwark_alloc`, which asks mimalloc for plain blocks where
/// they are aligned enough (2.3 % fewer instructions than the `mimalloc`
/// crate's allocator, which always asks for aligned ones).
#[global_allocator]
static ALLOCATOR: bulwark_alloc::Mimalloc = bulwark_alloc::Mimalloc;

fn main() -> ExitCode {
    let args = args::Cli::parse();
    init_logging(args.verbose);
    match commands::run(args) {
        Ok(code) => code.into(),
        Err(err) => {
            if output::is_broken_pipe(&err) {
                // `bulwark audit | head`: the reader left; not an error.
                return exit::Code::Clean.into();
            }
            eprintln!("bulwark: error: {err:#}");
            exit::Code::Error.into()
        }
    }
}

fn init_logging(verbose: u8) {
    use std::io::IsTerminal;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("BULWARK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // The fmt layer writes escapes even into a pipe unless told.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
