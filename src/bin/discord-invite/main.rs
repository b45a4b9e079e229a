//! `discord-invite`: validate captured Discord invite payloads, and work with the schema.
//!
//! Exit codes: 0 success (no finding at error severity), 1 a finding at error severity, 2 a
//! usage or I/O problem.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod output;
mod validate_cmd;

/// Discord invite payloads: validate captures against the SDK and Discord's spec.
#[derive(Debug, Parser)]
#[command(name = "discord-invite", version, about, long_about = None)]
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

/// `schema` subcommands.
#[derive(Debug, Subcommand)]
enum SchemaCommand {
    /// Print the JSON Schema (draft 2020-12) of a payload kind, derived from the SDK's Rust
    /// types; without KIND, list the kinds.
    Export {
        /// A payload kind, e.g. `invite`, `vanity-url`, `invite-create-event`.
        kind: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate_cmd::run(args),
        Command::Schema(SchemaCommand::Export { kind }) => schema_export(kind.as_deref()),
    }
}

fn schema_export(kind: Option<&str>) -> ExitCode {
    use discord_invite::validate::Kind;
    let Some(name) = kind else {
        println!("payload kinds (discord-invite schema export KIND):");
        for k in Kind::ALL {
            println!("  {:<32} {}", k.name(), k.schema_name());
        }
        return ExitCode::SUCCESS;
    };
    let kind: Kind = match name.parse() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match serde_json::to_string_pretty(&kind.json_schema()) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot print the schema: {e}");
            ExitCode::from(2)
        }
    }
}
