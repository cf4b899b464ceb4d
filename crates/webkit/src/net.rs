//! The HTTP/1.1 server loop, bounded against hostile clients: a limit on open connections
//! (in total and per client) answered with 503, a deadline for the request head that also
//! ends idle keep-alive connections, a body that must keep arriving, and answers that must
//! be read. A connection that breaks a deadline is dropped, so one client cannot hold
//! sockets, threads or memory for long.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::{Body as HttpBody, Bytes, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

use crate::config::Limits;

/// The peer address of a request, put in the request extensions by the server. Requests
/// that did not come over a socket (tests) have none; they count as one client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

/// The key under which a client is counted: IPv4 addresses as they are, IPv6 addresses by
/// their /64 network (one host usually owns a whole /64), IPv4-mapped IPv6 as IPv4.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                IpAddr::V4(v4)
            } else {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        }
    }
}

/// The soft limit on open files of this process (`ulimit -n`), from `/proc/self/limits`.
pub(crate) fn open_files_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Sent to a connection over the limit, then the socket is closed.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Retry-After: 5\r\n\
Connection: close\r\n\
Content-Length: 57\r\n\r\n\
De server is even te druk. Probeer het zo meteen opnieuw.";

/// Open connections, in total and per client.
#[derive(Default)]
struct Open {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// Counts connections; a [`ConnGuard`] gives its place back when the connection ends.
#[derive(Clone, Default)]
struct Tracker(Arc<Mutex<Open>>);

struct ConnGuard {
    tracker: Tracker,
    client: IpAddr,
}

impl Tracker {
    fn admit(&self, client: IpAddr, limits: &Limits) -> Option<ConnGuard> {
        let mut open = self.0.lock().ok()?;
        let mine = open.per_client.get(&client).copied().unwrap_or(0);
        if open.total >= limits.max_connections || mine >= limits.max_connections_per_client {
            return None;
        }
        open.total += 1;
        open.per_client.insert(client, mine + 1);
        Some(ConnGuard {
            tracker: self.clone(),
            client,
        })
    }

    fn total(&self) -> usize {
        self.0.lock().map_or(0, |o| o.total)
    }
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        if let Ok(mut open) = self.tracker.0.lock() {
            open.total = open.total.saturating_sub(1);
            if let Some(n) = open.per_client.get_mut(&self.client) {
                *n -= 1;
                if *n == 0 {
                    open.per_client.remove(&self.client);
                }
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting, lets
/// running requests finish (at most 10 s) and returns.
pub(crate) async fn serve(
    router: Router,
    listener: TcpListener,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let tracker = Tracker::default();
    let (stop_tx, stop_rx) = watch::channel(false);
    let limits = Arc::new(limits);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors (or a similar resource error): wait a little
                // instead of spinning; a connection reset before accept is harmless.
                if !matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::Interrupted
                ) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                continue;
            }
        };
        let client = client_key(peer.ip());
        let Some(guard) = tracker.admit(client, &limits) else {
            // One non-blocking write: a client that does not read still gets no hold.
            let _ = stream.try_write(BUSY);
            drop(stream);
            continue;
        };
        let router = router.clone();
        let limits = limits.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            let _guard = guard;
            connection(stream, peer.ip(), router, &limits, stop).await;
        });
    }
    let _ = stop_tx.send(true);
    let deadline = Instant::now() + Duration::from_secs(10);
    while tracker.total() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

async fn connection(
    stream: TcpStream,
    peer: IpAddr,
    router: Router,
    limits: &Arc<Limits>,
    mut stop: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(WriteDeadline::new(stream, limits.write_timeout));
    // A body that breaks its deadline ends the whole connection.
    let kill = Arc::new(Notify::new());
    let service = {
        let (kill, limits) = (kill.clone(), limits.clone());
        hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let (kill, limits) = (kill.clone(), limits.clone());
            // A request without a body (most GETs) needs no deadline.
            let mut req = req.map(|b| {
                if b.is_end_stream() {
                    Body::new(b)
                } else {
                    Body::new(BodyDeadline::new(b, &limits, kill))
                }
            });
            req.extensions_mut().insert(ClientAddr(peer));
            router.clone().oneshot(req)
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = kill.notified() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(10), conn).await;
        }
    }
}

