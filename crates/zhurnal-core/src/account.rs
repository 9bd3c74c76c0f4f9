//! Login names and the password policy (SECURITY.md R11).

use std::fmt;

/// A validated login: 3–64 characters of Latin letters, digits, `.`, `_`, `-`, `@`;
/// stored lower-case so `Teacher` and `teacher` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Login(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("login must be 3 to 64 characters long")]
    Length,
    #[error("login may contain only Latin letters, digits and . _ - @")]
    Characters,
}

impl Login {
    pub fn parse(raw: &str) -> Result<Self, LoginError> {
        let s = raw.trim().to_lowercase();
        if !(3..=64).contains(&s.chars().count()) {
            return Err(LoginError::Length);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        {
            return Err(LoginError::Characters);
        }
        Ok(Login(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a new password is refused. The web layer turns each into a message in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    #[error("password must be at most {MAX_PASSWORD_CHARS} characters long")]
    TooLong,
    #[error("password is too common")]
    TooCommon,
    #[error("password must not contain the login")]
    ContainsLogin,
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Passwords seen at the top of every breached-password list, plus the school-flavoured ones
/// people pick for a journal. A full breached-list check is a later step (R11).
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "qwertyuiop12",
    "qwerty123456",
    "password1234",
    "passwordpassword",
    "123123123123",
    "111111111111",
    "000000000000",
    "йцукенгшщзхъ",
    "qwertyuiopas",
    "iloveyou1234",
    "dnevnik12345",
    "shkola123456",
    "zhurnal12345",
    "uchitel12345",
];

/// Checks a new password against the policy: length by characters (so Cyrillic counts right),
/// not a known-common password, not containing the login.
pub fn check_new_password(password: &str, login: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Err(PasswordError::TooCommon);
    }
    if login.chars().count() >= 3 && lower.contains(&login.to_lowercase()) {
        return Err(PasswordError::ContainsLogin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised_and_checked() {
        assert_eq!(Login::parse("  Teacher ").unwrap().as_str(), "teacher");
        assert_eq!(Login::parse("ab"), Err(LoginError::Length));
        assert_eq!(Login::parse("учитель"), Err(LoginError::Characters));
        assert_eq!(Login::parse("a b c"), Err(LoginError::Characters));
        assert!(Login::parse("ivanova.m@school7").is_ok());
    }

    #[test]
    fn password_policy() {
        assert_eq!(
            check_new_password("short", "x"),
            Err(PasswordError::TooShort)
        );
        // 12 Cyrillic characters are 24 bytes but 12 characters: allowed.
        assert_eq!(check_new_password("кошкасобакам", "teacher"), Ok(()));
        assert_eq!(
            check_new_password("Password1234", "x"),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new_password("myteacher-secret", "Teacher"),
            Err(PasswordError::ContainsLogin)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), "a"),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            check_new_password("correct horse battery", "teacher"),
            Ok(())
        );
    }
}

/// One-time access codes (§5.1): the letters and digits a person cannot confuse when typing
/// a code from paper (no `0`/`O`, `1`/`I`/`L`).
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Characters of a code: 12 of 31 give 59 bits, guessed only at the login throttle's pace.
pub const CODE_LENGTH: usize = 12;

/// A code as printed on the slip: `ABCD-EFGH-JKMN`.
pub fn print_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as a person types it — any case, with or without dashes and spaces — in the form
/// it is hashed in; `None` when it cannot be a code at all.
pub fn typed_code(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{a0}'))
        .collect::<String>()
        .to_ascii_uppercase();
    (s.len() == CODE_LENGTH && s.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(s)
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn codes_are_typed_as_printed_in_any_case() {
        assert_eq!(print_code("ABCDEFGHJKMN"), "ABCD-EFGH-JKMN");
        assert_eq!(
            typed_code(" abcd-efgh jkmn ").as_deref(),
            Some("ABCDEFGHJKMN")
        );
        assert_eq!(typed_code("ABCD-EFGH-JKM0"), None, "no zero in codes");
        assert_eq!(typed_code("ABCD"), None);
    }
}
