//! Accounts at login, sessions, and failed-login throttling.

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, grouped_write, on_read, on_write};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub user_id: i64,
    pub person_id: i64,
    pub login: String,
    pub password_hash: String,
    pub blocked: bool,
}

/// How often a session's last use is written: a minute's precision is plenty for an idle
/// timeout of half an hour, and writing it on every request would make every read a write.
pub const SESSION_TOUCH_MS: i64 = 60_000;

/// The sessions this server touched within the last [`SESSION_TOUCH_MS`]. When a session
/// passes its minute, every request of it that is in flight sees the old time; only the first
/// writes (and waits for) the touch, the others go on. Without this, a morning of families
/// signed in at the same moment passed their minute together and each of their requests
/// queued behind the writer for a few seconds (measured: the diary's p99 went from 6 to
/// over 100 ms).
#[derive(Debug, Default)]
pub(crate) struct Touches(std::sync::Mutex<TouchMap>);

#[derive(Debug, Default)]
struct TouchMap {
    at: std::collections::HashMap<i64, i64>,
    /// The size at which the map next drops the sessions touched more than a minute ago.
    prune_at: usize,
}

impl Touches {
    /// Whether `session` is to be touched at `now` by this caller; if so, it is recorded as
    /// touched, so concurrent callers are told no.
    fn claim(&self, session: i64, now: i64) -> bool {
        let Ok(mut m) = self.0.lock() else {
            return true;
        };
        if m.at
            .get(&session)
            .is_some_and(|&t| (0..SESSION_TOUCH_MS).contains(&(now - t)))
        {
            return false;
        }
        if m.at.len() >= m.prune_at.max(4096) {
            m.at.retain(|_, t| now - *t < SESSION_TOUCH_MS);
            m.prune_at = m.at.len() * 2;
        }
        m.at.insert(session, now);
        true
    }

    /// Forgets a claim whose write failed, so the next request tries again.
    fn release(&self, session: i64) {
        if let Ok(mut m) = self.0.lock() {
            m.at.remove(&session);
        }
    }
}

/// How long a session's row is kept in memory (see [`Store::session_by_token_hash`]).
pub const SESSION_KEPT: std::time::Duration = std::time::Duration::from_secs(5);

/// The memory key of a session: its token's SHA-256, all 256 bits of it, so no two sessions
/// share one. `None` for anything that is not such a hash (it is then read, never kept).
fn session_key(token_hash: &str) -> Option<crate::memo::Key> {
    if token_hash.len() != 64
        || !token_hash
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return None;
    }
    let mut key = [0i64; 4];
    for (slot, chunk) in key.iter_mut().zip(token_hash.as_bytes().chunks(16)) {
        let hex = std::str::from_utf8(chunk).ok()?;
        *slot = u64::from_str_radix(hex, 16).ok()? as i64;
    }
    Some(("session", key))
}

/// Ends every session and token of an account still in force: `$1` the instant, `$2` the
/// account (a block, «log out everywhere»).
pub(crate) const END_ALL_SESSIONS: &str =
    "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL";

/// A session or API token in force, as its owner sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveSession {
    pub id: i64,
    /// `web` (a browser) or `api` (a token, an app's when `app` is set).
    pub kind: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub app: Option<String>,
}

/// A live session joined with its account: what every authenticated request needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub session_id: i64,
    pub user_id: i64,
    pub person_id: i64,
    pub login: String,
    pub locale: String,
    pub kind: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub blocked: bool,
    /// For an app's token: the grant, its scopes and shared children, and whether the grant
    /// or the app was withdrawn.
    pub grant_id: Option<i64>,
    pub grant_scopes: Option<String>,
    pub grant_children: Option<String>,
    pub grant_revoked: bool,
}

