//! The accessible page layout and HTML helpers: forms, tables, bar charts, CSV.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::Ctx;
#[cfg(test)]
use std::sync::Arc;

/// Interface language. Dutch (B1) is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    /// Picks the text for this language.
    pub fn t<'a>(self, nl: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

/// The stylesheet, served at [`css_href`].
pub const CSS: &str = include_str!("../static/stembus.css");
/// Progressive enhancement (sortable tables), served at [`js_href`].
pub const JS: &str = include_str!("../static/stembus.js");

fn short_hash(s: &str) -> String {
    use blake2::Digest;
    let d = blake2::Blake2b::<blake2::digest::consts::U32>::digest(s.as_bytes());
    crate::hex(&d[..6])
}

/// URL of the stylesheet (with a content hash for caching).
pub fn css_href() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| format!("/static/stembus.css?v={}", short_hash(CSS)))
}

/// URL of the script (with a content hash for caching).
pub fn js_href() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| format!("/static/stembus.js?v={}", short_hash(JS)))
}

/// The current URL with `lang` set to `to` (other query parameters kept).
fn lang_href(ctx: &Ctx, to: crate::Lang) -> String {
    let mut q: Vec<&str> = ctx
        .query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
        .collect();
    let lang = format!("lang={}", to.code());
    q.push(&lang);
    format!("{}?{}", ctx.path, q.join("&"))
}

/// A complete page: skip link, header with name, navigation, language toggle and login
/// state, `main` landmark, footer.
#[allow(clippy::needless_pass_by_value)]
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let lang = ctx.lang;
    let other = match lang {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    };
    let current = |href: &str| {
        if href == "/" {
            ctx.path == "/"
        } else {
            ctx.path == href || ctx.path.starts_with(&format!("{href}/"))
        }
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Stembus" }
                link rel="stylesheet" href=(css_href());
                script src=(js_href()) defer {}
            }
            body {
                a.skip-link href="#inhoud" { (lang.t("Direct naar de inhoud", "Skip to content")) }
                header.site-header {
                    div.container.header-inner {
                        a.brand href="/" {
                            span.brand-mark aria-hidden="true" {}
                            span.brand-name { "Stembus" }
                            span.brand-tagline { (lang.t("open en controleerbaar", "open and verifiable")) }
                        }
                        div.header-tools {
                            @if let Some(action) = ctx.search {
                                form.site-search role="search" aria-label=(lang.t("Snel zoeken", "Quick search")) method="get" action=(action) {
                                    label.visually-hidden for="site-q" { (lang.t("Zoeken", "Search")) }
                                    input #site-q type="search" name="q" autocomplete="off"
                                        placeholder=(lang.t("Naam of gemeente", "Name or municipality"));
                                    @if lang == Lang::En { input type="hidden" name="lang" value="en"; }
                                    button.button.secondary type="submit" { (lang.t("Zoeken", "Search")) }
                                }
                            }
                            @if !ctx.dutch_only {
                                a.lang-toggle href=(lang_href(ctx, other)) lang=(other.code()) hreflang=(other.code()) {
                                    (lang.t("English", "Nederlands"))
                                }
                            }
                            @if let Some(user) = ctx.user() {
                                span.user-name { (lang.t("Ingelogd als ", "Logged in as ")) strong { (user.name) } }
                                form.inline method="post" action="/logout" {
                                    (csrf_field(ctx))
                                    button.link-button type="submit" { (lang.t("Uitloggen", "Log out")) }
                                }
                            } @else {
                                a href="/login" { (lang.t("Inloggen", "Log in")) }
                            }
                        }
                    }
                    nav.site-nav aria-label=(lang.t("Hoofdmenu", "Main menu")) {
                        div.container {
                            ul {
                                @for link in ctx.nav.iter().filter(|l| l.visible_to(ctx.user())) {
                                    li {
                                        @if current(link.href) {
                                            a href=(link.href) aria-current="page" { (lang.t(link.nl, link.en)) }
                                        } @else {
                                            a href=(link.href) { (lang.t(link.nl, link.en)) }
                                        }
                                    }
                                }
                                @if ctx.is_beheer() {
                                    li {
                                        a href="/beheer/gebruikers" aria-current=[current("/beheer/gebruikers").then_some("page")] {
                                            (lang.t("Gebruikers", "Users"))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                main #inhoud tabindex="-1" {
                    div.container { (body) }
                }
                footer.site-footer {
                    div.container {
                        p { (lang.t(
                            "Stembus is open software voor de Nederlandse democratie. Iedereen kan de berekeningen controleren.",
                            "Stembus is open software for Dutch democracy. Anyone can check the calculations.")) }
                        ul.footer-links {
                            li { a href="/toegankelijkheid" { (lang.t("Toegankelijkheid", "Accessibility")) } }
                            li { a href="/privacy" { (lang.t("Privacy", "Privacy")) } }
                            li { a href="/api" { (lang.t("Gegevens voor ontwikkelaars (API)", "Data for developers (API)")) } }
                        }
                    }
                }
            }
        }
    }
}

/// An organisation's own look, for pages that speak for it rather than for Stembus (a
/// questionnaire and its privacy statement): see [`page_with`].
pub struct Branding<'a> {
    /// The organisation's name, shown in the header and the title.
    pub name: &'a str,
    /// URL of its logo, shown before the name (decorative: the name is text next to it).
    pub logo: Option<&'a str>,
    /// An extra stylesheet, e.g. with the organisation's house colour for `.site-header`.
    pub stylesheet: Option<&'a str>,
    /// The footer's content (contact, privacy statement).
    pub footer: Markup,
}

/// A complete page in an organisation's look: skip link, a header with only its logo and
/// name (no Stembus name, menu, search, language toggle or login), `main`, its footer. The
/// page is in `ctx.lang`; the caller makes sure all its text is.
#[allow(clippy::needless_pass_by_value)]
pub fn page_with(ctx: &Ctx, title: &str, brand: &Branding, body: Markup) -> Markup {
    let lang = ctx.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (brand.name) }
                link rel="stylesheet" href=(css_href());
                @if let Some(href) = brand.stylesheet { link rel="stylesheet" href=(href); }
                script src=(js_href()) defer {}
            }
            body {
                a.skip-link href="#inhoud" { (lang.t("Direct naar de inhoud", "Skip to content")) }
                header.site-header.branded {
                    div.container.header-inner {
                        div.brand {
                            @if let Some(src) = brand.logo {
                                img.brand-logo src=(src) alt="";
                            }
                            span.brand-name { (brand.name) }
                        }
                    }
                }
                main #inhoud tabindex="-1" {
                    div.container { (body) }
                }
                footer.site-footer.branded {
                    div.container { (brand.footer) }
                }
            }
        }
    }
}

