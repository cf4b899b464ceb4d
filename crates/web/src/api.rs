//! The JSON API, its OpenAPI document and a human page about it — all from one table.

use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use kieswet::{Apportionment, Party};
use maud::{Markup, html};
use serde_json::{Value, json};
use webkit::layout::{Cell, Column, Table};
use webkit::{AppError, AppState, Ctx, page};

use crate::model::Loaded;
use crate::whatif::{self, Question};
use crate::{Election, WebState, store};

/// One documented endpoint.
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
    /// Path and query parameters (besides `lang`, which every read accepts).
    pub params: &'static [Param],
    /// Needs a logged-in `beheer` user and the `X-CSRF-Token` header.
    pub beheer: bool,
}

/// One path or query parameter of an endpoint, with what it accepts; the OpenAPI document
/// ([`Param::openapi`]) and the check for unknown parameters (`api_http`) are made from it.
pub struct Param {
    pub name: &'static str,
    /// `path` or `query`.
    pub at: &'static str,
    pub description: &'static str,
    pub required: bool,
    pub kind: ParamKind,
}

/// What a parameter accepts.
pub enum ParamKind {
    /// Text: an id, or search words.
    Text,
    /// A whole number from `min` to `max` inclusive; `default` when left out.
    Integer {
        min: u64,
        max: u64,
        default: Option<u64>,
    },
    /// The number of a list of this election (a whole number from 1); empty is the same as
    /// left out.
    ListNumber,
    /// A whole number of votes from `min` to [`kieswet::MAX_VOTES`], digits only or grouped by
    /// three with `.`, `,` or a space (`2.500`); empty is the same as left out.
    Votes { min: u64 },
    /// Repeatable (`lot=…&lot=…`), each value matching `pattern`, in order.
    Repeated { pattern: &'static str },
    /// One parameter `v{N}` per list number N (`v1=1200&v4=0`): an OpenAPI object parameter
    /// with `style: form, explode: true`, whose property names are the parameter names.
    VotesPerList,
}

/// The pattern of the names of [`ParamKind::VotesPerList`]'s parameters.
pub const VOTES_PER_LIST_NAME: &str = "^v[0-9]+$";

impl Param {
    /// Whether the query parameter `key` is this one.
    pub fn names(&self, key: &str) -> bool {
        match self.kind {
            ParamKind::VotesPerList => key
                .strip_prefix('v')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
            _ => key == self.name,
        }
    }

    /// The parameter's schema (OpenAPI 3.0).
    pub fn schema(&self) -> Value {
        let votes = |min: u64| {
            json!({ "type": "integer", "minimum": min, "maximum": kieswet::MAX_VOTES,
                "description": "Digits, or grouped by three with `.`, `,` or a space (2.500)." })
        };
        match self.kind {
            ParamKind::Text => json!({ "type": "string" }),
            ParamKind::Integer { min, max, default } => {
                let mut s = json!({ "type": "integer", "minimum": min, "maximum": max });
                if let Some(d) = default {
                    s["default"] = json!(d);
                }
                s
            }
            ParamKind::ListNumber => json!({ "type": "integer", "minimum": 1 }),
            ParamKind::Votes { min } => votes(min),
            ParamKind::Repeated { pattern } => {
                json!({ "type": "array", "items": { "type": "string", "pattern": pattern } })
            }
            ParamKind::VotesPerList => json!({
                "type": "object",
                "additionalProperties": votes(0),
                "x-property-name-pattern": VOTES_PER_LIST_NAME,
                "example": { "v1": 1200, "v4": 0 },
            }),
        }
    }

