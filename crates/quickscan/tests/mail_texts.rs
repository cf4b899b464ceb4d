//! Issue 12: invitation and reminder texts per group. The preview is the mail as sent (the same
//! function); unknown placeholders and a missing `{link}` are refused next to the field; mails
//! stay plain text and a subject can never carry a second header line.

use quickscan::mail::{self, MailConfig, ScanMail};
use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::store::{self, MailKind, Plan};
use quickscan::web::{Options, module};
use rusqlite::Connection;
use webkit::testing::{Session, TestApp};
use webkit::{Role, RoleGrant};

const TODAY: Day = Day(20_800);

fn setup() -> (Connection, i64) {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "o", "Gemeente O", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(&c, "o", "Nulmeting", None, TODAY).unwrap();
    store::import_respondents(
        &c,
        id,
        "\"Anna <b>de</b> Wit\";anna@o.nl;raad\nBob;bob@o.nl;college\nCees;cees@o.nl;ambtenaren\n",
    )
    .unwrap();
    (c, id)
}

fn link_in(body: &str) -> String {
    let i = body.find("https://qs.example/vragenlijst/i/").unwrap();
    body[i..].split_whitespace().next().unwrap().to_owned()
}

#[test]
fn the_preview_is_the_mail_as_sent() {
    let (c, id) = setup();
    store::set_plan(
        &c,
        id,
        &Plan {
            opens_on: None,
            closes_on: Some(TODAY.plus(14)),
            reminders: vec![],
        },
        TODAY,
    )
    .unwrap();
    store::set_contact(&c, id, "de griffie, 010 123 45 67").unwrap();
    let own = mail::check_text(
        "Doe mee, {naam}",
        "Beste {naam},\n\nDoe mee voor {sluitdatum}: {link}\n\nVragen? {contact}\n{organisatie}",
    )
    .unwrap();
    store::set_mail_text(
        &c,
        id,
        Group::Raad,
        MailKind::Invitation,
        &own.subject,
        &own.body,
    )
    .unwrap();
    store::advance(&c, id, ScanStatus::Open, TODAY).unwrap();
    mail::send_invitations(&c, &MailConfig::Outbox, id, "https://qs.example", false).unwrap();
    mail::send_invitations(&c, &MailConfig::Outbox, id, "https://qs.example", true).unwrap();
    let sm = ScanMail::load(&c, id).unwrap();
    let outbox = store::outbox(&c, id).unwrap();
    assert_eq!(outbox.len(), 6);
    for m in &outbox {
        let inv = store::invitations(&c, id)
            .unwrap()
            .into_iter()
            .find(|i| i.email.as_deref() == Some(m.to.as_str()))
            .unwrap();
        let kind = if m.subject.starts_with("Herinnering") {
            MailKind::Reminder
        } else {
            MailKind::Invitation
        };
        let expected = sm.compose(
            inv.group,
            kind,
            inv.name.as_deref().unwrap(),
            &link_in(&m.body),
        );
        assert_eq!((m.subject.clone(), m.body.clone()), expected, "{}", m.to);
    }
    // the raad gets the own text, filled in; the others the standard text with the date
    let anna = outbox
        .iter()
        .find(|m| m.to == "anna@o.nl" && !m.subject.starts_with("Herinnering"))
        .unwrap();
    assert_eq!(anna.subject, "Doe mee, Anna <b>de</b> Wit");
    assert!(anna.body.starts_with("Beste Anna <b>de</b> Wit,\n\nDoe mee voor zondag 27 december 2026: https://qs.example/vragenlijst/i/"));
    assert!(
        anna.body
            .contains("Vragen? de griffie, 010 123 45 67\nGemeente O")
    );
    assert!(
        anna.body.contains("Uw antwoorden zijn anoniem"),
        "fixed footer"
    );
    let bob = outbox.iter().find(|m| m.to == "bob@o.nl").unwrap();
    assert!(
        bob.body
            .contains("U kunt meedoen tot en met zondag 27 december 2026.")
    );
    assert!(
        bob.body
            .contains("Neem contact op met de griffie, 010 123 45 67.")
    );
    // every reminder still explains where saved answers are (THREATS.md, rule D)
    assert!(
        outbox
            .iter()
            .filter(|m| m.subject.starts_with("Herinnering"))
            .all(|m| m.body.contains("link uit uw eerste e-mail"))
    );
}

