//! The server secret: 256 random bits kept in `server-secret` in the data folder (file mode
//! 0600, created at first start). It binds the CSRF token of anonymous forms to the
//! anonymous cookie with a keyed BLAKE2b MAC, so a cookie value planted by someone else is
//! useless without the server's matching token.

use std::io::Write;
use std::path::Path;

use blake2::digest::Mac;

use crate::Error;

/// The file name in the data folder.
pub(crate) const FILE: &str = "server-secret";

/// The secret key (never printed).
#[derive(Clone)]
pub(crate) struct ServerSecret([u8; 32]);

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(..)")
    }
}

fn parse_hex(s: &str) -> Option<[u8; 32]> {
    let s = s.trim();
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

impl ServerSecret {
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn from_key(key: [u8; 32]) -> Self {
        ServerSecret(key)
    }

    /// Reads `dir/server-secret`, or creates it (mode 0600) with a new random key.
    pub(crate) fn load_or_create(dir: &Path) -> Result<Self, Error> {
        let path = dir.join(FILE);
        let bad = || {
            Error::Config(format!(
                "{}: geen geldige sleutel (64 hexadecimale tekens); verwijder het bestand om een nieuwe te maken",
                path.display()
            ))
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => return parse_hex(&text).map(ServerSecret).ok_or_else(bad),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::Config(format!("{}: {e}", path.display()))),
        }
        std::fs::create_dir_all(dir)?;
        let mut key = [0u8; 32];
        rand::Rng::fill_bytes(&mut rand::rng(), &mut key);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut f) => {
                f.write_all(crate::hex(&key).as_bytes())?;
                f.sync_all()?;
                Ok(ServerSecret(key))
            }
            // Another process created it at the same moment: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(&path)?;
                parse_hex(&text).map(ServerSecret).ok_or_else(bad)
            }
            Err(e) => Err(Error::Config(format!("{}: {e}", path.display()))),
        }
    }

    /// The CSRF token for forms of an anonymous visitor whose cookie holds `nonce`.
    pub(crate) fn anonymous_csrf(&self, nonce: &str) -> String {
        let mut mac =
            <blake2::Blake2bMac<blake2::digest::consts::U32> as Mac>::new_from_slice(&self.0)
                .expect("a 32-byte key is valid for BLAKE2b");
        mac.update(b"stembus anonymous csrf v1\0");
        mac.update(nonce.as_bytes());
        crate::hex(&mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_created_once_with_mode_0600_and_binds_tokens() {
        let dir = crate::TempDir::new("secret");
        let a = ServerSecret::load_or_create(dir.path()).unwrap();
        let b = ServerSecret::load_or_create(dir.path()).unwrap();
        assert_eq!(a.0, b.0, "persisted");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let nonce = crate::random_token();
        let t = a.anonymous_csrf(&nonce);
        assert_eq!(t.len(), 64);
        assert_ne!(t, nonce);
        assert_ne!(t, ServerSecret::from_key([7; 32]).anonymous_csrf(&nonce));
        std::fs::write(dir.path().join(FILE), "kapot").unwrap();
        assert!(ServerSecret::load_or_create(dir.path()).is_err());
    }
}