    /// The parameter object of the OpenAPI document.
    pub fn openapi(&self) -> Value {
        let mut p = json!({
            "name": self.name,
            "in": self.at,
            "required": self.required,
            "description": self.description,
            "schema": self.schema(),
        });
        match self.kind {
            ParamKind::Repeated { .. } | ParamKind::VotesPerList => {
                p["style"] = json!("form");
                p["explode"] = json!(true);
            }
            ParamKind::ListNumber | ParamKind::Votes { .. } => p["allowEmptyValue"] = json!(true),
            ParamKind::Text | ParamKind::Integer { .. } => {}
        }
        p
    }
}

/// `lang`: accepted by every read (the pages' language, remembered in a cookie); the API's
/// answers are the same in both, giving Dutch and English texts side by side where they differ.
pub const LANG: Param = Param {
    name: "lang",
    at: "query",
    description: "nl or en: the language of the web pages, accepted everywhere. The JSON answers do not depend on it (texts come in Dutch and, where offered, English fields such as message_en).",
    required: false,
    kind: ParamKind::Text,
};

const ID: Param = Param {
    name: "id",
    at: "path",
    description: "Election id, e.g. demo-tk",
    required: true,
    kind: ParamKind::Text,
};

pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: "get",
        path: "/api/elections",
        nl: "Alle verkiezingen.",
        en: "All elections.",
        params: &[],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}",
        nl: "Eén verkiezing: lijsten, stemmen, zetels, opkomst, kiesdeler.",
        en: "One election: lists, votes, seats, turnout, quota.",
        params: &[ID],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}/result",
        nl: "De volledige uitslag met elke stap en het artikel (het uitvoerformaat van `stembus apportion --json`).",
        en: "The full result with every step and its article (the output format of `stembus apportion --json`).",
        params: &[ID],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}/candidates",
        nl: "Gekozen kandidaten en de volgorde per lijst (P 19). De volgorde is leeg voor een lijst zonder gekozen kandidaten (P 19 lid 5, vanaf 19 zetels).",
        en: "Elected candidates and the ranking per list (P 19). The ranking is empty for a list without elected candidates (P 19 paragraph 5, from 19 seats).",
        params: &[ID],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}/margins",
        nl: "Marges: stemmen nodig voor één zetel meer, en stemmen die een lijst kan missen.",
        en: "Margins: votes needed for one more seat, and votes a list can lose.",
        params: &[ID],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}/reform",
        nl: "Zetels onder de huidige wet en de voorstellen.",
        en: "Seats under the current law and the proposals.",
        params: &[ID],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}/what-if",
        nl: "Zetels bij andere stemmen. Parameters: v{nummer}=stemmen, van, naar, aantal, lot (herhaald, bv. party:4).",
        en: "Seats with other votes. Parameters: v{number}=votes, van (from), naar (to), aantal (count), lot (repeated, e.g. party:4).",
        params: &[
            ID,
            Param {
                name: "votes",
                at: "query",
                description: "New votes per list: one parameter v{N} per list number N of this election, e.g. v1=1200&v4=0 (the name `votes` itself is not sent: form style, exploded). A list number the election does not have, or more than 1,000,000,000,000 votes for a list or for all lists together, gives 400.",
                required: false,
                kind: ParamKind::VotesPerList,
            },
            Param {
                name: "van",
                at: "query",
                description: "Move votes from this list (its number). With naar and aantal; all three or none.",
                required: false,
                kind: ParamKind::ListNumber,
            },
            Param {
                name: "naar",
                at: "query",
                description: "Move votes to this list (its number, another list than van).",
                required: false,
                kind: ParamKind::ListNumber,
            },
            Param {
                name: "aantal",
                at: "query",
                description: "Number of votes to move: at least 1, at most the votes of list van (after the v{N} changes).",
                required: false,
                kind: ParamKind::Votes { min: 1 },
            },
            Param {
                name: "lot",
                at: "query",
                description: "Chosen lot outcome, repeated in the order the lots are asked: party:N (list N), cand:L:P (list L, position P) or group:P:K (list of group P in kieskring K). Must be one of the options the answer's lot_required gives.",
                required: false,
                kind: ParamKind::Repeated {
                    pattern: "^(party:[0-9]+|cand:[0-9]+:[0-9]+|group:[0-9]+:[0-9]+)$",
                },
            },
        ],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}/units/{unit}",
        nl: "Eén gebied (land, kieskring, gemeente, stembureau) met stemmen per lijst en de onderdelen.",
        en: "One area (country, district, municipality, polling station) with votes per list and its parts.",
        params: &[
            ID,
            Param {
                name: "unit",
                at: "path",
                description: "Unit id, e.g. NL or KK01",
                required: true,
                kind: ParamKind::Text,
            },
        ],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}/verification",
        nl: "De controle van een ingelezen officiële uitslag: zetels en gekozen kandidaten officieel en herberekend, fouten en waarschuwingen met code, melding en bestand.",
        en: "The verification of an imported official result: seats and elected candidates official and recomputed, errors and warnings with code, message and file.",
        params: &[ID],
        beheer: false,
    },
    Endpoint {
        method: "get",
        path: "/api/elections/{id}/versions",
        nl: "Alle versies van een ingelezen verkiezing, nieuwste eerst: tijd, gebruiker, bestanden met SHA-256 en wat er anders werd.",
        en: "Every version of an imported election, newest first: time, user, files with SHA-256 and what changed.",
        params: &[ID],
        beheer: false,
    },
    Endpoint {
        method: "post",
        path: "/api/elections/import",
        nl: "Leest officiële bestanden in (multipart/form-data, veld `bestand`, een of meer zip-, EML- of CSV-bestanden; alleen beheer). Antwoord: per verkiezing ingelezen (status, versie, wat er anders werd) of niet, en waarom.",
        en: "Imports official files (multipart/form-data, field `bestand`, one or more zip, EML or CSV files; admins only). Answer: per election imported (status, version, what changed) or not, and why.",
        params: &[],
        beheer: true,
    },
    Endpoint {
        method: "delete",
        path: "/api/elections/{id}",
        nl: "Verwijdert een verkiezing (alleen beheer).",
        en: "Deletes an election (admins only).",
        params: &[ID],
        beheer: true,
    },
    Endpoint {
        method: "post",
        path: "/api/demo/reset",
        nl: "Maakt de demo opnieuw (alleen beheer).",
        en: "Recreates the demo (admins only).",
        params: &[],
        beheer: true,
    },
    Endpoint {
        method: "get",
        path: "/api/search",
        nl: "Zoeken in alle verkiezingen: verkiezingen, gemeenten en andere gebieden, partijen en kandidaten (met lijst en plaats op de lijst). Het begin van elk woord is genoeg; hoofdletters en accenten maken niet uit. Per soort het aantal gevonden en de beste resultaten.",
        en: "Search all elections: elections, municipalities and other areas, parties and candidates (with list and position). The start of each word is enough; case and accents do not matter. Per kind the number found and the best results.",
        params: &[
            Param {
                name: "q",
                at: "query",
                description: "Search words (required, not empty). Only the first 100 characters and the first 8 words are used.",
                required: true,
                kind: ParamKind::Text,
            },
            Param {
                name: "limit",
                at: "query",
                description: "Results per kind.",
                required: false,
                kind: ParamKind::Integer {
                    min: 1,
                    max: crate::search::MAX_LIMIT as u64,
                    default: Some(crate::find::PAGE_LIMIT as u64),
                },
            },
        ],
        beheer: false,
    },
];

