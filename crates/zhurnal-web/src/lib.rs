//! Zhurnal over HTTP: server-rendered pages, the JSON API under `/api/v1`, sessions and
//! security headers. Handlers stay thin: they parse input, ask `zhurnal_core` and the store,
//! and render.

mod account;
mod api;
mod blocking;
pub mod ctx;
pub mod diary;
pub mod dnevnik;
mod error;
pub mod files;
pub mod i18n;
mod input;
pub mod journal;
mod login;
pub mod mail;
pub mod oauth;
mod pages;
pub mod refs;
mod roster;
pub mod routes;
pub mod security;
pub mod shed;

pub use error::AppError;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{delete, get, post, put};
use std::sync::Arc;
use tokio::net::TcpListener;
use zhurnal_core::clock::Clock;
use zhurnal_store::{Store, ThrottlePolicy};

/// Web settings (the server part of the configuration file).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Set when Zhurnal is served over HTTPS (directly or behind a proxy): cookies get
    /// `Secure` and the `__Host-` prefix, and HSTS is sent.
    pub secure_cookies: bool,
    /// Trust the first `X-Forwarded-For` hop as the client address.
    pub trust_proxy: bool,
    /// The address people reach Zhurnal by (`https://journal.school.example`), when set:
    /// addresses Zhurnal hands out (calendar feeds) are built from it, never from a
    /// request's `Host`, and a form is accepted only from this origin.
    pub public_url: Option<String>,
    /// A web session ends after this long without a request (SECURITY.md R13: 30 min).
    pub idle_timeout_minutes: i64,
    /// …and this long after login, whatever happens (R13: 12 h).
    pub absolute_timeout_minutes: i64,
    /// Lifetime of an API bearer token.
    pub api_token_minutes: i64,
    /// How long a family's one-time access code stays valid (§5.1).
    pub access_code_days: i64,
    pub throttle: ThrottlePolicy,
    /// The mail relay for notices to families; without it notices stay on the site.
    pub smtp: Option<mail::SmtpConfig>,
    /// How many requests run at once and how long one may queue before a 503.
    pub shed: shed::ShedPolicy,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            public_url: None,
            idle_timeout_minutes: 30,
            absolute_timeout_minutes: 12 * 60,
            api_token_minutes: 60,
            access_code_days: 14,
            throttle: ThrottlePolicy::default(),
            smtp: None,
            shed: shed::ShedPolicy::default(),
        }
    }
}

impl WebConfig {
    pub fn idle_timeout_ms(&self) -> i64 {
        self.idle_timeout_minutes * 60_000
    }

    /// The origin (`scheme://host[:port]`) a request's own pages come from: the public
    /// address when configured, else the `Host` it was sent to, by HTTPS when cookies are
    /// secure. `None` for a `Host` that is not a plain host name.
    pub fn origin_of(&self, headers: &axum::http::HeaderMap) -> Option<String> {
        if let Some(url) = &self.public_url {
            return Some(url.clone());
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| plain_host(h))?;
        let scheme = if self.secure_cookies { "https" } else { "http" };
        Some(format!("{scheme}://{host}"))
    }
}

/// A host name or address with an optional port, and nothing else.
fn plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// The origin of a configured public address, or why it is not one: `http(s)://host[:port]`
/// with nothing after it but an optional `/`.
pub fn public_origin(url: &str) -> Result<String, &'static str> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    if !plain_host(rest) {
        return Err("must be scheme://host[:port], without a path, query or credentials");
    }
    Ok(url.to_owned())
}

/// What every handler can reach, behind one reference count: axum clones the state several
/// times per request, and a clone of the parts one by one was a dozen atomic operations.
#[derive(Clone)]
pub struct AppState(Arc<AppParts>);

