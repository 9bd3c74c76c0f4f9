//! The schools a person may see: their own, or every school of the municipality for
//! inspectors and the municipal operator.

use super::{Chrome, html};
use crate::ctx::{Ctx, Reach};
use crate::routes::deny_object;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use zhurnal_core::Action;
use zhurnal_store::SchoolRow;

pub struct SchoolItem {
    pub id: i64,
    pub short_name: String,
    pub city: String,
    pub time_zone: String,
    pub size: String,
}

#[derive(Template)]
#[template(path = "schools.html")]
pub struct SchoolsPage {
    pub c: Chrome,
    pub schools: Vec<SchoolItem>,
}

#[derive(Template)]
#[template(path = "school.html")]
pub struct SchoolPage {
    pub c: Chrome,
    pub school: SchoolRow,
    pub size: String,
}

/// Every school the reach covers, each once, in id order, with their counts of classes
/// and students.
pub async fn visible_schools(state: &AppState, reach: &Reach) -> Result<Vec<SchoolRow>, AppError> {
    reachable(state, reach, true).await
}

/// The same without counting (0): for choosing a school on the everyday pages.
pub async fn visible_schools_plain(
    state: &AppState,
    reach: &Reach,
) -> Result<Vec<SchoolRow>, AppError> {
    reachable(state, reach, false).await
}

async fn reachable(
    state: &AppState,
    reach: &Reach,
    counted: bool,
) -> Result<Vec<SchoolRow>, AppError> {
    let mut out: Vec<SchoolRow> = Vec::new();
    for m in &reach.municipalities {
        out.extend(state.store.schools_of_municipality(*m).await?);
    }
    for id in &reach.schools {
        if !out.iter().any(|s| s.id == *id) {
            if counted {
                out.extend(state.store.school(*id).await?);
            } else {
                // Read fresh: the setup pages choose their school here.
                out.extend(state.store.school_plain(*id).await?);
            }
        }
    }
    out.sort_by_key(|s| s.id);
    out.dedup_by_key(|s| s.id);
    Ok(out)
}

pub async fn schools_get(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    let schools = visible_schools(&state, &actor.reach(Action::ViewSchools))
        .await?
        .into_iter()
        .map(|s| SchoolItem {
            id: s.id,
            size: format!("{}, {}", t.classes(s.classes), t.students(s.students)),
            short_name: s.short_name,
            city: s.city,
            time_zone: s.time_zone,
        })
        .collect();
    let page = SchoolsPage {
        c: Chrome::new(&ctx, t.s("schools.title"), "/schools"),
        schools,
    };
    html(StatusCode::OK, &page)
}

pub async fn school_get(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    // A malformed id answers like an unknown one.
    let school = match id.parse::<i64>() {
        Ok(n) => state.store.school(n).await?,
        Err(_) => None,
    };
    let Some(school) = school else {
        return Err(AppError::NotFound);
    };
    if !actor.reach(Action::ViewSchools).covers(&school) {
        return Err(deny_object(&state, &ctx, "school", &id).await);
    }
    let size = format!(
        "{}, {}",
        t.classes(school.classes),
        t.students(school.students)
    );
    let page = SchoolPage {
        c: Chrome::new(&ctx, &school.short_name, "/schools"),
        school,
        size,
    };
    html(StatusCode::OK, &page)
}