pub async fn openapi() -> Json<Value> {
    let mut paths = serde_json::Map::new();
    for e in ENDPOINTS {
        let mut params: Vec<Value> = e.params.iter().map(Param::openapi).collect();
        if e.method == "get" {
            params.push(LANG.openapi());
        }
        let schema = crate::api_schema::response_schema(e.method, e.path).map_or_else(
            || json!({}),
            |n| json!({ "$ref": format!("#/components/schemas/{n}") }),
        );
        let error = json!({ "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
        let mut op = json!({
            "summary": e.en,
            "description": e.nl,
            "parameters": params,
            "responses": {
                "200": { "description": "OK", "content": { "application/json": { "schema": schema } } },
                "400": { "description": "Invalid or unknown parameter", "content": error["content"] },
                "404": { "description": "Not found", "content": error["content"] }
            }
        });
        if e.method == "get" {
            op["responses"]["200"]["headers"] = json!({
                "ETag": { "description": "SHA-256 of the body; send it back in If-None-Match", "schema": { "type": "string" } },
                "Cache-Control": { "description": "public, no-cache: keep it, but ask again (an import can change it)", "schema": { "type": "string" } }
            });
            op["responses"]["304"] =
                json!({ "description": "Not modified (If-None-Match matched the ETag)" });
        }
        if e.path == "/api/elections/import" {
            op["requestBody"] = json!({ "required": true, "content": { "multipart/form-data": { "schema": {
                "type": "object", "properties": { "bestand": { "type": "array", "items": { "type": "string", "format": "binary" } } } } } } });
            op["responses"]["413"] = json!({ "description": "Upload larger than the limit" });
        }
        if e.beheer {
            op["security"] = json!([{ "session": [], "csrf": [] }]);
            op["responses"]["401"] = json!({ "description": "Not logged in" });
            op["responses"]["403"] =
                json!({ "description": "Not allowed, or missing/wrong X-CSRF-Token" });
        }
        let entry = paths.entry(e.path.to_string()).or_insert_with(|| json!({}));
        entry[e.method] = op;
    }
    Json(json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Stembus API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Election results and the seat apportionment of the Dutch Kieswet, with every step. Read-only endpoints need no login.",
            "license": { "name": "EUPL-1.2" }
        },
        "paths": paths,
        "components": {
            "schemas": crate::api_schema::components(),
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "stembus_session" },
                "csrf": { "type": "apiKey", "in": "header", "name": "X-CSRF-Token" }
            }
        }
    }))
}

