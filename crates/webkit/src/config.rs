//! Server configuration: data directory, bind address, limits.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::Error;

/// The default bind address: loopback only.
pub const DEFAULT_ADDR: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080);

/// The default upload limit for request bodies: 64 MiB.
pub const DEFAULT_UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// How `stembus serve` runs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Folder with `stembus.sqlite` (created when missing).
    pub data_dir: PathBuf,
    /// Where to listen. Defaults to 127.0.0.1:8080; a non-loopback address is only used
    /// when it was given explicitly (flag or `STEMBUS_ADDR`).
    pub addr: SocketAddr,
    /// Largest accepted request body in bytes.
    pub upload_limit: usize,
    /// Mark cookies `Secure` (set this when the site is served over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
    /// The server is only reachable through a reverse proxy that appends the visitor's
    /// address to `X-Forwarded-For`: that address (the last one) is then the client for the
    /// login delay. Off by default, because a client could otherwise send any address.
    pub behind_proxy: bool,
    /// Session lifetime in seconds.
    pub session_ttl_secs: i64,
    /// Print the first-admin setup token to stderr (off in tests).
    pub print_setup_token: bool,
    /// Bounds against hostile clients: body sizes, timeouts, connections, password checks.
    pub limits: Limits,
}

/// Resource bounds of the server. A "client" is the peer IP address (an IPv6 address counts
/// by its /64 network, since one host usually owns a whole /64).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest `application/x-www-form-urlencoded` body (login and other forms); uploads
    /// (multipart) and JSON keep [`ServeConfig::upload_limit`].
    pub form_limit: usize,
    /// Time to send the request line and headers; also how long an idle keep-alive
    /// connection stays open.
    pub header_timeout: Duration,
    /// Longest pause while a request body is being sent.
    pub body_idle_timeout: Duration,
    /// A body must arrive at [`Limits::body_min_rate`] bytes per second on average, counted
    /// from this long after its start (so small bodies are never hurried).
    pub body_grace: Duration,
    /// Slowest accepted average upload speed in bytes per second (after the grace period).
    pub body_min_rate: u64,
    /// Longest time an answer may wait for a client that does not read it.
    pub write_timeout: Duration,
    /// Open connections in total; beyond it new connections get 503 and are closed.
    /// [`crate::serve`] lowers it to leave 64 file descriptors free below the process's
    /// limit (`ulimit -n`).
    pub max_connections: usize,
    /// Open connections of one client; beyond it that client's new connections get 503.
    pub max_connections_per_client: usize,
    /// Password checks (Argon2id, about 19 MiB each) running at the same time.
    pub password_checks: usize,
    /// Password checks waiting for a free slot; beyond it the answer is 503.
    pub password_queue: usize,
    /// Longest wait for a free password-check slot before the answer is 503.
    pub password_wait: Duration,
    /// Wrong logins a client may make before the progressive delay starts.
    pub login_free_attempts: u32,
    /// Longest delay between login attempts of a client that keeps guessing.
    pub login_max_delay: Duration,
    /// Clients whose failed logins are remembered (the oldest is forgotten first).
    pub login_clients: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Limits {
            form_limit: 64 * 1024,
            header_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(10),
            body_grace: Duration::from_secs(10),
            body_min_rate: 16 * 1024,
            write_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_connections_per_client: 128,
            password_checks: cores.clamp(1, 4),
            password_queue: 32,
            password_wait: Duration::from_secs(10),
            login_free_attempts: 5,
            login_max_delay: Duration::from_mins(15),
            login_clients: 10_000,
        }
    }
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            data_dir: PathBuf::from("stembus-data"),
            addr: DEFAULT_ADDR,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            secure_cookies: false,
            behind_proxy: false,
            session_ttl_secs: 12 * 3600,
            print_setup_token: true,
            limits: Limits::default(),
        }
    }
}

impl ServeConfig {
    /// The defaults, overridden by the environment: `STEMBUS_DATA` (data folder),
    /// `STEMBUS_ADDR` (bind address, e.g. `0.0.0.0:8080`), `STEMBUS_UPLOAD_LIMIT` (bytes),
    /// `STEMBUS_SECURE_COOKIES` (`1`/`true`), `STEMBUS_BEHIND_PROXY` (`1`/`true`),
    /// `STEMBUS_MAX_CONNECTIONS` and
    /// `STEMBUS_MAX_CONNECTIONS_PER_CLIENT` (numbers).
    pub fn from_env() -> Result<Self, Error> {
        let mut config = ServeConfig::default();
        if let Ok(dir) = std::env::var("STEMBUS_DATA") {
            config.data_dir = PathBuf::from(dir);
        }
        if let Ok(addr) = std::env::var("STEMBUS_ADDR") {
            config.addr = parse_addr(&addr)?;
        }
        if let Ok(limit) = std::env::var("STEMBUS_UPLOAD_LIMIT") {
            config.upload_limit = limit
                .trim()
                .parse()
                .map_err(|_| Error::Config(format!("STEMBUS_UPLOAD_LIMIT: geen getal: {limit}")))?;
        }
        if let Ok(v) = std::env::var("STEMBUS_SECURE_COOKIES") {
            config.secure_cookies = matches!(v.trim(), "1" | "true" | "yes");
        }
        if let Ok(v) = std::env::var("STEMBUS_BEHIND_PROXY") {
            config.behind_proxy = matches!(v.trim(), "1" | "true" | "yes");
        }
        let number = |name: &str, into: &mut usize| -> Result<(), Error> {
            if let Ok(v) = std::env::var(name) {
                *into = v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    Error::Config(format!("{name}: geen getal groter dan 0: {v}"))
                })?;
            }
            Ok(())
        };
        number(
            "STEMBUS_MAX_CONNECTIONS",
            &mut config.limits.max_connections,
        )?;
        number(
            "STEMBUS_MAX_CONNECTIONS_PER_CLIENT",
            &mut config.limits.max_connections_per_client,
        )?;
        Ok(config)
    }

    /// Path of the SQLite database file.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("stembus.sqlite")
    }
}

/// Parses `host:port`, `:port` (loopback) or a bare port (loopback).
pub fn parse_addr(s: &str) -> Result<SocketAddr, Error> {
    let s = s.trim();
    if let Ok(port) = s.trim_start_matches(':').parse::<u16>() {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    s.parse()
        .map_err(|_| Error::Config(format!("ongeldig adres: {s} (voorbeeld: 127.0.0.1:8080)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            parse_addr("9000").unwrap(),
            "127.0.0.1:9000".parse().unwrap()
        );
        assert_eq!(
            parse_addr(":9000").unwrap(),
            "127.0.0.1:9000".parse().unwrap()
        );
        assert_eq!(
            parse_addr("0.0.0.0:80").unwrap(),
            "0.0.0.0:80".parse().unwrap()
        );
        assert!(parse_addr("nope").is_err());
        assert!(ServeConfig::default().addr.ip().is_loopback());
    }
}
