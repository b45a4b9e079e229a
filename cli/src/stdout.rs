//! Writing to stdout without panicking (`println!` panics when the write fails).
//!
//! A closed pipe (`discord-invite schema export invite | head -1`) ends the output quietly: the
//! reader has what it wanted. Any other write error (a full disk, `> /dev/full`) is reported
//! once on stderr, and the command exits with 2, as for other I/O problems.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// Where a command's bulk output goes (wrap it in a `BufWriter`): stdout itself on a terminal,
/// else a duplicate of its descriptor, which bypasses std's line buffering. `Stdout` is line
/// buffered even into a pipe or a file, and searches each large write backwards for its last
/// line break: a record of hundreds of MB (one line) was scanned whole, byte by byte, 3% of
/// `validate --format json`'s time on a findings-heavy payload. On a terminal (a console on
/// Windows wants `Stdout`'s own writing) the output is small and the scan does not matter.
pub fn bulk() -> Box<dyn Write> {
    let stdout = io::stdout();
    if !stdout.is_terminal() {
        // Whatever `Stdout` holds goes first (nothing, in practice).
        if stdout.lock().flush().is_ok() {
            if let Some(file) = duplicate(&stdout) {
                return Box::new(file);
            }
        }
    }
    Box::new(stdout)
}

#[cfg(unix)]
fn duplicate(stdout: &io::Stdout) -> Option<std::fs::File> {
    use std::os::fd::AsFd;
    stdout
        .as_fd()
        .try_clone_to_owned()
        .ok()
        .map(std::fs::File::from)
}

#[cfg(windows)]
fn duplicate(stdout: &io::Stdout) -> Option<std::fs::File> {
    use std::os::windows::io::AsHandle;
    stdout
        .as_handle()
        .try_clone_to_owned()
        .ok()
        .map(std::fs::File::from)
}

#[cfg(not(any(unix, windows)))]
fn duplicate(_: &io::Stdout) -> Option<std::fs::File> {
    None
}

/// How writing went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Everything was written and flushed.
    Ok,
    /// The reader closed the pipe (EPIPE): stop writing, say nothing.
    Closed,
    /// Another write error; already reported on stderr.
    Failed,
}

impl Written {
    /// The exit code: the command's own, unless writing failed (2).
    pub fn exit_code(self, own: ExitCode) -> ExitCode {
        match self {
            Written::Ok | Written::Closed => own,
            Written::Failed => ExitCode::from(2),
        }
    }
}

/// Writes `text` to stdout and flushes it.
pub fn print(text: &str) -> Written {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Written::Ok,
        Err(e) => failed(&e),
    }
}

/// Classifies a failed write to stdout, reporting it unless the pipe was closed.
pub fn failed(e: &io::Error) -> Written {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return Written::Closed;
    }
    // `eprintln!` would panic in turn if stderr is gone too.
    let _ = writeln!(io::stderr(), "error: cannot write output: {e}");
    Written::Failed
}
