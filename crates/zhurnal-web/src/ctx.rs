//! Who is asking: the request context built once per request from the session cookie or a
//! bearer token, and the permission questions asked of it.

use crate::i18n::{Lang, Tr};
use crate::security::token_hash;
use crate::{AppError, AppState};
use axum::extract::FromRequestParts;
use axum::http::{HeaderMap, header, request::Parts};
use std::net::IpAddr;
use std::sync::Arc;
use zhurnal_core::oauth::{AppScope, parse_scopes};
use zhurnal_core::{Action, Role, Scope, permission};
use zhurnal_store::memo::Dep;
use zhurnal_store::{AuditEntry, ChildRow, SchoolRow};

pub const SESSION_COOKIE: &str = "zh_session";
/// With HTTPS the cookie takes the `__Host-` prefix: no Domain, Path=/, Secure, enforced by browsers.
pub const SECURE_SESSION_COOKIE: &str = "__Host-zh_session";
pub const LANG_COOKIE: &str = "zh_lang";
/// The double-submit token protecting the login form, which has no session yet.
pub const LOGIN_CSRF_COOKIE: &str = "zh_login_csrf";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub school_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub edu_group_id: Option<i64>,
}

/// An authenticated person.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub person_id: i64,
    pub login: String,
    pub full_name: String,
    /// How the home page addresses the person: name and patronymic for adults, the name for
    /// students («Анастасия Ильинична», «Маша»).
    pub greeting_name: String,
    pub grants: Vec<Grant>,
    pub children: Vec<ChildRow>,
    pub session_id: i64,
    /// Short prefix of the session token's hash, for the audit log.
    pub session_hash: String,
    pub csrf: String,
    pub via_bearer: bool,
    /// Set when the request comes from a third-party app: what the person allowed it.
    pub app: Option<AppAccess>,
}

/// What an app's token may do: no more than its scopes, on no more children than the
/// parent chose (the actor's children are already narrowed to those).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppAccess {
    pub grant_id: i64,
    pub scopes: Vec<AppScope>,
}

impl Actor {
    /// The roles held, each once, in the order of [`Role::ALL`].
    pub fn roles(&self) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| self.grants.iter().any(|g| g.role == *r))
            .collect()
    }

    /// Whether any grant allows the action at all (the route-level check); through an app,
    /// only if its scopes cover the action too.
    pub fn can(&self, action: Action) -> bool {
        self.app_may(AppScope::for_action(action)) && self.can_as_person(action)
    }

    /// Whether the person's grants allow the action, whatever an app was allowed (the
    /// compatible API checks the app's scopes per object: diary or journal).
    pub fn can_as_person(&self, action: Action) -> bool {
        self.grants
            .iter()
            .any(|g| permission::scope_of(g.role, action).is_some())
    }

    /// The person themself, never an app acting for them: their password, sessions, apps,
    /// calendar feeds and how they hear about notices are theirs alone, whatever scopes an
    /// app was given (an app that could set the notices' address would keep reading them
    /// after it was withdrawn).
    pub fn in_person(&self) -> Result<(), crate::AppError> {
        if self.app_may(None) {
            Ok(())
        } else {
            Err(crate::AppError::Forbidden)
        }
    }

    /// Whether the request may use a scope: always when the person is signed in
    /// themself; through an app, when the person gave it that scope (`None`: a thing no app
    /// may do).
    pub fn app_may(&self, scope: Option<AppScope>) -> bool {
        match &self.app {
            None => true,
            Some(app) => scope.is_some_and(|s| app.scopes.contains(&s)),
        }
    }

    /// The school-level reach of an action: the schools and municipalities the actor's grants
    /// allow it in. Class- and child-scoped grants count for their school.
    pub fn reach(&self, action: Action) -> Reach {
        let mut reach = Reach::default();
        for g in &self.grants {
            match permission::scope_of(g.role, action) {
                None => {}
                Some(Scope::Municipality) => reach.municipalities.extend(g.municipality_id),
                Some(_) => reach.schools.extend(g.school_id),
            }
        }
        reach.schools.sort_unstable();
        reach.schools.dedup();
        reach.municipalities.sort_unstable();
        reach.municipalities.dedup();
        reach
    }

    /// The schools where the actor may perform `action` across the whole school — not only
    /// in a class of theirs or for a child — in id order.
    pub fn whole_schools(&self, action: Action) -> Vec<i64> {
        let mut out: Vec<i64> = self
            .grants
            .iter()
            .filter(|g| permission::scope_of(g.role, action) == Some(Scope::School))
            .filter_map(|g| g.school_id)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The school of the actor's first school-level grant: where their audit events belong.
    pub fn home_school(&self) -> Option<i64> {
        self.grants.iter().find_map(|g| g.school_id)
    }

    pub fn is_staff(&self) -> bool {
        self.grants.iter().any(|g| g.role.is_staff())
    }
}

