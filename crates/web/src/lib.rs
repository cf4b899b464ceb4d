//! # web — the election pages of Stembus
//!
//! Server-rendered pages (B1 Dutch, English toggle) and a JSON API over elections stored in
//! SQLite: overview with seat chart, the proof (every step with its article), candidates,
//! what-if, margins, the reform comparison and a drill-down from country to stembureau.
//! Mount it with [`module`] on a [`webkit`] server.

#![allow(clippy::many_single_char_names)]

pub mod api;
pub mod api_http;
pub mod api_schema;
pub mod charts;
pub mod colours;
pub mod demo;
mod find;
pub mod griffier;
mod history;
pub mod import;
pub mod model;
mod pages;
pub mod publish;
pub mod search;
pub mod status;
pub mod store;
pub mod tables;
pub mod text;
pub mod turnout;
pub mod verification;
pub mod versions;
pub mod whatif;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::Extension;
use axum::extract::{FromRequestParts, Path};
use axum::http::Method;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use webkit::{Access, AppError, AppState, BodyKind, Module, Role};

use crate::model::Loaded;

/// Module state: loaded elections, cached until they change.
#[derive(Default)]
pub struct Web {
    cache: RwLock<HashMap<String, Arc<Loaded>>>,
    reports: RwLock<HashMap<String, Arc<Option<import::VerificationReport>>>>,
    search: RwLock<Option<Arc<search::Index>>>,
}

impl Web {
    /// The election with this id (loaded from SQLite and computed once).
    pub async fn get(&self, state: &AppState, id: &str) -> Result<Arc<Loaded>, AppError> {
        if let Some(l) = self.cache.read().ok().and_then(|c| c.get(id).cloned()) {
            return Ok(l);
        }
        let key = id.to_string();
        let loaded = state
            .db()
            .call(move |c| {
                let status = store::status(c, &key)?;
                Ok(store::load(c, &key)?.map(|d| {
                    let mut l = Loaded::new(d);
                    l.status = status;
                    Arc::new(l)
                }))
            })
            .await?
            .ok_or_else(AppError::not_found)?;
        // Two first requests may both load; the first stored wins, and only it warms up.
        let loaded = match self.cache.write() {
            Ok(mut c) => c.entry(id.to_string()).or_insert(loaded).clone(),
            Err(_) => loaded,
        };
        if std::mem::replace(
            &mut *loaded
                .warming
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            true,
        ) {
            return Ok(loaded);
        }
        // Margins can take long on a large election: compute them (and the reform
        // comparison) in the background, so no request waits for them unless it needs them.
        let warm = loaded.clone();
        std::thread::spawn(move || {
            let _ = warm.reform();
            let _ = warm.margins();
        });
        Ok(loaded)
    }

