//! Web routes on webkit: the trekker's dashboard, monitoring, report and verbeteragenda,
//! and the respondent's questionnaire (one theme per page, save and resume, summary).

use crate::links::PublicUrl;
use crate::model::{Day, Group, Lang as QLang, OrgKind, ScanStatus};
use crate::questionnaire::{AnswerValue, Answers, ItemKind, Questionnaire, fill};
use crate::report;
use crate::store::{self, Access as RAccess};
use crate::{mail, pdf};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use webkit::layout::csrf_field;
use webkit::{Access, AppError, AppState, BodyKind, Ctx, Module, Role, User, page};

// One module per concern; what callers use is re-exported here.
mod access;
mod agenda;
mod benchmark;
mod confirm;
mod dashboard;
mod form;
mod form_errors;
mod letters;
mod orgs;
mod paper;
mod privacy;
mod profile;
mod report_chart;
mod report_page;
mod respondent;
mod review;
mod schedule;
mod texts;
mod waves;

use access::{READ_REPORT, READ_SCAN, actor, audit_scan, back, on_scan, require, user};
use agenda::{
    agenda_add, agenda_comment, agenda_csv, agenda_delete, agenda_edit, agenda_edit_page,
    agenda_page, agenda_progress, agenda_status,
};
use benchmark::{benchmark_section, benchmark_setting};
use dashboard::{outbox_page, scan_page};
use form::{answer_text, item_input, parse_answers};
use letters::letter_codes;
use orgs::{add_org, audit_page, create_scan, org_page, overview};
use paper::{blank_form, paper_css, paper_form, paper_submit, preview};
use privacy::{org_css, privacy_page};
use profile::{logo_remove, logo_serve, logo_upload, profile_page, profile_save};
pub use report_page::*;
use respondent::{
    code_form, code_submit, invitation_intro, public_intro, public_start, step_page, step_save,
    submit, summary_page, thanks, thanks_in_scan,
};
use review::{establish, establish_page, review_action, review_page};
use schedule::{planning, planning_save};
use texts::{contact_save, text_page, text_reset, text_save, texts_page};

type Fields = Vec<(String, String)>;

fn err(e: store::Error) -> AppError {
    match e {
        store::Error::NotFound => AppError::not_found(),
        store::Error::Invalid(m) => AppError::bad_request(m),
        store::Error::State(m) => AppError::new(StatusCode::CONFLICT, m),
        store::Error::Db(e) => AppError::internal(e.to_string()),
    }
}

