//! The validator's readers on inputs that are large, endless or not files (issue 13): a HAR
//! or a JSON array is read one payload at a time (counted: bytes read ahead of what was handed
//! on), a FIFO in a directory does not block the run, a device named on the command line is
//! read as a bounded stream, and a reader that fails part way keeps what it read.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use discord_invite::validate::input::{Event, FileFormat, Reader, BATCH_BYTES};
use discord_invite::validate::{Code, Options, Status};
use tempfile::TempDir;

/// A stream that counts what is read from it.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn counted(text: Vec<u8>) -> (Counted<io::Cursor<Vec<u8>>>, Arc<AtomicU64>) {
    let read = Arc::new(AtomicU64::new(0));
    let stream = Counted {
        inner: io::Cursor::new(text),
        read: read.clone(),
    };
    (stream, read)
}

/// A HAR of `n` entries, each an invite lookup with a body of about 600 bytes.
fn har(n: usize) -> Vec<u8> {
    let body = serde_json::json!({
        "type": 0, "code": "abc", "channel": {"id": "1", "type": 0, "name": "general"},
        "guild": {"id": "165176875973476352", "name": "x".repeat(400), "features": []}
    })
    .to_string();
    let entry = serde_json::json!({
        "request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc", "headers": []},
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": body}}
    })
    .to_string();
    let entries = vec![entry; n].join(",\n");
    format!("{{\"log\":{{\"version\":\"1.2\",\"entries\":[\n{entries}\n]}}}}").into_bytes()
}

/// Reads a stream; for each batch, how far the reader had read ahead of what it had handed
/// on (bytes read minus the bytes of the batches so far); and the number of payloads.
fn read_ahead(stream: impl Read + Send + 'static, read: &AtomicU64) -> (Vec<u64>, usize) {
    let (mut handed, mut ahead, mut payloads) = (0u64, Vec::new(), 0);
    for e in Reader::from_stream("stream", stream).batch_bytes(64 << 10) {
        if let Event::Batch(b) = e {
            handed += b.bytes();
            payloads += b.len();
            ahead.push(read.load(Ordering::Relaxed).saturating_sub(handed));
        }
    }
    (ahead, payloads)
}

#[test]
fn a_har_is_read_one_entry_at_a_time() {
    // The 2 GB HAR was read whole before anything came out (8.3 GB RSS, no output).
    let text = har(20_000);
    let len = text.len() as u64;
    let (stream, read) = counted(text);
    let (ahead, payloads) = read_ahead(stream, &read);
    assert_eq!(payloads, 20_000);
    assert!(ahead.len() > 100, "{} batches", ahead.len());
    // Never more than a read chunk (1 MiB) and a batch ahead, whatever the file's size.
    let most = ahead.iter().copied().max().unwrap_or(0);
    assert!(
        most < (1 << 20) + (128 << 10),
        "{most} bytes read ahead of {len}"
    );
}

#[test]
fn a_json_array_is_read_one_element_at_a_time() {
    // A huge array of tiny payloads: also bounded in payloads per batch.
    let text = format!(
        "[{}]",
        vec!["{\"code\":\"a\",\"uses\":1}"; 200_000].join(",")
    );
    let (stream, read) = counted(text.into_bytes());
    let (ahead, payloads) = read_ahead(stream, &read);
    assert_eq!(payloads, 200_000);
    let most = ahead.iter().copied().max().unwrap_or(0);
    assert!(most < (1 << 20) + (128 << 10), "{most} bytes read ahead");
    let mut sizes = Vec::new();
    for e in Reader::from_stream(
        "tiny",
        io::Cursor::new(format!("[{}]", vec!["1"; 100_000].join(","))),
    ) {
        if let Event::Batch(b) = e {
            sizes.push(b.len());
        }
    }
    assert_eq!(sizes.iter().sum::<usize>(), 100_000);
    assert!(sizes.iter().all(|&n| n <= 16 << 10), "{sizes:?}");
}

