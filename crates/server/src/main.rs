//! `voxdial`: the AI outbound-calling platform in one binary.

use clap::Parser;
use voxdial_server::cli::{self, Cli};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    voxdial_server::telemetry::init();
    match cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("voxdial: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
