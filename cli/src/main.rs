//! The `discord-invite` command-line tool.
//!
//! - `discord-invite validate [PATH…]`: do captured payloads decode with the SDK, and where do
//!   they drift from Discord's spec? (see `docs/VALIDATE.md`).
//! - `discord-invite schema export [KIND]`: the JSON Schema (2020-12) of a payload kind.
//! - `discord-invite schema sync --from openapi.json [--commit SHA] [--date DATE] [--check]
//!   [--format text|json]`: bring a new upstream spec into `schema/` (see `docs/UPDATING.md`).
//!
//! Exit codes: 0 success, 1 a finding at the `--fail-on` level (validate; default: error
//! severity) or a failed check (sync), 2 a usage or I/O problem. No subcommand panics on a closed or full stdout (`src/stdout.rs`): a
//! closed pipe ends the output quietly, any other write error is reported and exits with 2.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod formats;
mod json_out;
mod output;
mod schema_sync;
mod stdout;
mod validate_cmd;

/// Tools for Discord's Invite API: payload validation and schema maintenance.
#[derive(Debug, Parser)]
#[command(name = "discord-invite", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate payloads (JSON, JSON arrays, NDJSON, HAR, directories, `-` for stdin): does the
    /// SDK decode them, and where do they drift from Discord's spec?
    Validate(validate_cmd::Args),
    /// Work with the schema the SDK is generated from.
    #[command(subcommand)]
    Schema(SchemaCommand),
}

#[derive(Debug, Subcommand)]
enum SchemaCommand {
    /// Print the JSON Schema (draft 2020-12) of a payload kind, derived from the SDK's Rust
    /// types; without KIND, list the kinds.
    Export {
        /// A payload kind, e.g. `invite`, `vanity-url`, `invite-create-event`.
        kind: Option<String>,
    },
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
        Command::Validate(args) => validate_cmd::run(args),
        Command::Schema(SchemaCommand::Export { kind }) => schema_export(kind.as_deref()),
        Command::Schema(SchemaCommand::Sync(args)) => schema_sync::run(args),
    }
}

fn schema_export(kind: Option<&str>) -> ExitCode {
    use discord_invite::validate::Kind;
    let Some(name) = kind else {
        let mut text = String::from("payload kinds (discord-invite schema export KIND):\n");
        for k in Kind::ALL {
            text.push_str(&format!("  {:<32} {}\n", k.name(), k.schema_name()));
        }
        return stdout::print(&text).exit_code(ExitCode::SUCCESS);
    };
    let kind: Kind = match name.parse() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match serde_json::to_string_pretty(&kind.json_schema()) {
        Ok(text) => stdout::print(&format!("{text}\n")).exit_code(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("error: cannot print the schema: {e}");
            ExitCode::from(2)
        }
    }
}
