//! Respondent pages: intro, start, steps, summary, submission.

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, IntoResponse, Markup, OrgKind, Path, QLang,
    Questionnaire, RAccess, Redirect, Response, ScanStatus, Shared, State, StatusCode, answer_text,
    csrf_field, db, field, fill, html, item_input, parse_answers, store, style,
};

/// An organisation's look on a respondent's page: its name, logo and colour in the header,
/// its contact and the scan's privacy statement in the footer (not Stembus's navigation).
#[derive(Clone, Debug)]
pub(super) struct Look {
    pub org_id: String,
    pub name: String,
    pub kind: OrgKind,
    pub has_logo: bool,
    pub has_colour: bool,
    pub scan_id: Option<i64>,
    pub contact: Vec<String>,
}

/// The look of organisation `org_id`, for a page of scan `scan_id` (if known).
pub(super) fn look(
    c: &rusqlite::Connection,
    org_id: &str,
    scan_id: Option<i64>,
) -> store::Result<Look> {
    let o = store::org(c, org_id)?;
    let p = store::profile(c, org_id)?;
    Ok(Look {
        name: if p.display_name.is_empty() {
            o.name
        } else {
            p.display_name.clone()
        },
        kind: o.kind,
        has_logo: store::has_logo(c, org_id)?,
        has_colour: !p.colour.is_empty(),
        org_id: o.id,
        scan_id,
        contact: [p.contact_name, p.contact_email, p.contact_phone]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
    })
}

/// A respondent's page: in the organisation's look when it is known, else in a neutral one;
/// never with Stembus's menu. Dutch only, `lang="nl"` (the questionnaire has no complete
/// English version, so there is no toggle).
pub(super) fn rpage(ctx: &Ctx, look: Option<&Look>, title: &str, body: Markup) -> Markup {
    let logo = look
        .filter(|l| l.has_logo)
        .map(|l| format!("/vragenlijst/logo/{}", l.org_id));
    let sheet = look
        .filter(|l| l.has_colour)
        .map(|l| format!("/vragenlijst/stijl/{}", l.org_id));
    let footer = html! {
        ul.footer-links {
            @if let Some(scan) = look.and_then(|l| l.scan_id) {
                li { a href={"/vragenlijst/privacy/" (scan)} { "Privacyverklaring" } }
            }
            li { a href="/toegankelijkheid" { "Toegankelijkheid" } }
        }
        @if let Some(l) = look.filter(|l| !l.contact.is_empty()) {
            p { "Vragen over deze vragenlijst? " (l.contact.join(" · ")) }
        }
        p { "Uw antwoorden zijn anoniem. Deze vragenlijst werkt met Stembus, open software voor de Nederlandse democratie." }
    };
    let brand = webkit::layout::Branding {
        name: look.map_or("Quick Scan Lokale Democratie", |l| l.name.as_str()),
        logo: logo.as_deref(),
        stylesheet: sheet.as_deref(),
        footer,
    };
    webkit::layout::page_with(ctx, title, &brand, body)
}

/// The key that signs fresh public starts (`PUBLICCODE.RESUME.SIGNATURE`): random per
/// process, so only this server can hand out a start that may create a draft. A restart makes
/// unsaved starts invalid; saved drafts continue with their resume code.
pub(super) fn start_key() -> &'static [u8; 32] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    KEY.get_or_init(store::random_bytes::<32>)
}

pub(super) fn start_signature(public: &str, resume: &str) -> String {
    let mac = crate::seal::hmac(start_key(), &[public.as_bytes(), b".", resume.as_bytes()]);
    hex::encode(&mac[..10])
}

