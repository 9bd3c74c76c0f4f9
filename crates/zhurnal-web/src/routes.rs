//! The route table: every route with the action it performs. The guard refuses any request
//! whose route is not in this table (deny by default), so a new route cannot go live without
//! a permission decision, and the permission-matrix test walks this same table.

use crate::ctx::{self, Ctx};
use crate::{AppError, AppState};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, State};
use axum::handler::Handler;
use axum::http::{Method, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use std::net::SocketAddr;
use std::sync::LazyLock;
use zhurnal_core::Action;
use zhurnal_store::AuditEntry;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login page, health checks, static files).
    Public,
    /// A signed-in person whose roles allow the action somewhere.
    Signed(Action),
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    /// The path pattern exactly as given to the router.
    pub path: &'static str,
    pub access: Access,
    /// A concrete path for tests (parameters filled with demo ids).
    pub example: &'static str,
}

const fn r(
    method: &'static str,
    path: &'static str,
    access: Access,
    example: &'static str,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        example,
    }
}

use Access::{Public, Signed};

/// A route as its area declares it: the table's line and the handler side by side, written
/// once. The router mounts the handler and the guard reads the line, both from this.
pub struct Declared {
    pub spec: RouteSpec,
    pub handler: MethodRouter<AppState>,
}

/// Declares one route of an area (`method` is `GET`, `POST`, `PUT`, `PATCH` or `DELETE`).
pub fn declare<H, T>(
    method: &'static str,
    path: &'static str,
    access: Access,
    example: &'static str,
    handler: H,
) -> Declared
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = match method {
        "GET" => MethodFilter::GET,
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        "PATCH" => MethodFilter::PATCH,
        "DELETE" => MethodFilter::DELETE,
        other => panic!("no route is declared with the method {other}"),
    };
    Declared {
        spec: r(method, path, access, example),
        handler: on(filter, handler),
    }
}

impl Declared {
    /// Accepts request bodies up to `bytes` (an upload) instead of axum's default.
    pub fn body_limit(mut self, bytes: usize) -> Declared {
        self.handler = self
            .handler
            .layer(axum::extract::DefaultBodyLimit::max(bytes));
        self
    }
}

/// The routes of the areas already in the areas' shape (`docs/architecture.md`).
fn declared() -> Vec<Declared> {
    let mut all = crate::account::routes();
    all.extend(crate::roster::routes());
    all
}

/// Mounts every area's declared routes on the router.
pub fn mount(router: Router<AppState>) -> Router<AppState> {
    declared()
        .into_iter()
        .fold(router, |router, d| router.route(d.spec.path, d.handler))
}

static ALL: LazyLock<Vec<RouteSpec>> = LazyLock::new(|| {
    ROUTES
        .iter()
        .copied()
        .chain(declared().into_iter().map(|d| d.spec))
        .collect()
});

/// Every route Zhurnal serves: the areas' declared routes and the table of those not yet
/// moved into their area. The guard, the OpenAPI check and the permission test read this.
pub fn all() -> &'static [RouteSpec] {
    &ALL
}