#[test]
fn no_header_can_be_added_through_a_name_or_subject() {
    let (c, id) = setup();
    // a name with a line break (possible in a quoted CSV field)
    c.execute(
        "UPDATE qs_invitation SET name = ?1 WHERE email = 'anna@o.nl'",
        ["Anna\r\nBcc: mallory@evil.example"],
    )
    .unwrap();
    let own = mail::check_text("Voor {naam}", "{link}").unwrap();
    store::set_mail_text(
        &c,
        id,
        Group::Raad,
        MailKind::Invitation,
        &own.subject,
        &own.body,
    )
    .unwrap();
    let sm = ScanMail::load(&c, id).unwrap();
    let (subject, body) = sm.compose(
        Group::Raad,
        MailKind::Invitation,
        "Anna\r\nBcc: mallory@evil.example",
        "https://qs.example/vragenlijst/i/x",
    );
    assert_eq!(subject, "Voor Anna Bcc: mallory@evil.example");
    let msg = mail::message("Quick Scan <qs@o.nl>", "anna@o.nl", &subject, &body).unwrap();
    let raw = String::from_utf8(msg.formatted()).unwrap();
    let headers = &raw[..raw.find("\r\n\r\n").unwrap()];
    assert!(
        !headers.lines().any(|l| l.to_lowercase().starts_with("bcc")),
        "{headers}"
    );
    assert!(headers.contains("Content-Type: text/plain"), "{headers}");
    assert_eq!(msg.envelope().to().len(), 1);
    // a subject with a line break never reaches the mail server
    assert!(mail::message("qs@o.nl", "anna@o.nl", "a\r\nBcc: m@e.example", "x").is_err());
    // and cannot be saved
    assert!(mail::check_text("a\nBcc: m@e.example", "{link}").is_err());
}

fn app() -> TestApp {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("https://qs.example").unwrap()),
        public_per_minute: 1000,
        ..Options::default()
    })]);
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente))
        .unwrap();
    app
}

fn as_role(app: &TestApp, role: Role) -> Session {
    app.login(&[RoleGrant {
        role,
        org: Some("1".into()),
    }])
}