/// An error page in the layout.
pub fn error_page(ctx: &Ctx, status: StatusCode, message: &str) -> Markup {
    let l = ctx.lang;
    let (title, text) = match status.as_u16() {
        401 => (
            l.t("Inloggen nodig", "Login required"),
            l.t(
                "U moet eerst inloggen om dit te doen.",
                "You need to log in first to do this.",
            ),
        ),
        403 => (
            l.t("Geen toegang", "No access"),
            l.t(
                "U heeft geen toestemming om dit te doen.",
                "You are not allowed to do this.",
            ),
        ),
        404 => (
            l.t("Pagina niet gevonden", "Page not found"),
            l.t(
                "Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina.",
                "This page does not exist (any more). Check the address or go to the home page.",
            ),
        ),
        405 => (
            l.t("Dit kan niet", "Not allowed"),
            l.t(
                "Deze pagina werkt niet op deze manier.",
                "This page does not work this way.",
            ),
        ),
        413 => (
            l.t("Bestand te groot", "File too large"),
            l.t("Wat u stuurde is te groot.", "What you sent is too large."),
        ),
        400..=499 => (
            l.t("Dat ging niet goed", "That did not work"),
            l.t("Het verzoek klopt niet.", "The request is not valid."),
        ),
        _ => (
            l.t("Er ging iets mis", "Something went wrong"),
            l.t(
                "Er ging iets mis aan onze kant. Probeer het later nog eens.",
                "Something went wrong on our side. Please try again later.",
            ),
        ),
    };
    let show_message = !message.is_empty() && !status.is_server_error();
    page(
        ctx,
        title,
        html! {
            h1 { (title) }
            p.lead { (text) }
            @if show_message { p { (message) } }
            @if status == StatusCode::UNAUTHORIZED && ctx.user().is_none() {
                p { a href={"/login?next=" (url_encode(&ctx.path))} { (l.t("Inloggen", "Log in")) } }
            }
            p { a href="/" { (l.t("Naar de startpagina", "Go to the home page")) } }
            p.muted { (l.t("Foutcode", "Error code")) " " (status.as_u16()) }
        },
    )
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn url_encode(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The hidden CSRF field every form needs.
pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name=(crate::middleware::CSRF_FIELD) value=(ctx.csrf); }
}