pub async fn docs(ctx: Ctx) -> Markup {
    let lang = ctx.lang;
    let mut t = Table::new(
        "api-endpoints",
        lang.t("Alle adressen van de API", "All API endpoints"),
        vec![
            Column::text(lang.t("Methode", "Method")),
            Column::text(lang.t("Adres", "Path")),
            Column::text(lang.t("Wat krijgt u", "What you get")),
            Column::text(lang.t("Parameters", "Parameters")),
        ],
    );
    for e in ENDPOINTS {
        let names: Vec<&str> = e
            .params
            .iter()
            .filter(|p| p.at == "query")
            .map(|p| match p.kind {
                ParamKind::VotesPerList => "v{N}",
                _ => p.name,
            })
            .collect();
        t.row(vec![
            Cell::new(e.method.to_uppercase()),
            Cell::new(e.path).html(html! { code { (e.path) } }),
            Cell::new(lang.t(e.nl, e.en)),
            Cell::new(names.join(", ")).html(html! {
                @for (i, n) in names.iter().enumerate() { @if i > 0 { ", " } code { (n) } }
            }),
        ]);
    }
    page(
        &ctx,
        lang.t(
            "Gegevens voor ontwikkelaars (API)",
            "Data for developers (API)",
        ),
        html! {
            h1 { (lang.t("Gegevens voor ontwikkelaars (API)", "Data for developers (API)")) }
            p { (lang.t(
                "Alle uitslagen en berekeningen zijn ook beschikbaar als JSON. U hoeft niet in te loggen om gegevens te lezen.",
                "All results and calculations are also available as JSON. You do not need to log in to read data.")) }
            p { (lang.t("De beschrijving in OpenAPI-formaat: ", "The description in OpenAPI format: ")) a href="/api/openapi.json" { "/api/openapi.json" } }
            (t.render(lang))
            h2 { (lang.t("Uitkomst van de controle", "Outcome of the verification")) }
            p { (lang.t(
                "Het veld verification van een ingelezen verkiezing heeft een van deze waarden (null voor de demo):",
                "The field verification of an imported election has one of these values (null for the demo):")) }
            (crate::status::legend(lang))
            p { (lang.t(
                "Elk leesadres stuurt een ETag mee. Stuur die terug in If-None-Match: is er niets veranderd, dan krijgt u 304 zonder inhoud. Een onbekende parameter geeft 400.",
                "Every read endpoint sends an ETag. Send it back in If-None-Match: if nothing changed you get 304 without a body. An unknown parameter gives 400.")) }
            h2 { (lang.t("Voorbeeld", "Example")) }
            pre { code { "curl http://127.0.0.1:8080/api/elections/demo-gr-lindewaarde" } }
            p { (lang.t(
                "Wijzigen (verwijderen, demo opnieuw maken) kan alleen als beheerder. Stuur dan de sessiecookie mee en de kop X-CSRF-Token.",
                "Changes (delete, recreate demo) are for administrators only. Send the session cookie and the X-CSRF-Token header.")) }
        },
    )
}

/// `GET /api/elections`: from memory, like the home page ([`crate::Web::elections`]).
pub async fn elections(
    State(state): State<AppState>,
    Extension(web): WebState,
) -> Result<Json<Value>, AppError> {
    let list = web.elections(&state).await?;
    Ok(Json(json!({ "elections": list.list })))
}

