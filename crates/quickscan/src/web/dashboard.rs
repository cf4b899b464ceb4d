//! The scan dashboard: settings, respondents, invitations, letters, outbox.

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Group, ItemKind, Markup, Path, QLang, READ_SCAN,
    Redirect, Role, ScanStatus, Shared, State, actor, audit_scan, back, csrf_field, field, header,
    html, mail, on_scan, page, require, store, style, user,
};

pub(super) async fn scan_page(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_SCAN)?;
    let trekker = user(&ctx)?.has_role_in(Role::Trekker, &org);
    let (s, o, custom, invs, mon, locked, plan) = on_scan(&st, &org, scan, move |c, s| {
        Ok((
            s.clone(),
            store::org(c, &s.org_id)?,
            store::custom_items(c, scan)?,
            store::invitations(c, scan)?,
            store::monitor(c, scan)?,
            store::is_locked(c, scan)?,
            super::schedule::plan_view(c, &s)?,
        ))
    })
    .await?;
    let base = format!("/qs/{org}/scans/{scan}");
    let label = |g: Group| g.label(o.kind, QLang::Nl);
    Ok(page(
        &ctx,
        &s.title,
        html! {
            (style())
            h1 { (s.title) }
            (super::letters::public_url_warning(&sh))
            p { "Status: " strong { (s.status.label_nl()) } " · " (s.wave.as_str()) " · " (o.name) }
            @if trekker {
                @if let Some(next) = s.status.next().filter(|n| *n != ScanStatus::Report) {
                    form method="post" action={(base) "/status"} {
                        (csrf_field(&ctx))
                        input type="hidden" name="to" value=(next.as_str());
                        button.button type="submit" { (match next {
                            ScanStatus::Open => "Vragenlijst openen",
                            ScanStatus::Closed => "Vragenlijst sluiten",
                            ScanStatus::Report => "Rapport vaststellen",
                            _ => "Verbeteragenda starten",
                        }) }
                    }
                }
            }
            (super::paper::dashboard_links(&ctx, &org, &s))
            @if s.status.is_closed() && (trekker || s.status >= ScanStatus::Report) {
                p { a href={(base) "/rapport"} { "Rapport bekijken" } " · " a href={(base) "/agenda"} { "Verbeteragenda" } }
            }
            (super::review::dashboard_section(trekker, &base, &s))
            (super::schedule::plan_section(&base, &plan, trekker, sh.public_url.is_some()))
            h2 #respons { "Respons" }
            div.table-wrap role="region" aria-label="Respons per groep" tabindex="0" { table.data { caption { "Respons per groep" }
                thead { tr { th scope="col" { "Groep" } th scope="col" { "Uitgenodigd" } th scope="col" { "Begonnen" } th scope="col" { "Klaar" } th scope="col" { "Waarvan papier" } } }
                tbody { @for (g, p) in &mon.groups { tr { th scope="row" { (label(*g)) } td { (p.invited) } td { (p.started) } td { (p.finished) } td { (p.paper) } } } }
            } }
            @if !mon.days.is_empty() {
                div.table-wrap role="region" aria-label="Per dag" tabindex="0" { table.data { caption { "Per dag" }
                    thead { tr { th scope="col" { "Dag" } th scope="col" { "Groep" } th scope="col" { "Begonnen" } th scope="col" { "Klaar" } } }
                    tbody { @for ((d, g), (a, b)) in &mon.days { tr { td { (d) } td { (label(*g)) } td { (a) } td { (b) } } } }
                } }
            }
            h2 { "Links" }
            p { "Publieke link voor inwoners: " code { (super::letters::shown_url(&sh, &format!("/vragenlijst/p/{}", s.public_code))) } }
            p { "Inwoners met een briefcode of bewaarcode gaan naar " code { (super::letters::shown_url(&sh, "/vragenlijst/code")) } "." }
            @if trekker {
                h2 #maatwerk { "Eigen vragen (maatwerk)" }
                p { "U kunt hoogstens 4 eigen vragen toevoegen. Zodra er antwoorden zijn, liggen de vragen vast." }
                ol { @for it in &custom {
                    li { (it.text.nl) " "
                        @if !locked { form method="post" action={(base) "/maatwerk/" (it.key) "/verwijderen"} { (csrf_field(&ctx)) button.button.secondary type="submit" { "Verwijder vraag: " (it.text.nl) } } }
                    }
                } }
                @if !locked && custom.len() < 4 && s.status <= ScanStatus::Open {
                    form method="post" action={(base) "/maatwerk"} {
                        (csrf_field(&ctx))
                        div.field { label for="mw-nl" { "Vraag (Nederlands, B1)" } input #mw-nl name="text_nl" type="text" aria-required="true"; }
                        div.field { label for="mw-en" { "Vraag in het Engels (optioneel)" } input #mw-en name="text_en" type="text"; }
                        fieldset { legend { "Soort antwoord" }
                            div.radio { input #mk-s type="radio" name="kind" value="scale" checked; label for="mk-s" { "Eens/oneens (5 punten, met ‘weet niet’)" } }
                            div.radio { input #mk-o type="radio" name="kind" value="open"; label for="mk-o" { "Open antwoord" } }
                            div.radio { input #mk-c type="radio" name="kind" value="choice"; label for="mk-c" { "Keuze uit antwoorden" } }
                        }
                        div.field { label for="mw-opt" { "Antwoorden bij een keuzevraag (één per regel, optioneel)" } textarea #mw-opt name="options" rows="3" {} }
                        button.button type="submit" { "Vraag toevoegen" }
                    }
                }
                h2 #respondenten { "Respondenten" }
                @if !s.status.is_closed() {
                    form method="post" enctype="multipart/form-data" action=(webkit::layout::multipart_action(&ctx, &format!("{base}/respondenten"))) {
                        p #csv-hint { "Een CSV-bestand met per regel naam, e-mailadres en groep (raad, college of ambtenaren). Scheidingsteken komma of puntkomma; een kopregel mag." }
                        div.field { label.field-label for="bestand" { "CSV-bestand met respondenten" }
                            input.input #bestand name="bestand" type="file" accept=".csv,text/csv,text/plain" aria-describedby="csv-hint"; }
                        div.field { label.field-label for="csv" { "Of plak de regels hier (optioneel)" }
                            textarea.input #csv name="csv" rows="4" aria-describedby="csv-hint" {} }
                        button.button type="submit" { "Respondenten toevoegen" }
                    }
                    div.qs-noprint {
                        form method="post" action={(base) "/uitnodigen"} { (csrf_field(&ctx)) button.button type="submit" { "Uitnodigingen versturen" } }
                        form method="post" action={(base) "/herinneren"} { (csrf_field(&ctx)) button.button.secondary type="submit" { "Herinnering sturen aan wie nog niet klaar is" } }
                        form method="post" action={(base) "/briefcodes"} { (csrf_field(&ctx))
                            div.field { label for="n-codes" { "Aantal brieven ‘aan de bewoners van dit adres’" } input #n-codes name="n" type="number" min="1" max="20000" value="10"; }
                            button.button.secondary type="submit" { "Brieven met codes maken" } }
                        p { a href={(base) "/papier"} { "Papieren vragenlijst invoeren" } " · " a href={(base) "/outbox"} { "Verstuurde e-mail (ontwikkelmodus)" } }
                    }
                }
                div.table-wrap role="region" aria-label="Uitgenodigde personen" tabindex="0" { table.data { caption { "Uitgenodigde personen" }
                    thead { tr { th scope="col" { "Naam" } th scope="col" { "E-mail" } th scope="col" { "Groep" } th scope="col" { "Status" } th scope="col" { "Mails" } th scope="col" { "Actie" } } }
                    tbody { @for i in &invs { tr {
                        td { (i.name.clone().unwrap_or_else(|| "(gewist)".into())) }
                        td { (i.email.clone().unwrap_or_default()) }
                        td { (label(i.group)) }
                        td { (i.status.label_nl()) }
                        td { (i.mails_sent) }
                        td { @if i.email.is_some() { form method="post" action={(base) "/respondenten/" (i.id) "/vergeten"} { (csrf_field(&ctx)) button.button.secondary type="submit" { "Gegevens wissen van " (i.name.clone().unwrap_or_default()) } } } }
                    } } }
                } }
                h2 { "Instellingen" }
                form method="post" action={(base) "/instellingen"} {
                    (csrf_field(&ctx))
                    div.field { label for="min" { "Kleinste groep die apart getoond wordt (minstens 5 mensen die zelf invulden)" } input #min name="min_group" type="number" min="5" max="1000" value=(s.min_group); }
                    div.field { label for="ret" { "Namen en e-mailadressen wissen na (dagen na sluiten)" } input #ret name="retention_days" type="number" min="1" value=(s.retention_days); }
                    button.button type="submit" { "Opslaan" }
                }
            } @else {
                p { "U kunt de voortgang bekijken. Alleen de trekker kan de scan wijzigen." }
            }
        },
    ))
}

macro_rules! scan_action {
    ($name:ident, |$c:ident, $s:ident, $f:ident, $actor:ident| $body:block, $anchor:expr) => {
        pub(super) async fn $name(
            State(st): State<AppState>,
            ctx: Ctx,
            Path((org, scan)): Path<(String, i64)>,
            Form($f): Form<Fields>,
        ) -> Result<Redirect, AppError> {
            let $actor = actor(&ctx);
            on_scan(&st, &org, scan, move |$c, $s| $body).await?;
            Ok(back(&org, scan, $anchor))
        }
    };
}

scan_action!(
    advance,
    |c, s, f, a| {
        let to = ScanStatus::parse(field(&f, "to"))
            .ok_or(store::Error::Invalid("Onbekende status.".into()))?;
        if to == ScanStatus::Report {
            return Err(store::Error::State(
                "Stel het rapport vast met ‘Rapport vaststellen’ (met bevestiging).".into(),
            ));
        }
        store::advance(c, s.id, to, Day::today())?;
        audit_scan(c, &a, &s, "status gewijzigd", to.as_str())
    },
    ""
);

scan_action!(
    settings,
    |c, s, f, a| {
        let min = field(&f, "min_group")
            .parse()
            .map_err(|_| store::Error::Invalid("Vul een getal in.".into()))?;
        let ret = field(&f, "retention_days")
            .parse()
            .map_err(|_| store::Error::Invalid("Vul een getal in.".into()))?;
        store::set_settings(c, s.id, min, ret)?;
        audit_scan(
            c,
            &a,
            &s,
            "instellingen gewijzigd",
            &format!("kleinste groep {min}, bewaren {ret} dagen"),
        )
    },
    ""
);

scan_action!(
    add_custom,
    |c, s, f, a| {
        let kind = match field(&f, "kind") {
            "open" => ItemKind::Open,
            "choice" => ItemKind::Choice {
                options: field(&f, "options")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| crate::model::Text::new(l, l))
                    .collect(),
            },
            _ => ItemKind::Scale {
                scale: "eens5".into(),
            },
        };
        let key =
            store::add_custom_item(c, s.id, field(&f, "text_nl"), field(&f, "text_en"), kind)?;
        audit_scan(c, &a, &s, "maatwerkvraag toegevoegd", &key)
    },
    "#maatwerk"
);

/// Reads the respondents' CSV from the upload form: the file (`bestand`) if one was chosen,
/// else the pasted text (`csv`). Accepts `multipart/form-data` (the page's form) and
/// `application/x-www-form-urlencoded` (paste only; scripts and tests).
pub(super) async fn upload_text(
    st: &AppState,
    req: axum::extract::Request,
) -> Result<String, AppError> {
    use axum::extract::FromRequest;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(f) = Form::<Fields>::from_request(req, st)
            .await
            .map_err(|e| AppError::bad_request(e.body_text()))?;
        return Ok(field(&f, "csv").to_owned());
    }
    let bad = |e: axum::extract::multipart::MultipartError| AppError::bad_request(e.body_text());
    let mut mp = axum::extract::Multipart::from_request(req, st)
        .await
        .map_err(|e| AppError::bad_request(e.body_text()))?;
    let (mut file, mut pasted) = (String::new(), String::new());
    while let Some(part) = mp.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or("").to_owned();
        let bytes = part.bytes().await.map_err(bad)?;
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
            AppError::bad_request("Het bestand is geen tekst in UTF-8. Sla het op als ‘CSV UTF-8’.")
        })?;
        match name.as_str() {
            "bestand" => file = text,
            "csv" => pasted = text,
            _ => {}
        }
    }
    Ok(if file.trim().is_empty() { pasted } else { file })
}

pub(super) async fn remove_custom(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, key)): Path<(String, i64, String)>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        store::remove_custom_item(c, s.id, &key)?;
        audit_scan(c, &a, &s, "maatwerkvraag verwijderd", &key)
    })
    .await?;
    Ok(back(&org, scan, "#maatwerk"))
}

pub(super) async fn forget(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, inv)): Path<(String, i64, i64)>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        store::forget_invitation(c, s.id, inv)?;
        audit_scan(
            c,
            &a,
            &s,
            "persoonsgegevens gewist op verzoek",
            &format!("uitnodiging {inv}"),
        )
    })
    .await?;
    Ok(back(&org, scan, "#respondenten"))
}