#[test]
fn a_device_is_read_as_a_bounded_stream() {
    // `validate /dev/zero` grew memory at 1 GB/s until it aborted. Endless input of every
    // kind ends (not JSON, too deep) or is cut at the payload limit, reading a bounded amount.
    for (byte, code) in [
        (0u8, Code::InvalidJson),
        (b'[', Code::InvalidJson),
        (b'{', Code::InvalidJson),
        (b' ', Code::TooLarge),
        (b'"', Code::TooLarge),
    ] {
        let read = Arc::new(AtomicU64::new(0));
        let stream = Counted {
            inner: io::repeat(byte),
            read: read.clone(),
        };
        let mut codes = Vec::new();
        for e in Reader::from_stream("endless", stream).max_payload_bytes(1 << 20) {
            match e {
                Event::Batch(b) => {
                    for r in b.validate_all(&Options::default()) {
                        codes.extend(r.report.findings.iter().map(|f| f.code));
                    }
                }
                Event::Failed(r) => codes.extend(r.report.findings.iter().map(|f| f.code)),
                _ => {}
            }
        }
        assert!(codes.contains(&code), "{byte:?}: {codes:?}");
        let n = read.load(Ordering::Relaxed);
        assert!(n < 16 << 20, "{byte:?}: read {n} bytes");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_is_skipped_with_a_note() {
    let tmp = temp_dir("fifo");
    let dir = tmp.path();
    std::fs::write(dir.join("a.json"), "{\"code\": \"a\", \"uses\": 1}").unwrap();
    std::fs::write(dir.join("c.json"), "{\"code\": \"c\", \"uses\": 1}").unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("b.json"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    // A symlink to a device, too.
    std::os::unix::fs::symlink("/dev/zero", dir.join("d.json")).unwrap();
    let mut seen = Vec::new();
    for e in Reader::new([dir]) {
        match e {
            Event::FileStart { source, .. } => seen.push(format!("start {}", name(&source))),
            Event::Failed(r) => {
                let f = &r.report.findings[0];
                assert_eq!(r.report.status, Status::Skipped);
                seen.push(format!("{} {}", f.code, name(&r.source)));
            }
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            "start a.json",
            "not-a-file b.json",
            "start c.json",
            "not-a-file d.json"
        ]
    );
}

/// Every file a walk passes over is told (a `skipped-file` note, in name order among the
/// files read), and a directory named to the reader in which nothing was read is a
/// `no-payload-file` warning, sent after its walk; one with a file read is not.
#[test]
fn nothing_in_a_directory_passes_unseen() {
    let tmp = temp_dir("unseen");
    let dir = tmp.path();
    let (full, empty, none) = (dir.join("full"), dir.join("empty"), dir.join("none"));
    for d in [&full, &empty, &none] {
        std::fs::create_dir_all(d.join("sub")).unwrap();
    }
    std::fs::write(full.join("a.json"), "{\"code\": \"a\", \"uses\": 1}").unwrap();
    std::fs::write(full.join("b.txt"), "{\"code\": \"b\", \"uses\": 1}").unwrap();
    std::fs::write(full.join("sub/c.JSON"), "{\"code\": \"c\", \"uses\": 1}").unwrap();
    std::fs::write(full.join("sub/README.md"), "# captures").unwrap();
    std::fs::write(empty.join("notes.txt"), "{}").unwrap();
    std::fs::write(empty.join("sub/capture.json.bak"), "{}").unwrap();
    let mut seen = Vec::new();
    for e in Reader::new([&full, &empty, &none]) {
        match e {
            Event::FileStart { source, .. } => seen.push(format!("start {}", name(&source))),
            Event::Skipped(r) => {
                let f = &r.report.findings[0];
                let status = r.report.status.as_str();
                seen.push(format!("{} {} {status}", f.code, name(&r.source)));
                if f.code == Code::NoPayloadFile {
                    seen.push(f.message().replace(&*dir.to_string_lossy(), "DIR"));
                }
            }
            Event::Failed(r) => panic!("{r:?}"),
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            "start a.json",
            "skipped-file b.txt skipped",
            "skipped-file README.md skipped",
            "start c.JSON",
            "skipped-file notes.txt skipped",
            "skipped-file capture.json.bak skipped",
            "no-payload-file empty warning",
            "no file was read in DIR/empty: it holds no readable *.json, *.ndjson, *.jsonl or *.har file (2 files skipped for their name or type)",
            "no-payload-file none warning",
            "no file was read in DIR/none: it holds no *.json, *.ndjson, *.jsonl or *.har file",
        ]
    );
}

/// A fresh scratch directory, removed when the returned guard is dropped (on a panic too).
fn temp_dir(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("discord-invite-readers-{name}-"))
        .tempdir()
        .unwrap()
}

fn name(source: &str) -> &str {
    source.rsplit('/').next().unwrap_or(source)
}

/// A stream that fails after `n` bytes.
struct FailsAfter {
    inner: io::Cursor<Vec<u8>>,
    left: usize,
}

impl Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "the pipe broke",
            ));
        }
        let n = self.left.min(buf.len());
        let n = self.inner.read(&mut buf[..n])?;
        self.left -= n;
        Ok(n)
    }
}

#[test]
fn a_stream_that_fails_keeps_what_was_read() {
    for (text, format) in [
        (har(5_000), FileFormat::Har),
        (
            format!(
                "[{}]",
                vec!["{\"code\":\"a\",\"uses\":1}"; 100_000].join(",")
            )
            .into_bytes(),
            FileFormat::JsonArray,
        ),
    ] {
        let half = text.len() / 2;
        let stream = FailsAfter {
            inner: io::Cursor::new(text),
            left: half,
        };
        let (mut payloads, mut failed, mut formats) = (0, Vec::new(), Vec::new());
        for e in Reader::from_stream("broken", stream).batch_bytes(BATCH_BYTES) {
            match e {
                Event::FileStart { format, .. } => formats.push(format),
                Event::Batch(b) => payloads += b.len(),
                Event::Failed(r) => failed.push(r.report.findings[0].message().to_owned()),
                Event::FileEnd { .. } => {}
                Event::Skipped(r) => panic!("a stream was skipped: {r:?}"),
            }
        }
        assert_eq!(formats, [format]);
        assert!(
            payloads > 1000,
            "{format:?}: {payloads} payloads before the failure"
        );
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(failed[0].contains("the pipe broke"), "{failed:?}");
    }
}