/// A simple sum for the optional public-link challenge: the question and a signed token
/// `a.b.minute.signature`, valid for 60 minutes. It stops naive scripts, not a determined
/// attacker (a solved token can be replayed within the hour; the per-client limit still holds).
pub(super) fn challenge() -> (u32, u32, String) {
    let r = store::random_bytes::<2>();
    let (a, b) = (u32::from(r[0] % 9) + 1, u32::from(r[1] % 9) + 1);
    let minute = webkit::now() / 60;
    let sig = hex::encode(
        &crate::seal::hmac(
            start_key(),
            &[format!("challenge.{a}.{b}.{minute}").as_bytes()],
        )[..10],
    );
    (a, b, format!("{a}.{b}.{minute}.{sig}"))
}

pub(super) fn challenge_ok(token: &str, answer: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    let [a, b, minute, sig] = parts.as_slice() else {
        return false;
    };
    let (Ok(na), Ok(nb), Ok(m)) = (a.parse::<u32>(), b.parse::<u32>(), minute.parse::<i64>())
    else {
        return false;
    };
    let want = hex::encode(
        &crate::seal::hmac(
            start_key(),
            &[format!("challenge.{na}.{nb}.{m}").as_bytes()],
        )[..10],
    );
    let fresh = (0..=60).contains(&(webkit::now() / 60 - m));
    want == *sig && fresh && answer.trim().parse::<u32>().ok() == Some(na + nb)
}

/// The URL secret of a fresh public start.
pub(super) fn signed_start(public: &str, resume: &str) -> String {
    format!("{public}.{resume}.{}", start_signature(public, resume))
}

/// The code a respondent writes down: the resume part of a public start.
pub(super) fn shown_code(secret: &str) -> &str {
    secret.split('.').nth(1).unwrap_or(secret)
}

pub(super) fn access(kind: &str, secret: &str) -> Result<RAccess, AppError> {
    match kind {
        "i" => Ok(RAccess::Invitation(secret.to_owned())),
        "l" => Ok(RAccess::Letter(secret.to_owned())),
        "d" => {
            let parts: Vec<&str> = secret.split('.').collect();
            match parts.as_slice() {
                [_] => Ok(RAccess::Public(secret.to_owned())),
                [public, resume, sig] if start_signature(public, resume) == *sig => {
                    Ok(RAccess::Public(format!("{public}.{resume}")))
                }
                _ => Err(AppError::not_found()),
            }
        }
        _ => Err(AppError::not_found()),
    }
}

pub(super) fn respondent_error(ctx: &Ctx, e: AppError) -> Response {
    if e.status == StatusCode::CONFLICT || e.status == StatusCode::NOT_FOUND {
        let msg = if e.status == StatusCode::NOT_FOUND {
            "Deze link of code kennen we niet. Controleer of u hem goed heeft overgenomen. Was u al begonnen en is de vragenlijst inmiddels gesloten? Dan zijn antwoorden die nog niet verstuurd waren, gewist."
                .to_owned()
        } else {
            e.message.clone()
        };
        let body = rpage(
            ctx,
            None,
            "Vragenlijst",
            html! { h1 { "Vragenlijst" } div.notice role="status" { p { (msg) } } p { a href="/vragenlijst/code" { "Een code invullen" } } },
        );
        (e.status, body).into_response()
    } else {
        e.into_response()
    }
}

pub(super) fn intro(ctx: &Ctx, look: &Look, parts: usize, start: &Markup) -> Markup {
    rpage(
        ctx,
        Some(look),
        "Quick Scan Lokale Democratie",
        html! {
            h1 { "Wat vindt u van de democratie in " (look.name) "?" }
            p { (fill("{Overheid} wil weten hoe inwoners, raad, college en ambtenaren denken over meedoen, invloed, informatie en vertrouwen.", look.kind, QLang::Nl)) }
            ul {
                li { "Het invullen duurt ongeveer 15 minuten. Er zijn " (parts) " onderdelen." }
                li { "Er zijn geen goede of foute antwoorden. Alle vragen zijn vrijwillig." }
                li { "U kunt tussendoor opslaan en later verder gaan." }
                li { "Uw antwoorden zijn anoniem: we bewaren geen naam, e-mailadres, IP-adres of tijdstip bij uw antwoorden." }
            }
            (start)
        },
    )
}