/// A form action URL for `multipart/form-data` forms: the token rides in the query string.
pub fn multipart_action(ctx: &Ctx, action: &str) -> String {
    let sep = if action.contains('?') { '&' } else { '?' };
    format!(
        "{action}{sep}{}={}",
        crate::middleware::CSRF_FIELD,
        ctx.csrf
    )
}

/// A form field: label above the input, hint and error linked with `aria-describedby`.
#[derive(Clone, Debug, Default)]
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub value: &'a str,
    /// `text`, `password`, `number`, `email`, `file`, ...
    pub kind: &'a str,
    pub hint: Option<&'a str>,
    pub error: Option<&'a str>,
    pub required: bool,
    pub autocomplete: Option<&'a str>,
    /// Extra attributes for number inputs.
    pub min: Option<&'a str>,
    pub inputmode: Option<&'a str>,
}

impl<'a> Field<'a> {
    pub fn new(name: &'a str, label: &'a str) -> Self {
        Field {
            name,
            label,
            kind: "text",
            ..Field::default()
        }
    }
    #[must_use]
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    #[must_use]
    pub fn value(mut self, value: &'a str) -> Self {
        self.value = value;
        self
    }
    #[must_use]
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
    #[must_use]
    pub fn error(mut self, error: Option<&'a str>) -> Self {
        self.error = error;
        self
    }
    #[must_use]
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    #[must_use]
    pub fn autocomplete(mut self, a: &'a str) -> Self {
        self.autocomplete = Some(a);
        self
    }
    /// The on-screen keyboard to offer, e.g. `numeric`.
    #[must_use]
    pub fn inputmode(mut self, m: &'a str) -> Self {
        self.inputmode = Some(m);
        self
    }
    #[must_use]
    pub fn min(mut self, m: &'a str) -> Self {
        self.min = Some(m);
        self
    }
    fn id(&self) -> String {
        format!("f-{}", self.name)
    }
    fn described_by(&self) -> Option<String> {
        let id = self.id();
        let mut parts = Vec::new();
        if self.hint.is_some() {
            parts.push(format!("{id}-hint"));
        }
        if self.error.is_some() {
            parts.push(format!("{id}-error"));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
    fn label_markup(&self, lang: Lang) -> Markup {
        html! {
            label.field-label for=(self.id()) {
                (self.label)
                @if !self.required { " " span.optional { (lang.t("(optioneel)", "(optional)")) } }
            }
            @if let Some(h) = self.hint { p.field-hint id={(self.id()) "-hint"} { (h) } }
            @if let Some(e) = self.error {
                p.field-error id={(self.id()) "-error"} {
                    span.visually-hidden { (lang.t("Fout: ", "Error: ")) } (e)
                }
            }
        }
    }
}

/// An `<input>` with label, hint and error.
pub fn input(lang: Lang, f: &Field) -> Markup {
    html! {
        div.field.field-error-state[f.error.is_some()] {
            (f.label_markup(lang))
            input.input id=(f.id()) name=(f.name) type=(f.kind) value=(f.value)
                aria-required=[f.required.then_some("true")]
                aria-invalid=[f.error.is_some().then_some("true")]
                aria-describedby=[f.described_by()]
                autocomplete=[f.autocomplete]
                min=[f.min]
                inputmode=[f.inputmode];
        }
    }
}

/// A `<select>` with label, hint and error. `options` are (value, text).
pub fn select(lang: Lang, f: &Field, options: &[(String, String)]) -> Markup {
    html! {
        div.field.field-error-state[f.error.is_some()] {
            (f.label_markup(lang))
            select.input id=(f.id()) name=(f.name)
                aria-required=[f.required.then_some("true")]
                aria-invalid=[f.error.is_some().then_some("true")]
                aria-describedby=[f.described_by()] {
                @for (v, t) in options {
                    option value=(v) selected[v == f.value] { (t) }
                }
            }
        }
    }
}

/// A group of radio buttons in a fieldset with legend.
pub fn radios(
    lang: Lang,
    name: &str,
    legend: &str,
    options: &[(String, String)],
    selected: &str,
    error: Option<&str>,
) -> Markup {
    let err_id = format!("f-{name}-error");
    html! {
        fieldset.field.field-error-state[error.is_some()] aria-describedby=[error.map(|_| err_id.clone())] {
            legend { (legend) }
            @if let Some(e) = error {
                p.field-error id=(err_id) { span.visually-hidden { (lang.t("Fout: ", "Error: ")) } (e) }
            }
            @for (i, (v, t)) in options.iter().enumerate() {
                div.radio {
                    input type="radio" id={"f-" (name) "-" (i)} name=(name) value=(v) checked[v == selected];
                    label for={"f-" (name) "-" (i)} { (t) }
                }
            }
        }
    }
}

/// A fieldset with a legend around some fields.
pub fn fieldset(legend: &str, body: &Markup) -> Markup {
    html! { fieldset.fieldset { legend { (legend) } (body) } }
}

/// The error summary at the top of a form: links to the fields with errors.
/// `errors` are (field name, message).
pub fn error_summary(lang: Lang, errors: &[(&str, String)]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { (lang.t("Er is een probleem", "There is a problem")) }
                ul {
                    @for (field, msg) in errors {
                        li { a href={"#f-" (field)} { (msg) } }
                    }
                }
            }
        }
    }
}

