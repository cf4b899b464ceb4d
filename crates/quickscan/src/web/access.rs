//! Access checks shared by the trekker's pages.

use super::{AppError, AppState, Ctx, Redirect, Role, User, db, store};

pub(super) fn user(ctx: &Ctx) -> Result<&User, AppError> {
    ctx.user().ok_or_else(AppError::unauthorized)
}

/// The user must have one of `roles` for `org`.
pub(super) fn require(ctx: &Ctx, org: &str, roles: &[Role]) -> Result<String, AppError> {
    let u = user(ctx)?;
    if roles.iter().any(|r| u.has_role_in(*r, org)) {
        Ok(u.name.clone())
    } else {
        Err(AppError::forbidden(
            "U heeft geen toegang tot deze organisatie.",
        ))
    }
}

pub(super) const READ_SCAN: &[Role] = &[Role::Trekker, Role::Begeleider];
pub(super) const READ_REPORT: &[Role] = &[Role::Trekker, Role::Begeleider, Role::Commissie];

pub(super) fn actor(ctx: &Ctx) -> String {
    ctx.user()
        .map_or_else(|| "anoniem".into(), |u| u.name.clone())
}

/// Loads the scan and checks it belongs to `org` (so a role for one organisation never
/// reaches another organisation's scan).
pub(super) fn scan_of(
    c: &rusqlite::Connection,
    org: &str,
    scan: i64,
) -> store::Result<store::Scan> {
    let s = store::scan(c, scan)?;
    if s.org_id == org {
        Ok(s)
    } else {
        Err(store::Error::NotFound)
    }
}

/// Runs `f` in the database on the scan `scan` of `org` (see [`scan_of`]).
pub(super) async fn on_scan<T: Send + 'static>(
    st: &AppState,
    org: &str,
    scan: i64,
    f: impl FnOnce(&rusqlite::Connection, store::Scan) -> store::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    let org = org.to_owned();
    db(st, move |c| {
        let s = scan_of(c, &org, scan)?;
        f(c, s)
    })
    .await
}

/// Records in the audit log what `actor` did to scan `s`.
pub(super) fn audit_scan(
    c: &rusqlite::Connection,
    actor: &str,
    s: &store::Scan,
    action: &str,
    detail: &str,
) -> store::Result<()> {
    store::audit(c, actor, Some(&s.org_id), Some(s.id), action, detail)
}

pub(super) fn back(org: &str, scan: i64, anchor: &str) -> Redirect {
    Redirect::to(&format!("/qs/{org}/scans/{scan}{anchor}"))
}
