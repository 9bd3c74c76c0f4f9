//! The account's operations: the person's sessions and tokens in force, and ending one.

use crate::ctx::Ctx;
use crate::{AppError, AppState};
use zhurnal_store::ActiveSession;

/// A session or token as its owner sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub id: i64,
    /// The request asking is made in this one.
    pub current: bool,
    /// «Chrome, Windows», «Приложение «Дневник-бот»», «Токен API».
    pub device: String,
    pub address: String,
    /// Instants in the person's school's zone, «7 декабря 2026, 15:11».
    pub started: String,
    pub last_seen: String,
}

/// The sessions and tokens of the person asking, newest first. Only the person themself:
/// an app acting for them sees nothing of this.
pub async fn sessions(state: &AppState, ctx: &Ctx) -> Result<Vec<SessionView>, AppError> {
    let actor = ctx.actor()?;
    actor.in_person()?;
    let zone = crate::refs::home_zone(state, ctx).await?;
    let t = ctx.t();
    let rows = state
        .store
        .active_sessions(actor.user_id, state.clock.now_ms())
        .await?;
    Ok(rows
        .iter()
        .map(|s| SessionView {
            id: s.id,
            current: s.id == actor.session_id,
            device: device(&t, s),
            address: s.ip.clone(),
            started: t.datetime(s.created_at, &zone),
            last_seen: t.datetime(s.last_seen_at, &zone),
        })
        .collect())
}

/// Ends one of the person's sessions or tokens (the current one too: that is a logout).
/// Another person's, or one already over, answers as missing — audited as a denial.
pub async fn end_session(state: &AppState, ctx: &Ctx, id: i64) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    actor.in_person()?;
    let audit = zhurnal_store::AuditEntry {
        action: "account.session_end".into(),
        target_kind: "session".into(),
        target_id: id.to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let ended = state.store.end_session_of(actor.user_id, id, &audit).await;
    crate::routes::or_deny(state, ctx, "session", &id.to_string(), ended).await
}

/// What a person recognises a session by: the browser and system of a web session, the
/// app of an app's token.
fn device(t: &crate::i18n::Tr, s: &ActiveSession) -> String {
    if let Some(app) = &s.app {
        return format!("{} «{app}»", t.s("sessions.app"));
    }
    if s.kind == "api" {
        return t.s("sessions.token").to_owned();
    }
    let ua = s.user_agent.as_str();
    let browser = [
        ("YaBrowser/", "Яндекс Браузер"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b}, {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) if ua.is_empty() => t.s("sessions.unknown").to_owned(),
        (None, None) => ua.chars().take(60).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(ua: &str, kind: &str, app: Option<&str>) -> ActiveSession {
        ActiveSession {
            id: 1,
            kind: kind.into(),
            ip: "10.0.0.1".into(),
            user_agent: ua.into(),
            created_at: 0,
            last_seen_at: 0,
            expires_at: 0,
            app: app.map(str::to_owned),
        }
    }

    #[test]
    fn a_session_is_named_by_its_browser_and_system() {
        let t = crate::i18n::Tr::new(crate::i18n::Lang::Ru);
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        assert_eq!(device(&t, &session(chrome, "web", None)), "Chrome, Windows");
        let yandex =
            "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 YaBrowser/24.10 Mobile Safari/537.36";
        assert_eq!(
            device(&t, &session(yandex, "web", None)),
            "Яндекс Браузер, Android"
        );
        assert_eq!(
            device(&t, &session("", "api", Some("Дневник-бот"))),
            "Приложение «Дневник-бот»"
        );
        assert_eq!(device(&t, &session("curl/8", "api", None)), "Токен API");
        // Instants are shown as the rest of Zhurnal shows them, in the school's zone.
        assert_eq!(
            t.datetime(0, "Europe/Moscow"),
            "1\u{a0}января\u{a0}1970, 03:00"
        );
    }
}

/// Why a registration by access code was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Wrong, used, revoked or expired: one answer for all, so a guesser learns nothing.
    Code,
    Login(zhurnal_core::account::LoginError),
    /// Someone else has this login.
    LoginTaken,
    Password(zhurnal_core::account::PasswordError),
    /// Too many wrong codes from this address: try again after this many seconds.
    Locked(i64),
}

/// Creates a person's own login with the one-time code the school gave them (§5.1). Wrong
/// codes count against the address as failed logins do. Returns the login.
pub async fn register(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    login: &str,
    password: &str,
) -> Result<Result<String, Refused>, AppError> {
    use zhurnal_core::account::{Login, check_new_password, typed_code};
    let login = match Login::parse(login) {
        Ok(l) => l,
        Err(e) => return Ok(Err(Refused::Login(e))),
    };
    if let Err(e) = check_new_password(password, login.as_str()) {
        return Ok(Err(Refused::Password(e)));
    }
    let now = state.clock.now_ms();
    let policy = state.cfg.throttle;
    let keys = [(format!("code-ip:{}", ctx.ip), policy.max_per_ip)];
    let mut entry = ctx.audit_base(now);
    entry.action = "account.register".into();
    entry.target_kind = "access_code".into();
    let locked = |until: i64| Ok(Err(Refused::Locked(((until - now) / 1000).max(1))));
    let mut lock = entry.clone();
    lock.action = "auth.lock".into();
    if let Some(until) = state
        .store
        .reserve_login_attempt(&keys, policy, &lock)
        .await?
    {
        return locked(until);
    }
    let hash = crate::security::token_hash(&typed_code(code).unwrap_or_default());
    let password_hash = crate::security::hash_password(password.to_owned())
        .await
        .map_err(AppError::Internal)?;
    match state
        .store
        .redeem_access_code(&hash, login.as_str(), &password_hash, &entry)
        .await
    {
        Ok(_) => Ok(Ok(login.as_str().to_owned())),
        Err(zhurnal_store::StoreError::Conflict(_)) => Ok(Err(Refused::LoginTaken)),
        Err(zhurnal_store::StoreError::NotFound) => {
            let mut failure = entry;
            failure.outcome = "failure".into();
            match state
                .store
                .record_login_failure(&keys, policy, failure)
                .await?
            {
                Some(until) => locked(until),
                None => Ok(Err(Refused::Code)),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// The field a refusal belongs to and its message key.
pub fn refusal_field(r: &Refused) -> (&'static str, &'static str) {
    use zhurnal_core::account::{LoginError, PasswordError};
    match r {
        Refused::Code => ("code", "register.bad_code"),
        Refused::Locked(_) => ("code", "register.locked"),
        Refused::Login(LoginError::Length) => ("login", "register.login_length"),
        Refused::Login(LoginError::Characters) => ("login", "register.login_characters"),
        Refused::LoginTaken => ("login", "register.login_taken"),
        Refused::Password(PasswordError::TooShort) => ("password", "account.too_short"),
        Refused::Password(PasswordError::TooLong) => ("password", "account.too_long"),
        Refused::Password(PasswordError::TooCommon) => ("password", "account.too_common"),
        Refused::Password(PasswordError::ContainsLogin) => ("password", "account.contains_login"),
    }
}
