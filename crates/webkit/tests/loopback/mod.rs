//! A test server on loopback with the real server loop, and a raw HTTP/1.1 client that can
//! send from any 127.x.y.z address (each is another client).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use webkit::testing::TestApp;
use webkit::{Limits, Module};

pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    pub app: Arc<TestApp>,
}

impl Server {
    pub async fn start(limits: Limits) -> Server {
        Self::with_modules(limits, vec![]).await
    }

    pub async fn with_modules(limits: Limits, modules: Vec<Module>) -> Server {
        let app = Arc::new(TestApp::with_config(|c| c.limits = limits, modules));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let served = app.clone();
        let task = tokio::spawn(async move {
            webkit::serve_app(&served.app, listener, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        Server {
            addr,
            stop: Some(tx),
            task: Some(task),
            app,
        }
    }

    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let _ = tokio::time::timeout(Duration::from_secs(15), self.task.take().unwrap()).await;
    }
}

/// Sends `raw` on a fresh connection (from `from`, a loopback address) and reads the answer
/// to the end; returns the status code (0 when the server closed without an answer).
pub async fn exchange(to: SocketAddr, from: &str, raw: &[u8]) -> (u16, String) {
    let mut s = connect_from(to, from).await;
    s.write_all(raw).await.unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

pub async fn connect_from(to: SocketAddr, from: &str) -> TcpStream {
    let sock = TcpSocket::new_v4().unwrap();
    sock.bind(format!("{from}:0").parse().unwrap()).unwrap();
    sock.connect(to).await.unwrap()
}

pub fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").into_bytes()
}