/// The message for a scan that is not open (or no longer).
pub(super) fn not_open(s: &store::Scan) -> String {
    match (s.status, s.closed_on) {
        (ScanStatus::Concept, _) => "De vragenlijst is nog niet open.".into(),
        (_, Some(d)) => format!(
            "Deze vragenlijst is gesloten op {}.",
            super::letters::long_date(d)
        ),
        _ => "Deze vragenlijst is gesloten.".into(),
    }
}

pub(super) async fn public_intro(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path(code): Path<String>,
) -> Result<Markup, AppError> {
    let (s, l, parts) = db(&st, move |c| {
        let s = store::scan_by_public_code(c, &code)?;
        let l = look(c, &s.org_id, Some(s.id))?;
        let parts = steps(&store::scan_questionnaire(c, &s)?);
        Ok((s, l, parts))
    })
    .await?;
    let start = if s.status == ScanStatus::Open {
        let sum = sh.public_challenge.then(challenge);
        html! { form method="post" action={"/vragenlijst/p/" (s.public_code)} {
            (csrf_field(&ctx))
            @if let Some((a, b, token)) = &sum {
                input type="hidden" name="uitdaging" value=(token);
                div.field { label for="som" { "Om misbruik te voorkomen: hoeveel is " (a) " plus " (b) "? Vul het antwoord in cijfers in." }
                    input #som name="som" type="text" inputmode="numeric" autocomplete="off" aria-required="true" required; }
            }
            button.button type="submit" { "Beginnen" }
        } p { "Heeft u al een code? " a href="/vragenlijst/code" { "Vul uw code in" } } }
    } else {
        html! { div.notice role="status" { p { (not_open(&s)) } } }
    };
    Ok(intro(&ctx, &l, parts, &start))
}

/// A client, for rate limits: a hash of its address (IPv6: its /64) with a key that exists
/// only in this process's memory. Addresses are never stored or logged. Without a peer
/// address (behind some proxies, in tests) all clients share one key.
pub(super) fn client_key(ext: &axum::http::Extensions) -> String {
    static SALT: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let salt = SALT.get_or_init(store::random_bytes::<32>);
    // webkit's server puts the peer in the extensions; its key folds IPv6 to the /64
    let ip = ext
        .get::<webkit::ClientAddr>()
        .map(|c| match webkit::client_key(c.0) {
            std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
            std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
        })
        .unwrap_or_default();
    hex::encode(&crate::seal::hmac(salt, &[&ip])[..8])
}

pub(super) async fn public_start(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    ext: axum::http::Extensions,
    Path(code): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    // per client, so that one client cannot lock others out
    if !sh
        .limiter
        .allow(&format!("start:{}", client_key(&ext)), sh.public_per_minute)
    {
        return (StatusCode::TOO_MANY_REQUESTS, rpage(&ctx, None, "Even geduld", html! { h1 { "Even geduld" } p { "U bent in korte tijd heel vaak begonnen. Probeer het over een minuut opnieuw." } })).into_response();
    }
    if sh.public_challenge && !challenge_ok(field(&f, "uitdaging"), field(&f, "som")) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            rpage(
                &ctx,
                None,
                "Controle",
                html! { h1 { "Dat antwoord klopt niet" } p { "Reken de som opnieuw uit en probeer het nog eens." } p { a href={"/vragenlijst/p/" (code)} { "Terug naar het begin" } } },
            ),
        )
            .into_response();
    }
    let public = code.clone();
    match db(&st, move |c| store::start_public(c, &code, Day::today())).await {
        Ok((resume, _)) => Redirect::to(&format!(
            "/vragenlijst/d/{}/stap/1",
            signed_start(&public, &resume)
        ))
        .into_response(),
        Err(e) => respondent_error(&ctx, e),
    }
}