fn new_scan(app: &TestApp) -> i64 {
    app.state()
        .db()
        .with(|c| store::create_scan(c, "1", "Scan", None, Day::today()))
        .unwrap()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[tokio::test]
async fn the_editor_refuses_unknown_placeholders_inline_and_keeps_the_input() {
    let app = app();
    let scan = new_scan(&app);
    let t = as_role(&app, Role::Trekker);
    let path = format!("/qs/1/scans/{scan}/teksten/raad/uitnodiging");
    let typed_body = "Beste {voornaam},\n\n<b>Doe mee</b> met {groet}.";
    let r = app
        .post_form(
            &path,
            &t,
            &[
                ("subject", "Hallo\r\nBcc: x@y.nl"),
                ("body", typed_body),
                ("actie", "opslaan"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("error-summary"));
    assert!(r.body.contains("{voornaam}") && r.body.contains("{groet}"));
    assert!(r.body.contains("moet {link} bevatten"));
    assert!(r.body.contains("op één regel"));
    assert!(r.body.contains(r#"aria-invalid="true""#));
    // the typed text is shown again, escaped
    assert!(r.body.contains(&html_escape(typed_body)), "input kept");
    assert!(!r.body.contains("<b>Doe mee</b>"));
    // nothing was saved
    let saved = app
        .state()
        .db()
        .with(|c| store::mail_text(c, scan, Group::Raad, MailKind::Invitation))
        .unwrap();
    assert_eq!(saved, None);
}

#[tokio::test]
async fn preview_then_save_then_reset() {
    let app = app();
    let scan = new_scan(&app);
    let t = as_role(&app, Role::Trekker);
    let path = format!("/qs/1/scans/{scan}/teksten/college/herinnering");
    let body = "Beste {naam},\n\nNog even: {link}\n\n{organisatie}";
    // preview without saving: the page shows the mail for the sample respondent
    let r = app
        .post_form(
            &path,
            &t,
            &[
                ("subject", "Nog even, {naam}"),
                ("body", body),
                ("actie", "voorbeeld"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let sm = app.state().db().with(|c| ScanMail::load(c, scan)).unwrap();
    let text = mail::check_text("Nog even, {naam}", body).unwrap();
    let (subject, mail_body) = sm.compose_with(
        &text,
        MailKind::Reminder,
        mail::SAMPLE_NAME,
        &mail::respondent_link(
            &quickscan::links::PublicUrl::parse("https://qs.example").unwrap(),
            mail::SAMPLE_TOKEN,
        ),
    );
    assert!(r.body.contains(&format!(
        "<dd id=\"voorbeeld-onderwerp\">{}</dd>",
        html_escape(&subject)
    )));
    assert!(
        r.body.contains(&format!(
            "<pre class=\"qs-mail\" id=\"voorbeeld-tekst\">{}</pre>",
            html_escape(&mail_body)
        )),
        "{}",
        r.body
    );
    assert!(r.body.contains("nog niet opgeslagen"));
    let saved = |app: &TestApp| {
        app.state()
            .db()
            .with(|c| store::mail_text(c, scan, Group::College, MailKind::Reminder))
            .unwrap()
    };
    assert_eq!(saved(&app), None);
    // save
    let r = app
        .post_form(
            &path,
            &t,
            &[
                ("subject", "Nog even, {naam}"),
                ("body", body),
                ("actie", "opslaan"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert_eq!(
        saved(&app),
        Some(("Nog even, {naam}".to_owned(), body.to_owned()))
    );
    let page = app.get(&format!("{path}?opgeslagen=1"), Some(&t)).await;
    assert!(page.body.contains("De tekst is opgeslagen."));
    assert!(page.body.contains(&html_escape(&mail_body)));
    // the overview says which texts are the scan's own
    let overview = app
        .get(&format!("/qs/1/scans/{scan}/teksten"), Some(&t))
        .await;
    assert_eq!(overview.body.matches("Eigen tekst").count(), 1);
    // back to the standard text
    let r = app.post_form(&format!("{path}/standaard"), &t, &[]).await;
    assert_eq!(r.status.as_u16(), 303);
    assert_eq!(saved(&app), None);
    // inwoners get no mail: no text page
    let r = app
        .get(
            &format!("/qs/1/scans/{scan}/teksten/inwoners/uitnodiging"),
            Some(&t),
        )
        .await;
    assert_eq!(r.status.as_u16(), 404);
}

#[tokio::test]
async fn only_the_trekker_edits_texts_and_plan() {
    let app = app();
    let scan = new_scan(&app);
    for (role, texts_ok, plan_ok) in [
        (Role::Trekker, true, true),
        (Role::Begeleider, false, true),
        (Role::Commissie, false, false),
    ] {
        let s = as_role(&app, role);
        let r = app
            .get(&format!("/qs/1/scans/{scan}/teksten"), Some(&s))
            .await;
        assert_eq!(r.status.is_success(), texts_ok, "{role:?} teksten");
        let r = app
            .get(&format!("/qs/1/scans/{scan}/planning"), Some(&s))
            .await;
        assert_eq!(r.status.is_success(), plan_ok, "{role:?} planning");
        // the begeleider sees the plan, not the form
        if role == Role::Begeleider {
            assert!(!r.body.contains("Planning opslaan"));
        }
    }
}

#[tokio::test]
async fn the_plan_form_shows_errors_inline_and_the_dashboard_the_plan() {
    let app = app();
    let scan = new_scan(&app);
    let t = as_role(&app, Role::Trekker);
    let path = format!("/qs/1/scans/{scan}/planning");
    let today = Day::today();
    let r = app
        .post_form(
            &path,
            &t,
            &[
                ("opens_on", &today.plus(5).to_string()),
                ("closes_on", &today.plus(2).to_string()),
                ("remind1", &today.plus(-1).to_string()),
                ("remind2", "2026-02-31"),
                ("remind3", ""),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("Deze datum klopt niet"));
    // input kept
    assert!(r.body.contains(&format!("value=\"{}\"", today.plus(5))));
    assert!(r.body.contains("value=\"2026-02-31\""));
    // a good plan
    let (o, c, r1) = (today.plus(1), today.plus(15), today.plus(8));
    let r = app
        .post_form(
            &path,
            &t,
            &[
                ("opens_on", &o.to_string()),
                ("closes_on", &c.to_string()),
                ("remind1", &r1.to_string()),
                ("remind2", ""),
                ("remind3", ""),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let dash = app.get(&format!("/qs/1/scans/{scan}"), Some(&t)).await;
    assert!(
        dash.body
            .contains(&format!("Opent op {}", o.long_weekday_nl()))
    );
    assert!(
        dash.body
            .contains(&format!("Herinneringen op {}", r1.long_nl()))
    );
    assert!(
        dash.body
            .contains(&format!("Sluit op {}", c.long_weekday_nl()))
    );
    // no respondents yet: the dashboard says why it cannot open
    assert!(dash.body.contains("nog geen respondenten"), "{}", dash.body);
}

#[test]
fn the_organisation_profile_fills_name_and_contact_unless_the_scan_has_its_own() {
    let (c, id) = setup();
    store::set_profile(
        &c,
        "o",
        store::Profile {
            display_name: "Gemeente Oosterwold".into(),
            contact_name: "De griffie".into(),
            contact_email: "griffie@oosterwold.nl".into(),
            ..store::Profile::default()
        },
    )
    .unwrap();
    let sm = ScanMail::load(&c, id).unwrap();
    assert_eq!(sm.org_name, "Gemeente Oosterwold");
    assert_eq!(sm.contact, "De griffie, griffie@oosterwold.nl");
    let (subject, body) = sm.compose(
        Group::Ambtenaren,
        MailKind::Invitation,
        "Cees",
        "https://x/vragenlijst/i/t",
    );
    assert_eq!(
        subject,
        "Uw mening over de democratie in Gemeente Oosterwold"
    );
    assert!(body.contains("Neem contact op met De griffie, griffie@oosterwold.nl."));
    store::set_contact(&c, id, "Piet, 06 12345678").unwrap();
    assert_eq!(ScanMail::load(&c, id).unwrap().contact, "Piet, 06 12345678");
    // a contact is one line
    assert!(store::set_contact(&c, id, "a\nb").is_err());
}

#[tokio::test]
async fn a_wrong_contact_is_refused_inline() {
    let app = app();
    let scan = new_scan(&app);
    let t = as_role(&app, Role::Trekker);
    let path = format!("/qs/1/scans/{scan}/teksten/contact");
    let long = "x".repeat(201);
    let r = app.post_form(&path, &t, &[("contact", &long)]).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("hoogstens 200 tekens"));
    assert!(r.body.contains(&format!("value=\"{long}\"")), "input kept");
    let r = app
        .post_form(&path, &t, &[("contact", "de griffie, 010 123 45 67")])
        .await;
    assert_eq!(r.status.as_u16(), 303);
    let saved = app.state().db().with(|c| store::contact(c, scan)).unwrap();
    assert_eq!(saved, "de griffie, 010 123 45 67");
}

#[tokio::test]
async fn the_dashboard_tells_what_the_scheduler_did() {
    let app = app();
    let t = as_role(&app, Role::Trekker);
    let today = Day::today();
    let url = quickscan::links::PublicUrl::parse("https://qs.example").unwrap();
    let scan = app
        .state()
        .db()
        .with(|c| {
            let id = store::create_scan(c, "1", "Scan", None, today)?;
            store::import_respondents(c, id, "Anna;anna@o.nl;raad\nBob;bob@o.nl;college\n")?;
            let plan = Plan {
                opens_on: Some(today.plus(1)),
                closes_on: Some(today.plus(9)),
                reminders: vec![today.plus(3), today.plus(6)],
            };
            store::set_plan(c, id, &plan, today)?;
            let at = |d: Day| d.0 * 86_400 + 8 * 3600;
            let limits = quickscan::schedule::Limits::default();
            for d in [today.plus(1), today.plus(6), today.plus(10)] {
                quickscan::schedule::run(c, &MailConfig::Outbox, Some(&url), at(d), limits)?;
            }
            Ok::<_, store::Error>(id)
        })
        .unwrap();
    let dash = app.get(&format!("/qs/1/scans/{scan}"), Some(&t)).await;
    let d = |n: i64| today.plus(n).long_nl();
    for line in [
        format!("{}: vragenlijst geopend.", d(1)),
        format!("{}: uitnodigingen: 2 verstuurd.", d(1)),
        format!("{}: herinnering 1 niet verstuurd.", d(3)),
        format!("{}: herinnering 2: 2 verstuurd.", d(6)),
        format!("{}: vragenlijst gesloten.", d(9)),
    ] {
        assert!(dash.body.contains(&line), "{line}\n{}", dash.body);
    }
}