#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub user_id: i64,
    pub token_hash: &'a str,
    /// `web` (cookie) or `api` (bearer token).
    pub kind: &'a str,
    pub csrf_token: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// Failed-login limits (SECURITY.md R12).
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures are counted within this window.
    pub window_ms: i64,
    pub max_per_login: i64,
    pub max_per_ip: i64,
    /// How long a lock lasts; the correct password is refused meanwhile.
    pub lock_ms: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window_ms: 15 * 60 * 1000,
            max_per_login: 5,
            max_per_ip: 30,
            lock_ms: 15 * 60 * 1000,
        }
    }
}

pub fn login_key(login: &str) -> String {
    format!("login:{login}")
}

pub fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// One key's state after a failure was counted.
#[derive(Debug, Clone, sqlx::FromRow)]
struct ThrottleRow {
    failures: i64,
    locked_until: Option<i64>,
}

/// Locks one throttle key until `until` and records the lock, inside the caller's
/// transaction (a macro, so it expands once per backend like `insert_audit!`).
macro_rules! lock_key {
    ($tx:expr, $key:expr, $until:expr, $now:expr, $failures:expr, $audit:expr) => {{
        sqlx::query("UPDATE login_throttle SET locked_until = $1, failures = 0, window_start = $2 WHERE key = $3")
            .bind($until)
            .bind($now)
            .bind($key)
            .execute(&mut *$tx)
            .await?;
        let mut lock: AuditEntry = $audit.clone();
        lock.action = "auth.lock".into();
        lock.outcome = "failure".into();
        lock.target_kind = "throttle_key".into();
        lock.target_id = $key.clone();
        lock.details = format!("{{\"locked_until\":{},\"failures\":{}}}", $until, $failures);
        insert_audit!(&mut *$tx, &lock)?;
    }};
}