pub(super) async fn invitation_intro(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    let t = token.clone();
    let r = db(&st, move |c| {
        let inv = store::invitation_by_token(c, &t)?;
        let s = store::scan(c, inv.scan_id)?;
        // the status may still wait in a batch: the link's own spent mark says it is used
        let used = store::is_used(c, &RAccess::Invitation(t.clone()))?;
        let parts = steps(&store::scan_questionnaire(c, &s)?);
        Ok((look(c, &s.org_id, Some(s.id))?, used, parts, s))
    })
    .await;
    match r {
        Ok((l, false, parts, s)) if s.status != ScanStatus::Open => intro(
            &ctx,
            &l,
            parts,
            &html! { div.notice role="status" { p { (not_open(&s)) } } },
        )
        .into_response(),
        Ok((l, false, parts, _)) => intro(
            &ctx,
            &l,
            parts,
            &html! { p { a.button href={"/vragenlijst/i/" (token) "/stap/1"} { "Beginnen" } } },
        )
        .into_response(),
        Ok(_) => respondent_error(
            &ctx,
            AppError::new(
                StatusCode::CONFLICT,
                "U heeft de vragenlijst al ingevuld. Bedankt!",
            ),
        ),
        Err(e) => respondent_error(&ctx, e),
    }
}

pub(super) async fn code_form(ctx: Ctx) -> Markup {
    rpage(
        &ctx,
        None,
        "Code invullen",
        html! {
            h1 { "Code invullen" }
            p { "Heeft u een brief met een code gekregen, of een code om verder te gaan? Vul die hier in." }
            form method="post" action="/vragenlijst/code" {
                (csrf_field(&ctx))
                div.field { label for="code" { "Uw code" } p.hint id="code-hint" { "Bijvoorbeeld ABCD-EFGH-JKLM. Hoofdletters en streepjes zijn niet nodig." }
                    input #code name="code" type="text" autocomplete="off" aria-describedby="code-hint" aria-required="true"; }
                button.button type="submit" { "Verder" }
            }
        },
    )
}

pub(super) async fn code_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<Fields>,
) -> Response {
    let code = store::normalize_code(field(&f, "code"));
    if code.len() != 12 {
        return respondent_error(&ctx, AppError::not_found());
    }
    let pretty = format!("{}-{}-{}", &code[0..4], &code[4..8], &code[8..12]);
    let p2 = pretty.clone();
    let r = db(&st, move |c| {
        let today = Day::today();
        if store::open_session(c, &RAccess::Public(p2.clone()), today).is_ok() {
            return Ok("d");
        }
        store::open_session(c, &RAccess::Letter(p2), today).map(|_| "l")
    })
    .await;
    match r {
        Ok(kind) => Redirect::to(&format!("/vragenlijst/{kind}/{pretty}/stap/1")).into_response(),
        Err(e) => respondent_error(&ctx, e),
    }
}

pub(super) fn steps(q: &Questionnaire) -> usize {
    q.themes.len()
}

pub(super) async fn load_session(
    st: &AppState,
    acc: RAccess,
) -> Result<(store::Session, Questionnaire, Look), AppError> {
    db(st, move |c| {
        let s = store::open_session(c, &acc, Day::today())?;
        let q = store::scan_questionnaire(c, &s.scan)?;
        let l = look(c, &s.scan.org_id, Some(s.scan.id))?;
        Ok((s, q, l))
    })
    .await
}

