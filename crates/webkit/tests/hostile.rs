//! The server under hostile clients (issue 14, server part): password-check storms, large
//! login forms, guessing, open redirects, planted CSRF cookies, slow and idle connections
//! and connection floods. Socket tests run on loopback with short limits.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use webkit::testing::{Session, TEST_PASSWORD, TestApp, TestResponse};
use webkit::{ClientAddr, Limits, Role, RoleGrant};

mod loopback;
use loopback::{Server, connect_from, exchange, get};

// ---------------------------------------------------------------------------------------
// In-process requests (no socket); the client address is set by hand.

/// A login form POST from `client` (an anonymous visitor with a valid CSRF token).
fn login_request(client: &str, anon: &Session, fields: &str) -> Request<Body> {
    let mut req = Request::post("/login")
        .header(header::COOKIE, &anon.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}&{fields}", anon.csrf)))
        .unwrap();
    req.extensions_mut()
        .insert(ClientAddr(client.parse::<IpAddr>().unwrap()));
    req
}

fn admin_name(app: &TestApp) -> String {
    app.user_name(&[RoleGrant {
        role: Role::Beheer,
        org: None,
    }])
}

/// Attack: 5 wrong guesses from anyone locked any account (the beheerder too) for 15
/// minutes, and of 30 concurrent guesses 21 were evaluated instead of 5.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guessing_slows_the_guesser_not_the_account_owner() {
    let app = Arc::new(TestApp::new(vec![]));
    let admin = admin_name(&app);
    let anon = TestApp::anonymous();
    let guesses: Vec<_> = (0..30)
        .map(|i| {
            let (app, anon, admin) = (app.clone(), anon.clone(), admin.clone());
            tokio::spawn(async move {
                let body = format!("name={admin}&password=gok{i}gok{i}gok{i}");
                app.send(login_request("192.0.2.66", &anon, &body)).await
            })
        })
        .collect();
    let mut evaluated = 0;
    let mut slowed = 0;
    for g in guesses {
        let r: TestResponse = g.await.unwrap();
        match r.status {
            StatusCode::OK => {
                assert!(r.body.contains("klopt niet"));
                evaluated += 1;
            }
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(r.headers.contains_key(header::RETRY_AFTER));
                assert!(r.body.contains("vanaf uw verbinding"), "{}", r.body);
                slowed += 1;
            }
            s => panic!("unexpected {s}: {}", r.body),
        }
    }
    assert_eq!((evaluated, slowed), (5, 25));
    // The guesser keeps waiting (1 s, then 2 s, 4 s, ...): of two quick tries at least one
    // is turned away, however long the burst took.
    let mut turned_away = 0;
    for _ in 0..2 {
        let r = app
            .send(login_request(
                "192.0.2.66",
                &anon,
                &format!("name={admin}&password=nog+een+gok"),
            ))
            .await;
        turned_away += usize::from(r.status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert!(turned_away >= 1);
    // ...but the owner, from their own connection, logs in at once.
    let owner = TestApp::anonymous();
    let r = app
        .send(login_request(
            "198.51.100.7",
            &owner,
            &format!("name={admin}&password={}", TEST_PASSWORD.replace(' ', "+")),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// Attack: five different 50 MB names added 244 MB of failed-login bookkeeping that stayed.
/// Now a form is at most 64 KiB, and the bookkeeping holds addresses only, never names.
#[tokio::test]
async fn login_forms_are_small_and_names_are_never_kept() {
    let app = TestApp::new(vec![]);
    let anon = TestApp::anonymous();
    for i in 0..5u8 {
        let name = char::from(b'a' + i).to_string().repeat(50 * 1024 * 1024);
        let r = app
            .send(login_request(
                "192.0.2.1",
                &anon,
                &format!("name={name}&password=x"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(r.body.contains("te groot"), "{}", r.body);
    }
    // Names just under the form limit: refused without a password check and not kept.
    for i in 0..5u8 {
        let name = char::from(b'a' + i).to_string().repeat(60 * 1024);
        let r = app
            .send(login_request(
                "192.0.2.2",
                &anon,
                &format!("name={name}&password=x"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("klopt niet"));
        assert!(r.body.len() < 30_000, "the name is echoed capped");
    }
    assert_eq!(app.state().login_clients_remembered(), 1);
    // Also with the token in the header instead of the form.
    let mut req = login_request(
        "192.0.2.2",
        &anon,
        &format!("name={}", "n".repeat(70 * 1024)),
    );
    req.headers_mut()
        .insert("x-csrf-token", anon.csrf.parse().unwrap());
    assert_eq!(app.send(req).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Other urlencoded forms have the same limit.
    let admin = app.login_as(Role::Beheer);
    let big = "x".repeat(70 * 1024);
    let r = app
        .post_form("/beheer/gebruikers", &admin, &[("name", &big)])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// Attack: `GET /login?next=/%09/evil.example`, then logging in, answered
/// `Location: /\t/evil.example`, which browsers resolve to another site.
#[tokio::test]
async fn next_is_only_a_same_site_path() {
    let app = TestApp::new(vec![]);
    let admin = admin_name(&app);
    let anon = TestApp::anonymous();
    let form = app.get("/login?next=/%09/evil.example", Some(&anon)).await;
    assert!(
        form.body.contains(r#"name="next" value="/">"#),
        "{}",
        form.body
    );
    for next in [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%5Cevil.example",
        "//evil.example",
        "/%2F/evil.example",
        "https://evil.example",
    ] {
        let r = app
            .send(login_request(
                "192.0.2.9",
                &anon,
                &format!(
                    "name={admin}&password={}&next={next}",
                    TEST_PASSWORD.replace(' ', "+")
                ),
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}: {}", r.body);
        assert_eq!(r.location(), Some("/"), "{next}");
    }
    let r = app
        .send(login_request(
            "192.0.2.9",
            &anon,
            &format!(
                "name={admin}&password={}&next=/account",
                TEST_PASSWORD.replace(' ', "+")
            ),
        ))
        .await;
    assert_eq!(r.location(), Some("/account"));
}

/// Attack: the double-submit check accepted any cookie value an attacker managed to set
/// (e.g. from a sibling subdomain) together with the same value as form token.
#[tokio::test]
async fn a_planted_anonymous_csrf_cookie_is_useless() {
    let app = TestApp::new(vec![]);
    let planted = "ab".repeat(32);
    let mut req = Request::post("/login")
        .header(header::COOKIE, format!("stembus_csrf={planted}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={planted}&name=x&password=y")))
        .unwrap();
    req.extensions_mut()
        .insert(ClientAddr("192.0.2.3".parse().unwrap()));
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    // The page hands out the server's token for the cookie, not the cookie itself.
    let page = app
        .get(
            "/login",
            Some(&Session {
                cookie: format!("stembus_csrf={planted}"),
                csrf: String::new(),
            }),
        )
        .await;
    assert!(!page.body.contains(&planted));
    assert!(
        page.body
            .contains(&webkit::testing::anonymous_csrf(&planted))
    );
    // A secret from another server does not fit either.
    let other = TestApp::with_config(
        |c| {
            std::fs::create_dir_all(&c.data_dir).unwrap();
            std::fs::write(c.data_dir.join("server-secret"), "12".repeat(32)).unwrap();
        },
        vec![],
    );
    let anon = TestApp::anonymous();
    let r = other
        .send(login_request("192.0.2.4", &anon, "name=x&password=y"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.send(login_request("192.0.2.4", &anon, "name=x&password=y"))
            .await
            .status,
        StatusCode::OK
    );
}

// ---------------------------------------------------------------------------------------
// Over loopback sockets, with the real server loop.

fn short_limits() -> Limits {
    Limits {
        header_timeout: Duration::from_secs(1),
        body_idle_timeout: Duration::from_secs(1),
        body_grace: Duration::from_secs(1),
        body_min_rate: 1000,
        write_timeout: Duration::from_secs(2),
        ..Limits::default()
    }
}

/// How long until the server closes `s` (reading and discarding what it sends); `None`
/// when it is still open after `max`.
async fn closed_within(s: &mut TcpStream, max: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((start + max).into(), s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

/// Attack: idle connections, headers sent one line per 5 s, a slow body and idle
/// keep-alives were all still open after 150 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_clients_are_dropped() {
    let server = Server::start(short_limits()).await;
    let addr = server.addr;
    let max = Duration::from_secs(4);

    // Connects and says nothing.
    let mut idle = connect_from(addr, "127.0.0.1").await;
    // Sends its headers one line at a time, slowly.
    let mut trickle = connect_from(addr, "127.0.0.1").await;
    let trickling = tokio::spawn(async move {
        let _ = trickle.write_all(b"GET / HTTP/1.1\r\n").await;
        for i in 0..40 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if trickle
                .write_all(format!("X-Langzaam-{i}: ja\r\n").as_bytes())
                .await
                .is_err()
            {
                break;
            }
        }
        closed_within(&mut trickle, Duration::from_secs(1)).await
    });
    // Announces a body and sends it a byte at a time.
    let anon = TestApp::anonymous();
    let mut slow_body = connect_from(addr, "127.0.0.1").await;
    slow_body
        .write_all(
            format!(
                "POST /login HTTP/1.1\r\nHost: t\r\nCookie: {}\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n",
                anon.cookie
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let dripping = tokio::spawn(async move {
        let start = Instant::now();
        for _ in 0..40 {
            if slow_body.write_all(b"a").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        closed_within(&mut slow_body, Duration::from_secs(1))
            .await
            .map(|_| start.elapsed())
    });
    // Asks one thing on a keep-alive connection and then stays.
    let mut keep = connect_from(addr, "127.0.0.1").await;
    keep.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();

    assert!(closed_within(&mut idle, max).await.is_some(), "idle");
    assert!(closed_within(&mut keep, max).await.is_some(), "keep-alive");
    let t = trickling.await.unwrap();
    assert!(t.is_some(), "slow headers were not cut off");
    let t = dripping.await.unwrap();
    assert!(t.is_some_and(|t| t < max), "slow body: {t:?}");
    // The server is fine.
    assert_eq!(exchange(addr, "127.0.0.1", &get("/healthz")).await.0, 200);
    server.stop().await;
}

/// Attack: about 20,000 idle sockets used up the file descriptors and new requests timed
/// out. Now one client holds at most its share, the total is capped, and both answer 503.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_limits_answer_503() {
    let server = Server::start(Limits {
        header_timeout: Duration::from_secs(5),
        max_connections: 6,
        max_connections_per_client: 4,
        ..Limits::default()
    })
    .await;
    let addr = server.addr;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from(addr, "127.0.0.1").await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, text) = exchange(addr, "127.0.0.1", &get("/healthz")).await;
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("Retry-After") && text.contains("te druk"));
    // Another client still gets in, until the total is reached.
    assert_eq!(exchange(addr, "127.0.0.2", &get("/healthz")).await.0, 200);
    for _ in 0..2 {
        held.push(connect_from(addr, "127.0.0.2").await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(exchange(addr, "127.0.0.3", &get("/healthz")).await.0, 503);
    // A flood from one client: every extra connection is answered and closed at once.
    let start = Instant::now();
    for _ in 0..300 {
        let (status, _) = exchange(addr, "127.0.0.1", &get("/healthz")).await;
        assert_eq!(status, 503);
    }
    assert!(start.elapsed() < Duration::from_secs(20));
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(exchange(addr, "127.0.0.1", &get("/healthz")).await.0, 200);
    server.stop().await;
}

/// Behind an HTTPS proxy (`serve --secure-cookies`): cookies are `Secure` and carry the
/// `__Host-` prefix, so a sibling subdomain cannot plant them; a cookie without the prefix
/// is ignored.
#[tokio::test]
async fn secure_cookies_use_the_host_prefix() {
    let app = TestApp::with_config(|c| c.secure_cookies = true, vec![]);
    let admin = admin_name(&app);
    let page = app.get("/login", None).await;
    let set = page
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(set.starts_with("__Host-stembus_csrf="), "{set}");
    assert!(set.contains("; Secure") && set.contains("Path=/") && !set.contains("Domain"));
    let nonce = "cd".repeat(32);
    let token = webkit::testing::anonymous_csrf(&nonce);
    let body = format!(
        "_csrf={token}&name={admin}&password={}",
        TEST_PASSWORD.replace(' ', "+")
    );
    let post = |cookie: String| {
        let mut req = Request::post("/login")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.clone()))
            .unwrap();
        req.extensions_mut()
            .insert(ClientAddr("192.0.2.5".parse().unwrap()));
        req
    };
    let planted = app.send(post(format!("stembus_csrf={nonce}"))).await;
    assert_eq!(planted.status, StatusCode::FORBIDDEN);
    let ok = app.send(post(format!("__Host-stembus_csrf={nonce}"))).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let session = ok
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        session.starts_with("__Host-stembus_session=") && session.contains("; Secure"),
        "{session}"
    );
}

/// Behind a proxy every visitor arrives from the proxy's address. With `behind_proxy` the
/// address the proxy appended to `X-Forwarded-For` is the client; without it the header is
/// ignored, so a guesser cannot dodge the delay by sending another address.
#[tokio::test]
async fn behind_a_proxy_the_forwarded_address_is_the_client() {
    async fn burst(app: &TestApp, forwarded: &str) -> usize {
        let anon = TestApp::anonymous();
        let mut slowed = 0;
        for _ in 0..6 {
            let mut req = login_request("127.0.0.1", &anon, "name=iemand&password=gokgokgok");
            req.headers_mut().insert(
                "x-forwarded-for",
                format!("203.0.113.1, {forwarded}").parse().unwrap(),
            );
            slowed += usize::from(app.send(req).await.status == StatusCode::TOO_MANY_REQUESTS);
        }
        slowed
    }
    let proxied = TestApp::with_config(|c| c.behind_proxy = true, vec![]);
    assert_eq!(burst(&proxied, "192.0.2.10").await, 1);
    assert_eq!(burst(&proxied, "192.0.2.11").await, 1, "another visitor");
    assert_eq!(proxied.state().login_clients_remembered(), 2);
    let direct = TestApp::new(vec![]);
    assert_eq!(burst(&direct, "192.0.2.10").await, 1);
    let slowed = burst(&direct, "192.0.2.11").await;
    assert!(slowed >= 5, "the header is not trusted: {slowed}");
}

/// A client that asks for a large answer and never reads it is dropped after the write
/// timeout, and its connection counts no more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_read_is_dropped() {
    const SIZE: usize = 64 * 1024 * 1024;
    let big = webkit::Module::new("groot").page("/groot", || async { "x".repeat(SIZE) });
    let server = loopback::Server::with_modules(
        Limits {
            max_connections_per_client: 1,
            ..short_limits()
        },
        vec![big],
    )
    .await;
    let addr = server.addr;
    let mut stalled = connect_from(addr, "127.0.0.1").await;
    stalled.write_all(&get("/groot")).await.unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    // Dropped: the connection no longer counts against the client's one connection...
    assert_eq!(exchange(addr, "127.0.0.1", &get("/healthz")).await.0, 200);
    // ...and what is left to read is only what was buffered, not the whole answer.
    let mut got = 0usize;
    let mut buf = vec![0u8; 1 << 16];
    while let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(5), stalled.read(&mut buf)).await
    {
        if n == 0 {
            break;
        }
        got += n;
    }
    assert!(got < SIZE, "{got} bytes: the whole answer was still sent");
    server.stop().await;
}
