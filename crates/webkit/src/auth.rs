//! Users, Argon2id passwords, roles (optionally scoped to an organisation) and server-side
//! sessions (random 256-bit id in a cookie, only its BLAKE2b hash is stored).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::{Error, now, random_token};

/// The webkit migrations (users, roles, sessions).
pub(crate) const MIGRATIONS: &[crate::Migration] = &[crate::Migration {
    module: "webkit",
    id: "0001_users_sessions",
    sql: "
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE user_roles (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            org TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (user_id, role, org)
        );
        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX sessions_user ON sessions(user_id);
    ",
}];

/// Shortest accepted password.
pub const MIN_PASSWORD_LEN: usize = 12;

/// A role. `Beheer` (platform admin) passes every role check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Platform admin: import, delete, demo reset, user management.
    Beheer,
    /// Quick Scan: runs the scan for one organisation.
    Trekker,
    /// Quick Scan: supports several organisations, reads.
    Begeleider,
    /// Quick Scan: member of the local committee.
    Commissie,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Beheer,
        Role::Trekker,
        Role::Begeleider,
        Role::Commissie,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Beheer => "beheer",
            Role::Trekker => "trekker",
            Role::Begeleider => "begeleider",
            Role::Commissie => "commissie",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One role assignment; `org` is `None` for a platform-wide assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleGrant {
    pub role: Role,
    pub org: Option<String>,
}

/// A logged-in user as seen by a request.
#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub roles: Vec<RoleGrant>,
}

impl User {
    pub fn is_beheer(&self) -> bool {
        self.roles
            .iter()
            .any(|g| g.role == Role::Beheer && g.org.is_none())
    }

    /// Has `role` platform-wide (or is beheer).
    pub fn has_role(&self, role: Role) -> bool {
        self.is_beheer() || self.roles.iter().any(|g| g.role == role && g.org.is_none())
    }

    /// Has `role` for organisation `org`: scoped to it, platform-wide, or beheer.
    pub fn has_role_in(&self, role: Role, org: &str) -> bool {
        self.is_beheer()
            || self
                .roles
                .iter()
                .any(|g| g.role == role && g.org.as_deref().is_none_or(|o| o == org))
    }

    /// Organisations where the user has `role` (scoped assignments only).
    pub fn orgs_with(&self, role: Role) -> Vec<&str> {
        self.roles
            .iter()
            .filter(|g| g.role == role)
            .filter_map(|g| g.org.as_deref())
            .collect()
    }
}

/// Hashes a password with Argon2id (default parameters, random salt).
pub fn hash_password(password: &str) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Config(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Config(format!("wachtwoord hashen mislukt: {e}")))
}

/// Checks a password against a stored PHC hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Largest Argon2 memory a stored hash may ask for when checked (64 MiB; the default is 19 MiB).
const MAX_CHECK_BLOCKS: usize = 64 * 1024;

