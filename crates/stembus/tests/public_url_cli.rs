//! `stembus serve --public-url`: an invalid address stops the server with exit 2 and names the
//! flag; without an address the server warns on start that the Quick Scan's links would not
//! work (and it never falls back to a guessed `http://127.0.0.1:…`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn data_dir(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("stembus-public-url-{tag}-{}", std::process::id()))
}

#[test]
fn invalid_public_url_is_refused() {
    let data = data_dir("bad");
    for bad in ["ftp://stembus.nl", "https://stembus.nl/?x=1", "stembus.nl"] {
        let out = Command::new(env!("CARGO_BIN_EXE_stembus"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--public-url",
                bad,
                "--data",
            ])
            .arg(&data)
            .env_remove("STEMBUS_PUBLIC_URL")
            .output()
            .expect("run stembus serve");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains("--public-url"), "{bad}: {err}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(&data)
        .env("STEMBUS_PUBLIC_URL", "javascript:alert(1)")
        .output()
        .expect("run stembus serve");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("STEMBUS_PUBLIC_URL"));
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn unset_public_url_warns_on_start() {
    let data = data_dir("unset");
    let _ = std::fs::remove_dir_all(&data);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(&data)
        .env_remove("STEMBUS_PUBLIC_URL")
        .env_remove("STEMBUS_BASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start stembus serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut warned = false;
    while let Ok(line) = rx.recv_timeout(Duration::from_mins(2)) {
        warned |= line.contains("geen --public-url");
        if line.contains("luistert op http://") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&data);
    assert!(warned, "no warning about the missing public address");
}