impl std::ops::Deref for AppState {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

/// The parts of [`AppState`].
pub struct AppParts {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub cfg: Arc<WebConfig>,
    /// A hash of a random password, verified against when the login does not exist, so an
    /// unknown login costs the same time as a wrong password.
    pub dummy_hash: Arc<String>,
    /// Schools' reference data for the hot pages.
    pub refs: Arc<refs::Refs>,
}

impl AppState {
    pub fn new(store: Store, clock: Arc<dyn Clock>, cfg: WebConfig) -> Result<AppState, String> {
        let dummy = security::hash_password_blocking(&security::random_token())?;
        Ok(AppState(Arc::new(AppParts {
            store,
            clock,
            cfg: Arc::new(cfg),
            dummy_hash: Arc::new(dummy),
            refs: Arc::new(refs::Refs::default()),
        })))
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.cfg.secure_cookies {
            ctx::SECURE_SESSION_COOKIE
        } else {
            ctx::SESSION_COOKIE
        }
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let unmoved = Router::new()
        .route("/healthz", get(pages::healthz))
        .route("/readyz", get(pages::readyz))
        .route("/static/app.css", get(pages::stylesheet))
        .route("/static/journal.js", get(pages::journal_script))
        .route("/favicon.svg", get(pages::favicon))
        .route("/lang/{code}", get(pages::lang_get))
        .route("/lang", post(pages::lang_post))
        .route(
            "/login",
            get(pages::auth::login_get).post(pages::auth::login_post),
        )
        .route("/logout", post(pages::auth::logout_post))
        .route("/", get(pages::home::home_get))
        .route("/account", get(pages::account::account_get))
        .route("/account/password", post(pages::account::password_post))
        .route("/schools", get(pages::schools::schools_get))
        .route("/schools/{id}", get(pages::schools::school_get))
        .route("/audit", get(pages::audit::audit_get))
        .route("/timetable", get(pages::timetable::timetable_get))
        .route(
            "/setup/periods",
            get(pages::periods::periods_get).post(pages::periods::periods_post),
        )
        .route(
            "/setup/promotion",
            get(pages::promotion::promotion_get).post(pages::promotion::promotion_post),
        )
        .route(
            "/setup/staff",
            get(pages::staff::staff_get).post(pages::staff::staff_post),
        )
        .route(
            "/setup/curriculum",
            get(pages::curriculum::curriculum_get).post(pages::curriculum::curriculum_post),
        )
        .route(
            "/setup/profile",
            get(pages::profile::profile_get).post(pages::profile::profile_post),
        )
        .route(
            "/setup/classes",
            get(pages::classes::classes_get).post(pages::classes::classes_post),
        )
        .route(
            "/journal",
            get(pages::journal::journal_get).post(pages::journal::journal_post),
        )
        .route(
            "/wall",
            get(pages::wall::wall_get).post(pages::wall::wall_post),
        )
        .route("/diary/wall", get(pages::wall::family_wall_get))
        .route(
            "/roster",
            get(pages::roster::roster_get).post(pages::roster::roster_post),
        )
        .route(
            "/journal/class",
            get(pages::class_check::class_get).post(pages::class_check::class_post),
        )
        .route("/journal/mine", get(pages::mine::mine_get))
        .route(
            "/journal/year",
            get(pages::year_marks::year_get).post(pages::year_marks::year_post),
        )
        .route("/diary", get(pages::diary::diary_get))
        .route("/diary/marks", get(pages::diary::marks_get))
        .route(
            "/messages",
            get(pages::messages::messages_get).post(pages::messages::messages_post),
        )
        .route(
            "/messages/thread",
            get(pages::messages::thread_get).post(pages::messages::thread_post),
        )
        .route("/messages/complaints", get(pages::messages::complaints_get))
        .route("/messages/complaint", get(pages::messages::thread_get))
        .route(
            "/notifications",
            get(pages::notices::notices_get).post(pages::notices::notices_post),
        )
        .route(
            "/diary/calendar",
            get(pages::diary::calendar_get).post(pages::diary::calendar_post),
        )
        .route("/ics/{token}", get(pages::diary::feed_get))
        .route("/diary/homework", get(pages::diary::homework_get))
        .route("/diary/file", get(pages::diary::file_get))
        .route(
            "/journal/plan",
            get(pages::plan::plan_get)
                .post(pages::plan::plan_post)
                .layer(axum::extract::DefaultBodyLimit::max(
                    files::MAX_BYTES + 64 * 1024,
                )),
        )
        .route("/journal/cell", post(pages::journal::cell_post))
        .route(
            "/journal/lesson/file",
            post(pages::lesson::file_post).layer(axum::extract::DefaultBodyLimit::max(
                files::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/journal/file", get(pages::lesson::file_get))
        .route("/journal/correction", post(pages::lesson::correction_post))
        .route(
            "/journal/lesson",
            get(pages::lesson::lesson_get).post(pages::lesson::lesson_post),
        )
        .route(
            "/setup/grading",
            get(pages::grading::grading_get).post(pages::grading::grading_post),
        )
        .route(
            "/setup/bodies",
            get(pages::bodies::bodies_get).post(pages::bodies::bodies_post),
        )
        .route(
            "/setup/timetable/grid",
            get(pages::grid::grid_get).post(pages::grid::grid_post),
        )
        .route(
            "/setup/timetable/import",
            get(pages::import::import_get).post(pages::import::import_post),
        )
        .route(
            "/setup/load",
            get(pages::load::load_get).post(pages::load::load_post),
        )
        .route(
            "/setup/bells",
            get(pages::bells::bells_get).post(pages::bells::bells_post),
        )
        .route(
            "/setup/calendar",
            get(pages::calendar::calendar_get).post(pages::calendar::calendar_post),
        )
        .route(
            "/timetable/changes",
            get(pages::changes::changes_get).post(pages::changes::changes_post),
        )
        .route("/api/v1/auth/token", post(api::auth::create_token))
        .route("/api/v1/auth/revoke", post(api::auth::revoke_token))
        .route("/api/v1/me", get(api::me::get_me))
        .route("/api/v1/diary/week", get(api::diary::get_week))
        .route("/api/v1/schools", get(api::schools::list_schools))
        .route(
            "/api/v1/schools/{id}/calendar",
            get(api::timetable::get_calendar).put(api::year::put_calendar),
        )
        .route(
            "/api/v1/schools/{id}/calendar/next",
            post(api::year::post_next_year),
        )
        .route(
            "/api/v1/schools/{id}/curriculum",
            get(api::year::get_curriculum).put(api::year::put_curriculum),
        )
        .route(
            "/api/v1/schools/{id}/classes",
            get(api::year::get_classes).post(api::year::post_class),
        )
        .route(
            "/api/v1/schools/{id}/classes/{class}",
            put(api::year::put_class),
        )
        .route(
            "/api/v1/schools/{id}/bells",
            get(api::year::get_bells).put(api::year::put_bells),
        )
        .route(
            "/api/v1/schools/{id}/subgroups",
            post(api::year::post_subgroup),
        )
        .route(
            "/api/v1/schools/{id}/load",
            get(api::year::get_load).post(api::year::post_load),
        )
        .route(
            "/api/v1/schools/{id}/bodies",
            get(api::bodies::get_bodies).post(api::bodies::post_body),
        )
        .route(
            "/api/v1/schools/{id}/bodies/{body}/members",
            post(api::bodies::post_body_member),
        )
        .route(
            "/api/v1/schools/{id}/bodies/members/{member}",
            delete(api::bodies::delete_body_member),
        )
        .route(
            "/api/v1/schools/{id}/load/{line}",
            delete(api::year::delete_load),
        )
        .route(
            "/api/v1/schools/{id}/staff",
            get(api::staff::get_staff).post(api::staff::post_staff),
        )
        .route(
            "/api/v1/schools/{id}/profile",
            get(api::schools::get_profile).put(api::schools::put_profile),
        )
        .route(
            "/api/v1/schools/{id}/periods",
            get(api::grading::get_periods),
        )
        .route(
            "/api/v1/schools/{id}/periods/{period}/close",
            post(api::grading::close_period),
        )
        .route(
            "/api/v1/schools/{id}/periods/{period}/reopen",
            post(api::grading::reopen_period),
        )
        .route(
            "/api/v1/schools/{id}/grading",
            get(api::grading::get_grading).put(api::grading::put_grading),
        )
        .route("/api/v1/timetable", get(api::timetable::get_timetable))
        .route(
            "/api/v1/timetable/changes",
            post(api::timetable::post_change),
        )
        .route(
            "/api/v1/timetable/templates",
            get(api::setup::get_template).put(api::setup::put_template),
        )
        .route("/api/v1/diary/marks", get(api::diary::get_marks))
        .route("/api/v1/diary/homework", get(api::diary::get_homework))
        .route("/api/v1/diary/files/{id}", get(api::diary::get_file))
        .route("/api/v1/roster", get(api::roster::get_roster))
        .route(
            "/api/v1/wall",
            get(api::wall::get_wall).post(api::wall::post_wall),
        )
        .route("/api/v1/wall/{id}", delete(api::wall::delete_wall_post))
        .route("/api/v1/diary/wall", get(api::wall::get_family_wall))
        .route("/api/v1/audit", get(api::audit::get_audit))
        .route("/api/v1/notifications", get(api::notices::get_notices))
        .route(
            "/api/v1/messages",
            get(api::messages::get_messages).post(api::messages::post_thread),
        )
        .route(
            "/api/v1/messages/complaints",
            get(api::messages::get_complaints),
        )
        .route(
            "/api/v1/messages/complaints/{id}",
            get(api::messages::get_complaint),
        )
        .route(
            "/api/v1/messages/{id}",
            get(api::messages::get_thread).post(api::messages::post_reply),
        )
        .route(
            "/api/v1/messages/{id}/complaint",
            post(api::messages::post_complaint),
        )
        .route("/api/v1/notifications/read", post(api::notices::post_read))
        .route(
            "/api/v1/notifications/settings",
            put(api::notices::put_settings),
        )
        .route(
            "/api/v1/roster/statements",
            post(api::roster::post_statement),
        )
        .route(
            "/api/v1/roster/departures",
            post(api::roster::post_departure),
        )
        .route("/api/v1/journal", get(api::journal::get_journal))
        .route("/api/v1/journal/marks", put(api::journal::put_mark))
        .route(
            "/api/v1/journal/class-check",
            get(api::journal::get_class_check).post(api::journal::post_class_check),
        )
        .route(
            "/api/v1/journal/year-marks",
            get(api::periods::get_year_marks).put(api::periods::put_year_marks),
        )
        .route(
            "/api/v1/journal/period-marks",
            get(api::periods::get_period_marks).put(api::periods::put_period_marks),
        )
        .route(
            "/api/v1/journal/corrections",
            put(api::journal::put_correction),
        )
        .route("/api/v1/journal/absences", put(api::journal::put_absence))
        .route(
            "/api/v1/journal/absence-reasons",
            put(api::journal::put_absence_reason),
        )
        .route(
            "/api/v1/journal/lessons/{id}",
            put(api::journal::put_lesson_text),
        )
        .route(
            "/api/v1/journal/lessons/{id}/files",
            get(api::files::get_lesson_files)
                .post(api::files::post_lesson_file)
                .layer(axum::extract::DefaultBodyLimit::max(files::MAX_BYTES + 1)),
        )
        .route(
            "/api/v1/journal/files/{id}",
            get(api::files::get_journal_file),
        )
        .route("/api/v1/journal/mine", get(api::mine::get_mine))
        .route(
            "/api/v1/journal/plan",
            get(api::plan::get_plan).put(api::plan::put_plan),
        )
        .route("/api/v1/journal/plan/fill", post(api::plan::post_fill))
        .route(
            "/api/v1/roster/promotion",
            get(api::promotion::get_promotion).post(api::promotion::post_promotion),
        )
        .route("/api/v1/timetable/import", post(api::setup::post_import))
        .route("/api/v1/me/password", post(api::account::post_password))
        .route("/api/v1/me/apps", get(api::account::get_grants))
        .route("/api/v1/me/apps/{id}", delete(api::account::delete_grant))
        .route(
            "/api/v1/diary/calendar-feeds",
            get(api::account::get_feeds).post(api::account::post_feed),
        )
        .route(
            "/api/v1/diary/calendar-feeds/{id}",
            delete(api::account::delete_feed),
        )
        .route(
            "/api/v1/apps",
            get(api::apps::get_apps).post(api::apps::post_app),
        )
        .route("/api/v1/apps/{id}", delete(api::apps::delete_app))
        .route("/api/v1/openapi.json", get(api::openapi::openapi_json))
        .route(
            "/setup/apps",
            get(pages::apps::apps_get).post(pages::apps::apps_post),
        )
        .route(
            "/account/apps",
            get(pages::apps::mine_get).post(pages::apps::mine_post),
        )
        .route(
            "/oauth2/authorize",
            get(oauth::authorize_get).post(oauth::authorize_post),
        )
        .route("/oauth2/token", post(oauth::token))
        .route("/oauth2/revoke", post(oauth::revoke))
        .merge(dnevnik::router());
    routes::mount(unmoved)
        .route_layer(from_fn_with_state(state.clone(), routes::guard))
        .fallback(pages::not_found)
        .layer(from_fn_with_state(state.clone(), refs::forget_after_writes))
        .layer(from_fn(input::refuse_nul))
        .layer(from_fn(error::render))
        .layer(from_fn_with_state(state.clone(), routes::context))
        .layer(from_fn(security::headers))
        .layer(axum::Extension(state.clone()))
        .layer(from_fn_with_state(
            shed::Gate::new(state.cfg.shed),
            shed::gate,
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes in-flight requests and closes the store.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    // The compatible surface's path aliases are rewritten before routing, so the router
    // and the route table know one spelling of each path.
    let app =
        tower::ServiceExt::<axum::extract::Request>::map_request(router(state), dnevnik::rewrite);
    let app = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
        std::net::SocketAddr,
    >(app);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    store.close().await;
    Ok(())
}
