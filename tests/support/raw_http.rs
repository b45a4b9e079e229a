//! A tiny HTTP/1.1 server on raw tokio TCP, for the hardening and load tests.
//!
//! It records every request exactly as it arrived on the wire (the request line and the
//! header bytes, unparsed by any HTTP library) and answers what a handler returns. Keep-alive
//! is supported, so a pooled client reuses connections. Only ever binds 127.0.0.1:0.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The largest request head accepted (bytes); anything longer closes the connection.
const MAX_HEAD: usize = 256 * 1024;
/// The largest request body accepted (bytes).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The raw bytes of the request line and headers, up to (not including) the blank line.
    pub head: Vec<u8>,
    /// The request body (chunked bodies are decoded).
    pub body: Vec<u8>,
    /// When the head was complete.
    pub at: Instant,
}

impl RawRequest {
    /// The request line, e.g. `GET /invites/abc HTTP/1.1` (lossy UTF-8).
    pub fn line(&self) -> String {
        let end = find(&self.head, b"\r\n").unwrap_or(self.head.len());
        String::from_utf8_lossy(&self.head[..end]).into_owned()
    }

    /// The method and the target of the request line.
    pub fn method_and_target(&self) -> (String, String) {
        let line = self.line();
        let mut parts = line.split(' ');
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        (method, target)
    }

    /// The raw header lines (everything after the request line), split on CRLF only.
    pub fn header_lines(&self) -> Vec<Vec<u8>> {
        let start = find(&self.head, b"\r\n").map_or(self.head.len(), |i| i + 2);
        self.head[start..]
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The value of the first header called `name` (case-insensitive), lossy UTF-8.
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_lines().into_iter().find_map(|l| {
            let text = String::from_utf8_lossy(&l).into_owned();
            let (n, v) = text.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }
}

/// What to send back.
pub enum Reply {
    /// A complete response; the connection stays open for the next request.
    Full(Vec<u8>),
    /// A complete response, then the connection is closed.
    Close(Vec<u8>),
    /// `head` (status line and headers, ending in the blank line), then `total` bytes of `x`,
    /// chunked when `chunked`, in 64 KiB writes; the number of body bytes written is added to
    /// `written` as it goes. Stops at the first write error (the client hung up).
    Stream {
        head: Vec<u8>,
        total: usize,
        chunked: bool,
        written: Arc<AtomicUsize>,
    },
    /// Never answer (until the client gives up or `for` passes).
    Hang(Duration),
}

/// A canned response with a body and extra headers (`Name: value` lines without CRLF).
pub fn response(status: &str, headers: &[String], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for h in headers {
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

type Handler = Arc<dyn Fn(&RawRequest) -> Reply + Send + Sync>;

/// A running server. Dropping it stops accepting (connections in flight finish on their own).
pub struct RawServer {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<RawRequest>>>,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    /// Starts a server on 127.0.0.1 (a free port) answering with `handler`.
    pub async fn start(handler: impl Fn(&RawRequest) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Handler = Arc::new(handler);
        let task = {
            let seen = seen.clone();
            let connections = connections.clone();
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(stream, handler.clone(), seen.clone()));
                }
            })
        };
        RawServer {
            addr,
            seen,
            connections,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.seen.lock().unwrap().clone()
    }

    /// How many TCP connections were accepted (a request may never have followed).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads from `stream` into `buf` until `buf` holds at least `n` bytes.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, n: usize) -> Option<()> {
    let mut tmp = [0u8; 16 * 1024];
    while buf.len() < n {
        let got = stream.read(&mut tmp).await.ok()?;
        if got == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..got]);
    }
    Some(())
}

/// Reads one request from the connection; `None` at EOF or on anything malformed.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<RawRequest> {
    let head_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let have = buf.len();
        fill(stream, buf, have + 1).await?;
    };
    let head = buf[..head_end].to_vec();
    buf.drain(..head_end + 4);
    let at = Instant::now();
    let mut req = RawRequest {
        head,
        body: Vec::new(),
        at,
    };
    let chunked = req
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        loop {
            let line_end = loop {
                if let Some(i) = find(buf, b"\r\n") {
                    break i;
                }
                let have = buf.len();
                fill(stream, buf, have + 1).await?;
            };
            let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            buf.drain(..line_end + 2);
            fill(stream, buf, size + 2).await?;
            if req.body.len() + size > MAX_BODY {
                return None;
            }
            req.body.extend_from_slice(&buf[..size]);
            buf.drain(..size + 2);
            if size == 0 {
                return Some(req);
            }
        }
    }
    let len: usize = req
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if len > MAX_BODY {
        return None;
    }
    fill(stream, buf, len).await?;
    req.body = buf[..len].to_vec();
    buf.drain(..len);
    Some(req)
}

async fn serve(mut stream: TcpStream, handler: Handler, seen: Arc<Mutex<Vec<RawRequest>>>) {
    let mut buf = Vec::new();
    while let Some(req) = read_request(&mut stream, &mut buf).await {
        let reply = handler(&req);
        seen.lock().unwrap().push(req);
        match reply {
            Reply::Full(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Close(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Stream {
                head,
                total,
                chunked,
                written,
            } => {
                if stream.write_all(&head).await.is_err() {
                    return;
                }
                let block = vec![b'x'; 64 * 1024];
                let mut left = total;
                while left > 0 {
                    let n = left.min(block.len());
                    let ok = if chunked {
                        let mut chunk = format!("{n:x}\r\n").into_bytes();
                        chunk.extend_from_slice(&block[..n]);
                        chunk.extend_from_slice(b"\r\n");
                        stream.write_all(&chunk).await.is_ok()
                    } else {
                        stream.write_all(&block[..n]).await.is_ok()
                    };
                    if !ok {
                        return;
                    }
                    written.fetch_add(n, Ordering::SeqCst);
                    left -= n;
                }
                if chunked {
                    let _ = stream.write_all(b"0\r\n\r\n").await;
                }
                return;
            }
            Reply::Hang(d) => {
                tokio::time::sleep(d).await;
                return;
            }
        }
    }
}
