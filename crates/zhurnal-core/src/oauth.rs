//! Third-party apps (OAuth2, RFC 6749 with PKCE, RFC 7636): the scopes an app may ask for,
//! which action each scope opens, and the rules for redirect addresses and code verifiers.
//! No I/O: the web layer stores clients, grants and codes and asks these questions.

use crate::permission::Action;
use sha2::{Digest, Sha256};

/// A data area an app may be given access to. A token of an app can do no more than its
/// scopes allow, and no more than the person who granted it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AppScope {
    /// Who the person is: name, roles, school, children's names.
    Profile,
    /// The diary of the person or the children chosen: marks, homework, timetable,
    /// attendance, period marks.
    Diary,
    /// Reading the journals the person may read (teachers, administration).
    Journal,
    /// Filling the journal: marks, absences, topics, homework (teachers).
    JournalWrite,
    /// The school's timetable, calendar and profile.
    School,
}

impl AppScope {
    pub const ALL: [AppScope; 5] = [
        AppScope::Profile,
        AppScope::Diary,
        AppScope::Journal,
        AppScope::JournalWrite,
        AppScope::School,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AppScope::Profile => "profile",
            AppScope::Diary => "diary",
            AppScope::Journal => "journal",
            AppScope::JournalWrite => "journal.write",
            AppScope::School => "school",
        }
    }

    /// A scope by its name, or by a name the Dnevnik.ru service uses for the same area
    /// (`CommonInfo`, `EducationalInfo`…), so its clients' requests keep working.
    pub fn parse(raw: &str) -> Option<Vec<AppScope>> {
        Some(match raw {
            "profile"
            | "CommonInfo"
            | "ContactInfo"
            | "FriendsAndRelatives"
            | "SocialInfo"
            | "Avatar"
            | "Relatives" => vec![AppScope::Profile],
            "diary" | "Marks" | "Lessons" | "EduWorks" | "Files" => vec![AppScope::Diary],
            "EducationalInfo" | "EduGroups" | "Schools" => {
                vec![AppScope::Profile, AppScope::Diary, AppScope::Journal]
            }
            "journal" => vec![AppScope::Journal],
            "journal.write" => vec![AppScope::JournalWrite],
            "school" => vec![AppScope::School],
            _ => return None,
        })
    }

    /// The scope an action needs; `None`: no app may do it, whatever it was granted
    /// (accounts, roster, audit, setup stay with people signed in themselves).
    pub fn for_action(action: Action) -> Option<AppScope> {
        match action {
            Action::ViewHome => Some(AppScope::Profile),
            Action::ViewDiary => Some(AppScope::Diary),
            Action::ViewJournal => Some(AppScope::Journal),
            Action::EditJournal => Some(AppScope::JournalWrite),
            Action::ViewSchools | Action::ViewTimetable => Some(AppScope::School),
            _ => None,
        }
    }
}

/// A list of scopes as sent (`a b`, `a,b` or `a+b`), each known, without repeats, in a
/// stable order; or the first unknown name.
pub fn parse_scopes(raw: &str) -> Result<Vec<AppScope>, String> {
    let mut out = Vec::new();
    for name in raw
        .split([' ', ',', '+'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        out.extend(AppScope::parse(name).ok_or_else(|| name.to_owned())?);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Scopes as stored and sent back: names separated by spaces.
pub fn scopes_text(scopes: &[AppScope]) -> String {
    scopes
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a redirect address cannot be registered, if it cannot: it must be absolute, HTTPS
/// (plain HTTP only to this computer, for desktop and test apps), without a fragment and
/// without credentials, since the code or token is sent there.
pub fn redirect_problem(uri: &str) -> Option<&'static str> {
    let uri = uri.trim();
    if uri.is_empty() || uri.len() > 500 || uri.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Some("oauth.redirect_bad");
    }
    if uri.contains('#') {
        return Some("oauth.redirect_fragment");
    }
    let Some((scheme, rest)) = uri.split_once("://") else {
        return Some("oauth.redirect_bad");
    };
    let host_port = rest.split(['/', '?']).next().unwrap_or("");
    if host_port.is_empty() || host_port.contains('@') {
        return Some("oauth.redirect_bad");
    }
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.rsplit_once(':').map_or(host_port, |(h, _)| h),
    };
    match scheme {
        "https" => None,
        "http" if matches!(host, "127.0.0.1" | "::1" | "localhost") => None,
        _ => Some("oauth.redirect_https"),
    }
}

/// Whether a PKCE verifier (RFC 7636: 43–128 characters of `A-Z a-z 0-9 - . _ ~`) hashes
/// to the challenge given with the code (method S256, the only one accepted).
pub fn verifier_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    well_formed && challenge_of(verifier) == challenge
}

/// The S256 challenge of a verifier: what an app sends with its authorization request.
pub fn challenge_of(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// Whether a challenge can be an S256 challenge (43 characters of base64url).
pub fn challenge_well_formed(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// Base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_follows_rfc_7636() {
        // The example of RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(challenge_well_formed(challenge));
        assert!(verifier_matches(verifier, challenge));
        assert!(!verifier_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx",
            challenge
        ));
        assert!(!verifier_matches("short", challenge));
        assert!(!challenge_well_formed(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c="
        ));
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn scopes_are_read_with_the_services_names() {
        assert_eq!(
            parse_scopes("diary profile diary"),
            Ok(vec![AppScope::Profile, AppScope::Diary])
        );
        assert_eq!(
            parse_scopes("CommonInfo,EducationalInfo"),
            Ok(vec![AppScope::Profile, AppScope::Diary, AppScope::Journal])
        );
        assert_eq!(parse_scopes("diary admin"), Err("admin".into()));
        assert_eq!(parse_scopes(""), Ok(vec![]));
        assert_eq!(
            scopes_text(&[AppScope::Profile, AppScope::JournalWrite]),
            "profile journal.write"
        );
    }

    #[test]
    fn apps_never_reach_accounts_roster_or_audit() {
        for action in Action::ALL {
            let scope = AppScope::for_action(action);
            if action.is_write() {
                assert!(
                    matches!(scope, None | Some(AppScope::JournalWrite)),
                    "{action:?} writes through an app"
                );
            }
        }
        for action in [
            Action::ManageAccounts,
            Action::ManageRoster,
            Action::EnrolStudents,
            Action::ViewAudit,
            Action::ManageApps,
        ] {
            assert_eq!(AppScope::for_action(action), None);
        }
    }

    #[test]
    fn redirect_addresses_must_be_https_or_this_computer() {
        assert_eq!(redirect_problem("https://app.example/cb"), None);
        assert_eq!(redirect_problem("http://127.0.0.1:8765/cb"), None);
        assert_eq!(redirect_problem("http://localhost/cb"), None);
        assert_eq!(redirect_problem("http://[::1]:9/cb"), None);
        assert_eq!(
            redirect_problem("http://app.example/cb"),
            Some("oauth.redirect_https")
        );
        assert_eq!(
            redirect_problem("https://app.example/cb#x"),
            Some("oauth.redirect_fragment")
        );
        assert_eq!(
            redirect_problem("https://user@app.example/cb"),
            Some("oauth.redirect_bad")
        );
        assert_eq!(
            redirect_problem("javascript:alert(1)"),
            Some("oauth.redirect_bad")
        );
        assert_eq!(
            redirect_problem("app.example/cb"),
            Some("oauth.redirect_bad")
        );
    }
}