/// Checks a password against a stored PHC hash, with `memory` as Argon2's work area (grown
/// when needed and kept by the caller, so repeated checks reuse one allocation).
pub fn verify_password_in(memory: &mut Vec<argon2::Block>, password: &str, hash: &str) -> bool {
    let Ok(h) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        argon2::Algorithm::try_from(h.algorithm),
        argon2::Params::try_from(&h),
    ) else {
        return false;
    };
    let version = match h.version.map(argon2::Version::try_from) {
        None => argon2::Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let (Some(salt), Some(expected)) = (h.salt, h.hash) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let blocks = params.block_count();
    if blocks > MAX_CHECK_BLOCKS {
        return false;
    }
    if memory.len() < blocks {
        memory.resize(blocks, argon2::Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    argon2::Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok()
        && out.len() == expected.len()
        && out
            .iter()
            .zip(expected.as_bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A Argon2id hash of a random password, used to spend the same time when a user is unknown.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// Longest user name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Checks the rules for a user name (1 to [`MAX_NAME_CHARS`] characters after trimming, no
/// control characters); returns a B1 Dutch message when they are not met.
pub fn check_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() || name.chars().nth(MAX_NAME_CHARS).is_some() {
        return Err(format!(
            "Vul een gebruikersnaam in van 1 tot {MAX_NAME_CHARS} tekens."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("De gebruikersnaam mag geen besturingstekens bevatten.".into());
    }
    Ok(())
}

/// Checks the rules for a new account; returns a B1 Dutch message when they are not met.
pub fn check_new_account(name: &str, password: &str) -> Result<(), String> {
    check_name(name)?;
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(format!(
            "Het wachtwoord moet minstens {MIN_PASSWORD_LEN} tekens lang zijn."
        ));
    }
    Ok(())
}

/// Creates a user with the given roles. Fails when the name is taken.
pub fn create_user(
    conn: &mut Connection,
    name: &str,
    password: &str,
    roles: &[RoleGrant],
) -> Result<i64, Error> {
    check_new_account(name, password).map_err(Error::Config)?;
    let hash = hash_password(password)?;
    let tx = conn.transaction()?;
    let taken: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM users WHERE name = ?1)",
        [name.trim()],
        |r| r.get(0),
    )?;
    if taken {
        return Err(Error::Config(format!(
            "de gebruiker ‘{}’ bestaat al",
            name.trim()
        )));
    }
    tx.execute(
        "INSERT INTO users (name, password_hash, created_at) VALUES (?1, ?2, ?3)",
        (name.trim(), &hash, now()),
    )?;
    let id = tx.last_insert_rowid();
    for g in roles {
        tx.execute(
            "INSERT OR IGNORE INTO user_roles (user_id, role, org) VALUES (?1, ?2, ?3)",
            (id, g.role.as_str(), g.org.as_deref().unwrap_or("")),
        )?;
    }
    tx.commit()?;
    Ok(id)
}

/// Adds a role to an existing user.
pub fn grant_role(conn: &Connection, user_id: i64, grant: &RoleGrant) -> Result<(), Error> {
    conn.execute(
        "INSERT OR IGNORE INTO user_roles (user_id, role, org) VALUES (?1, ?2, ?3)",
        (
            user_id,
            grant.role.as_str(),
            grant.org.as_deref().unwrap_or(""),
        ),
    )?;
    Ok(())
}

/// Removes a role from a user.
pub fn revoke_role(conn: &Connection, user_id: i64, grant: &RoleGrant) -> Result<(), Error> {
    conn.execute(
        "DELETE FROM user_roles WHERE user_id = ?1 AND role = ?2 AND org = ?3",
        (
            user_id,
            grant.role.as_str(),
            grant.org.as_deref().unwrap_or(""),
        ),
    )?;
    Ok(())
}

/// Sets a new password and ends all sessions of the user.
pub fn set_password(conn: &Connection, user_id: i64, password: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::Config(format!(
            "Het wachtwoord moet minstens {MIN_PASSWORD_LEN} tekens lang zijn."
        )));
    }
    let hash = hash_password(password)?;
    conn.execute(
        "UPDATE users SET password_hash = ?1 WHERE id = ?2",
        (&hash, user_id),
    )?;
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
    Ok(())
}

/// Number of users.
pub fn user_count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))
}

/// All users with their roles, by name.
pub fn list_users(conn: &Connection) -> rusqlite::Result<Vec<User>> {
    let mut stmt = conn.prepare("SELECT id, name FROM users ORDER BY name")?;
    let users: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    users
        .into_iter()
        .map(|(id, name)| {
            Ok(User {
                id,
                name,
                roles: roles_of(conn, id)?,
            })
        })
        .collect()
}

