//! The school's profile (§2.3): names, type, address and contacts, time zone (every "today"
//! of the school is computed in it) and shifts.

use super::auth::check_csrf;
use super::timetable::pick_school;
use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_store::{AuditEntry, SchoolProfile, SchoolRow};

/// The time zones of Russia, west to east (IANA names; city names for people).
pub const ZONES: [(&str, &str); 11] = [
    ("Europe/Kaliningrad", "Калининград (UTC+2)"),
    ("Europe/Moscow", "Москва (UTC+3)"),
    ("Europe/Samara", "Самара (UTC+4)"),
    ("Asia/Yekaterinburg", "Екатеринбург (UTC+5)"),
    ("Asia/Omsk", "Омск (UTC+6)"),
    ("Asia/Novosibirsk", "Новосибирск (UTC+7)"),
    ("Asia/Irkutsk", "Иркутск (UTC+8)"),
    ("Asia/Yakutsk", "Якутск (UTC+9)"),
    ("Asia/Vladivostok", "Владивосток, Хабаровск (UTC+10)"),
    ("Asia/Magadan", "Магадан (UTC+11)"),
    ("Asia/Kamchatka", "Петропавловск-Камчатский (UTC+12)"),
];

const KINDS: [(&str, &str); 4] = [
    ("general", "kind.general"),
    ("gymnasium", "kind.gymnasium"),
    ("lyceum", "kind.lyceum"),
    ("boarding", "kind.boarding"),
];

/// A text input of the form.
pub struct TextField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub kind: &'static str,
}

pub struct Opt {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "profile.html")]
pub struct ProfilePage {
    pub c: Chrome,
    pub school_id: i64,
    pub form: ProfileForm,
    pub fields: Vec<TextField>,
    pub kinds: Vec<Opt>,
    pub zones: Vec<Opt>,
    pub saved: bool,
    pub summary: Option<&'static str>,
    pub errors: Vec<(&'static str, &'static str)>,
}

impl ProfilePage {
    /// The error message of a field, if any.
    pub fn error(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| *m)
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ProfileForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub school: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub shifts: String,
}

#[derive(Deserialize, Default)]
pub struct ProfileQuery {
    school: Option<String>,
    saved: Option<String>,
}

fn page(ctx: &Ctx, school_id: i64, form: ProfileForm) -> ProfilePage {
    let t = ctx.t();
    ProfilePage {
        c: Chrome::new(ctx, t.s("profile.title"), "/setup/profile"),
        school_id,
        kinds: KINDS
            .iter()
            .map(|(v, k)| Opt {
                value: v,
                label: t.s(k),
                selected: form.kind == *v,
            })
            .collect(),
        zones: ZONES
            .iter()
            .map(|(v, l)| Opt {
                value: v,
                label: l,
                selected: form.time_zone == *v,
            })
            .collect(),
        fields: [
            ("short_name", "profile.short_name", &form.short_name, "text"),
            ("full_name", "profile.full_name", &form.full_name, "text"),
            ("city", "profile.city", &form.city, "text"),
            ("address", "profile.address", &form.address, "text"),
            ("phone", "profile.phone", &form.phone, "tel"),
            ("email", "profile.email", &form.email, "email"),
        ]
        .into_iter()
        .map(|(name, key, value, kind)| TextField {
            name,
            label: t.s(key),
            value: value.clone(),
            kind,
        })
        .collect(),
        form,
        saved: false,
        summary: None,
        errors: Vec::new(),
    }
}

fn form_of(s: &SchoolRow) -> ProfileForm {
    ProfileForm {
        school: s.id.to_string(),
        short_name: s.short_name.clone(),
        full_name: s.full_name.clone(),
        kind: s.kind.clone(),
        city: s.city.clone(),
        address: s.address.clone(),
        phone: s.phone.clone(),
        email: s.email.clone(),
        time_zone: s.time_zone.clone(),
        shifts: s.shifts.to_string(),
        ..ProfileForm::default()
    }
}