/// The routes of the parts not yet moved into their area's shape (issue 20): each is also
/// written in `crate::router`. A route of a moved area is declared by the area instead.
pub const ROUTES: &[RouteSpec] = &[
    r("GET", "/healthz", Public, "/healthz"),
    r("GET", "/readyz", Public, "/readyz"),
    r("GET", "/static/app.css", Public, "/static/app.css"),
    r("GET", "/static/journal.js", Public, "/static/journal.js"),
    r("GET", "/favicon.svg", Public, "/favicon.svg"),
    r("GET", "/lang/{code}", Public, "/lang/en"),
    r("POST", "/lang", Signed(Action::ViewHome), "/lang"),
    r("GET", "/login", Public, "/login"),
    r("POST", "/login", Public, "/login"),
    r("POST", "/logout", Signed(Action::ViewHome), "/logout"),
    r("GET", "/", Signed(Action::ViewHome), "/"),
    r(
        "GET",
        "/account",
        Signed(Action::ManageOwnAccount),
        "/account",
    ),
    r(
        "POST",
        "/account/password",
        Signed(Action::ManageOwnAccount),
        "/account/password",
    ),
    r("GET", "/schools", Signed(Action::ViewSchools), "/schools"),
    r(
        "GET",
        "/schools/{id}",
        Signed(Action::ViewSchools),
        "/schools/1",
    ),
    r("GET", "/audit", Signed(Action::ViewAudit), "/audit"),
    r(
        "GET",
        "/timetable",
        Signed(Action::ViewTimetable),
        "/timetable",
    ),
    r(
        "GET",
        "/timetable/changes",
        Signed(Action::EditSchoolSetup),
        "/timetable/changes",
    ),
    r(
        "POST",
        "/timetable/changes",
        Signed(Action::EditSchoolSetup),
        "/timetable/changes",
    ),
    r(
        "GET",
        "/setup/calendar",
        Signed(Action::EditSchoolSetup),
        "/setup/calendar",
    ),
    r(
        "POST",
        "/setup/calendar",
        Signed(Action::EditSchoolSetup),
        "/setup/calendar",
    ),
    r(
        "GET",
        "/setup/bells",
        Signed(Action::EditSchoolSetup),
        "/setup/bells",
    ),
    r(
        "POST",
        "/setup/bells",
        Signed(Action::EditSchoolSetup),
        "/setup/bells",
    ),
    r(
        "GET",
        "/setup/load",
        Signed(Action::ViewTimetable),
        "/setup/load",
    ),
    r("GET", "/diary", Signed(Action::ViewDiary), "/diary"),
    r(
        "GET",
        "/diary/marks",
        Signed(Action::ViewDiary),
        "/diary/marks",
    ),
    r(
        "GET",
        "/diary/homework",
        Signed(Action::ViewDiary),
        "/diary/homework",
    ),
    r("GET", "/messages", Signed(Action::UseMessages), "/messages"),
    r(
        "POST",
        "/messages",
        Signed(Action::UseMessages),
        "/messages",
    ),
    r(
        "GET",
        "/messages/thread",
        Signed(Action::UseMessages),
        "/messages/thread?id=999999",
    ),
    r(
        "GET",
        "/messages/complaint",
        Signed(Action::ViewReports),
        "/messages/complaint?id=999999",
    ),
    r(
        "POST",
        "/messages/thread",
        Signed(Action::UseMessages),
        "/messages/thread",
    ),
    r(
        "GET",
        "/messages/complaints",
        Signed(Action::ViewReports),
        "/messages/complaints",
    ),
    r(
        "GET",
        "/notifications",
        Signed(Action::ViewDiary),
        "/notifications",
    ),
    r(
        "POST",
        "/notifications",
        Signed(Action::ViewDiary),
        "/notifications",
    ),
    r(
        "GET",
        "/diary/calendar",
        Signed(Action::ViewDiary),
        "/diary/calendar",
    ),
    r(
        "POST",
        "/diary/calendar",
        Signed(Action::ViewDiary),
        "/diary/calendar",
    ),
    r("GET", "/ics/{token}", Public, "/ics/0000"),
    r(
        "GET",
        "/diary/file",
        Signed(Action::ViewDiary),
        "/diary/file?id=999999",
    ),
    r("GET", "/journal", Signed(Action::ViewJournal), "/journal"),
    r("POST", "/journal", Signed(Action::EditJournal), "/journal"),
    r(
        "GET",
        "/journal/mine",
        Signed(Action::EditJournal),
        "/journal/mine",
    ),
    r(
        "GET",
        "/journal/year",
        Signed(Action::ViewJournal),
        "/journal/year?journal=999999-999999",
    ),
    r(
        "POST",
        "/journal/year",
        Signed(Action::EditJournal),
        "/journal/year",
    ),
    r(
        "GET",
        "/journal/plan",
        Signed(Action::ViewJournal),
        "/journal/plan?journal=999999-999999",
    ),
    r(
        "POST",
        "/journal/plan",
        Signed(Action::EditJournal),
        "/journal/plan",
    ),
    r("GET", "/wall", Signed(Action::PostClassWall), "/wall"),
    r("POST", "/wall", Signed(Action::PostClassWall), "/wall"),
    r(
        "GET",
        "/diary/wall",
        Signed(Action::ViewDiary),
        "/diary/wall",
    ),
    r("GET", "/roster", Signed(Action::ManageRoster), "/roster"),
    r("POST", "/roster", Signed(Action::ManageRoster), "/roster"),
    r(
        "GET",
        "/journal/class",
        Signed(Action::ViewJournal),
        "/journal/class",
    ),
    r(
        "POST",
        "/journal/class",
        Signed(Action::CheckClassJournal),
        "/journal/class",
    ),
    r(
        "POST",
        "/journal/lesson/file",
        Signed(Action::EditJournal),
        "/journal/lesson/file",
    ),
    r(
        "GET",
        "/journal/file",
        Signed(Action::ViewJournal),
        "/journal/file?id=999999",
    ),
    r(
        "POST",
        "/journal/correction",
        Signed(Action::ApproveJournalCorrections),
        "/journal/correction",
    ),
    r(
        "POST",
        "/journal/cell",
        Signed(Action::EditJournal),
        "/journal/cell",
    ),
    r(
        "GET",
        "/journal/lesson",
        Signed(Action::ViewJournal),
        "/journal/lesson?id=1",
    ),
    r(
        "POST",
        "/journal/lesson",
        Signed(Action::EditJournal),
        "/journal/lesson",
    ),
    r(
        "GET",
        "/setup/grading",
        Signed(Action::EditSchoolSetup),
        "/setup/grading",
    ),
    r(
        "POST",
        "/setup/grading",
        Signed(Action::EditSchoolSetup),
        "/setup/grading",
    ),
    r(
        "GET",
        "/setup/bodies",
        Signed(Action::ManageStaff),
        "/setup/bodies",
    ),
    r(
        "POST",
        "/setup/bodies",
        Signed(Action::ManageStaff),
        "/setup/bodies",
    ),
    r(
        "GET",
        "/setup/timetable/grid",
        Signed(Action::EditSchoolSetup),
        "/setup/timetable/grid",
    ),
    r(
        "POST",
        "/setup/timetable/grid",
        Signed(Action::EditSchoolSetup),
        "/setup/timetable/grid",
    ),
    r(
        "GET",
        "/setup/timetable/import",
        Signed(Action::EditSchoolSetup),
        "/setup/timetable/import",
    ),
    r(
        "POST",
        "/setup/timetable/import",
        Signed(Action::EditSchoolSetup),
        "/setup/timetable/import",
    ),
    r(
        "GET",
        "/setup/classes",
        Signed(Action::EditSchoolSetup),
        "/setup/classes",
    ),
    r(
        "POST",
        "/setup/classes",
        Signed(Action::EditSchoolSetup),
        "/setup/classes",
    ),
    r(
        "GET",
        "/setup/profile",
        Signed(Action::EditSchoolSetup),
        "/setup/profile",
    ),
    r(
        "POST",
        "/setup/profile",
        Signed(Action::EditSchoolSetup),
        "/setup/profile",
    ),
    r(
        "GET",
        "/setup/curriculum",
        Signed(Action::EditSchoolSetup),
        "/setup/curriculum",
    ),
    r(
        "POST",
        "/setup/curriculum",
        Signed(Action::EditSchoolSetup),
        "/setup/curriculum",
    ),
    r(
        "GET",
        "/setup/staff",
        Signed(Action::ManageStaff),
        "/setup/staff",
    ),
    r(
        "POST",
        "/setup/staff",
        Signed(Action::ManageStaff),
        "/setup/staff",
    ),
    r(
        "GET",
        "/setup/promotion",
        Signed(Action::TransferStudents),
        "/setup/promotion",
    ),
    r(
        "POST",
        "/setup/promotion",
        Signed(Action::TransferStudents),
        "/setup/promotion",
    ),
    r(
        "POST",
        "/setup/load",
        Signed(Action::EditSchoolSetup),
        "/setup/load",
    ),
    r(
        "GET",
        "/setup/periods",
        Signed(Action::EditSchoolSetup),
        "/setup/periods",
    ),
    r(
        "POST",
        "/setup/periods",
        Signed(Action::EditSchoolSetup),
        "/setup/periods",
    ),
    r("POST", "/api/v1/auth/token", Public, "/api/v1/auth/token"),
    r(
        "POST",
        "/api/v1/auth/revoke",
        Signed(Action::ViewHome),
        "/api/v1/auth/revoke",
    ),
    r("GET", "/api/v1/me", Signed(Action::ViewHome), "/api/v1/me"),
    r(
        "GET",
        "/api/v1/diary/week",
        Signed(Action::ViewDiary),
        "/api/v1/diary/week",
    ),
    r(
        "GET",
        "/api/v1/diary/homework",
        Signed(Action::ViewDiary),
        "/api/v1/diary/homework",
    ),
    r(
        "GET",
        "/api/v1/diary/files/{id}",
        Signed(Action::ViewDiary),
        "/api/v1/diary/files/999999",
    ),
    r(
        "GET",
        "/api/v1/diary/marks",
        Signed(Action::ViewDiary),
        "/api/v1/diary/marks?period=1",
    ),
    r(
        "GET",
        "/api/v1/audit",
        Signed(Action::ViewAudit),
        "/api/v1/audit",
    ),
    r(
        "GET",
        "/api/v1/messages",
        Signed(Action::UseMessages),
        "/api/v1/messages",
    ),
    r(
        "POST",
        "/api/v1/messages",
        Signed(Action::UseMessages),
        "/api/v1/messages",
    ),
    r(
        "GET",
        "/api/v1/messages/complaints",
        Signed(Action::ViewReports),
        "/api/v1/messages/complaints",
    ),
    r(
        "GET",
        "/api/v1/messages/complaints/{id}",
        Signed(Action::ViewReports),
        "/api/v1/messages/complaints/999999",
    ),
    r(
        "GET",
        "/api/v1/messages/{id}",
        Signed(Action::UseMessages),
        "/api/v1/messages/999999",
    ),
    r(
        "POST",
        "/api/v1/messages/{id}",
        Signed(Action::UseMessages),
        "/api/v1/messages/999999",
    ),
    r(
        "POST",
        "/api/v1/messages/{id}/complaint",
        Signed(Action::UseMessages),
        "/api/v1/messages/999999/complaint",
    ),
    r(
        "GET",
        "/api/v1/notifications",
        Signed(Action::ViewDiary),
        "/api/v1/notifications",
    ),
    r(
        "POST",
        "/api/v1/notifications/read",
        Signed(Action::ViewDiary),
        "/api/v1/notifications/read",
    ),
    r(
        "PUT",
        "/api/v1/notifications/settings",
        Signed(Action::ViewDiary),
        "/api/v1/notifications/settings",
    ),
    r(
        "GET",
        "/api/v1/wall",
        Signed(Action::PostClassWall),
        "/api/v1/wall",
    ),
    r(
        "POST",
        "/api/v1/wall",
        Signed(Action::PostClassWall),
        "/api/v1/wall",
    ),
    r(
        "DELETE",
        "/api/v1/wall/{id}",
        Signed(Action::PostClassWall),
        "/api/v1/wall/999999",
    ),
    r(
        "GET",
        "/api/v1/diary/wall",
        Signed(Action::ViewDiary),
        "/api/v1/diary/wall",
    ),
    r(
        "GET",
        "/api/v1/roster",
        Signed(Action::ManageRoster),
        "/api/v1/roster",
    ),
    r(
        "POST",
        "/api/v1/roster/statements",
        Signed(Action::ManageRoster),
        "/api/v1/roster/statements",
    ),
    r(
        "POST",
        "/api/v1/roster/departures",
        Signed(Action::ManageRoster),
        "/api/v1/roster/departures",
    ),
    r(
        "GET",
        "/api/v1/schools",
        Signed(Action::ViewSchools),
        "/api/v1/schools",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/calendar",
        Signed(Action::ViewTimetable),
        "/api/v1/schools/1/calendar",
    ),
    r(
        "GET",
        "/api/v1/timetable",
        Signed(Action::ViewTimetable),
        "/api/v1/timetable?class_id=1&from=2026-11-30&to=2026-12-05",
    ),
    r(
        "POST",
        "/api/v1/timetable/changes",
        Signed(Action::EditSchoolSetup),
        "/api/v1/timetable/changes",
    ),
    r(
        "GET",
        "/api/v1/timetable/templates",
        Signed(Action::EditSchoolSetup),
        "/api/v1/timetable/templates?class_id=1&date=2026-11-30",
    ),
    r(
        "PUT",
        "/api/v1/timetable/templates",
        Signed(Action::EditSchoolSetup),
        "/api/v1/timetable/templates",
    ),
    r(
        "PUT",
        "/api/v1/schools/{id}/calendar",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/calendar",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/calendar/next",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/calendar/next",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/curriculum",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/curriculum?parallel=5",
    ),
    r(
        "PUT",
        "/api/v1/schools/{id}/curriculum",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/curriculum?parallel=5",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/classes",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/classes",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/classes",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/classes",
    ),
    r(
        "PUT",
        "/api/v1/schools/{id}/classes/{class}",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/classes/999999",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/profile",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/profile",
    ),
    r(
        "PUT",
        "/api/v1/schools/{id}/profile",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/profile",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/staff",
        Signed(Action::ManageStaff),
        "/api/v1/schools/1/staff",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/staff",
        Signed(Action::ManageStaff),
        "/api/v1/schools/1/staff",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/periods",
        Signed(Action::ViewHome),
        "/api/v1/schools/1/periods",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/periods/{period}/close",
        Signed(Action::ApproveJournalCorrections),
        "/api/v1/schools/1/periods/999999/close",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/periods/{period}/reopen",
        Signed(Action::ApproveJournalCorrections),
        "/api/v1/schools/1/periods/999999/reopen",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/grading",
        Signed(Action::ViewHome),
        "/api/v1/schools/1/grading",
    ),
    r(
        "PUT",
        "/api/v1/schools/{id}/grading",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/grading",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/bells",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/bells",
    ),
    r(
        "PUT",
        "/api/v1/schools/{id}/bells",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/bells",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/subgroups",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/subgroups",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/load",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/load",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/load",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/load",
    ),
    r(
        "DELETE",
        "/api/v1/schools/{id}/load/{line}",
        Signed(Action::EditSchoolSetup),
        "/api/v1/schools/1/load/999999",
    ),
    r(
        "GET",
        "/api/v1/schools/{id}/bodies",
        Signed(Action::ManageStaff),
        "/api/v1/schools/1/bodies",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/bodies",
        Signed(Action::ManageStaff),
        "/api/v1/schools/1/bodies",
    ),
    r(
        "POST",
        "/api/v1/schools/{id}/bodies/{body}/members",
        Signed(Action::ManageStaff),
        "/api/v1/schools/1/bodies/999999/members",
    ),
    r(
        "DELETE",
        "/api/v1/schools/{id}/bodies/members/{member}",
        Signed(Action::ManageStaff),
        "/api/v1/schools/1/bodies/members/999999",
    ),
    r(
        "GET",
        "/api/v1/journal",
        Signed(Action::ViewJournal),
        "/api/v1/journal?group_id=1&subject_id=1&from=2026-11-23&to=2026-11-28",
    ),
    r(
        "PUT",
        "/api/v1/journal/marks",
        Signed(Action::EditJournal),
        "/api/v1/journal/marks",
    ),
    r(
        "PUT",
        "/api/v1/journal/absence-reasons",
        Signed(Action::CheckClassJournal),
        "/api/v1/journal/absence-reasons",
    ),
    r(
        "GET",
        "/api/v1/journal/class-check",
        Signed(Action::ViewJournal),
        "/api/v1/journal/class-check",
    ),
    r(
        "POST",
        "/api/v1/journal/class-check",
        Signed(Action::CheckClassJournal),
        "/api/v1/journal/class-check",
    ),
    r(
        "GET",
        "/api/v1/journal/year-marks",
        Signed(Action::ViewJournal),
        "/api/v1/journal/year-marks?group_id=1&subject_id=1",
    ),
    r(
        "PUT",
        "/api/v1/journal/year-marks",
        Signed(Action::EditJournal),
        "/api/v1/journal/year-marks",
    ),
    r(
        "GET",
        "/api/v1/journal/period-marks",
        Signed(Action::ViewJournal),
        "/api/v1/journal/period-marks?group_id=1&subject_id=1&period_id=1",
    ),
    r(
        "PUT",
        "/api/v1/journal/period-marks",
        Signed(Action::EditJournal),
        "/api/v1/journal/period-marks",
    ),
    r(
        "PUT",
        "/api/v1/journal/corrections",
        Signed(Action::ApproveJournalCorrections),
        "/api/v1/journal/corrections",
    ),
    r(
        "PUT",
        "/api/v1/journal/absences",
        Signed(Action::EditJournal),
        "/api/v1/journal/absences",
    ),
    r(
        "PUT",
        "/api/v1/journal/lessons/{id}",
        Signed(Action::EditJournal),
        "/api/v1/journal/lessons/999999",
    ),
    r(
        "GET",
        "/api/v1/journal/lessons/{id}/files",
        Signed(Action::ViewJournal),
        "/api/v1/journal/lessons/999999/files",
    ),
    r(
        "POST",
        "/api/v1/journal/lessons/{id}/files",
        Signed(Action::EditJournal),
        "/api/v1/journal/lessons/999999/files?name=a.txt",
    ),
    r(
        "GET",
        "/api/v1/journal/files/{id}",
        Signed(Action::ViewJournal),
        "/api/v1/journal/files/999999",
    ),
    r(
        "GET",
        "/api/v1/journal/mine",
        Signed(Action::EditJournal),
        "/api/v1/journal/mine",
    ),
    r(
        "GET",
        "/api/v1/journal/plan",
        Signed(Action::ViewJournal),
        "/api/v1/journal/plan?group_id=1&subject_id=1",
    ),
    r(
        "PUT",
        "/api/v1/journal/plan",
        Signed(Action::EditJournal),
        "/api/v1/journal/plan",
    ),
    r(
        "POST",
        "/api/v1/journal/plan/fill",
        Signed(Action::EditJournal),
        "/api/v1/journal/plan/fill",
    ),
    r(
        "GET",
        "/api/v1/roster/promotion",
        Signed(Action::TransferStudents),
        "/api/v1/roster/promotion",
    ),
    r(
        "POST",
        "/api/v1/roster/promotion",
        Signed(Action::TransferStudents),
        "/api/v1/roster/promotion",
    ),
    r(
        "POST",
        "/api/v1/timetable/import",
        Signed(Action::EditSchoolSetup),
        "/api/v1/timetable/import",
    ),
    r(
        "POST",
        "/api/v1/me/password",
        Signed(Action::ManageOwnAccount),
        "/api/v1/me/password",
    ),
    r(
        "GET",
        "/api/v1/me/apps",
        Signed(Action::ManageOwnAccount),
        "/api/v1/me/apps",
    ),
    r(
        "DELETE",
        "/api/v1/me/apps/{id}",
        Signed(Action::ManageOwnAccount),
        "/api/v1/me/apps/999999",
    ),
    r(
        "GET",
        "/api/v1/diary/calendar-feeds",
        Signed(Action::ViewDiary),
        "/api/v1/diary/calendar-feeds",
    ),
    r(
        "POST",
        "/api/v1/diary/calendar-feeds",
        Signed(Action::ViewDiary),
        "/api/v1/diary/calendar-feeds",
    ),
    r(
        "DELETE",
        "/api/v1/diary/calendar-feeds/{id}",
        Signed(Action::ViewDiary),
        "/api/v1/diary/calendar-feeds/999999",
    ),
    r(
        "GET",
        "/api/v1/apps",
        Signed(Action::ManageApps),
        "/api/v1/apps",
    ),
    r(
        "POST",
        "/api/v1/apps",
        Signed(Action::ManageApps),
        "/api/v1/apps",
    ),
    r(
        "DELETE",
        "/api/v1/apps/{id}",
        Signed(Action::ManageApps),
        "/api/v1/apps/999999",
    ),
    // The Dnevnik.ru v2–compatible surface (`crate::dnevnik`): every read is open to any
    // signed-in person at the route; whose data it is decides inside (404 otherwise).
    r(
        "GET",
        "/v2/users/me",
        Signed(Action::ViewHome),
        "/v2/users/me",
    ),
    r(
        "GET",
        "/v2/users/me/context",
        Signed(Action::ViewHome),
        "/v2/users/me/context",
    ),
    r(
        "GET",
        "/v2/users/me/roles",
        Signed(Action::ViewHome),
        "/v2/users/me/roles",
    ),
    r(
        "GET",
        "/v2/users/me/schools",
        Signed(Action::ViewHome),
        "/v2/users/me/schools",
    ),
    r(
        "GET",
        "/v2/users/me/edu-groups",
        Signed(Action::ViewHome),
        "/v2/users/me/edu-groups",
    ),
    r(
        "GET",
        "/v2/users/me/children",
        Signed(Action::ViewHome),
        "/v2/users/me/children",
    ),
    r(
        "GET",
        "/v2/users/me/school/{school}/homeworks",
        Signed(Action::ViewHome),
        "/v2/users/me/school/1/homeworks?startDate=2026-11-23&endDate=2026-11-28",
    ),
    r(
        "GET",
        "/v2/schools/person-schools",
        Signed(Action::ViewHome),
        "/v2/schools/person-schools",
    ),
    r(
        "GET",
        "/v2/schools/{school}",
        Signed(Action::ViewHome),
        "/v2/schools/1",
    ),
    r(
        "GET",
        "/v2/work-types/{school}",
        Signed(Action::ViewHome),
        "/v2/work-types/1",
    ),
    r(
        "GET",
        "/v2/persons",
        Signed(Action::ViewHome),
        "/v2/persons?eduGroup=1",
    ),
    r(
        "GET",
        "/v2/persons/{person}",
        Signed(Action::ViewHome),
        "/v2/persons/1",
    ),
    r(
        "GET",
        "/v2/persons/{person}/edu-groups",
        Signed(Action::ViewHome),
        "/v2/persons/1/edu-groups",
    ),
    r(
        "GET",
        "/v2/persons/{person}/schools/{school}/marks/{from}/{to}",
        Signed(Action::ViewHome),
        "/v2/persons/1/schools/1/marks/2026-09-01/2026-11-28",
    ),
    r(
        "GET",
        "/v2/persons/{person}/subjects/{subject}/marks/{from}/{to}",
        Signed(Action::ViewHome),
        "/v2/persons/1/subjects/1/marks/2026-09-01/2026-11-28",
    ),
    r(
        "GET",
        "/v2/persons/{person}/edu-groups/{group}/marks/{from}/{to}",
        Signed(Action::ViewHome),
        "/v2/persons/1/edu-groups/1/marks/2026-09-01/2026-11-28",
    ),
    r(
        "GET",
        "/v2/persons/{person}/edu-groups/{group}/allfinalmarks",
        Signed(Action::ViewHome),
        "/v2/persons/1/edu-groups/1/allfinalmarks",
    ),
    r(
        "GET",
        "/v2/persons/{person}/edu-groups/{group}/final-marks",
        Signed(Action::ViewHome),
        "/v2/persons/1/edu-groups/1/final-marks",
    ),
    r(
        "GET",
        "/v2/persons/{person}/reporting-periods/{period}/avg-mark",
        Signed(Action::ViewHome),
        "/v2/persons/1/reporting-periods/1/avg-mark",
    ),
    r(
        "GET",
        "/v2/persons/{person}/reporting-periods/{period}/subjects/{subject}/avg-mark",
        Signed(Action::ViewHome),
        "/v2/persons/1/reporting-periods/1/subjects/1/avg-mark",
    ),
    r(
        "GET",
        "/v2/persons/{person}/school/{school}/homeworks",
        Signed(Action::ViewHome),
        "/v2/persons/1/school/1/homeworks?startDate=2026-11-23&endDate=2026-11-28",
    ),
    r(
        "GET",
        "/v2/persons/{person}/groups/{group}/schedules",
        Signed(Action::ViewHome),
        "/v2/persons/1/groups/1/schedules?startDate=2026-11-23&endDate=2026-11-28",
    ),
    r(
        "GET",
        "/v2/persons/{person}/lesson-log-entries",
        Signed(Action::ViewHome),
        "/v2/persons/1/lesson-log-entries?startDate=2026-11-01&endDate=2026-11-28",
    ),
    r(
        "GET",
        "/v2/edu-groups/{group}",
        Signed(Action::ViewHome),
        "/v2/edu-groups/1",
    ),
    r(
        "GET",
        "/v2/edu-groups/{group}/persons",
        Signed(Action::ViewHome),
        "/v2/edu-groups/1/persons",
    ),
    r(
        "GET",
        "/v2/edu-groups/{group}/subjects",
        Signed(Action::ViewHome),
        "/v2/edu-groups/1/subjects",
    ),
    r(
        "GET",
        "/v2/edu-groups/{group}/lessons/{from}/{to}",
        Signed(Action::ViewHome),
        "/v2/edu-groups/1/lessons/2026-11-23/2026-11-28",
    ),
    r(
        "GET",
        "/v2/edu-groups/{group}/subjects/{subject}/marks/{from}/{to}",
        Signed(Action::ViewHome),
        "/v2/edu-groups/1/subjects/1/marks/2026-09-01/2026-11-28",
    ),
    r(
        "GET",
        "/v2/edu-groups/{group}/reporting-periods",
        Signed(Action::ViewHome),
        "/v2/edu-groups/1/reporting-periods",
    ),
    r(
        "GET",
        "/v2/edu-groups/{group}/timetables",
        Signed(Action::ViewHome),
        "/v2/edu-groups/1/timetables",
    ),
    r(
        "GET",
        "/v2/lessons/{lesson}",
        Signed(Action::ViewHome),
        "/v2/lessons/1",
    ),
    r(
        "GET",
        "/v2/lessons/{lesson}/marks",
        Signed(Action::ViewHome),
        "/v2/lessons/1/marks",
    ),
    r(
        "GET",
        "/v2/lessons/{lesson}/log-entries",
        Signed(Action::ViewHome),
        "/v2/lessons/1/log-entries",
    ),
    r(
        "GET",
        "/v2/lesson-log-entries/statuses",
        Signed(Action::ViewHome),
        "/v2/lesson-log-entries/statuses",
    ),
    r(
        "GET",
        "/v2/marks/{mark}",
        Signed(Action::ViewHome),
        "/v2/marks/1",
    ),
    r(
        "POST",
        "/v2/authorizations/bycredentials",
        Public,
        "/v2/authorizations/bycredentials",
    ),
    r("POST", "/login/", Public, "/login/"),
    r(
        "GET",
        "/oauth2/Authorization/Result",
        Public,
        "/oauth2/Authorization/Result",
    ),
    r("POST", "/oauth2", Public, "/oauth2"),
    // Third-party apps (`crate::oauth`): the consent page asks the person to sign in itself
    // (keeping the request's query); the token endpoints authenticate the app.
    r(
        "GET",
        "/setup/apps",
        Signed(Action::ManageApps),
        "/setup/apps",
    ),
    r(
        "POST",
        "/setup/apps",
        Signed(Action::ManageApps),
        "/setup/apps",
    ),
    r(
        "GET",
        "/account/apps",
        Signed(Action::ManageOwnAccount),
        "/account/apps",
    ),
    r(
        "POST",
        "/account/apps",
        Signed(Action::ManageOwnAccount),
        "/account/apps",
    ),
    r("GET", "/oauth2", Public, "/oauth2"),
    r("GET", "/oauth2/authorize", Public, "/oauth2/authorize"),
    r(
        "POST",
        "/oauth2/authorize",
        Signed(Action::ViewHome),
        "/oauth2/authorize",
    ),
    r("POST", "/oauth2/token", Public, "/oauth2/token"),
    r("POST", "/oauth2/revoke", Public, "/oauth2/revoke"),
    r(
        "GET",
        "/api/v1/openapi.json",
        Public,
        "/api/v1/openapi.json",
    ),
];