/// Schools and municipalities an action reaches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub schools: Vec<i64>,
    pub municipalities: Vec<i64>,
}

impl Reach {
    pub fn covers(&self, school: &SchoolRow) -> bool {
        self.schools.contains(&school.id) || self.municipalities.contains(&school.municipality_id)
    }
}

/// The per-request context: language, client address, and the actor if signed in.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub ip: String,
    pub user_agent: String,
    pub actor: Option<Arc<Actor>>,
    /// Set when a session cookie was presented but is no longer valid.
    pub session_expired: bool,
}

impl Ctx {
    pub fn t(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// An audit entry for something the actor does now: who, from which session and
    /// address, with outcome `success` and the actor's school; callers fill in the rest.
    pub fn audit_base(&self, at: i64) -> AuditEntry {
        let actor = self.actor.as_deref();
        AuditEntry {
            at,
            school_id: actor.and_then(Actor::home_school),
            actor_user_id: actor.map(|a| a.user_id),
            actor_person_id: actor.map(|a| a.person_id),
            session_hash: actor.map(|a| a.session_hash.clone()).unwrap_or_default(),
            ip: self.ip.clone(),
            outcome: "success".into(),
            details: "{}".into(),
            ..AuditEntry::default()
        }
    }

    /// The actor, or 401 (a handler behind an `Access::Signed` route always has one).
    pub fn actor(&self) -> Result<&Actor, AppError> {
        self.actor.as_deref().ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("request context missing".into()))
    }
}

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The client address: the socket peer, or the last X-Forwarded-For hop (added by the
/// proxy itself) when the operator said a trusted reverse proxy sits in front.
pub fn client_ip(headers: &HeaderMap, peer: Option<IpAddr>, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            // The proxy appends the address it saw on the right; anything left of it came
            // from the client and can be forged.
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    {
        return ip.to_string();
    }
    peer.map(|p| p.to_string()).unwrap_or_default()
}

/// A context without a session lookup.
pub fn anonymous(state: &AppState, headers: &HeaderMap, peer: Option<IpAddr>) -> Ctx {
    Ctx {
        lang: cookie(headers, LANG_COOKIE)
            .and_then(Lang::parse)
            .unwrap_or_default(),
        ip: client_ip(headers, peer, state.cfg.trust_proxy),
        user_agent: String::new(),
        actor: None,
        session_expired: false,
    }
}

/// Builds the context: language from the cookie (then the account), actor from the session.
/// `api` requests authenticate only with a bearer token, pages only with the session
/// cookie: a cookie riding along on a forged API call counts for nothing.
pub async fn build(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    api: bool,
    presented: Option<&str>,
) -> Result<Ctx, AppError> {
    let cookie_lang = cookie(headers, LANG_COOKIE).and_then(Lang::parse);
    let ip = client_ip(headers, peer, state.cfg.trust_proxy);
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let (token, via_bearer) = if api {
        (presented.or_else(|| bearer(headers)), true)
    } else {
        (cookie(headers, state.session_cookie_name()), false)
    };
    let mut ctx = Ctx {
        lang: cookie_lang.unwrap_or_default(),
        ip,
        user_agent,
        actor: None,
        session_expired: false,
    };
    let Some(token) = token else { return Ok(ctx) };
    let hash = token_hash(token);
    let Some(row) = state.store.session_by_token_hash(&hash).await? else {
        ctx.session_expired = !via_bearer;
        return Ok(ctx);
    };
    let now = state.clock.now_ms();
    let kind_ok = (row.kind == "api") == via_bearer;
    let idle_limit = if row.kind == "api" {
        i64::MAX
    } else {
        state.cfg.idle_timeout_ms()
    };
    let alive = kind_ok
        && !row.grant_revoked
        && row.revoked_at.is_none()
        && !row.blocked
        && now < row.expires_at
        && now.saturating_sub(row.last_seen_at) < idle_limit;
    if !alive {
        ctx.session_expired = !via_bearer;
        return Ok(ctx);
    }
    // Writing last_seen on every request would turn every read into a write; a minute's
    // precision is plenty for a 30-minute idle timeout.
    if now - row.last_seen_at > zhurnal_store::SESSION_TOUCH_MS {
        state
            .store
            .touch_session(row.session_id, &hash, now)
            .await?;
    }
    // Who the person is, their roles and children change rarely and only through writes
    // that empty the kept answers (as does the session: a logout or a block through this
    // server stops it at once).
    let store = &state.store;
    let pid = row.person_id;
    let all = Dep::All;
    let person = store
        .memo(("person", [pid, 0, 0, 0]), all, store.person(pid))
        .await?;
    let grants: Vec<Grant> = store
        .memo(("grants_of", [pid, 0, 0, 0]), all, store.grants_of(pid))
        .await?
        .iter()
        .filter_map(|g| {
            Some(Grant {
                role: g.role.parse().ok()?,
                school_id: g.school_id,
                municipality_id: g.municipality_id,
                edu_group_id: g.edu_group_id,
            })
        })
        .collect();
    let mut children = if grants.iter().any(|g| g.role == Role::Parent) {
        store
            .memo(("children_of", [pid, 0, 0, 0]), all, store.children_of(pid))
            .await?
            .as_ref()
            .clone()
    } else {
        Vec::new()
    };
    let app = row.grant_id.map(|grant_id| AppAccess {
        grant_id,
        scopes: parse_scopes(row.grant_scopes.as_deref().unwrap_or("")).unwrap_or_default(),
    });
    if app.is_some() {
        // An app sees only the children the parent chose for it.
        let shared: Vec<i64> = row
            .grant_children
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|c| c.trim().parse().ok())
            .collect();
        children.retain(|c| shared.contains(&c.person_id));
    }
    if cookie_lang.is_none() {
        ctx.lang = Lang::parse(&row.locale).unwrap_or_default();
    }
    let only_student = !grants.is_empty() && grants.iter().all(|g| g.role == Role::Student);
    let greeting_name = match person.as_ref() {
        Some(p) if only_student || p.middle_name.is_empty() => p.first_name.clone(),
        Some(p) => format!("{} {}", p.first_name, p.middle_name),
        None => row.login.clone(),
    };
    ctx.actor = Some(Arc::new(Actor {
        user_id: row.user_id,
        person_id: row.person_id,
        login: row.login,
        full_name: person
            .as_ref()
            .as_ref()
            .map(|p| p.full_name())
            .unwrap_or_default(),
        greeting_name,
        grants,
        children,
        session_id: row.session_id,
        session_hash: hash[..16].to_owned(),
        csrf: row.csrf_token,
        via_bearer,
        app,
    }));
    Ok(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookies_are_found_among_many() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; zh_session=abc; zh_lang=en"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, LANG_COOKIE), Some("en"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn forwarded_for_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.7, 10.0.0.1"),
        );
        let peer = Some("127.0.0.1".parse().unwrap());
        assert_eq!(client_ip(&h, peer, false), "127.0.0.1");
        assert_eq!(
            client_ip(&h, peer, true),
            "10.0.0.1",
            "the hop the proxy added, not the client's claim"
        );
    }

    fn actor(grants: Vec<Grant>) -> Actor {
        Actor {
            user_id: 1,
            person_id: 1,
            login: "x".into(),
            full_name: String::new(),
            greeting_name: String::new(),
            grants,
            children: vec![],
            session_id: 1,
            session_hash: String::new(),
            csrf: String::new(),
            via_bearer: false,
            app: None,
        }
    }

    #[test]
    fn reach_follows_the_table() {
        let director = actor(vec![Grant {
            role: Role::Director,
            school_id: Some(7),
            municipality_id: None,
            edu_group_id: None,
        }]);
        assert_eq!(
            director.reach(Action::ViewSchools),
            Reach {
                schools: vec![7],
                municipalities: vec![]
            }
        );
        assert_eq!(director.reach(Action::EditJournal), Reach::default());
        let inspector = actor(vec![Grant {
            role: Role::Inspector,
            school_id: None,
            municipality_id: Some(1),
            edu_group_id: None,
        }]);
        assert_eq!(
            inspector.reach(Action::ViewSchools),
            Reach {
                schools: vec![],
                municipalities: vec![1]
            }
        );
        assert!(!inspector.can(Action::ViewAudit));
    }
}