async fn db<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&rusqlite::Connection) -> store::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    state
        .db()
        .call(move |c| {
            c.set_prepared_statement_cache_capacity(64);
            store::open_answers(c).map_err(err)?;
            f(c).map_err(err)
        })
        .await
}

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// In-memory rate limit for new public-link sessions, per client (a keyed hash of the address,
/// in memory only): no addresses are kept.
#[derive(Default)]
struct Limiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl Limiter {
    /// `per_minute == 0` switches the limit off.
    fn allow(&self, key: &str, per_minute: u32) -> bool {
        if per_minute == 0 {
            return true;
        }
        let now = webkit::now() / 60;
        let Ok(mut m) = self.windows.lock() else {
            return true;
        };
        if m.len() > 10_000 {
            m.retain(|_, (w, _)| *w == now);
        }
        let e = m.entry(key.to_owned()).or_insert((now, 0));
        if e.0 != now {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= per_minute
    }
}

#[derive(Clone)]
struct Shared {
    public_challenge: bool,
    limiter: Arc<Limiter>,
    mail: mail::MailConfig,
    public_url: Option<PublicUrl>,
    public_per_minute: u32,
}

/// Options for the module.
#[derive(Clone, Debug)]
pub struct Options {
    pub mail: mail::MailConfig,
    /// The server's public web address, the base of every link in e-mails and letters
    /// (`--public-url`, `STEMBUS_PUBLIC_URL`). `None`: not set; the dashboard warns, and no
    /// invitation or letter is made (nothing guesses an address).
    pub public_url: Option<PublicUrl>,
    /// New public-link sessions allowed per client per minute (0: no limit).
    pub public_per_minute: u32,
    /// How often the retention job runs while the server is up (it also runs at every start).
    pub retention_every: std::time::Duration,
    /// How often the scheduler runs (opening and closing days, scheduled mails); it also runs
    /// at every start.
    pub schedule_every: std::time::Duration,
    /// Ask a simple sum before a public start (against naive scripts; off by default).
    pub public_challenge: bool,
}

impl Default for Options {
    /// Development outbox, no public address, 30 public starts per client per minute,
    /// retention daily, the scheduler every 10 minutes, no sum.
    fn default() -> Self {
        Options {
            mail: mail::MailConfig::Outbox,
            public_url: None,
            public_per_minute: 30,
            retention_every: std::time::Duration::from_hours(24),
            schedule_every: std::time::Duration::from_mins(10),
            public_challenge: false,
        }
    }
}

impl Options {
    /// From the environment: mail as in [`mail::MailConfig::from_env`], `STEMBUS_PUBLIC_URL`
    /// (the older name `STEMBUS_BASE_URL` is read when it is unset),
    /// `QUICKSCAN_PUBLIC_PER_MINUTE` (per client, default 30; 0 switches the limit off),
    /// `QUICKSCAN_RETENTION_EVERY_SECS` (default 86400: daily), `QUICKSCAN_SCHEDULE_EVERY_SECS`
    /// (default 600: every 10 minutes), `QUICKSCAN_PUBLIC_CHALLENGE` (`1`: a simple sum before
    /// a public start). An invalid public URL is an error.
    pub fn try_from_env() -> Result<Self, String> {
        let url = std::env::var("STEMBUS_PUBLIC_URL")
            .or_else(|_| std::env::var("STEMBUS_BASE_URL"))
            .ok()
            .filter(|v| !v.trim().is_empty());
        let mut o = Self::from_env_except_url();
        if let Some(url) = url {
            o.public_url =
                Some(PublicUrl::parse(&url).map_err(|e| format!("STEMBUS_PUBLIC_URL: {e}"))?);
        }
        Ok(o)
    }

    /// As [`Options::try_from_env`]; an invalid public URL is reported on stderr and left
    /// unset (the dashboard then warns).
    pub fn from_env() -> Self {
        Self::try_from_env().unwrap_or_else(|e| {
            eprintln!("quickscan: {e}; het webadres blijft leeg");
            Self::from_env_except_url()
        })
    }

