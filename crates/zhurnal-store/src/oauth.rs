//! Third-party apps: their registration by a school, the grants people give them, the
//! one-time codes of the authorization step, and the access tokens (API sessions that carry
//! their grant). Every change is audited in the same transaction.

use crate::AuditEntry;
use crate::audit::insert_audit;
use crate::{Result, Store, StoreError, on_read, on_write};

/// A registered app.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClientRow {
    pub id: i64,
    pub school_id: i64,
    pub client_id: String,
    pub name: String,
    pub redirect_uris: String,
    pub scopes: String,
    pub secret_hash: Option<String>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl ClientRow {
    pub fn redirects(&self) -> impl Iterator<Item = &str> {
        self.redirect_uris
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
    }
}

/// What a person allowed an app.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppGrantRow {
    pub id: i64,
    pub client_pk: i64,
    pub client_id: String,
    pub client_name: String,
    pub school_id: i64,
    pub secret_hash: Option<String>,
    pub user_id: i64,
    pub scopes: String,
    pub children: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewClient<'a> {
    pub school_id: i64,
    pub client_id: &'a str,
    pub name: &'a str,
    pub redirect_uris: &'a str,
    pub scopes: &'a str,
    pub secret_hash: Option<&'a str>,
    pub created_by: i64,
    pub now: i64,
}

#[derive(Debug, Clone)]
pub struct NewAppGrant<'a> {
    pub client_pk: i64,
    pub user_id: i64,
    pub scopes: &'a str,
    pub children: &'a str,
    pub now: i64,
}

/// An access token (and its refresh token) to store for a grant.
#[derive(Debug, Clone)]
pub struct NewAppToken<'a> {
    pub grant_id: i64,
    pub user_id: i64,
    pub token_hash: &'a str,
    pub csrf_token: &'a str,
    pub refresh_hash: &'a str,
    pub ip: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// What the authorization step left for the token step.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub grant_id: i64,
    pub redirect_uri: String,
    pub challenge: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

const GRANT_COLS: &str = "g.id, c.id AS client_pk, c.client_id, c.name AS client_name, c.school_id, c.secret_hash, \
     g.user_id, g.scopes, g.children, g.created_at, g.last_used_at, \
     COALESCE(g.revoked_at, c.revoked_at) AS revoked_at";

