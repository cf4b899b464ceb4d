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
pub mod fresh;
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

/// Module state: loaded elections and what the public pages read, kept in memory and never
/// stale (each value is checked against the database's generation, [`fresh`]).
#[derive(Default)]
pub struct Web {
    cache: fresh::PerKey<Arc<Loaded>>,
    reports: fresh::PerKey<Arc<Option<import::VerificationReport>>>,
    figures: fresh::PerKey<Arc<griffier::Figures>>,
    search: fresh::PerKey<Arc<search::Index>>,
    elections: RwLock<Option<Arc<fresh::Elections>>>,
    watch: fresh::Watch,
    /// One read from SQLite at a time per kind: on a cold cache, 50 requests at once wait for
    /// one load instead of each doing it (the search index over TK2021 and GR2022 takes 0.7 s).
    loading_list: tokio::sync::Mutex<()>,
    loading_election: tokio::sync::Mutex<()>,
    loading_search: tokio::sync::Mutex<()>,
}

impl Web {
    /// The database's current generation (see [`fresh`]).
    pub fn generation(&self, state: &AppState) -> Result<u64, AppError> {
        self.watch.current(state.db().path())
    }

    /// The stored elections (newest first), with the home page rendered once per language.
    pub async fn elections(&self, state: &AppState) -> Result<Arc<fresh::Elections>, AppError> {
        let now = self.generation(state)?;
        if let Some(e) = self
            .elections
            .read()
            .ok()
            .and_then(|e| e.clone())
            .filter(|e| e.generation == now)
        {
            return Ok(e);
        }
        let _one = self.loading_list.lock().await;
        let now = self.generation(state)?;
        if let Some(e) = self
            .elections
            .read()
            .ok()
            .and_then(|e| e.clone())
            .filter(|e| e.generation == now)
        {
            return Ok(e);
        }
        let (g, list) = state
            .db()
            .call(|c| Ok(fresh::snapshot(c, store::list)?))
            .await?;
        let fresh = Arc::new(fresh::Elections::new(g, list));
        if let Ok(mut e) = self.elections.write() {
            match &*e {
                Some(kept) if kept.generation == g => return Ok(kept.clone()),
                Some(kept) if kept.generation > g => {}
                _ => *e = Some(fresh.clone()),
            }
        }
        Ok(fresh)
    }

    /// The election with this id (loaded from SQLite and computed once per generation).
    pub async fn get(&self, state: &AppState, id: &str) -> Result<Arc<Loaded>, AppError> {
        let now = self.generation(state)?;
        if let Some(l) = self.cache.get(id, now) {
            return Ok(l);
        }
        // An unknown id is answered from the list in memory, so requests for made-up ids
        // neither reach the database nor wait for the loading of real elections.
        if !self.elections(state).await?.list.iter().any(|e| e.id == id) {
            return Err(AppError::not_found());
        }
        let _one = self.loading_election.lock().await;
        let now = self.generation(state)?;
        if let Some(l) = self.cache.get(id, now) {
            return Ok(l);
        }
        let key = id.to_string();
        let (g, loaded) = state
            .db()
            .call(move |c| {
                let (g, read) = fresh::snapshot(c, |tx| {
                    let status = store::status(tx, &key)?;
                    let first_names = store::first_names_missing(tx, &key)?;
                    Ok(store::load(tx, &key)?.map(|d| (d, status, first_names)))
                })?;
                Ok((
                    g,
                    read.map(|(d, status, first_names)| {
                        let mut l = Loaded::new(d);
                        l.status = status;
                        l.first_names_missing = first_names;
                        Arc::new(l)
                    }),
                ))
            })
            .await?;
        let loaded = loaded.ok_or_else(AppError::not_found)?;
        // Two first requests may both load; the first kept wins, and only it warms up.
        let (loaded, _) = self.cache.put(id, g, loaded);
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
        let now = self.generation(state)?;
        if let Some(r) = self.reports.get(id, now) {
            return Ok(r);
        }
        let key = id.to_string();
        let (g, r) = state
            .db()
            .call(move |c| Ok(fresh::snapshot(c, |tx| import::load_report(tx, &key))?))
            .await?;
        Ok(self.reports.put(id, g, Arc::new(r)).0)
    }

    /// The griffier's figures of every unit of an election, cached.
    pub async fn figures(
        &self,
        state: &AppState,
        id: &str,
    ) -> Result<Arc<griffier::Figures>, AppError> {
        let now = self.generation(state)?;
        if let Some(f) = self.figures.get(id, now) {
            return Ok(f);
        }
        let key = id.to_string();
        let (g, f) = state
            .db()
            .call(move |c| Ok(fresh::snapshot(c, |tx| griffier::load_all(tx, &key))?))
            .await?;
        Ok(self.figures.put(id, g, Arc::new(f)).0)
    }

    /// The search index over all stored elections (built once per generation).
    pub async fn search_index(&self, state: &AppState) -> Result<Arc<search::Index>, AppError> {
        let now = self.generation(state)?;
        if let Some(ix) = self.search.get("", now) {
            return Ok(ix);
        }
        let _one = self.loading_search.lock().await;
        let now = self.generation(state)?;
        if let Some(ix) = self.search.get("", now) {
            return Ok(ix);
        }
        let (g, ix) = state
            .db()
            .call(|c| Ok(fresh::snapshot(c, search::Index::build)?))
            .await?;
        Ok(self.search.put("", g, Arc::new(ix)).0)
    }

    /// Forgets cached elections (after delete, import or demo reset) to free their memory;
    /// what is shown never depends on it, since every cached value is checked against the
    /// database's generation.
    pub fn invalidate(&self) {
        self.search.clear();
        self.cache.clear();
        self.reports.clear();
        self.figures.clear();
        if let Ok(mut e) = self.elections.write() {
            *e = None;
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
        .migration("0005_generation", fresh::MIGRATION_0005)
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