pub(super) async fn step_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((kind, secret, step)): Path<(String, String, usize)>,
) -> Response {
    let acc = match access(&kind, &secret) {
        Ok(a) => a,
        Err(e) => return respondent_error(&ctx, e),
    };
    match load_session(&st, acc).await {
        Ok((s, q, l)) => step_markup(&ctx, &kind, &secret, step, &s, &q, &l, None).into_response(),
        Err(e) => respondent_error(&ctx, e),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn step_markup(
    ctx: &Ctx,
    kind: &str,
    secret: &str,
    step: usize,
    s: &store::Session,
    q: &Questionnaire,
    look: &Look,
    error: Option<&str>,
) -> Response {
    let ok = look.kind;
    let n = steps(q);
    if step == 0 || step > n {
        return AppError::not_found().into_response();
    }
    let theme = &q.themes[step - 1];
    let title = fill(&theme.title.nl, ok, QLang::Nl);
    let base = format!("/vragenlijst/{kind}/{secret}");
    let page_title = format!("Stap {step} van {n}: {title}");
    rpage(ctx, Some(look), &page_title, html! {
        (style())
        p.qs-steps { "Stap " (step) " van " (n) }
        h1 { (title) }
        p { (fill(&theme.intro.nl, ok, QLang::Nl)) }
        @if let Some(e) = error {
            div.error-summary role="alert" tabindex="-1" { h2 { "Er ging iets mis" } p { (e) } }
        }
        form method="post" action={(base) "/stap/" (step)} {
            (csrf_field(ctx))
            @for it in &theme.items { (item_input(q, it, s.group, ok, s.answers.get(&it.key))) }
            div.qs-buttons {
                @if step > 1 { button.button.secondary type="submit" name="ga" value="vorige" { "Vorige stap" } }
                button.button type="submit" name="ga" value="volgende" { @if step < n { "Volgende stap" } @else { "Naar de controle" } }
                button.button.secondary type="submit" name="ga" value="opslaan" { "Opslaan en later verder" }
            }
        }
        p { "Vragenlijst van " (look.name) ". Uw antwoorden zijn anoniem." }
    })
    .into_response()
}

pub(super) async fn step_save(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path((kind, secret, step)): Path<(String, String, usize)>,
    Form(f): Form<Fields>,
) -> Response {
    let acc = match access(&kind, &secret) {
        Ok(a) => a,
        Err(e) => return respondent_error(&ctx, e),
    };
    // One database round: open the session, read this step's answers, save the draft.
    let f2 = f.clone();
    let saved = db(&st, move |c| {
        let s = store::open_session(c, &acc, Day::today())?;
        let q = store::scan_questionnaire(c, &s.scan)?;
        let l = look(c, &s.scan.org_id, Some(s.scan.id))?;
        let Some(theme) = step.checked_sub(1).and_then(|i| q.themes.get(i)) else {
            return Ok(Err(None));
        };
        let keys: Vec<String> = theme.items.iter().map(|i| i.key.clone()).collect();
        let (answers, cleared) = parse_answers(&q, &keys, &f2);
        match store::save_draft_in(c, &acc, s.clone(), &q, &answers, &cleared, Day::today()) {
            Ok(_) => Ok(Ok((steps(&q), l))),
            Err(store::Error::Invalid(m)) => Ok(Err(Some((s, q, l, m)))),
            Err(e) => Err(e),
        }
    })
    .await;
    let (n, l) = match saved {
        Ok(Ok(v)) => v,
        Ok(Err(None)) => return AppError::not_found().into_response(),
        Ok(Err(Some((s, q, l, message)))) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                step_markup(&ctx, &kind, &secret, step, &s, &q, &l, Some(&message)),
            )
                .into_response();
        }
        Err(e) => return respondent_error(&ctx, e),
    };
    let base = format!("/vragenlijst/{kind}/{secret}");
    match field(&f, "ga") {
        "vorige" => {
            Redirect::to(&format!("{base}/stap/{}", step.saturating_sub(1).max(1))).into_response()
        }
        "opslaan" => rpage(
            &ctx,
            Some(&l),
            "Opgeslagen",
            html! {
                (style())
                h1 { "Uw antwoorden zijn opgeslagen" }
                @if kind == "i" {
                    p { "Ga later verder met de link uit uw e-mail." }
                } @else {
                    p { "Ga later verder met deze code op " strong { (super::letters::shown_url(&sh, "/vragenlijst/code")) } ":" }
                    p.qs-code { (shown_code(&secret)) }
                    p { "Schrijf de code op. Wij kunnen hem niet voor u terugvinden." }
                }
                p { "Opgeslagen antwoorden worden gewist als de vragenlijst sluit." }
                p { a href={(base) "/stap/" (step)} { "Toch nu verder gaan" } }
            },
        )
        .into_response(),
        _ if step < n => Redirect::to(&format!("{base}/stap/{}", step + 1)).into_response(),
        _ => Redirect::to(&format!("{base}/controle")).into_response(),
    }
}

