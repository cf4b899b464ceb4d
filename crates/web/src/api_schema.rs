//! The OpenAPI schemas of every API response, written by hand (no derive macro), and a small
//! validator. The test `api_schema` fetches a real response from every endpoint and validates
//! it against its schema, so the description cannot drift from what the API sends.
//!
//! The validator knows the part of JSON Schema (OpenAPI 3.0) used here: `type`, `nullable`,
//! `properties` + `required`, `additionalProperties` (a schema), `items`, `enum`, `$ref` to
//! `#/components/schemas/…` and `oneOf`. An object's properties not listed are refused unless
//! `additionalProperties` allows them, so a new field needs a line here.

use serde_json::{Value, json};

/// The response schema (a component name) of each endpoint (`method`, `path` as in
/// [`crate::api::ENDPOINTS`]).
pub fn response_schema(method: &str, path: &str) -> Option<&'static str> {
    Some(match (method, path) {
        ("get", "/api/elections") => "ElectionList",
        ("get", "/api/elections/{id}") => "Election",
        ("get", "/api/elections/{id}/result") => "Result",
        ("get", "/api/elections/{id}/candidates") => "Candidates",
        ("get", "/api/elections/{id}/margins") => "Margins",
        ("get", "/api/elections/{id}/reform") => "Reform",
        ("get", "/api/elections/{id}/what-if") => "WhatIf",
        ("get", "/api/elections/{id}/units/{unit}") => "Unit",
        ("get", "/api/elections/{id}/verification") => "Verification",
        ("get", "/api/elections/{id}/versions") => "Versions",
        ("get", "/api/search") => "Search",
        ("post", "/api/elections/import") => "ImportSummary",
        ("delete", "/api/elections/{id}") => "Deleted",
        ("post", "/api/demo/reset") => "Reset",
        _ => return None,
    })
}

fn s() -> Value {
    json!({ "type": "string" })
}
fn ns() -> Value {
    json!({ "type": "string", "nullable": true })
}
fn int() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}
fn nint() -> Value {
    json!({ "type": "integer", "minimum": 0, "nullable": true })
}
fn b() -> Value {
    json!({ "type": "boolean" })
}
fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}
#[allow(clippy::needless_pass_by_value)]
fn arr(items: Value) -> Value {
    json!({ "type": "array", "items": items })
}
/// An object with exactly these properties, all required unless listed in `optional`.
fn obj(props: &[(&str, Value)], optional: &[&str]) -> Value {
    let mut p = serde_json::Map::new();
    let mut req = Vec::new();
    for (k, v) in props {
        p.insert((*k).to_string(), v.clone());
        if !optional.contains(k) {
            req.push(json!(k));
        }
    }
    json!({ "type": "object", "properties": p, "required": req, "additionalProperties": false })
}

fn status_enum(nullable: bool) -> Value {
    let codes: Vec<&str> = crate::status::ResultStatus::ALL
        .iter()
        .map(|s| s.code())
        .collect();
    json!({ "type": "string", "nullable": nullable, "enum": codes,
        "description": "ok | lot: equal to the official result (lot: with a lot taken from it), no errors; count_errors: equal, but the counts have errors; mismatch: differs; no_official: computed, no official result imported; incomplete: a part is missing; damaged: a file could not be read. null for the demo." })
}

