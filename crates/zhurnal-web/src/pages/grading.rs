//! The school's grading rules (DOMAIN.md §1; §4.1): how the period mark is proposed (weighted
//! or arithmetic mean, the lowest average for each mark, the minimum number of marks, the «no
//! top mark with a 2» rule), the scale («1», «+»/«−»), and the edit window after which only
//! the deputy corrects the journal. Local acts differ: these are settings, with the defaults
//! DOMAIN.md quotes.

use super::auth::check_csrf;
use super::timetable::pick_school;
use super::{Chrome, FormPairs, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhurnal_core::Action;
use zhurnal_core::grading::{Method, Rules, Scale};
use zhurnal_store::{GradingSettings, SchoolRow};

/// The settings as typed (the page's fields, or the API's values as text).
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub method: String,
    pub five: String,
    pub four: String,
    pub three: String,
    pub min_marks: String,
    pub window: String,
    pub no_top_with_two: bool,
    pub with_one: bool,
    pub with_signs: bool,
}

impl Typed {
    /// The three bound fields: (name, mark, value).
    pub fn bounds(&self) -> Vec<(&'static str, &'static str, String)> {
        vec![
            ("five", "5", self.five.clone()),
            ("four", "4", self.four.clone()),
            ("three", "3", self.three.clone()),
        ]
    }

    pub fn of(g: &GradingSettings) -> Typed {
        let bound = |mark: u8| {
            g.rules
                .bounds
                .iter()
                .find(|b| b.0 == mark)
                .map_or(String::new(), |b| format!("{}.{:02}", b.1 / 100, b.1 % 100))
        };
        Typed {
            method: if g.rules.method == Method::Arithmetic {
                "arithmetic".into()
            } else {
                "weighted".into()
            },
            five: bound(5),
            four: bound(4),
            three: bound(3),
            min_marks: g.rules.min_marks.to_string(),
            window: g.edit_window_days.to_string(),
            no_top_with_two: g.rules.no_top_with_two,
            with_one: g.rules.scale.with_one,
            with_signs: g.rules.scale.with_signs,
        }
    }
}

/// «4.65» or «4,65» → 465, within 1.00–5.00.
fn hundredths(raw: &str) -> Option<u16> {
    let s = raw.trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, "0"));
    let whole: u16 = whole.parse().ok()?;
    let frac = match frac.len() {
        1 => frac.parse::<u16>().ok()? * 10,
        2 => frac.parse::<u16>().ok()?,
        _ => return None,
    };
    Some(whole * 100 + frac).filter(|v| (100..=500).contains(v))
}