pub(crate) async fn school_for(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
) -> Result<SchoolRow, AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    Ok(pick_school(state, ctx, &reach, asked).await?.0)
}

pub async fn profile_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ProfileQuery>,
) -> Result<Response, AppError> {
    let school = school_for(&state, &ctx, q.school.as_deref()).await?;
    let mut p = page(&ctx, school.id, form_of(&school));
    p.saved = q.saved.is_some();
    html(StatusCode::OK, &p)
}

/// Checks the form; returns the profile or (field, message key) pairs.
pub(crate) fn validate(
    f: &ProfileForm,
) -> Result<SchoolProfile, Vec<(&'static str, &'static str)>> {
    let mut errors = Vec::new();
    let len = |s: &str| s.trim().chars().count();
    if !(1..=100).contains(&len(&f.short_name)) {
        errors.push(("short_name", "profile.need_short_name"));
    }
    if !(1..=500).contains(&len(&f.full_name)) {
        errors.push(("full_name", "profile.need_full_name"));
    }
    if !KINDS.iter().any(|(v, _)| *v == f.kind) {
        errors.push(("kind", "profile.pick_kind"));
    }
    if len(&f.city) > 100 || len(&f.address) > 300 {
        errors.push(("address", "profile.too_long"));
    }
    if len(&f.phone) > 40
        || !f
            .phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c))
    {
        errors.push(("phone", "profile.bad_phone"));
    }
    let email = f.email.trim();
    if !email.is_empty()
        && (email.len() > 200
            || !email.contains('@')
            || email.starts_with('@')
            || email.ends_with('@')
            || email.contains(char::is_whitespace))
    {
        errors.push(("email", "profile.bad_email"));
    }
    if !ZONES.iter().any(|(z, _)| *z == f.time_zone)
        || jiff::tz::TimeZone::get(&f.time_zone).is_err()
    {
        errors.push(("time_zone", "profile.pick_zone"));
    }
    let shifts = match f.shifts.as_str() {
        "1" => 1,
        "2" => 2,
        _ => {
            errors.push(("shifts", "profile.pick_shifts"));
            1
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SchoolProfile {
        short_name: f.short_name.trim().to_owned(),
        full_name: f.full_name.trim().to_owned(),
        kind: f.kind.clone(),
        city: f.city.trim().to_owned(),
        address: f.address.trim().to_owned(),
        phone: f.phone.trim().to_owned(),
        email: email.to_owned(),
        time_zone: f.time_zone.clone(),
        shifts,
    })
}

pub async fn profile_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    check_csrf(&ctx, &form.csrf)?;
    ctx.actor()?;
    let school = school_for(&state, &ctx, Some(&form.school)).await?;
    match validate(&form) {
        Ok(profile) => {
            save(&state, &ctx, &school, &profile).await?;
            Ok(
                crate::error::redirect(&format!("/setup/profile?school={}&saved=1", school.id))
                    .into_response(),
            )
        }
        Err(errors) => {
            let mut p = page(&ctx, school.id, form);
            p.summary = Some(ctx.t().s("account.form_errors"));
            p.errors = errors.into_iter().map(|(f, k)| (f, ctx.t().s(k))).collect();
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}

/// Saves a checked profile, audited.
pub(crate) async fn save(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    profile: &SchoolProfile,
) -> Result<(), AppError> {
    let audit = AuditEntry {
        school_id: Some(school.id),
        action: "setup.profile".into(),
        target_kind: "school".into(),
        target_id: school.id.to_string(),
        details: serde_json::json!({ "time_zone": profile.time_zone }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .update_school_profile(school.id, profile, &audit)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_zone_is_known() {
        for (zone, _) in ZONES {
            assert!(jiff::tz::TimeZone::get(zone).is_ok(), "{zone}");
        }
    }
}