/// Every schema, for `components.schemas`.
pub fn components() -> Value {
    let elected = obj(
        &[
            ("list", int()),
            ("list_index", int()),
            ("position", int()),
            ("name", s()),
            ("votes", int()),
            (
                "by",
                json!({ "type": "string", "enum": ["preference", "list_order", "list_seat", "candidate_seat"],
                    "description": "preference: on preference votes (P 15); list_order: in list order (P 17); list_seat / candidate_seat: the proposal Met één stem meer keus." }),
            ),
        ],
        &["list_index"],
    );
    let finding = obj(
        &[
            (
                "severity",
                json!({ "type": "string", "enum": ["warning", "error"] }),
            ),
            ("code", s()),
            ("message_nl", s()),
            ("message_en", s()),
            ("found", nint()),
            ("expected", nint()),
            ("files", arr(s())),
            ("unit", ns()),
            ("unit_id", ns()),
        ],
        &[],
    );
    let file_hash = obj(&[("name", s()), ("sha256", s()), ("bytes", int())], &[]);
    let changes = obj(
        &[
            ("replaces", nint()),
            ("status_before", ns()),
            (
                "seats",
                arr(obj(
                    &[
                        ("number", int()),
                        ("name", s()),
                        ("before", nint()),
                        ("after", nint()),
                    ],
                    &[],
                )),
            ),
            ("elected_in", arr(s())),
            ("elected_out", arr(s())),
            ("counts_changed", int()),
            ("counts_added", int()),
            ("counts_removed", int()),
            ("units_added", int()),
            ("units_removed", int()),
            ("units_changed", int()),
            ("same_files", b()),
        ],
        &[],
    );
    let step = json!({ "type": "object", "required": ["article", "text"],
        "properties": { "article": s(), "text": s() },
        "additionalProperties": {},
        "description": "One step of the calculation: its article, the Dutch text and the values that decided it (`detail`)." });
    json!({
        "Error": obj(&[("error", s())], &[]),
        "ElectionSummary": obj(&[
            ("id", s()), ("name", s()), ("body", s()), ("date", s()), ("seats", int()),
            ("source", json!({ "type": "string", "enum": ["demo", "import"] })),
            ("description", s()), ("verification", status_enum(true)),
        ], &[]),
        "ElectionList": obj(&[("elections", arr(r("ElectionSummary")))], &[]),
        "Election": obj(&[
            ("id", s()), ("name", s()), ("body", s()), ("date", s()), ("seats", int()),
            ("source", json!({ "type": "string", "enum": ["demo", "import"] })),
            ("verification", status_enum(true)),
            ("electorate", json!({ "type": "integer", "minimum": 0, "nullable": true,
                "description": "Kiesgerechtigden; null when unknown or unsound (see electorate_unknown_reason)." })),
            ("electorate_unknown_reason", ns()),
            ("valid_votes", int()), ("blank", int()), ("invalid", int()),
            ("kiesdeler", json!({ "type": "string", "nullable": true, "description": "Exact, as num/den." })),
            ("kiesdeler_decimal", ns()),
            ("preference_threshold", ns()),
            ("lot_required", b()),
            ("lists", arr(obj(&[
                ("number", int()), ("name", s()), ("votes", int()),
                ("full_seats", nint()), ("seats", nint()),
            ], &[]))),
        ], &[]),
        "Elected": elected,
        "Step": step,
        "Result": { "type": "object",
            "required": ["body", "ruleset", "current_law", "seats", "elected", "steps"],
            "properties": {
                "body": s(), "ruleset": s(), "current_law": b(),
                "seats": { "type": "object", "additionalProperties": int(), "description": "Seats per list number." },
                "empty_seats": int(),
                "elected": arr(r("Elected")),
                "steps": arr(r("Step")),
            },
            "additionalProperties": {},
            "description": "The output of `stembus apportion --json` (see the README: kiesdeler, lot_required, margins, next_seat, assumptions)." },
        "RankedCandidate": obj(&[
            ("rank", int()), ("list_index", int()), ("candidate_index", int()), ("position", int()),
            ("name", s()), ("votes", int()), ("above_threshold", b()), ("elected", b()),
        ], &[]),
        "Candidates": obj(&[
            ("preference_threshold", s()),
            ("elected", arr(r("Elected"))),
            ("rankings", arr(obj(&[("list", int()), ("ranking", arr(r("RankedCandidate")))], &[]))),
        ], &[]),
        "Margins": obj(&[
            ("next_seat", nint()),
            ("parties", arr(obj(&[
                ("number", int()), ("seats", int()),
                ("gain", nint()), ("lose", nint()),
            ], &[]))),
        ], &[]),
        "Reform": obj(&[
            ("assumption", s()),
            ("rulesets", arr(json!({ "type": "object", "required": ["ruleset"],
                "properties": {
                    "ruleset": s(),
                    "seats": arr(obj(&[("number", int()), ("seats", int())], &[])),
                    "elected": arr(r("Elected")),
                    "assumptions": { "type": "array", "items": s(), "description": "What the run assumes that no law text fixes, in Dutch." },
                    "assumptions_en": { "type": "array", "items": s(), "description": "The same in English." },
                    "lot_required": { "type": "string", "description": "Why a lot is needed, in Dutch." },
                    "lot_required_en": { "type": "string", "description": "The same in English." },
                    "options": arr(json!({})),
                    "error": { "type": "string", "description": "Why the input cannot be computed: field path and message in Dutch." },
                    "error_en": { "type": "string", "description": "The same in English." },
                },
                "additionalProperties": false }))),
        ], &[]),
        "WhatIf": { "type": "object", "required": ["lists", "lots", "lot_required"],
            "properties": {
                "lists": arr(obj(&[
                    ("number", int()), ("name", s()), ("votes", int()), ("votes_before", int()),
                    ("seats", int()), ("seats_before", int()),
                ], &[])),
                "lots": arr(json!({})),
                "lot_required": { "type": "object", "nullable": true,
                    "properties": { "reason": s(), "reason_en": s(), "options": arr(json!({})) } },
            },
            "additionalProperties": {} },
        "Finding": finding,
        "Unit": obj(&[
            ("id", s()), ("name", s()),
            ("level", json!({ "type": "string", "enum": ["land", "kieskring", "gemeente", "stembureau"] })),
            ("parent", ns()), ("kieskring", nint()),
            ("electorate", json!({ "type": "integer", "minimum": 0, "nullable": true,
                "description": "Kiesgerechtigden; null when unknown or unsound (see electorate_unknown_reason)." })),
            ("electorate_unknown_reason", ns()),
            ("valid_votes", int()), ("blank", int()), ("invalid", int()),
            ("lists", arr(obj(&[("number", int()), ("name", s()), ("votes", int())], &[]))),
            ("candidates", arr(obj(&[("list", int()), ("position", int()), ("name", ns()), ("votes", int())], &[]))),
            ("griffier", json!({ "type": "object", "additionalProperties": int(),
                "description": "The figures of the proces-verbaal from the 510, by EML ReasonCode: toegelaten kiezers, geldige stempassen, geldige volmachtbewijzen, geldige kiezerspassen, meer/minder getelde stembiljetten and the explanations. Empty when the files state none." })),
            ("findings", arr(r("Finding"))),
            ("children", arr(obj(&[
                ("id", s()), ("name", s()),
                ("level", json!({ "type": "string", "enum": ["land", "kieskring", "gemeente", "stembureau"] })),
                ("valid_votes", int()),
            ], &[]))),
        ], &[]),
        "Verification": obj(&[
            ("election", s()),
            ("status", status_enum(false)),
            ("matches", b()),
            ("seats", nint()),
            ("lists", arr(obj(&[("number", int()), ("name", s()), ("official_seats", nint()), ("computed_seats", nint())], &[]))),
            ("candidates", arr(obj(&[
                ("list", int()), ("name", s()), ("position", nint()),
                ("official", json!({ "type": "boolean", "nullable": true, "description": "null when no official result was imported." })),
                ("computed", b()),
                ("official_preference", json!({ "type": "boolean", "nullable": true })),
                ("computed_preference", json!({ "type": "boolean", "nullable": true })),
            ], &[]))),
            ("mismatches", arr(r("Finding"))),
            ("lots", arr(obj(&[
                ("reason_nl", s()), ("options", arr(s())), ("drawn", s()), ("accepted", b()),
                ("message_nl", s()), ("message_en", s()),
            ], &[]))),
            ("warnings", arr(r("Finding"))),
            ("errors", arr(r("Finding"))),
            ("files", arr(s())),
            ("investigations", json!({
                "type": "array",
                "description": "Stembureaus whose count says they were investigated or corrected (kr:ReportingUnitInvestigations, 2026 format); unit is the area id.",
                "items": obj(&[
                    ("unit", s()), ("investigated", b()), ("corrected", b()),
                    ("summary_nl", s()), ("summary_en", s()),
                ], &[]),
            })),
        ], &[]),
        "FileHash": file_hash,
        "Changes": changes,
        "Versions": obj(&[("versions", arr(obj(&[
            ("version", int()), ("imported_at", json!({ "type": "integer", "description": "Unix time (seconds)." })),
            ("user", s()), ("run", json!({ "type": "integer", "nullable": true })),
            ("status", status_enum(false)),
            ("files", arr(r("FileHash"))),
            ("changes", r("Changes")),
        ], &[])))], &[]),
        "ImportSummary": obj(&[
            ("run", json!({ "type": "integer", "nullable": true })),
            ("elections", arr(obj(&[
                ("id", s()), ("name", s()), ("status", status_enum(false)), ("matches", b()),
                ("errors", int()), ("warnings", int()), ("units", int()), ("counts", int()),
                ("version", int()), ("changes", r("Changes")),
            ], &[]))),
            ("not_imported", arr(obj(&[("election", s()), ("name", s()), ("reason_nl", s()), ("reason_en", s())], &[]))),
            ("errors", arr(r("Finding"))),
            ("skipped", arr(s())),
            ("files", arr(r("FileHash"))),
        ], &[]),
        "Search": obj(&[
            ("query", s()),
            ("total", int()),
            ("groups", arr(obj(&[
                ("kind", json!({ "type": "string", "enum": ["election", "area", "party", "candidate"] })),
                ("total", int()),
                ("results", arr(obj(&[
                    ("kind", json!({ "type": "string", "enum": ["election", "area", "party", "candidate"] })),
                    ("name", s()),
                    ("detail", json!({ "type": "string", "description": "One line (Dutch) that tells this entry apart from others with the same name." })),
                    ("href", json!({ "type": "string", "description": "The page of this entry in the app." })),
                    ("election", obj(&[("id", s()), ("name", s()), ("date", s())], &[])),
                    ("list", json!({ "type": "integer", "description": "List number (parties, candidates)." })),
                    ("position", json!({ "type": "integer", "description": "Position on the list (candidates)." })),
                    ("level", json!({ "type": "string", "enum": ["gemeente", "kieskring", "stembureau"] })),
                ], &["election", "list", "position", "level"]))),
            ], &[]))),
        ], &[]),
        "Deleted": obj(&[("deleted", b())], &[]),
        "Reset": obj(&[("reset", b())], &[]),
    })
}