fn summary(l: &Loaded) -> Value {
    let root = l.root();
    let (blank, invalid) = root.map_or((0, 0), |r| l.unit_blank_invalid(r));
    let valid: u64 = l.election.parties.iter().map(Party::votes).sum();
    let o = l.complete();
    json!({
        "id": l.id(),
        "name": l.meta.name,
        "body": l.meta.body,
        "date": l.meta.date,
        "seats": l.meta.seats,
        "source": l.meta.source,
        "verification": l.status.map(crate::status::ResultStatus::code),
        "electorate": l.electorate(),
        "electorate_unknown_reason": root.and_then(|r| l.electorates[r].reason(webkit::Lang::Nl)),
        "valid_votes": valid,
        "blank": blank,
        "invalid": invalid,
        "kiesdeler": o.map(|o| o.kiesdeler.to_ratio_string()),
        "kiesdeler_decimal": o.map(|o| o.kiesdeler.to_decimal(4)),
        "preference_threshold": o.map(|o| o.preference_threshold.to_ratio_string()),
        "lot_required": matches!(l.outcome, Ok(Apportionment::LotRequired(_))),
        "lists": l.election.parties.iter().enumerate().map(|(i, p)| json!({
            "number": p.number,
            "name": p.name,
            "votes": p.votes(),
            "full_seats": o.map(|o| o.parties[i].full_seats),
            "seats": o.map(|o| o.parties[i].seats),
        })).collect::<Vec<_>>(),
    })
}

pub async fn election(Election(l): Election) -> Result<Json<Value>, AppError> {
    Ok(Json(summary(&l)))
}

pub async fn result(Election(l): Election) -> Result<Response, AppError> {
    match &l.outcome {
        Ok(a) => Ok(Json(kieswet::json::result_json(&l.election, a, None)).into_response()),
        Err(e) => Err(AppError::bad_request(e.to_string())),
    }
}