impl Store {
    pub async fn create_client(&self, c: &NewClient<'_>, audit: &AuditEntry) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO oauth_clients (school_id, client_id, name, redirect_uris, scopes, secret_hash, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(c.school_id).bind(c.client_id).bind(c.name).bind(c.redirect_uris).bind(c.scopes)
            .bind(c.secret_hash).bind(c.created_by).bind(c.now)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "oauth_client", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The apps a school registered, newest first.
    pub async fn clients_of_school(&self, school_id: i64) -> Result<Vec<ClientRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, ClientRow>(
            "SELECT id, school_id, client_id, name, redirect_uris, scopes, secret_hash, created_at, revoked_at \
             FROM oauth_clients WHERE school_id = $1 ORDER BY id DESC",
        ).bind(school_id).fetch_all(pool).await?))
    }

    pub async fn client_by_client_id(&self, client_id: &str) -> Result<Option<ClientRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, ClientRow>(
            "SELECT id, school_id, client_id, name, redirect_uris, scopes, secret_hash, created_at, revoked_at \
             FROM oauth_clients WHERE client_id = $1",
        ).bind(client_id).fetch_optional(pool).await?))
    }

    /// Withdraws an app of a school: every grant and token of it stops at once.
    pub async fn revoke_client(&self, school_id: i64, id: i64, audit: &AuditEntry) -> Result<()> {
        on_write!(self, crate::memo::Dep::Sessions, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE oauth_clients SET revoked_at = $1 WHERE id = $2 AND school_id = $3 AND revoked_at IS NULL")
                .bind(audit.at).bind(id).bind(school_id).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("UPDATE oauth_grants SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL")
                .bind(audit.at).bind(id).execute(&mut *tx).await?;
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE revoked_at IS NULL AND grant_id IN (SELECT id FROM oauth_grants WHERE client_id = $2)")
                .bind(audit.at).bind(id).execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "oauth_client", id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records a grant and its one-time code (or, for the implicit flow, no code).
    pub async fn create_grant(
        &self,
        g: &NewAppGrant<'_>,
        code: Option<(&str, &str, &str, i64)>,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Sessions, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO oauth_grants (client_id, user_id, scopes, children, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(g.client_pk).bind(g.user_id).bind(g.scopes).bind(g.children).bind(g.now)
            .fetch_one(&mut *tx).await?;
            if let Some((code_hash, redirect_uri, challenge, expires_at)) = code {
                sqlx::query("INSERT INTO oauth_codes (code_hash, grant_id, redirect_uri, challenge, expires_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(code_hash).bind(id).bind(redirect_uri).bind(challenge).bind(expires_at)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit, "oauth_grant", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Uses a code once: the first use returns it marked used; a second use finds it used
    /// (the caller then revokes the grant, RFC 6749 §4.1.2).
    pub async fn take_code(&self, code_hash: &str, now: i64) -> Result<Option<CodeRow>> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let row: Option<CodeRow> = sqlx::query_as(
                "SELECT grant_id, redirect_uri, challenge, expires_at, used_at FROM oauth_codes WHERE code_hash = $1",
            ).bind(code_hash).fetch_optional(&mut *tx).await?;
            if row.as_ref().is_some_and(|r| r.used_at.is_none()) {
                sqlx::query("UPDATE oauth_codes SET used_at = $1 WHERE code_hash = $2")
                    .bind(now).bind(code_hash).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(row)
        })
    }

    pub async fn grant(&self, id: i64) -> Result<Option<AppGrantRow>> {
        let sql = format!(
            "SELECT {GRANT_COLS} FROM oauth_grants g JOIN oauth_clients c ON c.id = g.client_id WHERE g.id = $1"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, AppGrantRow>(&sql).bind(id).fetch_optional(pool).await?))
    }

    pub async fn grant_by_refresh(&self, refresh_hash: &str) -> Result<Option<AppGrantRow>> {
        let sql = format!(
            "SELECT {GRANT_COLS} FROM oauth_grants g JOIN oauth_clients c ON c.id = g.client_id WHERE g.refresh_hash = $1"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, AppGrantRow>(&sql).bind(refresh_hash).fetch_optional(pool).await?))
    }

    /// The apps a person allowed and has not withdrawn, newest first.
    pub async fn grants_of_user(&self, user_id: i64) -> Result<Vec<AppGrantRow>> {
        let sql = format!(
            "SELECT {GRANT_COLS} FROM oauth_grants g JOIN oauth_clients c ON c.id = g.client_id \
             WHERE g.user_id = $1 AND g.revoked_at IS NULL AND c.revoked_at IS NULL ORDER BY g.id DESC"
        );
        on_read!(self, pool => Ok(sqlx::query_as::<_, AppGrantRow>(&sql).bind(user_id).fetch_all(pool).await?))
    }

    /// Stores a new access token of a grant and replaces its refresh token (the old one
    /// stops working: refresh tokens are used once).
    pub async fn issue_app_token(&self, t: &NewAppToken<'_>) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sessions (user_id, token_hash, kind, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at, grant_id) \
                 VALUES ($1, $2, 'api', $3, $4, '', $5, $5, $6, $7) RETURNING id",
            )
            .bind(t.user_id).bind(t.token_hash).bind(t.csrf_token).bind(t.ip).bind(t.now).bind(t.expires_at).bind(t.grant_id)
            .fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE oauth_grants SET refresh_hash = $1, last_used_at = $2 WHERE id = $3")
                .bind(t.refresh_hash).bind(t.now).bind(t.grant_id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Withdraws a grant (its person's, when `user_id` is given): its tokens stop at once.
    pub async fn revoke_grant(
        &self,
        id: i64,
        user_id: Option<i64>,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_write!(self, crate::memo::Dep::Sessions, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "UPDATE oauth_grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL \
                 AND ($3 = CAST(0 AS BIGINT) OR user_id = $3)",
            )
            .bind(audit.at).bind(id).bind(user_id.unwrap_or(0)).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE grant_id = $2 AND revoked_at IS NULL")
                .bind(audit.at).bind(id).execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "oauth_grant", id)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The grant an access token belongs to, if it is an app's token.
    pub async fn grant_of_token(&self, token_hash: &str) -> Result<Option<i64>> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, Option<i64>>(
            "SELECT grant_id FROM sessions WHERE token_hash = $1",
        ).bind(token_hash).fetch_optional(pool).await?.flatten()))
    }
}