fn roles_of(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<RoleGrant>> {
    let mut stmt = conn
        .prepare_cached("SELECT role, org FROM user_roles WHERE user_id = ?1 ORDER BY role, org")?;
    let rows = stmt.query_map([user_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (role, org) = row?;
        if let Some(role) = Role::parse(&role) {
            out.push(RoleGrant {
                role,
                org: (!org.is_empty()).then_some(org),
            });
        }
    }
    Ok(out)
}

/// Checks name and password. Spends the same time for unknown names.
pub fn authenticate(
    conn: &Connection,
    name: &str,
    password: &str,
) -> rusqlite::Result<Option<i64>> {
    authenticate_in(conn, name, password, &mut Vec::new())
}

/// [`authenticate`] with `memory` as Argon2's work area (see [`verify_password_in`]).
pub fn authenticate_in(
    conn: &Connection,
    name: &str,
    password: &str,
    memory: &mut Vec<argon2::Block>,
) -> rusqlite::Result<Option<i64>> {
    let row: Option<(i64, String, bool)> = conn
        .query_row(
            "SELECT id, password_hash, disabled FROM users WHERE name = ?1",
            [name.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((id, hash, disabled)) = row {
        Ok((verify_password_in(memory, password, &hash) && !disabled).then_some(id))
    } else {
        let _ = verify_password_in(memory, password, dummy_hash());
        Ok(None)
    }
}

/// A session as stored: the cookie value is only returned at creation.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// Goes into the cookie.
    pub cookie_value: String,
    /// The CSRF token bound to the session.
    pub csrf: String,
}

pub(crate) fn hash_session_id(id: &str) -> String {
    use blake2::Digest;
    let digest = blake2::Blake2b::<blake2::digest::consts::U32>::digest(id.as_bytes());
    crate::hex(&digest)
}

/// Starts a session for a user.
pub fn create_session(
    conn: &Connection,
    user_id: i64,
    ttl_secs: i64,
) -> rusqlite::Result<NewSession> {
    let id = random_token();
    let csrf = random_token();
    let t = now();
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        (hash_session_id(&id), user_id, &csrf, t, t + ttl_secs),
    )?;
    // Housekeeping: expired sessions go.
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", [t])?;
    Ok(NewSession {
        cookie_value: id,
        csrf,
    })
}

/// Ends a session.
pub fn delete_session(conn: &Connection, cookie_value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM sessions WHERE id_hash = ?1",
        [hash_session_id(cookie_value)],
    )?;
    Ok(())
}

/// A valid session: the user and the session's CSRF token.
#[derive(Clone, Debug)]
pub struct Identity {
    pub user: User,
    pub csrf: String,
}

/// Looks up a session by cookie value; `None` when unknown, expired or the user is disabled.
pub fn load_session(conn: &Connection, cookie_value: &str) -> rusqlite::Result<Option<Identity>> {
    if cookie_value.len() != 64 {
        return Ok(None);
    }
    let row: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT s.user_id, s.csrf, u.name FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
            (hash_session_id(cookie_value), now()),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, csrf, name)) = row else {
        return Ok(None);
    };
    Ok(Some(Identity {
        user: User {
            id,
            name,
            roles: roles_of(conn, id)?,
        },
        csrf,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_sessions() {
        let dir = crate::TempDir::new("auth");
        let db = crate::Db::open(dir.path().join("a.sqlite")).unwrap();
        db.with(|c| {
            crate::db::migrate(c, MIGRATIONS)?;
            assert!(create_user(c, "kort", "kort", &[]).is_err());
            let id = create_user(
                c,
                "Anna",
                "een lang wachtwoord",
                &[RoleGrant {
                    role: Role::Trekker,
                    org: Some("7".into()),
                }],
            )?;
            assert!(create_user(c, "anna", "een lang wachtwoord", &[]).is_err());
            assert_eq!(authenticate(c, "anna", "een lang wachtwoord")?, Some(id));
            assert_eq!(authenticate(c, "anna", "fout wachtwoord!!")?, None);
            assert_eq!(authenticate(c, "bert", "een lang wachtwoord")?, None);
            let mut memory = Vec::new();
            assert_eq!(
                authenticate_in(c, "ANNA", "een lang wachtwoord", &mut memory)?,
                Some(id)
            );
            assert_eq!(memory.len(), 19 * 1024, "Argon2id default: 19 MiB");
            let hash = hash_password("een lang wachtwoord").unwrap();
            assert!(verify_password_in(
                &mut memory,
                "een lang wachtwoord",
                &hash
            ));
            assert!(!verify_password_in(
                &mut memory,
                "een lang wachtwoorD",
                &hash
            ));
            assert!(!verify_password_in(
                &mut memory,
                "x",
                "$argon2id$v=19$m=1000000,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
            ));
            let hash: String = c.query_row("SELECT password_hash FROM users", [], |r| r.get(0))?;
            assert!(hash.starts_with("$argon2id$"));
            let s = create_session(c, id, 60)?;
            let stored: String = c.query_row("SELECT id_hash FROM sessions", [], |r| r.get(0))?;
            assert_ne!(stored, s.cookie_value);
            let ident = load_session(c, &s.cookie_value)?.unwrap();
            assert_eq!(ident.csrf, s.csrf);
            assert!(ident.user.has_role_in(Role::Trekker, "7"));
            assert!(!ident.user.has_role_in(Role::Trekker, "8"));
            assert!(!ident.user.has_role(Role::Trekker));
            assert!(!ident.user.is_beheer());
            delete_session(c, &s.cookie_value)?;
            assert!(load_session(c, &s.cookie_value)?.is_none());
            let expired = create_session(c, id, -1)?;
            assert!(load_session(c, &expired.cookie_value)?.is_none());
            Ok::<_, Error>(())
        })
        .unwrap();
    }
}