/// Breadcrumbs: (href, text); the last item is the current page.
pub fn breadcrumbs(lang: Lang, items: &[(String, String)]) -> Markup {
    html! {
        nav.breadcrumbs aria-label=(lang.t("Kruimelpad", "Breadcrumb")) {
            ol {
                @for (i, (href, text)) in items.iter().enumerate() {
                    li {
                        @if i + 1 == items.len() {
                            a href=(href) aria-current="page" { (text) }
                        } @else {
                            a href=(href) { (text) }
                        }
                    }
                }
            }
        }
    }
}

/// A column of a [`Table`].
#[derive(Clone, Debug)]
pub struct Column {
    pub label: String,
    /// Right-aligned and sorted as a number.
    pub numeric: bool,
}

impl Column {
    pub fn text(label: impl Into<String>) -> Self {
        Column {
            label: label.into(),
            numeric: false,
        }
    }
    pub fn num(label: impl Into<String>) -> Self {
        Column {
            label: label.into(),
            numeric: true,
        }
    }
}

/// A cell of a [`Table`].
#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// Sort key (for numbers: the plain number), when it differs from the text.
    pub sort: Option<String>,
    /// Extra CSS class, e.g. `changed` or `elected`.
    pub class: Option<&'static str>,
    /// Rich content instead of `text` (the `text` is still used for CSV).
    pub html: Option<Markup>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }
    /// A number cell, formatted for `lang`, sorted by value.
    pub fn int(lang: Lang, n: impl Into<i128>) -> Self {
        let n: i128 = n.into();
        Cell {
            text: crate::fmt::int(lang, n),
            sort: Some(n.to_string()),
            ..Cell::default()
        }
    }
    #[must_use]
    pub fn link(mut self, href: impl Into<String>) -> Self {
        self.href = Some(href.into());
        self
    }
    #[must_use]
    pub fn sort_key(mut self, key: impl Into<String>) -> Self {
        self.sort = Some(key.into());
        self
    }
    #[must_use]
    pub fn class(mut self, class: &'static str) -> Self {
        self.class = Some(class);
        self
    }
    #[must_use]
    pub fn html(mut self, m: Markup) -> Self {
        self.html = Some(m);
        self
    }
}

/// An accessible data table: caption, `th scope`, optional sorting (JS) and CSV link.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub id: String,
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub foot: Option<Vec<Cell>>,
    pub csv_href: Option<String>,
    pub sortable: bool,
    /// Columns kept in view while the table scrolls sideways: 1 (default) or 2 (when the
    /// first is a short number such as the list number).
    pub key_columns: u8,
}