pub fn spec_for(method: &Method, path: &str) -> Option<&'static RouteSpec> {
    // HEAD is answered by GET handlers.
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    all().iter().find(|r| r.method == method && r.path == path)
}

/// Builds the request context once for every request (including 404s, so error pages speak
/// the user's language). Health checks and static files never touch the database.
pub async fn context(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let light =
        matches!(path, "/healthz" | "/readyz" | "/favicon.svg") || path.starts_with("/static/");
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let ctx = if light {
        ctx::anonymous(&state, req.headers(), peer)
    } else {
        // The compatible surface takes its clients' ways of presenting a token.
        let presented = path
            .starts_with(crate::dnevnik::PREFIX)
            .then(|| crate::dnevnik::presented_token(req.headers(), req.uri().query()))
            .flatten();
        let api = path.starts_with("/api/") || path.starts_with(crate::dnevnik::PREFIX);
        match ctx::build(&state, req.headers(), peer, api, presented.as_deref()).await {
            Ok(c) => c,
            Err(e) => return e.into_response(),
        }
    };
    req.extensions_mut().insert(ctx);
    next.run(req).await
}

/// Enforces the route's access rule from the table.
pub async fn guard(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return AppError::Internal("request context missing".into()).into_response();
    };
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let Some(path) = matched else {
        // No route matched: the router's fallback answers 404.
        return next.run(req).await;
    };
    if !same_origin(&req, &state.cfg) {
        return AppError::Csrf.into_response();
    }
    let Some(spec) = spec_for(req.method(), &path) else {
        tracing::error!(%path, method = %req.method(), "route missing from the route table; denied");
        return AppError::NotFound.into_response();
    };
    if let Signed(action) = spec.access {
        let Some(actor) = ctx.actor.as_deref() else {
            return AppError::Unauthorized.into_response();
        };
        let allowed = if path.starts_with(crate::dnevnik::PREFIX) {
            actor.can_as_person(action)
        } else {
            actor.can(action)
        };
        if !allowed {
            let entry = AuditEntry {
                at: state.clock.now_ms(),
                school_id: actor.home_school(),
                actor_user_id: Some(actor.user_id),
                actor_person_id: Some(actor.person_id),
                session_hash: actor.session_hash.clone(),
                ip: ctx.ip.clone(),
                action: "authz.denied".into(),
                target_kind: "route".into(),
                target_id: format!("{} {}", req.method(), req.uri().path()),
                outcome: "denied".into(),
                details: format!("{{\"action\":\"{}\"}}", action.api_name()),
            };
            if let Err(e) = state.store.audit(&entry).await {
                return AppError::from(e).into_response();
            }
            return AppError::Forbidden.into_response();
        }
    }
    next.run(req).await
}

