//! Respondent pages: intro, start, steps, summary, submission.

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, IntoResponse, Markup, OrgKind, Path, QLang,
    Questionnaire, RAccess, Redirect, Response, ScanStatus, Shared, State, StatusCode, answer_text,
    csrf_field, db, field, fill, html, item_input, page, parse_answers, store, style,
};

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
            "Deze link of code kennen we niet. Controleer of u hem goed heeft overgenomen."
                .to_owned()
        } else {
            e.message.clone()
        };
        let body = page(
            ctx,
            "Vragenlijst",
            html! { h1 { "Vragenlijst" } div.notice role="status" { p { (msg) } } p { a href="/vragenlijst/code" { "Een code invullen" } } },
        );
        (e.status, body).into_response()
    } else {
        e.into_response()
    }
}

pub(super) fn intro(ctx: &Ctx, org_name: &str, kind: OrgKind, start: &Markup) -> Markup {
    page(
        ctx,
        "Quick Scan Lokale Democratie",
        html! {
            h1 { "Wat vindt u van de democratie in " (org_name) "?" }
            p { (fill("{Overheid} wil weten hoe inwoners, raad, college en ambtenaren denken over meedoen, invloed, informatie en vertrouwen.", kind, QLang::Nl)) }
            ul {
                li { "Het invullen duurt ongeveer 15 minuten. Er zijn 7 onderdelen." }
                li { "Er zijn geen goede of foute antwoorden. Alle vragen zijn vrijwillig." }
                li { "U kunt tussendoor opslaan en later verder gaan." }
                li { "Uw antwoorden zijn anoniem: we bewaren geen naam, e-mailadres, IP-adres of tijdstip bij uw antwoorden." }
            }
            (start)
        },
    )
}

pub(super) async fn public_intro(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path(code): Path<String>,
) -> Result<Markup, AppError> {
    let (s, o) = db(&st, move |c| {
        let s = store::scan_by_public_code(c, &code)?;
        let o = store::org(c, &s.org_id)?;
        Ok((s, o))
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
        html! { div.notice role="status" { p { "De vragenlijst is nu niet open." } } }
    };
    Ok(intro(&ctx, &o.name, o.kind, &start))
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
        return (StatusCode::TOO_MANY_REQUESTS, page(&ctx, "Even geduld", html! { h1 { "Even geduld" } p { "U bent in korte tijd heel vaak begonnen. Probeer het over een minuut opnieuw." } })).into_response();
    }
    if sh.public_challenge && !challenge_ok(field(&f, "uitdaging"), field(&f, "som")) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &ctx,
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
        Ok((store::org(c, &s.org_id)?, used))
    })
    .await;
    match r {
        Ok((o, false)) => intro(
            &ctx,
            &o.name,
            o.kind,
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
    page(
        &ctx,
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
) -> Result<(store::Session, Questionnaire, OrgKind, String), AppError> {
    db(st, move |c| {
        let s = store::open_session(c, &acc, Day::today())?;
        let q = store::scan_questionnaire(c, &s.scan)?;
        let o = store::org(c, &s.scan.org_id)?;
        Ok((s, q, o.kind, o.name))
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
        Ok((s, q, ok, name)) => {
            step_markup(&ctx, &kind, &secret, step, &s, &q, ok, &name, None).into_response()
        }
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
    ok: OrgKind,
    org_name: &str,
    error: Option<&str>,
) -> Response {
    let n = steps(q);
    if step == 0 || step > n {
        return AppError::not_found().into_response();
    }
    let theme = &q.themes[step - 1];
    let title = fill(&theme.title.nl, ok, QLang::Nl);
    let base = format!("/vragenlijst/{kind}/{secret}");
    let page_title = format!("Stap {step} van {n}: {title}");
    page(ctx, &page_title, html! {
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
        p { "Vragenlijst van " (org_name) ". Uw antwoorden zijn anoniem." }
    })
    .into_response()
}

pub(super) async fn step_save(
    State(st): State<AppState>,
    ctx: Ctx,
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
        let o = store::org(c, &s.scan.org_id)?;
        let Some(theme) = step.checked_sub(1).and_then(|i| q.themes.get(i)) else {
            return Ok(Err(None));
        };
        let keys: Vec<String> = theme.items.iter().map(|i| i.key.clone()).collect();
        let (answers, cleared) = parse_answers(&q, &keys, &f2);
        match store::save_draft_in(c, &acc, s.clone(), &q, &answers, &cleared, Day::today()) {
            Ok(_) => Ok(Ok(steps(&q))),
            Err(store::Error::Invalid(m)) => Ok(Err(Some((s, q, o.kind, o.name, m)))),
            Err(e) => Err(e),
        }
    })
    .await;
    let n = match saved {
        Ok(Ok(n)) => n,
        Ok(Err(None)) => return AppError::not_found().into_response(),
        Ok(Err(Some((s, q, ok, name, message)))) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                step_markup(
                    &ctx,
                    &kind,
                    &secret,
                    step,
                    &s,
                    &q,
                    ok,
                    &name,
                    Some(&message),
                ),
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
        "opslaan" => page(
            &ctx,
            "Opgeslagen",
            html! {
                (style())
                h1 { "Uw antwoorden zijn opgeslagen" }
                @if kind == "i" {
                    p { "Ga later verder met de link uit uw e-mail." }
                } @else {
                    p { "Ga later verder met deze code op " strong { "/vragenlijst/code" } ":" }
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
    let (s, q, ok, _) = match load_session(&st, acc).await {
        Ok(v) => v,
        Err(e) => return respondent_error(&ctx, e),
    };
    let base = format!("/vragenlijst/{kind}/{secret}");
    page(&ctx, "Controleren en versturen", html! {
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
    let r = db(&st, move |c| store::submit_draft(c, &acc, Day::today())).await;
    match r {
        Ok(()) => Redirect::to("/vragenlijst/bedankt").into_response(),
        Err(e) => respondent_error(&ctx, e),
    }
}

pub(super) async fn thanks(ctx: Ctx) -> Markup {
    page(
        &ctx,
        "Bedankt",
        html! {
            h1 { "Bedankt voor uw antwoorden!" }
            p { "Uw antwoorden zijn verstuurd. Ze worden anoniem verwerkt in een rapport. De uitkomsten worden besproken door raad, college, ambtenaren en inwoners." }
        },
    )
}