/// Checks typed settings; the errors name their field.
pub fn check(t: &Typed) -> Result<GradingSettings, Vec<(&'static str, &'static str)>> {
    let mut errors = Vec::new();
    let method = match t.method.as_str() {
        "weighted" => Method::Weighted,
        "arithmetic" => Method::Arithmetic,
        _ => {
            errors.push(("method", "grading.bad_method"));
            Method::Weighted
        }
    };
    let bounds: Vec<(u8, Option<u16>)> = vec![
        (5, hundredths(&t.five)),
        (4, hundredths(&t.four)),
        (3, hundredths(&t.three)),
    ];
    for (mark, b) in &bounds {
        if b.is_none() {
            errors.push((
                match mark {
                    5 => "five",
                    4 => "four",
                    _ => "three",
                },
                "grading.bad_bound",
            ));
        }
    }
    let got: Vec<(u8, u16)> = bounds
        .iter()
        .filter_map(|(m, b)| Some((*m, (*b)?)))
        .collect();
    if got.len() == 3 && !(got[0].1 > got[1].1 && got[1].1 > got[2].1) {
        errors.push(("four", "grading.bounds_order"));
    }
    let min_marks = t.min_marks.trim().parse::<u16>().ok().filter(|n| *n <= 20);
    if min_marks.is_none() {
        errors.push(("min_marks", "grading.bad_min"));
    }
    let window = t.window.trim().parse::<u8>().ok().filter(|n| *n <= 60);
    if window.is_none() {
        errors.push(("window", "grading.bad_window"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(GradingSettings {
        rules: Rules {
            scale: Scale {
                with_one: t.with_one,
                with_signs: t.with_signs,
            },
            method,
            bounds: got,
            min_marks: min_marks.unwrap_or(3),
            no_top_with_two: t.no_top_with_two,
        },
        edit_window_days: window.unwrap_or(7),
    })
}

#[derive(Template)]
#[template(path = "grading.html")]
pub struct GradingPage {
    pub c: Chrome,
    pub school_id: i64,
    pub school_name: String,
    pub v: Typed,
    pub errors: Vec<(&'static str, &'static str)>,
    pub saved: bool,
}

impl GradingPage {
    /// The message for a field, if it has one.
    pub fn error(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|e| e.0 == field)
            .map(|e| self.c.t.s(e.1))
    }
}

#[derive(Deserialize, Default)]
pub struct GradingQuery {
    school: Option<String>,
    saved: Option<String>,
}

pub async fn school_for(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
) -> Result<SchoolRow, AppError> {
    let reach = ctx.actor()?.reach(Action::EditSchoolSetup);
    Ok(pick_school(state, ctx, &reach, asked).await?.0)
}

/// Saves checked settings, audited.
pub async fn store(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    g: &GradingSettings,
) -> Result<(), AppError> {
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "setup.grading".into(),
        details: serde_json::json!({
            "window": g.edit_window_days,
            "min_marks": g.rules.min_marks,
            "bounds": g.rules.bounds,
        })
        .to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .save_grading_settings(school.id, g, &audit)
        .await?;
    Ok(())
}

pub async fn grading_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<GradingQuery>,
) -> Result<Response, AppError> {
    let school = school_for(&state, &ctx, q.school.as_deref()).await?;
    let settings = state.store.grading_settings(school.id).await?;
    let t = ctx.t();
    let page = GradingPage {
        c: Chrome::new(&ctx, t.s("grading.title"), "/setup/grading"),
        school_id: school.id,
        school_name: school.short_name.clone(),
        v: Typed::of(&settings),
        errors: Vec::new(),
        saved: q.saved.is_some(),
    };
    html(StatusCode::OK, &page)
}

pub async fn grading_post(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormPairs(pairs);
    check_csrf(&ctx, form.one("csrf"))?;
    let school = school_for(&state, &ctx, Some(form.one("school"))).await?;
    let typed = Typed {
        method: form.one("method").to_owned(),
        five: form.one("five").to_owned(),
        four: form.one("four").to_owned(),
        three: form.one("three").to_owned(),
        min_marks: form.one("min_marks").to_owned(),
        window: form.one("window").to_owned(),
        no_top_with_two: form.one("no_top_with_two") == "1",
        with_one: form.one("with_one") == "1",
        with_signs: form.one("with_signs") == "1",
    };
    match check(&typed) {
        Ok(g) => {
            store(&state, &ctx, &school, &g).await?;
            Ok(
                crate::error::redirect(&format!("/setup/grading?school={}&saved=1", school.id))
                    .into_response(),
            )
        }
        Err(errors) => {
            let t = ctx.t();
            let page = GradingPage {
                c: Chrome::new(&ctx, t.s("grading.title"), "/setup/grading"),
                school_id: school.id,
                school_name: school.short_name.clone(),
                v: typed,
                errors,
                saved: false,
            };
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> Typed {
        Typed::of(&GradingSettings {
            rules: Rules::default(),
            edit_window_days: 7,
        })
    }

    #[test]
    fn the_defaults_read_back_as_typed() {
        let t = typed();
        assert_eq!(
            (t.five.as_str(), t.four.as_str(), t.three.as_str()),
            ("4.65", "3.65", "2.65")
        );
        let g = check(&t).unwrap();
        assert_eq!(g.rules, Rules::default());
        assert_eq!(g.edit_window_days, 7);
    }

    #[test]
    fn bad_settings_name_their_fields() {
        let mut t = typed();
        t.five = "4,5".into();
        assert_eq!(check(&t).unwrap().rules.bounds[0], (5, 450));
        t.four = "4.70".into();
        assert_eq!(
            check(&t).unwrap_err(),
            vec![("four", "grading.bounds_order")]
        );
        let mut t = typed();
        t.three = "6".into();
        t.window = "90".into();
        t.method = "median".into();
        let fields: Vec<&str> = check(&t).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(fields, vec!["method", "three", "window"]);
    }
}
