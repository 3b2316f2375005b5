use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let _ = awscards::ui::LAUNCHED.set(Instant::now());
    awscards::cli::run()
}