pub(super) async fn send_mail(
    st: AppState,
    ctx: Ctx,
    org: String,
    scan: i64,
    shared: Shared,
    reminder: bool,
) -> Result<Markup, AppError> {
    let a = actor(&ctx);
    let sent = on_scan(&st, &org, scan, move |c, s| {
        if s.status != ScanStatus::Open {
            return Err(store::Error::State("Open eerst de vragenlijst.".into()));
        }
        let url = shared.public_url.as_ref().ok_or_else(|| {
            store::Error::State(format!(
                "{} {}",
                crate::links::UNSET_WARNING,
                crate::links::UNSET_HELP
            ))
        })?;
        let r = mail::send_invitations(c, &shared.mail, s.id, url.as_str(), reminder)?;
        audit_scan(
            c,
            &a,
            &s,
            if reminder {
                "herinneringen verstuurd"
            } else {
                "uitnodigingen verstuurd"
            },
            &format!("{} verstuurd, {} mislukt", r.sent, r.failed),
        )?;
        Ok(r)
    })
    .await?;
    Ok(page(
        &ctx,
        "E-mail verstuurd",
        html! {
            h1 { @if reminder { "Herinneringen verstuurd" } @else { "Uitnodigingen verstuurd" } }
            div.notice role="status" { p { (sent.sent) " verstuurd, " (sent.failed) " mislukt." } }
            p { a href={"/qs/" (org) "/scans/" (scan)} { "Terug naar de scan" } }
        },
    ))
}

pub(super) async fn invite(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    send_mail(st, ctx, org, scan, sh, false).await
}

pub(super) async fn remind(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    send_mail(st, ctx, org, scan, sh, true).await
}

pub(super) async fn outbox_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, &[Role::Trekker])?;
    let mails = on_scan(&st, &org, scan, move |c, _| store::outbox(c, scan)).await?;
    Ok(page(
        &ctx,
        "Verstuurde e-mail",
        html! {
            (style())
            h1 { "Verstuurde e-mail (ontwikkelmodus)" }
            p { "Zonder SMTP-server komen berichten hier terecht in plaats van bij de ontvanger." }
            div.qs-suppressed role="note" { p { "Alleen voor testen. Zolang een ontvanger zijn link nog niet heeft geopend, kan wie deze pagina leest die link gebruiken. Zodra de ontvanger de link opent, halen we hem hier weg. Gebruik voor een echte scan een SMTP-server: dan bewaren we de e-mails niet." } }
            @for m in &mails {
                article { h2 { (m.subject) } p { "Aan: " (m.to) " · " (m.created_at) } pre.qs-mail { (m.body) } }
            }
        },
    ))
}
