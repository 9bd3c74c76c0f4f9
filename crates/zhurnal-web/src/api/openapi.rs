//! The OpenAPI 3 document, generated from the handlers' annotations so it cannot drift;
//! a test checks it against the route table.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Zhurnal API", description = "The JSON API of Zhurnal, the electronic school journal and diary."),
    paths(
        super::auth::create_token,
        super::auth::revoke_token,
        super::me::get_me,
        super::diary::get_week,
        super::diary::get_marks,
        super::diary::get_homework,
        super::diary::get_file,
        super::schools::list_schools,
        super::schools::get_profile,
        super::schools::put_profile,
        super::timetable::get_timetable,
        super::timetable::get_calendar,
        super::timetable::post_change,
        super::setup::get_template,
        super::setup::put_template,
        super::year::put_calendar,
        super::year::post_next_year,
        super::year::get_curriculum,
        super::year::put_curriculum,
        super::year::get_classes,
        super::year::post_class,
        super::year::put_class,
        super::year::post_subgroup,
        super::year::get_load,
        super::year::post_load,
        super::year::delete_load,
        super::year::get_bells,
        super::grading::get_grading,
        super::grading::put_grading,
        super::grading::get_periods,
        super::staff::get_staff,
        super::staff::post_staff,
        super::grading::close_period,
        super::grading::reopen_period,
        super::year::put_bells,
        super::bodies::get_bodies,
        super::bodies::post_body,
        super::bodies::post_body_member,
        super::bodies::delete_body_member,
        super::journal::get_journal,
        super::journal::put_mark,
        super::journal::put_correction,
        super::journal::put_absence,
        super::journal::put_lesson_text,
        super::periods::get_period_marks,
        super::periods::put_period_marks,
        super::periods::get_year_marks,
        super::journal::get_class_check,
        super::journal::post_class_check,
        super::journal::put_absence_reason,
        super::periods::put_year_marks,
        super::roster::get_roster,
        super::roster::post_statement,
        super::roster::post_departure,
        super::promotion::get_promotion,
        super::promotion::post_promotion,
        super::files::get_lesson_files,
        super::files::post_lesson_file,
        super::files::get_journal_file,
        super::mine::get_mine,
        super::plan::get_plan,
        super::plan::put_plan,
        super::plan::post_fill,
        super::setup::post_import,
        super::account::post_password,
        super::account::get_grants,
        super::account::delete_grant,
        crate::account::api::get_sessions,
        crate::account::api::delete_session,
        crate::account::register::post_register,
        crate::roster::api::post_roster,
        crate::roster::api::post_access_code,
        crate::roster::api::post_transfer,
        crate::roster::api::get_movement,
        crate::roster::api::get_papers,
        crate::roster::api::post_consent,
        super::account::get_feeds,
        super::account::post_feed,
        super::account::delete_feed,
        super::apps::get_apps,
        super::apps::post_app,
        super::apps::delete_app,
        super::wall::get_wall,
        super::wall::post_wall,
        super::wall::delete_wall_post,
        super::wall::get_family_wall,
        super::notices::get_notices,
        super::notices::post_read,
        super::notices::put_settings,
        super::messages::get_messages,
        super::messages::get_complaints,
        super::messages::get_complaint,
        super::messages::post_thread,
        super::messages::get_thread,
        super::messages::post_reply,
        super::messages::post_complaint,
        super::audit::get_audit
    ),
    components(schemas(super::ErrorBody, super::ErrorDetail)),
    modifiers(&BearerAuth),
    tags((name = "auth", description = "Tokens"), (name = "account", description = "The caller"), (name = "schools", description = "Schools"), (name = "timetable", description = "Calendar, timetable and its changes (§2.6)"), (name = "setup", description = "School setup by the deputy director (§2.3–§2.6)"), (name = "journal", description = "The class journal: topics, homework, marks, absences (§4.1)"), (name = "diary", description = "The diary of students and parents"), (name = "roster", description = "Students, parents, electronic access and departures (§3.6, §5.2)"), (name = "wall", description = "The class wall (§3.5)"), (name = "notifications", description = "Notices about marks, absences, messages and the wall"), (name = "messages", description = "Messages between families and teachers (§3.4, §4.2)"), (name = "audit", description = "The audit log, read-only"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::all;

    #[test]
    fn document_and_route_table_agree() {
        let doc = document();
        let mut documented: Vec<(String, String)> = Vec::new();
        for (path, item) in &doc.paths.paths {
            for (method, op) in [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
            ] {
                if op.is_some() {
                    documented.push((method.to_owned(), path.clone()));
                }
            }
        }
        for r in all()
            .iter()
            .filter(|r| r.path.starts_with("/api/v1/") && r.path != "/api/v1/openapi.json")
        {
            assert!(
                documented.contains(&(r.method.to_owned(), r.path.to_owned())),
                "{} {} is served but not documented",
                r.method,
                r.path
            );
        }
        for (method, path) in &documented {
            assert!(
                all().iter().any(|r| r.method == method && r.path == path),
                "{method} {path} is documented but not served"
            );
        }
    }
}