pub(super) async fn summary_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((kind, secret)): Path<(String, String)>,
) -> Response {
    let acc = match access(&kind, &secret) {
        Ok(a) => a,
        Err(e) => return respondent_error(&ctx, e),
    };
    let (s, q, l) = match load_session(&st, acc).await {
        Ok(v) => v,
        Err(e) => return respondent_error(&ctx, e),
    };
    let base = format!("/vragenlijst/{kind}/{secret}");
    let ok = l.kind;
    rpage(&ctx, Some(&l), "Controleren en versturen", html! {
        h1 { "Controleren en versturen" }
        p { "Kijk uw antwoorden na. Wilt u iets veranderen? Kies dan ‘Wijzigen’. Uw antwoorden zijn pas verstuurd als u op ‘Versturen’ drukt." }
        @for (i, t) in q.themes.iter().enumerate() {
            h2 { (fill(&t.title.nl, ok, QLang::Nl)) }
            dl {
                @for it in &t.items {
                    dt { (fill(&it.wording(s.group).nl, ok, QLang::Nl)) }
                    dd { (s.answers.get(&it.key).map_or_else(|| "Niet beantwoord".to_owned(), |v| answer_text(&q, &it.key, v, ok))) }
                }
            }
            p { a href={(base) "/stap/" (i + 1)} { "Wijzigen: " (fill(&t.title.nl, ok, QLang::Nl)) } }
        }
        form method="post" action={(base) "/versturen"} {
            (csrf_field(&ctx))
            button.button type="submit" { "Versturen" }
        }
    })
    .into_response()
}

pub(super) async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((kind, secret)): Path<(String, String)>,
) -> Response {
    let acc = match access(&kind, &secret) {
        Ok(a) => a,
        Err(e) => return respondent_error(&ctx, e),
    };
    let r = db(&st, move |c| {
        store::submit_draft_in_scan(c, &acc, Day::today())
    })
    .await;
    match r {
        Ok(scan) => Redirect::to(&format!("/vragenlijst/bedankt/{scan}")).into_response(),
        Err(e) => respondent_error(&ctx, e),
    }
}

/// The thanks page after sending. With the scan's number (`/vragenlijst/bedankt/SCAN`) it is
/// in the organisation's look; the number says nothing about the respondent.
pub(super) async fn thanks_in_scan(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(scan): Path<i64>,
) -> Result<Markup, AppError> {
    let l = db(&st, move |c| {
        let s = store::scan(c, scan)?;
        look(c, &s.org_id, Some(s.id))
    })
    .await?;
    Ok(thanks_markup(&ctx, Some(&l)))
}

pub(super) async fn thanks(ctx: Ctx) -> Markup {
    thanks_markup(&ctx, None)
}

fn thanks_markup(ctx: &Ctx, l: Option<&Look>) -> Markup {
    rpage(
        ctx,
        l,
        "Bedankt",
        html! {
            h1 { "Bedankt voor uw antwoorden!" }
            p { "Uw antwoorden zijn verstuurd. Ze worden anoniem verwerkt in een rapport. De uitkomsten worden besproken door raad, college, ambtenaren en inwoners." }
        },
    )
}