    /// Every setting from the environment except the public URL (left unset): for callers
    /// that take the URL from a flag.
    pub fn from_env_except_url() -> Self {
        Options {
            mail: mail::MailConfig::from_env(),
            public_url: None,
            public_per_minute: std::env::var("QUICKSCAN_PUBLIC_PER_MINUTE")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(30),
            retention_every: std::time::Duration::from_secs(
                std::env::var("QUICKSCAN_RETENTION_EVERY_SECS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .filter(|v| *v > 0)
                    .unwrap_or(86_400),
            ),
            schedule_every: std::time::Duration::from_secs(
                std::env::var("QUICKSCAN_SCHEDULE_EVERY_SECS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .filter(|v| *v > 0)
                    .unwrap_or(600),
            ),
            public_challenge: std::env::var("QUICKSCAN_PUBLIC_CHALLENGE").is_ok_and(|v| v == "1"),
        }
    }

    /// Sets the public URL from a flag (`--public-url`), checked as in [`PublicUrl::parse`].
    pub fn with_public_url(mut self, url: &str) -> Result<Self, String> {
        self.public_url = Some(PublicUrl::parse(url)?);
        Ok(self)
    }

    /// The full address of `path` on this server, or `None` while no public URL is set.
    /// Every link in an e-mail or letter goes through here.
    pub fn absolute(&self, path: &str) -> Option<String> {
        self.public_url.as_ref().map(|u| u.absolute(path))
    }
}

const T: Access = Access::OrgRole(Role::Trekker, "org");

/// The Quick Scan module for webkit.
pub fn module(opts: Options) -> Module {
    let shared = Shared {
        limiter: Arc::new(Limiter::default()),
        mail: opts.mail,
        public_url: opts.public_url,
        public_per_minute: opts.public_per_minute,
        public_challenge: opts.public_challenge,
    };
    let (sched_mail, sched_base) = (shared.mail.clone(), shared.public_url.clone());
    let (start_mail, start_base) = (sched_mail.clone(), sched_base.clone());
    let mut m = Module::new("quickscan");
    for (id, sql) in store::MIGRATIONS {
        m = m.migration(id, sql);
    }
    m.on_start(|c| {
        c.execute_batch(store::PRAGMAS)?;
        if let Some(dir) = c
            .path()
            .filter(|p| !p.is_empty())
            .and_then(|p| std::path::Path::new(p).parent())
        {
            store::private_data_dir(dir);
        }
        store::open_answers(c).map_err(|e| webkit::Error::Config(format!("quickscan: {e}")))?;
        if let Err(e) = crate::retention_job(c) {
            eprintln!("quickscan: bewaartermijn-taak mislukt: {e}");
        }
        Ok(())
    })
    .every(opts.retention_every, |c| {
        crate::retention_job(c)
            .map(drop)
            .map_err(|e| webkit::Error::Config(format!("quickscan: bewaartermijn-taak: {e}")))
    })
    // the scheduler (open and close on their days, scheduled mails): at start, then periodically
    .on_start(move |c| {
        if let Err(e) = crate::schedule::run_now(c, &start_mail, start_base.as_ref()) {
            eprintln!("quickscan: planning mislukt: {e}");
        }
        Ok(())
    })
    .every(opts.schedule_every, move |c| {
        crate::schedule::run_now(c, &sched_mail, sched_base.as_ref())
            .map(drop)
            .map_err(|e| webkit::Error::Config(format!("quickscan: planning: {e}")))
    })
    // Only for those for whom /qs leads somewhere (anonymous visitors would get a 401).
    .nav_for_any(
        &[
            Role::Beheer,
            Role::Trekker,
            Role::Begeleider,
            Role::Commissie,
        ],
        "/qs",
        "Quick Scan",
        "Quick Scan",
    )
    .page("/qs", overview)
    .page("/qs/static/quickscan.css", css)
    .page("/qs/static/report.css", report_css)
    .page("/qs/static/papier.css", paper_css)
    .action(
        Method::POST,
        "/qs/organisaties",
        Access::Role(Role::Beheer),
        add_org,
    )
    .page("/qs/{org}", org_page)
    .action(Method::POST, "/qs/{org}/benchmark", T, benchmark_setting)
    .action(Method::POST, "/qs/{org}/scans", T, create_scan)
    .page("/qs/{org}/logboek", audit_page)
    .page("/qs/{org}/profiel", profile_page)
    .action(Method::POST, "/qs/{org}/profiel", T, profile_save)
    .action_with(
        BodyKind::Multipart,
        Method::POST,
        "/qs/{org}/logo",
        T,
        logo_upload,
    )
    .action(Method::POST, "/qs/{org}/logo/verwijderen", T, logo_remove)
    .page("/vragenlijst/logo/{org}", logo_serve)
    .page("/vragenlijst/stijl/{org}", org_css)
    .page("/vragenlijst/privacy/{scan}", privacy_page)
    .page("/qs/{org}/scans/{scan}", scan_page)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/status",
        T,
        confirm::advance,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/instellingen",
        T,
        form_errors::settings,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/maatwerk",
        T,
        form_errors::add_custom,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/maatwerk/{key}/verwijderen",
        T,
        confirm::remove_custom,
    )
    .action_with(
        BodyKind::Multipart,
        Method::POST,
        "/qs/{org}/scans/{scan}/respondenten",
        T,
        form_errors::upload,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/respondenten/{inv}/vergeten",
        T,
        confirm::forget,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/uitnodigen",
        T,
        confirm::invite,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/herinneren",
        T,
        confirm::remind,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/briefcodes",
        T,
        letter_codes,
    )
    .page("/qs/{org}/scans/{scan}/papier", paper_form)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/papier",
        T,
        paper_submit,
    )
    .page("/qs/{org}/scans/{scan}/overnemen", waves::copy_page)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/overnemen",
        T,
        waves::copy_submit,
    )
    .page(
        "/qs/{org}/scans/{scan}/papier/{groep}/formulier",
        blank_form,
    )
    .page("/qs/{org}/scans/{scan}/voorbeeld/{groep}", preview)
    .page("/qs/{org}/scans/{scan}/outbox", outbox_page)
    .page("/qs/{org}/scans/{scan}/open-antwoorden", review_page)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/open-antwoorden",
        T,
        review_action,
    )
    .page("/qs/{org}/scans/{scan}/vaststellen", establish_page)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/vaststellen",
        T,
        establish,
    )
    .page("/qs/{org}/scans/{scan}/planning", planning)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/planning",
        T,
        planning_save,
    )
    .page("/qs/{org}/scans/{scan}/teksten", texts_page)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/teksten/contact",
        T,
        contact_save,
    )
    .page("/qs/{org}/scans/{scan}/teksten/{groep}/{soort}", text_page)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/teksten/{groep}/{soort}",
        T,
        text_save,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/teksten/{groep}/{soort}/standaard",
        T,
        text_reset,
    )
    .page("/qs/{org}/scans/{scan}/rapport", report_page)
    .page("/qs/{org}/scans/{scan}/rapport.csv", report_csv)
    .page("/qs/{org}/scans/{scan}/rapport-excel.csv", report_csv_excel)
    .page("/qs/{org}/scans/{scan}/rapport.pdf", report_pdf)
    .page("/qs/{org}/scans/{scan}/agenda", agenda_page)
    .page("/qs/{org}/scans/{scan}/agenda.csv", agenda_csv)
    .action(Method::POST, "/qs/{org}/scans/{scan}/agenda", T, agenda_add)
    .page(
        "/qs/{org}/scans/{scan}/agenda/{item}/bewerken",
        agenda_edit_page,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/agenda/{item}/bewerken",
        T,
        agenda_edit,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/agenda/{item}/verwijderen",
        T,
        agenda_delete,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/agenda/{item}/status",
        T,
        agenda_status,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/agenda/{item}/voortgang",
        T,
        agenda_progress,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/agenda/{item}/commentaar",
        Access::OrgRole(Role::Commissie, "org"),
        agenda_comment,
    )
    // respondents
    .page("/vragenlijst/p/{code}", public_intro)
    .action(
        Method::POST,
        "/vragenlijst/p/{code}",
        Access::Public,
        public_start,
    )
    .page("/vragenlijst/i/{token}", invitation_intro)
    .page("/vragenlijst/code", code_form)
    .action(
        Method::POST,
        "/vragenlijst/code",
        Access::Public,
        code_submit,
    )
    .page("/vragenlijst/{kind}/{secret}/stap/{step}", step_page)
    .action(
        Method::POST,
        "/vragenlijst/{kind}/{secret}/stap/{step}",
        Access::Public,
        step_save,
    )
    .page("/vragenlijst/{kind}/{secret}/controle", summary_page)
    .action(
        Method::POST,
        "/vragenlijst/{kind}/{secret}/versturen",
        Access::Public,
        submit,
    )
    .page("/vragenlijst/bedankt", thanks)
    .page("/vragenlijst/bedankt/{scan}", thanks_in_scan)
    .map_router(move |r| {
        r.layer(axum::Extension(shared))
            // The Quick Scan exists in Dutch only: no English toggle, `lang="nl"` always.
            .layer(axum::middleware::map_request(
                |mut req: axum::extract::Request| async move {
                    if let Some(c) = req.extensions_mut().get_mut::<Ctx>() {
                        *c = c.clone().dutch_only();
                    }
                    req
                },
            ))
    })
}