/// A socket whose writes may not stall longer than the write timeout (a client that does
/// not read its answer).
struct WriteDeadline {
    inner: TcpStream,
    timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl WriteDeadline {
    fn new(inner: TcpStream, timeout: Duration) -> Self {
        WriteDeadline {
            inner,
            timeout,
            stalled: None,
        }
    }

    fn pending<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let timeout = self.timeout;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        if sleep.as_mut().poll(cx).is_ready() {
            Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "client does not read",
            )))
        } else {
            Poll::Pending
        }
    }

    fn after<T>(&mut self, cx: &mut Context<'_>, r: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if r.is_pending() {
            self.pending(cx)
        } else {
            self.stalled = None;
            r
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.after(cx, r)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.after(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_flush(cx);
        this.after(cx, r)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// The body was not sent in time.
#[derive(Debug)]
pub(crate) struct BodyTimeout;

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("request body too slow")
    }
}

impl std::error::Error for BodyTimeout {}

/// A request body that must keep arriving: no pause longer than `body_idle_timeout`, and
/// after `body_grace` on average at least `body_min_rate` bytes per second. Breaking either
/// fails the body and ends the connection.
struct BodyDeadline {
    inner: Incoming,
    start: Instant,
    received: u64,
    idle: Duration,
    grace: Duration,
    rate: u64,
    /// Made at the first wait for the client, then moved with each chunk.
    timer: Option<Pin<Box<Sleep>>>,
    kill: Arc<Notify>,
}

impl BodyDeadline {
    fn new(inner: Incoming, limits: &Limits, kill: Arc<Notify>) -> Self {
        BodyDeadline {
            inner,
            start: Instant::now(),
            received: 0,
            idle: limits.body_idle_timeout,
            grace: limits.body_grace,
            rate: limits.body_min_rate.max(1),
            timer: None,
            kill,
        }
    }

    fn deadline(&self) -> Instant {
        let by_rate = self.start
            + self.grace
            + Duration::from_millis(self.received.saturating_mul(1000) / self.rate);
        by_rate.min(Instant::now() + self.idle)
    }
}

impl HttpBody for BodyDeadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received = this.received.saturating_add(data.len() as u64);
                    let d = this.deadline();
                    if let Some(timer) = &mut this.timer {
                        timer.as_mut().reset(d);
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                let d = this.deadline();
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(d)));
                if timer.as_mut().poll(cx).is_ready() {
                    this.kill.notify_one();
                    Poll::Ready(Some(Err(Box::new(BodyTimeout))))
                } else {
                    Poll::Pending
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busy_answer_has_the_right_length() {
        let text = std::str::from_utf8(BUSY).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
    }

    #[test]
    fn clients_are_counted_by_address_and_ipv6_network() {
        let host: IpAddr = "2001:db8:1:2:3:4:5:6".parse().unwrap();
        let same_net: IpAddr = "2001:db8:1:2:ffff::1".parse().unwrap();
        assert_eq!(client_key(host), client_key(same_net));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
        let limits = Limits {
            max_connections: 3,
            max_connections_per_client: 2,
            ..Limits::default()
        };
        let open = Tracker::default();
        let x: IpAddr = "192.0.2.1".parse().unwrap();
        let y: IpAddr = "192.0.2.2".parse().unwrap();
        let first = open.admit(x, &limits).unwrap();
        let _second = open.admit(x, &limits).unwrap();
        assert!(open.admit(x, &limits).is_none(), "per client");
        let _third = open.admit(y, &limits).unwrap();
        assert!(open.admit(y, &limits).is_none(), "in total");
        drop(first);
        assert!(open.admit(x, &limits).is_some());
    }
}