pub async fn candidates(Election(l): Election) -> Result<Json<Value>, AppError> {
    let o = l
        .complete()
        .ok_or_else(|| AppError::bad_request("geen volledige uitslag (loting nodig?)"))?;
    Ok(Json(json!({
        "preference_threshold": o.preference_threshold.to_ratio_string(),
        "elected": o.elected,
        "rankings": l.election.parties.iter().zip(l.rankings()).map(|(p, (n, ranking))| json!({
            "list": n,
            "ranking": ranking.iter().map(|r| {
                let mut entry = json!(r);
                entry["name"] = json!(r.candidate(p).map_or("", |c| c.name.as_str()));
                entry
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })))
}

pub async fn margins(Election(l): Election) -> Result<Json<Value>, AppError> {
    let m = crate::Web::margins(&l, crate::pages::MARGIN_WAIT)
        .await
        .ok_or_else(crate::pages::still_computing)?
        .as_ref()
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    Ok(Json(serde_json::to_value(m).unwrap_or(Value::Null)))
}

pub async fn reform(Election(l): Election) -> Result<Json<Value>, AppError> {
    let rulesets: Vec<Value> = l
        .reform()
        .iter()
        .map(|(r, res)| match res {
            Ok(Apportionment::Complete(o)) => json!({
                "ruleset": r,
                "seats": o.parties.iter().map(|p| json!({ "number": p.number, "seats": p.seats })).collect::<Vec<_>>(),
                "elected": o.elected,
                "assumptions": o.assumptions.iter().map(kieswet::Assumption::describe_nl).collect::<Vec<_>>(),
                "assumptions_en": o.assumptions.iter().map(kieswet::Assumption::describe_en).collect::<Vec<_>>(),
            }),
            Ok(Apportionment::LotRequired(lr)) => json!({
                "ruleset": r,
                "lot_required": lr.reason.describe_nl(),
                "lot_required_en": lr.reason.describe_en(),
                "options": lr.options,
            }),
            Err(e) => json!({
                "ruleset": r,
                "error": e.to_string(),
                "error_en": format!("{}: {}", e.field, e.message_en()),
            }),
        })
        .collect();
    Ok(Json(json!({
        "assumption": "Met één stem meer keus: votes on the list leader (position 1) count as list votes.",
        "rulesets": rulesets,
    })))
}

pub async fn what_if(
    Election(l): Election,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, AppError> {
    let q = Question::parse(&params, &l)
        .map_err(|e| AppError::bad_request(whatif::ParamError::api_message(&e)))?;
    let a = whatif::answer(&l, &q).map_err(|e| {
        AppError::bad_request(format!(
            "{}: {} / {}",
            e.field,
            e.message_nl(),
            e.message_en()
        ))
    })?;
    Ok(Json(json!({
        "summary": a.summary(webkit::Lang::Nl, &q),
        "summary_en": a.summary(webkit::Lang::En, &q),
        "lists": a.rows,
        "lots": a.lots,
        "lot_required": a.lot_required.as_ref().map(|r| json!({
            "reason": r.reason.describe_nl(),
            "reason_en": r.reason.describe_en(),
            "options": r.options.iter().map(|o| json!({ "choice": o, "code": whatif::lot_code(o) })).collect::<Vec<_>>(),
        })),
    })))
}

pub async fn unit(
    State(state): State<AppState>,
    Extension(web): WebState,
    Election(l): Election,
    Path((_, unit)): Path<(String, String)>,
) -> Result<Json<Value>, AppError> {
    let ui = *l.unit_index.get(&unit).ok_or_else(AppError::not_found)?;
    let (figures, findings) = crate::griffier::for_unit(&state, &web, l.id(), &unit).await?;
    let (griffier, findings) =
        crate::griffier::json(&figures, &findings.iter().collect::<Vec<_>>());
    let u = &l.units[ui];
    let (blank, invalid) = l.unit_blank_invalid(ui);
    Ok(Json(json!({
        "id": u.data.id,
        "name": u.data.name,
        "level": u.data.level,
        "parent": u.data.parent,
        "kieskring": u.kieskring,
        "electorate": l.unit_electorate(ui),
        "electorate_unknown_reason": l.electorates[ui].reason(webkit::Lang::Nl),
        "valid_votes": u.valid(),
        "blank": blank,
        "invalid": invalid,
        "lists": l.meta.parties.iter().zip(&u.party_votes).map(|(p, v)| json!({ "number": p.number, "name": p.name, "votes": v })).collect::<Vec<_>>(),
        "candidates": unit_candidates(&l, u),
        "griffier": griffier,
        "findings": findings,
        "children": u.children.iter().map(|&c| json!({ "id": l.units[c].data.id, "name": l.units[c].data.name, "level": l.units[c].data.level, "valid_votes": l.units[c].valid() })).collect::<Vec<_>>(),
    })))
}

/// Votes per candidate in a unit (list votes, position 0, as `list_votes` per list).
fn unit_candidates(l: &Loaded, u: &crate::model::Unit) -> Vec<Value> {
    u.candidate_votes
        .iter()
        .filter(|((_, position), _)| *position > 0)
        .map(|(&(list, position), &votes)| {
            let name = l
                .meta
                .parties
                .iter()
                .find(|p| p.number == list)
                .and_then(|p| {
                    let kk = u.kieskring;
                    p.lists
                        .iter()
                        .find(|x| {
                            x.kieskringen.is_empty()
                                || kk.is_some_and(|k| x.kieskringen.contains(&k))
                        })
                        .or(p.lists.first())
                })
                .and_then(|x| x.candidates.iter().find(|c| c.position == position))
                .map(|c| c.name.as_str());
            json!({ "list": list, "position": position, "name": name, "votes": votes })
        })
        .collect()
}

pub async fn versions(
    State(state): State<AppState>,
    Election(l): Election,
) -> Result<Json<Value>, AppError> {
    let id = l.id().to_string();
    let vs = state
        .db()
        .call(move |c| Ok(crate::versions::history(c, &id)?))
        .await?;
    Ok(Json(json!({ "versions": vs })))
}

/// `POST /api/elections/import` (multipart, beheer): the import's summary as JSON.
pub async fn import(
    ctx: Ctx,
    State(state): State<AppState>,
    Extension(web): WebState,
    req: axum::extract::Request,
) -> Result<Json<Value>, AppError> {
    let summary = crate::verification::import_request(&ctx, &state, &web, req).await?;
    Ok(Json(serde_json::to_value(&summary).unwrap_or(Value::Null)))
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(web): WebState,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let found = state.db().call(move |c| Ok(store::delete(c, &id)?)).await?;
    web.invalidate();
    if found {
        Ok(Json(json!({ "deleted": true })))
    } else {
        Err(AppError::not_found())
    }
}

pub async fn reset_demo(
    State(state): State<AppState>,
    Extension(web): WebState,
) -> Result<Json<Value>, AppError> {
    state.db().call(|c| Ok(store::reset_demo(c)?)).await?;
    web.invalidate();
    Ok(Json(json!({ "reset": true })))
}

pub async fn verification(
    State(state): State<AppState>,
    Extension(web): WebState,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let r = web.report(&state, &id).await?;
    match r.as_ref() {
        Some(r) => Ok(Json(serde_json::to_value(r).unwrap_or(Value::Null))),
        None => Err(AppError::not_found()),
    }
}