impl Table {
    pub fn new(id: impl Into<String>, caption: impl Into<String>, columns: Vec<Column>) -> Self {
        Table {
            id: id.into(),
            caption: caption.into(),
            columns,
            ..Table::default()
        }
    }
    #[must_use]
    pub fn sortable(mut self) -> Self {
        self.sortable = true;
        self
    }
    /// Keeps the first two columns in view on narrow screens (the first must be short).
    #[must_use]
    pub fn two_key_columns(mut self) -> Self {
        self.key_columns = 2;
        self
    }
    #[must_use]
    pub fn csv(mut self, href: impl Into<String>) -> Self {
        self.csv_href = Some(href.into());
        self
    }
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    fn cell(&self, i: usize, c: &Cell, head: bool) -> Markup {
        let numeric = self.columns.get(i).is_some_and(|c| c.numeric);
        let content = html! {
            @if let Some(h) = &c.html { (h) }
            @else if let Some(href) = &c.href { a href=(href) { (c.text) } }
            @else { (c.text) }
        };
        let class = match (numeric, c.class) {
            (true, Some(x)) => Some(format!("num {x}")),
            (true, None) => Some("num".to_string()),
            (false, Some(x)) => Some(x.to_string()),
            (false, None) => None,
        };
        html! {
            @if head && i == 0 && (!c.text.is_empty() || c.html.is_some()) {
                th scope="row" class=[class] data-sort=[c.sort.as_deref()] { (content) }
            } @else {
                td class=[class] data-sort=[c.sort.as_deref()] { (content) }
            }
        }
    }

    /// Renders the table (wrapped in a focusable, labelled scroll region).
    pub fn render(&self, lang: Lang) -> Markup {
        let cap_id = format!("{}-caption", self.id);
        html! {
            div.table-wrap role="region" aria-labelledby=(cap_id) tabindex="0" {
                table.data id=(self.id) data-sortable=[self.sortable.then_some("true")] data-key-columns=[(self.key_columns == 2).then_some("2")] {
                    caption id=(cap_id) { (self.caption) }
                    thead {
                        tr {
                            @for c in &self.columns {
                                th scope="col" class=[c.numeric.then_some("num")] { (c.label) }
                            }
                        }
                    }
                    tbody {
                        @for r in &self.rows {
                            tr { @for (i, c) in r.iter().enumerate() { (self.cell(i, c, true)) } }
                        }
                    }
                    @if let Some(f) = &self.foot {
                        tfoot { tr { @for (i, c) in f.iter().enumerate() { (self.cell(i, c, true)) } } }
                    }
                }
            }
            @if let Some(href) = &self.csv_href {
                p.table-actions {
                    a href=(href) download { (lang.t("Download deze tabel (CSV)", "Download this table (CSV)")) }
                    " · "
                    a href=(excel_href(href)) download {
                        (lang.t("CSV voor Excel in het Nederlands (puntkomma, decimale komma)", "CSV for Excel in Dutch (semicolon, decimal comma)"))
                    }
                }
            }
        }
    }

    /// The table as CSV in the form a Dutch Excel opens directly: `;` between fields and a
    /// decimal comma ([`csv_excel_string`]).
    pub fn to_csv_excel(&self) -> String {
        let (header, rows) = self.csv_rows();
        csv_excel_string(&header, &rows)
    }

    fn csv_rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header: Vec<String> = self.columns.iter().map(|c| c.label.clone()).collect();
        let mut rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.sort.clone().unwrap_or_else(|| c.text.clone()))
                    .collect()
            })
            .collect();
        if let Some(f) = &self.foot {
            rows.push(
                f.iter()
                    .map(|c| c.sort.clone().unwrap_or_else(|| c.text.clone()))
                    .collect(),
            );
        }
        (header, rows)
    }

    /// The table as CSV (header, rows, footer).
    pub fn to_csv(&self) -> String {
        let (header, rows) = self.csv_rows();
        csv_string(&header, &rows)
    }
}

/// Contrasting colours for charts (each ≥ 3:1 against white, WCAG 1.4.11).
pub const PALETTE: [&str; 10] = [
    "#154273", "#a90061", "#39870c", "#d52b1e", "#01689b", "#673327", "#42145f", "#8a5700",
    "#007b5f", "#5c5c5c",
];

/// One bar of [`bar_chart`].
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as shown (formatted).
    pub display: String,
    pub color: Option<String>,
}

