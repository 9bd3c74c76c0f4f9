//! Server-rendered pages. Each page has one job, a title that says it, and navigation that
//! shows only what the person's roles allow.

pub mod account;
pub mod apps;
pub mod audit;
pub mod auth;
pub mod bells;
pub mod bodies;
pub mod calendar;
pub mod changes;
pub mod class_check;
pub mod classes;
pub mod curriculum;
pub mod diary;
pub mod grading;
pub mod grid;
pub mod home;
pub mod import;
pub mod journal;
pub mod lesson;
pub mod load;
pub mod messages;
pub mod mine;
pub mod notices;
pub mod periods;
pub mod plan;
pub mod profile;
pub mod promotion;
pub mod roster;
pub mod schools;
pub mod staff;
pub mod timetable;
pub mod wall;
pub mod weeks;
pub mod year_marks;

use crate::ctx::{Ctx, LANG_COOKIE};
use crate::error::safe_next;
use crate::i18n::{Lang, Tr};
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::Action;

/// A link of the main navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What every page around its content needs: title, navigation, the person, the switch.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: Tr,
    pub title: String,
    pub nav: Vec<NavItem>,
    pub user: Option<String>,
    pub csrf: String,
    pub lang_href: String,
    /// The page to come back to after switching the language.
    pub here: String,
    pub other_code: &'static str,
    pub other_name: &'static str,
}

impl Chrome {
    /// `current` is the path of the page, used for the language switch's way back and to mark
    /// the current navigation item.
    pub fn new(ctx: &Ctx, title: &str, current: &str) -> Chrome {
        let t = ctx.t();
        let mut nav = Vec::new();
        if let Some(actor) = ctx.actor.as_deref() {
            let items: [(&'static str, &'static str, Action); 34] = [
                ("/", "nav.home", Action::ViewHome),
                ("/diary", "nav.diary", Action::ViewDiary),
                ("/messages", "nav.messages", Action::UseMessages),
                ("/diary/wall", "nav.wall", Action::ViewDiary),
                ("/notifications", "nav.notices", Action::ViewDiary),
                ("/timetable", "nav.timetable", Action::ViewTimetable),
                ("/journal/mine", "nav.mine", Action::EditJournal),
                ("/journal", "nav.journal", Action::ViewJournal),
                (
                    "/journal/class",
                    "nav.class_check",
                    Action::CheckClassJournal,
                ),
                ("/roster", "nav.roster", Action::ManageRoster),
                ("/wall", "nav.wall", Action::PostClassWall),
                ("/timetable/changes", "nav.changes", Action::EditSchoolSetup),
                ("/setup/calendar", "nav.calendar", Action::EditSchoolSetup),
                ("/setup/profile", "nav.profile", Action::EditSchoolSetup),
                ("/setup/staff", "nav.staff", Action::ManageStaff),
                ("/roster/import", "nav.roster_import", Action::EnrolStudents),
                ("/roster/access", "nav.access_codes", Action::EnrolStudents),
                ("/roster/transfer", "nav.transfer", Action::TransferStudents),
                ("/roster/movement", "nav.movement", Action::ViewReports),
                ("/roster/consents", "nav.consents", Action::RecordConsents),
                ("/setup/bodies", "nav.bodies", Action::ManageStaff),
                ("/setup/classes", "nav.classes", Action::EditSchoolSetup),
                (
                    "/setup/promotion",
                    "nav.promotion",
                    Action::TransferStudents,
                ),
                (
                    "/setup/curriculum",
                    "nav.curriculum",
                    Action::EditSchoolSetup,
                ),
                ("/setup/periods", "nav.periods", Action::EditSchoolSetup),
                ("/setup/grading", "nav.grading", Action::EditSchoolSetup),
                ("/setup/bells", "nav.bells", Action::EditSchoolSetup),
                ("/setup/timetable/grid", "nav.grid", Action::EditSchoolSetup),
                (
                    "/setup/timetable/import",
                    "nav.import",
                    Action::EditSchoolSetup,
                ),
                ("/setup/load", "nav.load", Action::ViewTimetable),
                ("/schools", "nav.schools", Action::ViewSchools),
                ("/audit", "nav.audit", Action::ViewAudit),
                ("/setup/apps", "nav.apps", Action::ManageApps),
                ("/account", "nav.account", Action::ManageOwnAccount),
            ];
            for (href, key, action) in items {
                if actor.can(action) {
                    nav.push(NavItem {
                        href,
                        label: t.s(key),
                        current: href == current,
                    });
                }
            }
        }
        let other = ctx.lang.other();
        Chrome {
            t,
            title: title.to_owned(),
            nav,
            user: ctx.actor.as_deref().map(|a| a.full_name.clone()),
            csrf: ctx
                .actor
                .as_deref()
                .map(|a| a.csrf.clone())
                .unwrap_or_default(),
            lang_href: format!(
                "/lang/{}?next={}",
                other.code(),
                crate::error::encode_path(current)
            ),
            here: current.to_owned(),
            other_code: other.code(),
            other_name: other.endonym(),
        }
    }
}

/// A form read as its raw pairs, for forms with repeated fields (checkbox lists).
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    /// The first value of a field, or "" when it is absent.
    pub fn one(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Renders a template into an HTML response with the given status.
pub fn html<T: Template>(status: StatusCode, page: &T) -> Result<Response, AppError> {
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub message: &'static str,
    /// Why, when the error carries it in the person's language (withheld data).
    pub detail: String,
    pub reference: String,
}

impl ErrorPage {
    pub fn response(ctx: &Ctx, err: &AppError, reference: &str) -> Response {
        let t = ctx.t();
        let page = ErrorPage {
            c: Chrome::new(ctx, t.s("error.title"), "/"),
            message: t.s(err.message_key()),
            detail: match err {
                AppError::Withheld(why) => why.clone(),
                _ => String::new(),
            },
            reference: reference.to_owned(),
        };
        match page.render() {
            Ok(body) => (err.status(), Html(body)).into_response(),
            Err(_) => (err.status(), t.s(err.message_key())).into_response(),
        }
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// Liveness: answers without touching the database.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::warn!("readiness check failed: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

pub async fn stylesheet() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        )],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

/// The journal grid's script: saves a cell as it is typed, moves with the arrow keys,
/// undoes the last change. The page works without it.
pub async fn journal_script() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        include_str!("../../static/journal.js"),
    )
        .into_response()
}

pub async fn favicon() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        )],
        include_str!("../../static/favicon.svg"),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The redirect back, carrying the language cookie.
fn with_lang_cookie(state: &AppState, lang: Lang, next: Option<&str>) -> Response {
    let mut res = crate::error::redirect(&safe_next(next)).into_response();
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.code()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Switches the language of this browser (a cookie only: a GET changes nothing stored).
pub async fn lang_get(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&code).ok_or(AppError::NotFound)?;
    Ok(with_lang_cookie(&state, lang, q.next.as_deref()))
}

#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
    next: Option<String>,
}

/// Switches the language of a signed-in person: the browser's cookie and the account's
/// setting, so every device they sign in on follows. A form with the CSRF token.
pub async fn lang_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LangForm>,
) -> Result<Response, AppError> {
    auth::check_csrf(&ctx, &form.csrf)?;
    let lang = Lang::parse(&form.lang).ok_or(AppError::BadRequest("unknown language".into()))?;
    state
        .store
        .set_locale(ctx.actor()?.user_id, lang.code())
        .await?;
    Ok(with_lang_cookie(&state, lang, form.next.as_deref()))
}
