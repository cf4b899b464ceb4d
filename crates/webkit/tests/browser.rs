//! webkit pages in headless Chromium: axe-core 0 violations, keyboard-only walk, login.

use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn core_pages_are_accessible() {
    let app = TestApp::new(vec![]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    for (path, name) in [
        ("/", "webkit-home"),
        ("/login", "webkit-login"),
        ("/setup", "webkit-setup"),
        ("/toegankelijkheid", "webkit-toegankelijkheid"),
        ("/privacy?lang=en", "webkit-privacy-en"),
        ("/bestaat-niet", "webkit-404"),
    ] {
        b.goto(path).await;
        b.check_page(name).await;
    }
    b.goto("/login?lang=nl").await;
    b.keyboard_check(&[
        "#f-name",
        "#f-password",
        "form[action='/login'] button",
        "a.lang-toggle",
    ])
    .await;

    // Log in as an admin and check the user management page.
    let name = app.user_name(&[RoleGrant {
        role: Role::Beheer,
        org: None,
    }]);
    b.login(&name, TEST_PASSWORD).await;
    assert_eq!(b.path().await, "/");
    b.goto("/beheer/gebruikers").await;
    b.check_page("webkit-gebruikers").await;
    b.keyboard_check(&["form[action='/logout'] button", "#f-name"])
        .await;
    b.goto("/account").await;
    b.check_page("webkit-account").await;
    b.close().await;
}