/// Words of `s` in lines of at most `width` characters (a longer word gets its own line).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for w in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + w.chars().count() <= width => {
                l.push(' ');
                l.push_str(w);
            }
            _ => lines.push(w.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// A horizontal SVG bar chart with a title, a description and the same data as a table.
/// Each label stands in full above its bar (wrapped, never cut off).
#[allow(clippy::cast_precision_loss)]
pub fn bar_chart(lang: Lang, id: &str, title: &str, value_label: &str, bars: &[Bar]) -> Markup {
    const LINE: f64 = 18.0;
    const BAR: f64 = 16.0;
    const GAP: f64 = 12.0;
    let value_w = 110.0;
    let width = 720.0;
    let bar_w = width - value_w;
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let labels: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.label, 80)).collect();
    let mut tops = Vec::with_capacity(bars.len());
    let mut y = 4.0;
    for l in &labels {
        tops.push(y);
        y += l.len() as f64 * LINE + BAR + GAP;
    }
    let height = y;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let mut table = Table::new(
        format!("{id}-table"),
        title.to_string(),
        vec![
            Column::text(lang.t("Naam", "Name")),
            Column::num(value_label.to_string()),
        ],
    );
    for b in bars {
        table.row(vec![
            Cell::new(b.label.clone()),
            Cell::new(b.display.clone()),
        ]);
    }
    html! {
        figure.chart id=(id) {
            figcaption { (title) }
            svg role="img" aria-labelledby={(title_id) " " (desc_id)} viewBox={"0 0 " (width) " " (height)}
                xmlns="http://www.w3.org/2000/svg" class="bar-chart" {
                title id=(title_id) { (title) }
                desc id=(desc_id) {
                    (lang.t("Staafdiagram. De tabel onder de grafiek heeft dezelfde gegevens.",
                        "Bar chart. The table below the chart has the same data."))
                }
                @for (i, b) in bars.iter().enumerate() {
                    @let y = tops[i];
                    @let lines = &labels[i];
                    @let bar_y = y + lines.len() as f64 * LINE + 2.0;
                    @let w = if max > 0.0 { (b.value / max * bar_w).max(if b.value > 0.0 { 2.0 } else { 0.0 }) } else { 0.0 };
                    @let color = b.color.clone().unwrap_or_else(|| PALETTE[i % PALETTE.len()].to_string());
                    g {
                        text x="0" y=(y + LINE - 4.0) class="chart-label" {
                            @for (k, line) in lines.iter().enumerate() {
                                tspan x="0" dy=(if k == 0 { 0.0 } else { LINE }) { (line) }
                            }
                        }
                        rect x="0" y=(bar_y) width=(format!("{w:.1}")) height=(BAR) fill=(color) {}
                        text x=(w + 6.0) y=(bar_y + BAR - 3.0) class="chart-value" { (b.display) }
                    }
                }
            }
            details.chart-data {
                summary { (lang.t("Toon de gegevens als tabel", "Show the data as a table")) }
                (table.render(lang))
            }
        }
    }
}

