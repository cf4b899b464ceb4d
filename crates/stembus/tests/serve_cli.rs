//! `stembus serve --secure-cookies`: the real binary on loopback hands out `Secure` cookies
//! with the `__Host-` prefix (for use behind an HTTPS proxy) and keeps a server secret with
//! file mode 0600 in its data folder.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn serve_with_secure_cookies() {
    let data = std::env::temp_dir().join(format!("stembus-serve-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args([
            "serve",
            "--secure-cookies",
            "--addr",
            "127.0.0.1:0",
            "--data",
        ])
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start stembus serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(a) = line.split("luistert op http://").nth(1) {
                let _ = tx.send(a.trim().to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_mins(2))
        .expect("server did not start");
    let mut s = TcpStream::connect(&addr).unwrap();
    s.write_all(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let cookie = answer
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_default()
        .to_owned();
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(data.join("server-secret"))
            .map(|m| m.permissions().mode() & 0o777)
            .ok()
    };
    let _ = std::fs::remove_dir_all(&data);
    assert!(
        cookie.contains("__Host-stembus_csrf=") && cookie.contains("; Secure"),
        "{answer}"
    );
    #[cfg(unix)]
    assert_eq!(mode, Some(0o600));
}