/// A state-changing request from a browser page on another site is refused even before its
/// CSRF token is looked at (defence in depth). Browsers send `Origin` on such requests; a
/// request without one is judged by its CSRF token. The origin must match whole — scheme,
/// host and port — the public address when configured, else the `Host` by the scheme the
/// server is reached by. The API is exempt: it authenticates with bearer tokens only, which
/// a forged cross-site request cannot carry.
fn same_origin(req: &Request<Body>, cfg: &crate::WebConfig) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || req.uri().path().starts_with("/api/")
        || req.uri().path().starts_with(crate::dnevnik::PREFIX)
        // Apps call these from their own origins with their own credentials, never a cookie.
        || matches!(req.uri().path(), "/oauth2/token" | "/oauth2/revoke")
    {
        return true;
    }
    let Some(origin) = req
        .headers()
        .get(axum::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    cfg.origin_of(req.headers())
        .is_some_and(|own| own.eq_ignore_ascii_case(origin))
}

/// Records an object-level denial (an id outside the actor's scope) before answering 404
/// exactly as for an id that does not exist.
/// A store result whose `NotFound` means the object is out of the actor's reach: answered
/// as [`deny_object`] (404, audited); any other error passes through.
pub async fn or_deny<T>(
    state: &AppState,
    ctx: &Ctx,
    kind: &str,
    id: &str,
    result: zhurnal_store::Result<T>,
) -> Result<T, AppError> {
    match result {
        Err(zhurnal_store::StoreError::NotFound) => Err(deny_object(state, ctx, kind, id).await),
        other => Ok(other?),
    }
}

pub async fn deny_object(state: &AppState, ctx: &Ctx, kind: &str, id: &str) -> AppError {
    if let Some(actor) = ctx.actor.as_deref() {
        let entry = AuditEntry {
            school_id: actor.home_school(),
            action: "authz.denied".into(),
            target_kind: kind.into(),
            target_id: id.into(),
            outcome: "denied".into(),
            details: "{}".into(),
            ..ctx.audit_base(state.clock.now_ms())
        };
        if let Err(e) = state.store.audit(&entry).await {
            return e.into();
        }
    }
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn table_has_no_duplicates_and_examples_fit() {
        let mut seen = HashSet::new();
        for r in all() {
            assert!(
                seen.insert((r.method, r.path)),
                "{} {} twice",
                r.method,
                r.path
            );
            let pattern: Vec<&str> = r.path.split('/').collect();
            let path_only = r.example.split('?').next().unwrap_or(r.example);
            let example: Vec<&str> = path_only.split('/').collect();
            assert_eq!(pattern.len(), example.len(), "{}", r.path);
            for (p, e) in pattern.iter().zip(&example) {
                assert!(p.starts_with('{') || p == e, "{} vs {}", r.path, r.example);
            }
        }
    }
}