/// CSV text (comma-separated, quoted where needed, with a UTF-8 BOM for spreadsheets).
/// Text cells that start with `=`, `+`, `-` or `@` and are not numbers get a leading `'`,
/// so spreadsheets do not run them as formulas.
pub fn csv_string(header: &[String], rows: &[Vec<String>]) -> String {
    fn field(s: &str) -> String {
        let is_number = s.parse::<f64>().is_ok();
        let s = if !is_number && s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        if s.contains([',', '"', '\n', '\r', ';']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    }
    let mut out = String::from("\u{feff}");
    for line in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        out.push_str(&line.iter().map(|s| field(s)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The query parameter that asks a CSV download for the Dutch Excel form.
pub const EXCEL_PARAM: (&str, &str) = ("vorm", "excel");

/// `href` with [`EXCEL_PARAM`] added.
pub fn excel_href(href: &str) -> String {
    let sep = if href.contains('?') { '&' } else { '?' };
    format!("{href}{sep}{}={}", EXCEL_PARAM.0, EXCEL_PARAM.1)
}

/// CSV for a Dutch Excel: UTF-8 BOM, `;` between fields, numbers with a decimal comma
/// (`0.25` → `0,25`), CRLF. Formula defusing and quoting as in [`csv_string`].
pub fn csv_excel_string(header: &[String], rows: &[Vec<String>]) -> String {
    fn field(s: &str) -> String {
        let is_number = !s.is_empty()
            && s.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
            && s.trim_start_matches('-')
                .bytes()
                .filter(|b| *b == b'.')
                .count()
                <= 1
            && s.parse::<f64>().is_ok();
        let s = if is_number {
            s.replace('.', ",")
        } else if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        if s.contains([';', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    }
    let mut out = String::from("\u{feff}");
    for line in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        out.push_str(&line.iter().map(|s| field(s)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

/// A CSV download response.
pub fn csv_response(filename: &str, csv: String) -> Response {
    let safe: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        csv,
    )
        .into_response()
}

/// Marks text as trusted HTML (only for fixed strings from the code).
pub fn raw(s: &'static str) -> PreEscaped<&'static str> {
    PreEscaped(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branded_page_has_no_stembus_navigation() {
        let ctx = Ctx {
            lang: Lang::Nl,
            identity: None,
            csrf: "x".into(),
            path: "/vragenlijst/p/A".into(),
            query: None,
            nav: Arc::from(vec![crate::NavLink {
                href: "/verkiezingen",
                nl: "Verkiezingen",
                en: "Elections",
                roles: &[],
            }]),
            search: Some("/zoeken"),
            dutch_only: false,
        };
        let brand = Branding {
            name: "Gemeente <Testdorp>",
            logo: Some("/logo"),
            stylesheet: Some("/kleur.css"),
            footer: html! { a href="/privacy/1" { "Privacyverklaring" } },
        };
        let html = page_with(&ctx, "Vragen", &brand, html! { h1 { "Vragen" } }).into_string();
        assert!(html.contains("<html lang=\"nl\">"));
        assert!(html.contains("<title>Vragen – Gemeente &lt;Testdorp&gt;</title>"));
        assert!(html.contains("href=\"/kleur.css\""));
        assert!(html.contains("src=\"/logo\" alt=\"\""));
        assert!(html.contains("Privacyverklaring"));
        for absent in [
            "Verkiezingen",
            "Stembus",
            "English",
            "Inloggen",
            "/zoeken",
            "/api",
        ] {
            assert!(!html.contains(absent), "{absent}");
        }
        // the ordinary page has them
        let plain = page(&ctx, "Vragen", html! {}).into_string();
        assert!(plain.contains("Verkiezingen") && plain.contains("Stembus"));
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let s = csv_string(
            &["a".into(), "b".into()],
            &[
                vec!["=1+1".into(), "x,\"y\"".into()],
                vec!["-5".into(), "ok".into()],
            ],
        );
        assert_eq!(s, "\u{feff}a,b\r\n'=1+1,\"x,\"\"y\"\"\"\r\n-5,ok\r\n");
    }

    #[test]
    fn excel_csv_uses_semicolons_and_decimal_commas() {
        let s = csv_excel_string(
            &["Lijst".into(), "Aandeel".into()],
            &[
                vec!["1 VVD; liberaal".into(), "0.218912".into()],
                vec!["=1+1".into(), "-5".into()],
                vec!["2.500 stemmen".into(), "1977651".into()],
            ],
        );
        assert_eq!(
            s,
            "\u{feff}Lijst;Aandeel\r\n\"1 VVD; liberaal\";0,218912\r\n'=1+1;-5\r\n2.500 stemmen;1977651\r\n"
        );
        assert_eq!(excel_href("/a/csv/x"), "/a/csv/x?vorm=excel");
        assert_eq!(excel_href("/a/csv/x?v1=3"), "/a/csv/x?v1=3&vorm=excel");
    }

    #[test]
    fn field_links_hint_and_error() {
        let f = Field::new("naam", "Naam")
            .hint("Uw naam")
            .error(Some("Vul uw naam in"))
            .required();
        let h = input(Lang::Nl, &f).into_string();
        assert!(
            h.contains(r#"aria-describedby="f-naam-hint f-naam-error""#),
            "{h}"
        );
        assert!(h.contains(r#"aria-invalid="true""#));
        assert!(h.contains(r#"aria-required="true""#));
        assert!(h.contains(r#"<label class="field-label" for="f-naam">"#));
    }

    #[test]
    fn url_encoding() {
        assert_eq!(url_encode("/a b?c"), "/a%20b%3Fc");
    }
}