/// Validates `v` against `schema`; the error names the JSON path.
pub fn validate(schema: &Value, v: &Value, components: &Value) -> Result<(), String> {
    check(schema, v, components, "$")
}

fn check(schema: &Value, v: &Value, c: &Value, path: &str) -> Result<(), String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = c
            .get(name)
            .ok_or_else(|| format!("{path}: unknown $ref {reference}"))?;
        return check(target, v, c, path);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let ok = options
            .iter()
            .filter(|o| check(o, v, c, path).is_ok())
            .count();
        return if ok == 1 {
            Ok(())
        } else {
            Err(format!("{path}: matches {ok} of the oneOf schemas"))
        };
    }
    if v.is_null() {
        return if schema.get("nullable") == Some(&Value::Bool(true)) || schema.get("type").is_none()
        {
            Ok(())
        } else {
            Err(format!("{path}: null, but not nullable"))
        };
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(v)
    {
        return Err(format!("{path}: {v} is not one of {allowed:?}"));
    }
    match schema.get("type").and_then(Value::as_str) {
        None => Ok(()),
        Some("string") if v.is_string() => Ok(()),
        Some("boolean") if v.is_boolean() => Ok(()),
        Some("number") if v.is_number() => Ok(()),
        Some("integer") if v.is_i64() || v.is_u64() => {
            match schema.get("minimum").and_then(Value::as_i64) {
                Some(min) if v.as_i64().is_some_and(|x| x < min) => {
                    Err(format!("{path}: {v} below {min}"))
                }
                _ => Ok(()),
            }
        }
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            for (i, x) in v
                .as_array()
                .ok_or_else(|| format!("{path}: not an array"))?
                .iter()
                .enumerate()
            {
                check(&items, x, c, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        Some("object") => {
            let o = v
                .as_object()
                .ok_or_else(|| format!("{path}: not an object"))?;
            let props = schema.get("properties").and_then(Value::as_object);
            for k in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !o.contains_key(k) {
                    return Err(format!("{path}: missing {k}"));
                }
            }
            for (k, x) in o {
                let p = format!("{path}.{k}");
                match (
                    props.and_then(|p| p.get(k)),
                    schema.get("additionalProperties"),
                ) {
                    (Some(ps), _) => check(ps, x, c, &p)?,
                    (None, Some(Value::Bool(false))) => {
                        return Err(format!("{p}: not in the schema"));
                    }
                    (None, Some(extra)) if extra.is_object() => check(extra, x, c, &p)?,
                    (None, _) => {}
                }
            }
            Ok(())
        }
        Some(t) => Err(format!("{path}: {v} is not of type {t}")),
    }
}