    /// The margins of an election, waiting at most `wait` for the background computation;
    /// `None` while they are still being computed.
    pub async fn margins(
        loaded: &Loaded,
        wait: std::time::Duration,
    ) -> Option<&Result<kieswet::Margins, kieswet::InputError>> {
        let start = std::time::Instant::now();
        loop {
            if let Some(m) = loaded.margins_ready() {
                return Some(m);
            }
            if start.elapsed() >= wait {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The verification report of an imported election (`None` for the demo), cached.
    pub async fn report(
        &self,
        state: &AppState,
        id: &str,
    ) -> Result<Arc<Option<import::VerificationReport>>, AppError> {
        if let Some(r) = self.reports.read().ok().and_then(|c| c.get(id).cloned()) {
            return Ok(r);
        }
        let key = id.to_string();
        let r = Arc::new(
            state
                .db()
                .call(move |c| Ok(import::load_report(c, &key)?))
                .await?,
        );
        if let Ok(mut c) = self.reports.write() {
            c.insert(id.to_string(), r.clone());
        }
        Ok(r)
    }

    /// The search index over all stored elections (built once, until they change).
    pub async fn search_index(&self, state: &AppState) -> Result<Arc<search::Index>, AppError> {
        if let Some(ix) = self.search.read().ok().and_then(|s| s.clone()) {
            return Ok(ix);
        }
        let ix = Arc::new(state.db().call(|c| Ok(search::Index::build(c)?)).await?);
        if let Ok(mut s) = self.search.write() {
            *s = Some(ix.clone());
        }
        Ok(ix)
    }

    /// Forgets cached elections (after delete, import or demo reset).
    pub fn invalidate(&self) {
        if let Ok(mut s) = self.search.write() {
            *s = None;
        }
        if let Ok(mut c) = self.cache.write() {
            c.clear();
        }
        if let Ok(mut c) = self.reports.write() {
            c.clear();
        }
    }
}

/// Handler argument for the module state.
pub type WebState = Extension<Arc<Web>>;

/// Extractor: the election named by the route's `{id}` (beside any other parameters), loaded
/// with [`Web::get`] (not found if there is none).
pub struct Election(pub Arc<Loaded>);

impl FromRequestParts<AppState> for Election {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Extension(web) = WebState::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let id = params
            .get("id")
            .ok_or_else(|| AppError::not_found().into_response())?;
        web.get(state, id)
            .await
            .map(Election)
            .map_err(IntoResponse::into_response)
    }
}

/// The election module: pages, API, migrations, demo seeding at first start.
pub fn module() -> Module {
    module_with(Arc::new(Web::default()))
}

/// [`module`] with a given module state, for callers that need the loaded elections beside
/// the router (e.g. [`publish`], which computes the margins before it renders them).
pub fn module_with(web: Arc<Web>) -> Module {
    Module::new("web")
        .migration("0001_elections", store::MIGRATION_0001)
        .migration("0002_imports", store::MIGRATION_0002)
        .migration("0003_versions", versions::MIGRATION_0003)
        .migration("0004_first_names", store::MIGRATION_0004_FIRST_NAMES)
        .on_start(|c| Ok(store::seed_if_empty(c)?))
        .nav("/", "Verkiezingen", "Elections")
        .nav("/api", "Gegevens (API)", "Data (API)")
        .search_box("/zoeken")
        .nav_for(
            Role::Beheer,
            "/beheer/verkiezingen",
            "Beheer verkiezingen",
            "Manage elections",
        )
        .page("/", find::home)
        .page("/zoeken", find::search_page)
        .page("/gemeenten/{slug}", find::gemeente)
        .page("/verkiezingen/{id}", pages::overview)
        .page("/verkiezingen/{id}/controle", verification::report)
        .page("/verkiezingen/{id}/berekening", pages::proof)
        .page("/verkiezingen/{id}/kandidaten", pages::candidates)
        .page("/verkiezingen/{id}/wat-als", pages::what_if)
        .page("/verkiezingen/{id}/marges", pages::margins)
        .page("/verkiezingen/{id}/hervorming", pages::reform)
        .page("/verkiezingen/{id}/gebied", pages::area_root)
        .page("/verkiezingen/{id}/gebied/{unit}", pages::area)
        .page("/verkiezingen/{id}/csv/{table}", pages::csv)
        .page("/verkiezingen/{id}/versies", history::election_versions)
        .page("/verkiezingen/{id}/verwijderen", history::confirm_delete)
        .page("/beheer/verkiezingen", pages::admin)
        .page("/beheer/importen/{run}", history::run)
        .action(
            Method::POST,
            "/verkiezingen/{id}/verwijderen",
            Access::Role(Role::Beheer),
            pages::delete,
        )
        .action_with(
            BodyKind::Multipart,
            Method::POST,
            "/beheer/verkiezingen/importeren",
            Access::Role(Role::Beheer),
            verification::upload,
        )
        .action(
            Method::POST,
            "/beheer/demo-herstellen",
            Access::Role(Role::Beheer),
            pages::reset_demo,
        )
        .page("/api", api::docs)
        .page("/api/openapi.json", api::openapi)
        .page("/api/search", find::api_search)
        .page("/api/elections", api::elections)
        .page("/api/elections/{id}", api::election)
        .page("/api/elections/{id}/result", api::result)
        .page("/api/elections/{id}/candidates", api::candidates)
        .page("/api/elections/{id}/margins", api::margins)
        .page("/api/elections/{id}/reform", api::reform)
        .page("/api/elections/{id}/what-if", api::what_if)
        .page("/api/elections/{id}/units/{unit}", api::unit)
        .page("/api/elections/{id}/verification", api::verification)
        .page("/api/elections/{id}/versions", api::versions)
        .action_with(
            BodyKind::Multipart,
            Method::POST,
            "/api/elections/import",
            Access::Role(Role::Beheer),
            api::import,
        )
        .action_with(
            BodyKind::Json,
            Method::DELETE,
            "/api/elections/{id}",
            Access::Role(Role::Beheer),
            api::delete,
        )
        .action_with(
            BodyKind::Json,
            Method::POST,
            "/api/demo/reset",
            Access::Role(Role::Beheer),
            api::reset_demo,
        )
        .map_router(move |r| {
            r.layer(axum::middleware::from_fn(api_http::layer))
                .layer(Extension(web))
        })
}
