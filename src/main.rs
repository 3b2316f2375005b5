use std::process::ExitCode;

fn main() -> ExitCode {
    awscards::cli::run()
}
