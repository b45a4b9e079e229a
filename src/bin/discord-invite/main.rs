//! The `discord-invite` command-line tool.
//!
//! - `discord-invite schema sync --from openapi.json [--commit SHA] [--date DATE] [--check]
//!   [--format text|json]`: bring a new upstream spec into `schema/` (see `docs/UPDATING.md`).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod schema_sync;

/// Tools for Discord's Invite API: payload validation and schema maintenance.
#[derive(Debug, Parser)]
#[command(name = "discord-invite", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Maintain the pinned schema in `schema/`.
    #[command(subcommand)]
    Schema(SchemaCommand),
}

#[derive(Debug, Subcommand)]
enum SchemaCommand {
    /// Cut the invite subset out of a new upstream spec, report what changed, rewrite `schema/`
    /// and check the overlay against it.
    Sync(schema_sync::SyncArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are not errors; anything else is a usage error (2).
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Schema(SchemaCommand::Sync(args)) => schema_sync::run(args),
    }
}
