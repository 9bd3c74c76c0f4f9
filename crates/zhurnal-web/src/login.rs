//! Checking a login and password, with throttling, for both the login form and the API.
//! One path, so the form and the API cannot drift apart in what they allow.

use crate::ctx::Ctx;
use crate::security::{random_token, token_hash, verify_password};
use crate::{AppError, AppState};
use zhurnal_core::account::Login;
use zhurnal_store::{AuditEntry, NewSession, ip_key, login_key};

/// Why a login was refused. Unknown login and wrong password are one case on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Invalid,
    /// Locked until this instant (ms); the correct password is refused meanwhile.
    Locked(i64),
}

/// A session just opened: the token is shown to the client once and never stored.
#[derive(Debug, Clone)]
pub struct Opened {
    pub token: String,
    pub expires_at: i64,
    pub user_id: i64,
    pub person_id: i64,
}

pub enum Outcome {
    Opened(Opened),
    Refused(Refusal),
}

/// Checks the credentials and opens a session of `kind` (`web` or `api`).
pub async fn login(
    state: &AppState,
    ctx: &Ctx,
    raw_login: &str,
    password: &str,
    kind: &str,
) -> Result<Outcome, AppError> {
    let now = state.clock.now_ms();
    let normalised = Login::parse(raw_login)
        .map(|l| l.as_str().to_owned())
        .unwrap_or_else(|_| raw_login.trim().to_lowercase());
    let keys = [login_key(&normalised), ip_key(&ctx.ip)];
    let creds = state.store.credentials(&normalised).await?;
    // Events about a known account belong to its school, so its director sees them.
    let school_id = match &creds {
        Some(c) => state
            .store
            .grants_of(c.person_id)
            .await?
            .iter()
            .find_map(|g| g.school_id),
        None => None,
    };
    let known = |mut e: AuditEntry| {
        e.actor_user_id = creds.as_ref().map(|c| c.user_id);
        e.actor_person_id = creds.as_ref().map(|c| c.person_id);
        e.school_id = school_id;
        e
    };
    let policy = state.cfg.throttle;
    let limits = [
        (keys[0].clone(), policy.max_per_login),
        (keys[1].clone(), policy.max_per_ip),
    ];
    // The attempt is counted before the slow password check, so parallel guesses cannot
    // all pass the lock check at once. During a lock even the right password is refused.
    let lock_entry = known(audit(ctx, now, "auth.lock", "failure", &normalised, "{}"));
    if let Some(until) = state
        .store
        .reserve_login_attempt(&limits, policy, &lock_entry)
        .await?
    {
        let entry = known(audit(
            ctx,
            now,
            "auth.login",
            "failure",
            &normalised,
            "{\"reason\":\"locked\"}",
        ));
        state.store.audit(&entry).await?;
        return Ok(Outcome::Refused(Refusal::Locked(until)));
    }
    let hash = creds
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| state.dummy_hash.as_ref().clone());
    let password_ok = verify_password(password.to_owned(), hash).await;
    let creds = match creds {
        Some(c) if password_ok && !c.blocked => c,
        ref other => {
            let reason = match other {
                None => "unknown_login",
                Some(c) if c.blocked => "blocked",
                Some(_) => "wrong_password",
            };
            let entry = known(audit(
                ctx,
                now,
                "auth.login",
                "failure",
                &normalised,
                &format!("{{\"reason\":\"{reason}\"}}"),
            ));
            return Ok(
                match state
                    .store
                    .record_login_failure(&limits, policy, entry)
                    .await?
                {
                    Some(until) => Outcome::Refused(Refusal::Locked(until)),
                    None => Outcome::Refused(Refusal::Invalid),
                },
            );
        }
    };
    let token = random_token();
    let hash = token_hash(&token);
    let expires_at = now
        + 60_000
            * if kind == "api" {
                state.cfg.api_token_minutes
            } else {
                state.cfg.absolute_timeout_minutes
            };
    let csrf = random_token();
    let session = NewSession {
        user_id: creds.user_id,
        token_hash: &hash,
        kind,
        csrf_token: &csrf,
        ip: &ctx.ip,
        user_agent: &ctx.user_agent,
        now,
        expires_at,
    };
    let mut entry = audit(
        ctx,
        now,
        "auth.login",
        "success",
        &normalised,
        &format!("{{\"kind\":\"{kind}\"}}"),
    );
    entry.actor_user_id = Some(creds.user_id);
    entry.actor_person_id = Some(creds.person_id);
    entry.session_hash = hash[..16].to_owned();
    entry.school_id = school_id;
    state
        .store
        .open_session(&session, &keys[0], &keys[1], entry)
        .await?;
    Ok(Outcome::Opened(Opened {
        token,
        expires_at,
        user_id: creds.user_id,
        person_id: creds.person_id,
    }))
}

fn audit(
    ctx: &Ctx,
    now: i64,
    action: &str,
    outcome: &str,
    login: &str,
    details: &str,
) -> AuditEntry {
    // The login is recorded as typed (normalised) so attacks on unknown logins are visible;
    // the password never is.
    let login: String = login.chars().filter(|c| !c.is_control()).take(64).collect();
    AuditEntry {
        at: now,
        ip: ctx.ip.clone(),
        action: action.into(),
        target_kind: "login".into(),
        target_id: login,
        outcome: outcome.into(),
        details: details.into(),
        ..AuditEntry::default()
    }
}

/// Ends the actor's session.
pub async fn logout(state: &AppState, ctx: &Ctx) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    let entry = AuditEntry {
        school_id: actor.home_school(),
        action: "auth.logout".into(),
        target_kind: "session".into(),
        target_id: actor.session_id.to_string(),
        details: "{}".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state.store.revoke_session(actor.session_id, &entry).await?;
    Ok(())
}
