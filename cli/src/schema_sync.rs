//! `discord-invite schema sync`: the command-line front of [`discord_invite_codegen::sync`].
//!
//! Exit codes: 0 when there is nothing left to do (no change under `--check`, or the sync
//! succeeded) and the overlay fits; 1 when `--check` found changes, or the overlay has
//! conflicts with the (new) schema; 2 for usage errors, unreadable files and malformed input
//! (nothing written).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use discord_invite_codegen::sync::{self, SyncOptions};

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: grouped by operation and type, one change per line.
    Text,
    /// For machines: the report as JSON.
    Json,
}

/// Arguments of `discord-invite schema sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Discord's whole OpenAPI spec (`specs/openapi.json` of `discord/discord-api-spec`).
    #[arg(long, value_name = "PATH")]
    pub from: PathBuf,
    /// The upstream commit the spec comes from (recorded in `schema/SOURCE.md`).
    #[arg(long, value_name = "SHA")]
    pub commit: Option<String>,
    /// The upstream commit's date, e.g. 2026-07-18T00:38:55Z (recorded in `schema/SOURCE.md`).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Only report; write nothing; exit 1 if anything changed or the overlay has conflicts.
    #[arg(long)]
    pub check: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The schema directory to compare with and rewrite.
    #[arg(long, value_name = "DIR", default_value = "schema")]
    pub schema_dir: PathBuf,
}

/// Runs the subcommand, printing the report to stdout and problems to stderr.
pub fn run(args: SyncArgs) -> ExitCode {
    let options = SyncOptions {
        from: args.from,
        commit: args.commit,
        date: args.date,
        check: args.check,
        schema_dir: args.schema_dir,
    };
    let outcome = match sync::run(options.clone()) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("error: schema sync failed, nothing was written: {e}");
            return ExitCode::from(2);
        }
    };
    // Printed first, as before; a closed stdout does not change the outcome (the schema may
    // have been written already), a failed write makes it 2 at the end.
    let written = match args.format {
        Format::Json => crate::stdout::print(&format!("{}\n", outcome.report.to_json())),
        Format::Text => crate::stdout::print(&outcome.report.render_text()),
    };
    let dir = options.schema_dir.display();
    let mut code = ExitCode::SUCCESS;
    if options.check && outcome.changed {
        eprintln!("{dir}/openapi.json is out of date: run without --check to update it");
        code = ExitCode::from(1);
    }
    if outcome.written {
        eprintln!(
            "wrote {dir}/openapi.json and {dir}/SOURCE.md; next: fix any overlay conflicts, then cargo build and UPDATE_GENERATED=1 cargo test (see docs/UPDATING.md)"
        );
    }
    if !outcome.report.conflicts.is_empty() {
        eprintln!(
            "the overlay has {} conflict(s) with the {} schema: fix them before building",
            outcome.report.conflicts.len(),
            if options.check { "upstream" } else { "new" }
        );
        code = ExitCode::from(1);
    }
    written.exit_code(code)
}