const CSS: &str = "
.qs-steps{font-weight:bold}
.qs-scale{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.qs-item{margin-bottom:1.5rem}
.qs-item fieldset{border:0;padding:0;margin:0}
.qs-item legend{font-weight:bold;margin-bottom:.5rem}
.qs-buttons{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0}
main form{margin-bottom:1rem}
.field label{display:block;font-weight:bold;margin-bottom:.25rem}
.field input:not([type=radio]):not([type=checkbox]),.field select,.field textarea{font:inherit;width:100%;max-width:30rem;padding:.45rem .5rem;border:2px solid #5a5a5a;border-radius:0;background:#fff;min-height:44px;box-sizing:border-box}
.field input[type=number]:not([type=radio]){max-width:10rem}
.field input[type=file]{border-style:dashed}
.qs-code{font-family:monospace;font-size:1.4rem;letter-spacing:.1em}
.field input.qs-code-input{font-family:monospace;font-size:1.25rem;letter-spacing:.1em;max-width:16rem}
.qs-letter{border:1px dashed #333;padding:1.5rem;margin:1rem 0;break-inside:avoid;max-width:46rem;background:#fff}
.qs-letter-head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:flex-start;gap:1rem;margin-bottom:2rem}
.qs-letter-logo{max-height:64px;max-width:14rem;height:auto}
.qs-letter-from{text-align:right;font-size:.95rem}
.qs-letter-to{margin-top:1rem;font-weight:bold}
.qs-letter-url{font-family:monospace;font-size:1.2rem;overflow-wrap:anywhere}
.qs-letter-privacy{font-size:.9rem;margin-top:1.5rem}
.qs-suppressed{border-left:4px solid #8a5700;padding-left:1rem}
.qs-swatch{display:inline-block;width:1.5rem;height:1.5rem;vertical-align:middle;border:1px solid #333}
.qs-logo-preview{max-height:80px;max-width:100%;height:auto}
.qs-mail{white-space:pre-wrap;overflow-wrap:anywhere}
.qs-answer{border-left:4px solid #b1b4b6;padding:.25rem 0 .25rem 1rem;margin:0 0 1.25rem}
.qs-answer textarea{max-width:40rem}
.qs-answer .qs-buttons{margin:.5rem 0 0}
.qs-pager ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem 1rem;padding:0}
.qs-preview .qs-mail{border:1px solid #5a5a5a;padding:1rem;background:#fff;max-width:46rem}
.qs-mailhead{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}.qs-mailhead dt{font-weight:bold}.qs-mailhead dd{margin:0}
.qs-placeholders dt{margin-top:.5rem}.qs-placeholders dd{margin-left:1.5rem}
.field textarea.qs-body{max-width:46rem;font-family:monospace}
.qs-events li{margin-bottom:.25rem}
@media (max-width:40rem){.qs-scale{flex-direction:column;gap:.25rem}}
@media print{header,footer,nav,form,.skip-link,.qs-noprint{display:none!important}
@page{size:A4;margin:20mm}
main .container{max-width:none;padding:0}
.qs-letter{page-break-after:always;break-after:page;border:none;margin:0;padding:0;max-width:none}
.qs-letter:last-child{page-break-after:auto;break-after:auto}
a{color:#000;text-decoration:none}}
";

/// A fixed stylesheet of this crate as a response.
fn css_response(css: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], css).into_response()
}

async fn css() -> Response {
    css_response(CSS)
}

fn style() -> Markup {
    html! { link rel="stylesheet" href="/qs/static/quickscan.css"; }
}
