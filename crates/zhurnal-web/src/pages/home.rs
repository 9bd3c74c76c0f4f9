//! The home page: per role, what the person can do here, from the permission table.

use super::{Chrome, html};
use crate::ctx::Ctx;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use zhurnal_core::{Action, permission};

/// One thing a role can do, with where to do it, or `None` while the feature is being built.
pub struct Capability {
    pub label: &'static str,
    pub href: Option<&'static str>,
}

pub struct RoleSection {
    pub role: &'static str,
    pub title: &'static str,
    /// «школа МБОУ СОШ № 7», «класс 7Б»: where the role is held.
    pub scopes: Vec<String>,
    pub capabilities: Vec<Capability>,
}

pub struct ChildItem {
    pub name: String,
    pub class: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub c: Chrome,
    pub name: String,
    pub roles_attr: String,
    pub sections: Vec<RoleSection>,
    pub children: Vec<ChildItem>,
}

/// Where each action is done, once its page exists. Actions without a page are listed as
/// "not available yet": never a fake page.
pub fn page_of(action: Action) -> Option<&'static str> {
    match action {
        Action::ManageOwnAccount => Some("/account"),
        Action::ViewSchools => Some("/schools"),
        Action::ViewTimetable => Some("/timetable"),
        Action::EditSchoolSetup => Some("/setup/calendar"),
        Action::ManageStaff => Some("/setup/staff"),
        Action::TransferStudents => Some("/setup/promotion"),
        Action::ViewAudit => Some("/audit"),
        Action::ManageApps => Some("/setup/apps"),
        Action::ViewJournal | Action::EditJournal => Some("/journal"),
        Action::CheckClassJournal => Some("/journal/class"),
        Action::ManageRoster => Some("/roster"),
        Action::EnrolStudents => Some("/roster/import"),
        Action::PostClassWall => Some("/wall"),
        Action::ViewDiary => Some("/diary"),
        _ => None,
    }
}

pub async fn home_get(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    // Students and parents live in the diary: their home page is the current week.
    let roles = actor.roles();
    if !roles.is_empty()
        && roles
            .iter()
            .all(|r| matches!(r, zhurnal_core::Role::Student | zhurnal_core::Role::Parent))
    {
        let remembered = crate::ctx::cookie(&headers, crate::diary::CHILD_COOKIE);
        if let Ok((pupil, all)) = crate::diary::pick(&state, &ctx, None, remembered).await {
            let mut page = super::diary::week_page(&state, &ctx, &pupil, &all, None).await?;
            page.home_roles = Some(
                roles
                    .iter()
                    .map(|r| r.api_name())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            return html(StatusCode::OK, &page);
        }
    }
    let t = ctx.t();
    let mut sections = Vec::new();
    for role in actor.roles() {
        let mut scopes = Vec::new();
        for g in actor.grants.iter().filter(|g| g.role == role) {
            if let Some(school_id) = g.school_id {
                if let Some(group) = g.edu_group_id {
                    if let Some(name) = state.store.class_name(school_id, group).await? {
                        scopes.push(format!("{} {name}", t.s("home.class")));
                    }
                } else if let Some(s) = state.store.school(school_id).await? {
                    scopes.push(s.short_name);
                }
            } else if let Some(m) = g.municipality_id
                && let Some(name) = state.store.municipality_name(m).await?
            {
                scopes.push(name);
            }
        }
        let capabilities = permission::actions_of(role)
            .filter(|(a, _)| *a != Action::ViewHome)
            .map(|(a, _)| Capability {
                label: t.action(a),
                href: page_of(a),
            })
            .collect();
        sections.push(RoleSection {
            role: role.api_name(),
            title: t.role(role),
            scopes,
            capabilities,
        });
    }
    let children = actor
        .children
        .iter()
        .map(|c| ChildItem {
            name: [c.last_name.as_str(), c.first_name.as_str()].join(" "),
            class: c
                .class_name
                .clone()
                .unwrap_or_else(|| t.s("home.no_class").to_owned()),
        })
        .collect();
    let roles_attr = actor
        .roles()
        .iter()
        .map(|r| r.api_name())
        .collect::<Vec<_>>()
        .join(" ");
    let page = HomePage {
        c: Chrome::new(&ctx, t.s("home.title"), "/"),
        name: actor.greeting_name.clone(),
        roles_attr,
        sections,
        children,
    };
    html(StatusCode::OK, &page)
}
