//! «Регистрация по коду» (`/register`) and `POST /api/v1/register`: a person turns the
//! one-time code from the school's slip into their own login and password. Parses, calls
//! `ops::register`, renders.

use super::ops::{self, Refused, refusal_field};
use crate::api::{ApiJson, ErrorBody};
use crate::ctx::{Ctx, cookie};
use crate::pages::{Chrome, html};
use crate::security::{constant_time_eq, random_token};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The anonymous form's CSRF token travels in this cookie and in the form (double submit).
const CSRF_COOKIE: &str = "zhurnal_register_csrf";

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage {
    pub c: Chrome,
    pub csrf: String,
    pub code: String,
    pub login: String,
    /// (field, message) of the refusal, shown next to its field.
    pub error: Option<(&'static str, String)>,
    pub done: Option<String>,
}

impl RegisterPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn render(state: &AppState, status: StatusCode, page: RegisterPage) -> Result<Response, AppError> {
    let csrf = page.csrf.clone();
    let mut res = html(status, &page)?;
    let secure = if state.cfg.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!("{CSRF_COOKIE}={csrf}; Path=/register; HttpOnly; SameSite=Strict{secure}");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

fn blank(ctx: &Ctx) -> RegisterPage {
    RegisterPage {
        c: Chrome::new(ctx, ctx.t().s("register.title"), "/register"),
        csrf: random_token(),
        code: String::new(),
        login: String::new(),
        error: None,
        done: None,
    }
}

pub async fn register_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    render(&state, StatusCode::OK, blank(&ctx))
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

pub async fn register_post(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<RegisterForm>,
) -> Result<Response, AppError> {
    let expected = cookie(&headers, CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !constant_time_eq(expected, &form.csrf) {
        return Err(AppError::Csrf);
    }
    let t = ctx.t();
    let mut page = blank(&ctx);
    page.code = form.code.trim().chars().take(40).collect();
    page.login = form.login.trim().chars().take(64).collect();
    if form.password != form.password2 {
        page.error = Some(("password2", t.s("account.mismatch").to_owned()));
        return render(&state, StatusCode::UNPROCESSABLE_ENTITY, page);
    }
    match ops::register(&state, &ctx, &form.code, &form.login, &form.password).await? {
        Ok(login) => {
            page.code.clear();
            page.done = Some(format!("{} {login}", t.s("register.done")));
            render(&state, StatusCode::OK, page)
        }
        Err(refused) => {
            let (field, key) = refusal_field(&refused);
            page.error = Some((field, t.s(key).to_owned()));
            let status = match refused {
                Refused::Locked(_) => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            render(&state, status, page)
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct RegisterIn {
    /// The code from the school's slip, with or without dashes, in any case.
    pub code: String,
    pub login: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterOut {
    /// The login now created (lower case), to sign in with.
    pub login: String,
}

/// Creates the caller's own login with the one-time code from the school (§5.1). A wrong,
/// used or expired code gets one and the same answer; wrong codes are throttled per address.
#[utoipa::path(
    post,
    path = "/api/v1/register",
    tag = "account",
    request_body = RegisterIn,
    responses(
        (status = 201, description = "The login is created", body = RegisterOut),
        (status = 422, description = "A wrong code, a login taken or malformed, a weak password", body = ErrorBody),
        (status = 429, description = "Too many wrong codes from this address", body = ErrorBody),
    )
)]
pub async fn post_register(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<RegisterIn>,
) -> Result<Response, AppError> {
    match ops::register(&state, &ctx, &input.code, &input.login, &input.password).await? {
        Ok(login) => Ok((StatusCode::CREATED, Json(RegisterOut { login })).into_response()),
        Err(Refused::Locked(secs)) => Err(AppError::Locked {
            retry_after_secs: secs,
        }),
        Err(refused) => {
            let (field, key) = refusal_field(&refused);
            Err(AppError::Validation(vec![(
                field.to_owned(),
                ctx.t().s(key).to_owned(),
            )]))
        }
    }
}
