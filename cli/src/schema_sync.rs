//! `discord-invite schema sync`: the command-line front of [`discord_invite_codegen::sync`].
//!
//! Exit codes: 0 when there is nothing left to do (no change under `--check`, or the sync
//! succeeded) and the overlay fits; 1 when `--check` found changes (with `--fail-on`: changes
//! at that level), `--fail-on` found changes at its level, the overlay has conflicts with the
//! (new) schema, or `--api-diff` found that the prediction fails; 2 for usage errors,
//! unreadable files and malformed input (nothing written).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use discord_invite_codegen::sync::{self, Class, SyncOptions};

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: grouped by operation and type, one change per line with its class and rule.
    Text,
    /// For a pull request body: summary, suggested bump, breaking changes first.
    Markdown,
    /// For machines: the report as JSON.
    Json,
}

/// The least severe change that makes the command exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Breaking changes only.
    Breaking,
    /// Breaking or additive changes.
    Additive,
    /// Any change, patch-level ones included.
    Any,
}

impl FailOn {
    fn class(self) -> Class {
        match self {
            FailOn::Breaking => Class::Breaking,
            FailOn::Additive => Class::Additive,
            FailOn::Any => Class::Patch,
        }
    }
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
    /// Only report; write nothing; exit 1 if anything changed (see --fail-on) or the overlay has
    /// conflicts.
    #[arg(long)]
    pub check: bool,
    /// Exit 1 when a counted (not ignored) change is at least this severe.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// Keep fields and operations that are new upstream out of schema/ until a later sync still
    /// finds them (the hold list is schema/sync-held.toml).
    #[arg(long)]
    pub hold_new: bool,
    /// Delete the overlay.toml and docs.toml entries that name what the new schema no longer
    /// has (comments and layout kept); the conflicts that need a decision are still listed.
    #[arg(long)]
    pub fix_overlay: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The schema directory to compare with and rewrite.
    #[arg(long, value_name = "DIR", default_value = "schema")]
    pub schema_dir: PathBuf,
    /// Where overlay.toml, docs.toml and sync-ignore.toml for the new schema are, if not in
    /// --schema-dir (scripts/sync-check compares a base checkout with the working tree).
    #[arg(long, value_name = "DIR")]
    pub overlay_dir: Option<PathBuf>,
    /// The ignore file (default: sync-ignore.toml in the overlay directory, if present).
    #[arg(long, value_name = "PATH")]
    pub ignore: Option<PathBuf>,
    /// The output of `cargo semver-checks --release-type patch` between the crate before and
    /// after this sync: check the report's prediction against it (implies --check; exit 1 when
    /// the prediction fails). scripts/sync-check makes it.
    #[arg(long, value_name = "PATH")]
    pub api_diff: Option<PathBuf>,
    /// The output of `cargo semver-checks --list` (each lint's level), for --api-diff.
    #[arg(long, value_name = "PATH", requires = "api_diff")]
    pub api_diff_lints: Option<PathBuf>,
}

fn read(path: &Path) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        ExitCode::from(2)
    })
}

/// Runs the subcommand, printing the report to stdout and problems to stderr.
pub fn run(args: SyncArgs) -> ExitCode {
    let api_diff = match args.api_diff.as_deref().map(read).transpose() {
        Ok(d) => d,
        Err(code) => return code,
    };
    let lints = match args.api_diff_lints.as_deref().map(read).transpose() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let options = SyncOptions {
        commit: args.commit,
        date: args.date,
        check: args.check || api_diff.is_some(),
        overlay_dir: args.overlay_dir,
        ignore: args.ignore,
        hold_new: args.hold_new,
        fix_overlay: args.fix_overlay,
        ..SyncOptions::new(args.from, args.schema_dir)
    };
    let outcome = match sync::run(options.clone()) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("error: schema sync failed, nothing was written: {e}");
            return ExitCode::from(2);
        }
    };
    // Printed first; a closed stdout does not change the outcome (the schema may have been
    // written already), a failed write makes it 2 at the end.
    let report = &outcome.report;
    let written = match args.format {
        Format::Json => crate::stdout::print(&format!("{}\n", report.to_json())),
        Format::Markdown => crate::stdout::print(&report.render_markdown()),
        Format::Text => crate::stdout::print(&report.render_text()),
    };
    let dir = options.schema_dir.display();
    let mut code = ExitCode::SUCCESS;
    if let Some(level) = args.fail_on {
        if report.has_at_least(level.class()) {
            eprintln!(
                "the report has {} change(s) (--fail-on {})",
                match level {
                    FailOn::Breaking => "breaking",
                    FailOn::Additive => "breaking or additive",
                    FailOn::Any => "counted",
                },
                format!("{level:?}").to_lowercase()
            );
            code = ExitCode::from(1);
        }
    } else if args.check && api_diff.is_none() && outcome.changed {
        eprintln!("{dir}/openapi.json is out of date: run without --check to update it");
        code = ExitCode::from(1);
    }
    if outcome.written {
        eprintln!(
            "wrote {dir}/openapi.json and {dir}/SOURCE.md; next: fix any overlay conflicts, then cargo build and UPDATE_GENERATED=1 cargo test (see docs/UPDATING.md)"
        );
    }
    if !report.conflicts.is_empty() {
        eprintln!(
            "the overlay has {} conflict(s) with the {} schema: fix them before building",
            report.conflicts.len(),
            if options.check { "upstream" } else { "new" }
        );
        code = ExitCode::from(1);
    }
    if let Some(output) = api_diff {
        let diff = sync::parse_api_diff(&output, lints.as_deref());
        let verdict = sync::check_prediction(report, &diff);
        eprint!("{}", verdict.render_text(&diff));
        if !verdict.ok {
            code = ExitCode::from(1);
        }
    }
    written.exit_code(code)
}