impl Store {
    pub async fn credentials(&self, login: &str) -> Result<Option<Credentials>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, Credentials>(
            "SELECT id AS user_id, person_id, login, password_hash, blocked FROM users WHERE login = $1",
        )
        .bind(login)
        .fetch_optional(pool)
        .await?))
    }

    /// The latest lock among `keys` still in force at `now`.
    pub async fn locked_until(&self, keys: &[String], now: i64) -> Result<Option<i64>> {
        let mut latest = None;
        for key in keys {
            let until: Option<i64> = on_read!(self, pool => sqlx::query_scalar(
                "SELECT locked_until FROM login_throttle WHERE key = $1 AND locked_until > $2",
            )
            .bind(key)
            .bind(now)
            .fetch_optional(pool)
            .await?
            .flatten());
            latest = latest.max(until);
        }
        Ok(latest)
    }

    /// Counts an attempt against each key *before* the password is verified, so parallel
    /// guesses cannot all slip through while one is being checked. An attempt beyond a key's
    /// allowance locks it at once (recorded with `lock_audit`). Returns the lock in force.
    pub async fn reserve_login_attempt(
        &self,
        keys: &[(String, i64)],
        policy: ThrottlePolicy,
        lock_audit: &AuditEntry,
    ) -> Result<Option<i64>> {
        let now = lock_audit.at;
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let mut locked = None;
            for (key, max) in keys {
                let current: Option<Option<i64>> = sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE key = $1")
                    .bind(key).fetch_optional(&mut *tx).await?;
                if let Some(Some(until)) = current.filter(|u| u.is_some_and(|u| u > now)) {
                    locked = locked.max(Some(until));
                    continue;
                }
                let row: ThrottleRow = sqlx::query_as(
                    "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, NULL) \
                     ON CONFLICT (key) DO UPDATE SET \
                       failures = CASE WHEN login_throttle.window_start > $3 THEN login_throttle.failures + 1 ELSE 1 END, \
                       window_start = CASE WHEN login_throttle.window_start > $3 THEN login_throttle.window_start ELSE $2 END \
                     RETURNING failures, locked_until",
                )
                .bind(key).bind(now).bind(now - policy.window_ms)
                .fetch_one(&mut *tx).await?;
                if row.failures > *max {
                    let until = now + policy.lock_ms;
                    lock_key!(tx, key, until, now, row.failures, lock_audit);
                    locked = locked.max(Some(until));
                }
            }
            tx.commit().await?;
            Ok(locked)
        })
    }

    /// A reserved attempt failed: keys that reached their limit lock, and the failure (and
    /// any new lock) is recorded, all in one transaction. Returns the lock now in force.
    pub async fn record_login_failure(
        &self,
        keys: &[(String, i64)],
        policy: ThrottlePolicy,
        failure: AuditEntry,
    ) -> Result<Option<i64>> {
        let now = failure.at;
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let mut locked = None;
            for (key, max) in keys {
                let row: Option<ThrottleRow> = sqlx::query_as("SELECT failures, locked_until FROM login_throttle WHERE key = $1")
                    .bind(key).fetch_optional(&mut *tx).await?;
                let Some(row) = row else { continue };
                match row.locked_until {
                    Some(until) if until > now => locked = locked.max(Some(until)),
                    _ if row.failures >= *max => {
                        let until = now + policy.lock_ms;
                        lock_key!(tx, key, until, now, row.failures, &failure);
                        locked = locked.max(Some(until));
                    }
                    _ => {}
                }
            }
            insert_audit!(&mut *tx, &failure)?;
            tx.commit().await?;
            Ok(locked)
        })
    }

    /// Opens a session after a successful login: clears the account's failure count and
    /// records the login, in one transaction. Returns the session id.
    pub async fn open_session(
        &self,
        s: &NewSession<'_>,
        login_key: &str,
        ip_key: &str,
        mut audit: AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sessions (user_id, token_hash, kind, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
            )
            .bind(s.user_id)
            .bind(s.token_hash)
            .bind(s.kind)
            .bind(s.csrf_token)
            .bind(s.ip)
            .bind(truncate(s.user_agent, 300))
            .bind(s.now)
            .bind(s.expires_at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM login_throttle WHERE key = $1")
                .bind(login_key)
                .execute(&mut *tx)
                .await?;
            // The reserved attempt succeeded: it no longer counts against the address.
            sqlx::query("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0")
                .bind(ip_key)
                .execute(&mut *tx)
                .await?;
            audit.target_kind = "session".into();
            audit.target_id = id.to_string();
            insert_audit!(&mut *tx, &audit)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A reserved attempt succeeded outside a login (the current password at a password
    /// change): the account's count restarts and the address's reservation is released.
    pub async fn release_login_attempt(&self, login_key: &str, ip_key: &str) -> Result<()> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(login_key).execute(&mut *tx).await?;
            sqlx::query("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0")
                .bind(ip_key)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    ///
    /// Every request asks this, so a live session is kept in memory for [`SESSION_KEPT`]: a
    /// logout, a new password, a revoked app or a blocked account through this server drops
    /// it at once (`Dep::Sessions`, `Dep::All`); a change made elsewhere is seen within that
    /// time. An unknown token is never kept.
    pub async fn session_by_token_hash(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let Some(key) = session_key(token_hash) else {
            return self.read_session(token_hash).await;
        };
        let row = self
            .memo
            .get_within(
                key,
                crate::memo::Dep::Sessions,
                SESSION_KEPT,
                self.read_session(token_hash),
            )
            .await?;
        if row.is_none() {
            self.memo.forget(&key);
        }
        Ok(row.as_ref().clone())
    }

    async fn read_session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, SessionRow>(
            "SELECT s.id AS session_id, s.user_id, u.person_id, u.login, u.locale, s.kind, s.csrf_token, \
                    s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, u.blocked, \
                    s.grant_id, g.scopes AS grant_scopes, g.children AS grant_children, \
                    (g.revoked_at IS NOT NULL OR c.revoked_at IS NOT NULL) AS grant_revoked \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             LEFT JOIN oauth_grants g ON g.id = s.grant_id LEFT JOIN oauth_clients c ON c.id = g.client_id \
             WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await?))
    }

    /// Marks a session as used now (the idle timeout counts from here), unless this server
    /// touched it within the last minute (see [`Touches`]).
    pub async fn touch_session(&self, session_id: i64, token_hash: &str, now: i64) -> Result<()> {
        if !self.touches.claim(session_id, now) {
            return Ok(());
        }
        // Many sessions pass their minute at once in a busy morning: their touches share
        // commits with the marks.
        let written = grouped_write!(self, crate::memo::Dep::Nothing, (), |tx| {
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1",
            )
            .bind(now)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
            Ok(())
        });
        if written.is_err() {
            self.touches.release(session_id);
        }
        written?;
        if let Some(key) = session_key(token_hash) {
            self.memo.forget(&key);
        }
        Ok(())
    }

    /// A person's sessions and API tokens still in force, newest first: what the person sees
    /// on «Сеансы» to end any of them.
    pub async fn active_sessions(&self, user_id: i64, now: i64) -> Result<Vec<ActiveSession>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, ActiveSession>(
            "SELECT s.id, s.kind, s.ip, s.user_agent, s.created_at, s.last_seen_at, s.expires_at, c.name AS app \
             FROM sessions s LEFT JOIN oauth_grants g ON g.id = s.grant_id LEFT JOIN oauth_clients c ON c.id = g.client_id \
             WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 \
             ORDER BY s.last_seen_at DESC, s.id DESC",
        )
        .bind(user_id)
        .bind(now)
        .fetch_all(pool)
        .await?))
    }

    /// Ends one of a person's sessions, recorded; `NotFound` when it is not theirs or
    /// already over (another person's session answers like a missing one).
    pub async fn end_session_of(
        &self,
        user_id: i64,
        session_id: i64,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::Sessions, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
            )
            .bind(audit.at)
            .bind(session_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(crate::StoreError::NotFound);
            }
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Ends every session and token of an account (the tech admin's «log out everywhere»),
    /// recorded; how many ended.
    pub async fn end_all_sessions(&self, user_id: i64, audit: &AuditEntry) -> Result<u64> {
        on_write!(self, crate::memo::Dep::Sessions, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(END_ALL_SESSIONS)
            .bind(audit.at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
            Ok(done.rows_affected())
        })
    }

    /// Ends a session (logout), recording it.
    pub async fn revoke_session(&self, session_id: i64, audit: &AuditEntry) -> Result<()> {
        on_write!(self, crate::memo::Dep::Sessions, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(audit.at)
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sets a new password hash and ends every other session of the account, recording it.
    pub async fn change_password(
        &self,
        user_id: i64,
        keep_session: Option<i64>,
        hash: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::Sessions, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                .bind(hash)
                .bind(audit.at)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(crate::StoreError::NotFound);
            }
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND id <> $3")
                .bind(audit.at)
                .bind(user_id)
                .bind(keep_session.unwrap_or(-1))
                .execute(&mut *tx)
                .await?;
            insert_audit!(&mut *tx, audit)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn set_locale(&self, user_id: i64, locale: &str) -> Result<()> {
        on_write!(self, crate::memo::Dep::Sessions, pool => {
            sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
                .bind(locale)
                .bind(user_id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

fn truncate(s: &str, max_chars: usize) -> &str {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::{SESSION_TOUCH_MS, Touches};

    #[test]
    fn a_session_is_touched_once_a_minute_whoever_asks() {
        let t = Touches::default();
        assert!(t.claim(1, 1_000), "the first request touches");
        assert!(!t.claim(1, 1_500), "a concurrent one does not");
        assert!(t.claim(2, 1_500), "another session does");
        assert!(!t.claim(1, 1_000 + SESSION_TOUCH_MS - 1));
        assert!(
            t.claim(1, 1_000 + SESSION_TOUCH_MS),
            "a minute later it does again"
        );
        t.release(2);
        assert!(t.claim(2, 1_600), "a failed touch is tried again");
    }

    #[test]
    fn the_touched_sessions_do_not_pile_up() {
        let t = Touches::default();
        for minute in 0..20 {
            for session in 0..10_000 {
                t.claim(session + minute * 10_000, minute * SESSION_TOUCH_MS);
            }
        }
        let kept = t.0.lock().unwrap().at.len();
        assert!(
            kept <= 30_000,
            "only about the last minute's are kept: {kept}"
        );
    }
}
