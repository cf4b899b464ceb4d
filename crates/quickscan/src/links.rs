//! The server's public web address (`--public-url`, `STEMBUS_PUBLIC_URL`): the one base for
//! every link that leaves the server — in e-mails and on printed letters. There is no
//! default: while it is unset, nothing guesses one (a guess such as `http://127.0.0.1:8080`
//! looks right and leads nowhere), the dashboard warns, invitations are not sent and letters
//! are not made.

use std::fmt;

/// A checked public base URL: `http` or `https`, a host, optionally a path prefix; no user
/// name, query or fragment; stored without a trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// Checks and normalises `s` (scheme and host in lower case, trailing `/` removed). The
    /// error is a Dutch sentence naming the problem.
    pub fn parse(s: &str) -> Result<PublicUrl, String> {
        let s = s.trim();
        let bad = |why: &str| Err(format!("ongeldig webadres ‘{s}’: {why}"));
        let Some((scheme, rest)) = s.split_once("://") else {
            return bad("begin met https:// of http://");
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return bad("begin met https:// of http://");
        }
        if s.contains('?') || s.contains('#') {
            return bad("zonder ? of # (geen query of fragment)");
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("zonder spaties");
        }
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty() {
            return bad("er staat geen servernaam in");
        }
        if host.contains('@') {
            return bad("zonder gebruikersnaam of wachtwoord");
        }
        if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        {
            return bad("de servernaam mag alleen letters, cijfers, - en . bevatten");
        }
        let path = path.trim_end_matches('/');
        if path.contains("//") || path.split('/').any(|p| p == "." || p == "..") {
            return bad("het pad is niet eenduidig");
        }
        Ok(PublicUrl(format!(
            "{scheme}://{}{path}",
            host.to_ascii_lowercase()
        )))
    }

    /// The base, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The full address of a path on this server (`path` starts with `/`).
    pub fn absolute(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{path}", self.0)
        } else {
            format!("{}/{path}", self.0)
        }
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The warning shown while no public address is set.
pub const UNSET_WARNING: &str =
    "Het webadres van de server is niet ingesteld; links in e-mails en brieven werken dan niet.";

/// What the trekker or beheerder should do about it.
pub const UNSET_HELP: &str = "Vraag de beheerder van de server om het adres in te stellen met --public-url of STEMBUS_PUBLIC_URL (bijvoorbeeld https://stembus.gemeente.nl).";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        let u = PublicUrl::parse("HTTPS://Stembus.Example.NL/").unwrap();
        assert_eq!(u.as_str(), "https://stembus.example.nl");
        assert_eq!(
            u.absolute("/vragenlijst/code"),
            "https://stembus.example.nl/vragenlijst/code"
        );
        let u = PublicUrl::parse("http://localhost:8081/scan//").unwrap();
        assert_eq!(u.absolute("/x"), "http://localhost:8081/scan/x");
        for bad in [
            "",
            "stembus.nl",
            "ftp://stembus.nl",
            "javascript://x",
            "https://",
            "https://stembus.nl/?a=1",
            "https://stembus.nl/#top",
            "https://user:pw@stembus.nl",
            "https://stembus nl",
            "https://stembus.nl//x",
            "https://stembus.nl/../x",
            "https://<script>",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
