//! Organisations.

use super::{Cached, Connection, Error, OptionalExtension, OrgKind, Result, params, query_all};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    /// The webkit organisation key (e.g. `testdorp`), used in URLs and role grants.
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
}

/// Registers (or renames) an organisation. `id` is the webkit organisation key.
pub fn upsert_org(conn: &Connection, id: &str, name: &str, kind: OrgKind) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_org (org_id, name, kind) VALUES (?1, ?2, ?3)
         ON CONFLICT(org_id) DO UPDATE SET name = excluded.name, kind = excluded.kind",
        params![id, name, kind.as_str()],
    )?;
    Ok(())
}

pub fn org(conn: &Connection, id: &str) -> Result<Org> {
    conn.query_row_c(
        "SELECT org_id, name, kind FROM qs_org WHERE org_id = ?1",
        [id],
        |r| {
            Ok(Org {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: OrgKind::parse(&r.get::<_, String>(2)?).unwrap_or(OrgKind::Gemeente),
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound)
}

pub fn orgs(conn: &Connection) -> Result<Vec<Org>> {
    let ids: Vec<String> = query_all(conn, "SELECT org_id FROM qs_org ORDER BY name", [], |r| {
        r.get(0)
    })?;
    ids.iter().map(|id| org(conn, id)).collect()
}
