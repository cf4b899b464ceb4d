//! Server configuration: data directory, bind address, limits.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

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
    /// Session lifetime in seconds.
    pub session_ttl_secs: i64,
    /// Print the first-admin setup token to stderr (off in tests).
    pub print_setup_token: bool,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            data_dir: PathBuf::from("stembus-data"),
            addr: DEFAULT_ADDR,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            secure_cookies: false,
            session_ttl_secs: 12 * 3600,
            print_setup_token: true,
        }
    }
}

impl ServeConfig {
    /// The defaults, overridden by the environment: `STEMBUS_DATA` (data folder),
    /// `STEMBUS_ADDR` (bind address, e.g. `0.0.0.0:8080`), `STEMBUS_UPLOAD_LIMIT` (bytes),
    /// `STEMBUS_SECURE_COOKIES` (`1`/`true`).
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
