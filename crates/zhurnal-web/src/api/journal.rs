//! The class journal through the API (§4.1): a group's lessons in a subject with their
//! topics, homework, works, marks and absences; marks, absences and lesson texts written one
//! at a time, each with its history and audit row. A mark write carries an idempotency key,
//! so a client that retries after a lost answer never writes twice.

use super::{ApiJson, ErrorBody, parse_date, school_of};
use crate::ctx::Ctx;
use crate::journal::{may_change, may_view, parse_mark};
use crate::pages::timetable::pick_school;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, Query, State};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhurnal_core::Action;
use zhurnal_core::journal::Change;
use zhurnal_store::{MarkWrite, SchoolRow};

/// The longest range one request may ask for: a half-year and a bit.
const MAX_DAYS: i32 = 200;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// A class or a subgroup.
    pub group_id: i64,
    pub subject_id: i64,
    /// First date, YYYY-MM-DD.
    pub from: String,
    /// Last date, YYYY-MM-DD; at most 200 days after `from`.
    pub to: String,
}

#[derive(Serialize, ToSchema)]
pub struct StudentOut {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct JournalLessonOut {
    pub id: i64,
    pub date: String,
    pub number: i32,
    pub topic: String,
    pub homework: String,
    pub homework_due: Option<String>,
    /// `planned` or `cancelled`.
    pub status: String,
    pub teacher_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkOut {
    pub id: i64,
    pub lesson_id: i64,
    pub work_type_id: i64,
    /// `lesson` or `homework`.
    pub kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct MarkOut {
    pub id: i64,
    pub work_id: i64,
    pub lesson_id: i64,
    pub person_id: i64,
    /// `5`, `4+`, `зач`, `н/а`, `осв`…
    pub value: String,
    pub comment: String,
}

#[derive(Serialize, ToSchema)]
pub struct AbsenceOut {
    pub lesson_id: i64,
    pub person_id: i64,
    /// `absent` or `late`.
    pub status: String,
    /// `unknown`, `illness`, `excused` or `unexcused`.
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct WorkTypeOut {
    pub id: i64,
    pub name: String,
    pub abbreviation: String,
    pub weight: i32,
}

#[derive(Serialize, ToSchema)]
pub struct JournalOut {
    pub group_id: i64,
    pub subject_id: i64,
    pub students: Vec<StudentOut>,
    pub lessons: Vec<JournalLessonOut>,
    pub works: Vec<WorkOut>,
    pub marks: Vec<MarkOut>,
    pub absences: Vec<AbsenceOut>,
    pub work_types: Vec<WorkTypeOut>,
}

/// The school a journal write is for: in reach of filling journals or of approving
/// corrections.
async fn writing_school(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
) -> Result<SchoolRow, AppError> {
    let actor = ctx.actor()?;
    let mut reach = actor.reach(Action::EditJournal);
    let approve = actor.reach(Action::ApproveJournalCorrections);
    reach.schools.extend(approve.schools);
    reach.municipalities.extend(approve.municipalities);
    let raw = id.map(|s| s.to_string());
    Ok(pick_school(state, ctx, &reach, raw.as_deref()).await?.0)
}

/// A write concerns a student of the lesson's group on its date; anyone else answers as if
/// they did not exist (audited).
async fn require_member(
    state: &AppState,
    ctx: &Ctx,
    school: &SchoolRow,
    allowed: &crate::journal::Allowed,
    person_id: i64,
) -> Result<(), AppError> {
    if state
        .store
        .member_on(
            school.id,
            allowed.lesson.group_id,
            person_id,
            &allowed.lesson.date,
        )
        .await?
    {
        Ok(())
    } else {
        Err(crate::routes::deny_object(state, ctx, "student", &person_id.to_string()).await)
    }
}

/// A group's journal in a subject over a date range.
#[utoipa::path(
    get,
    path = "/api/v1/journal",
    tag = "journal",
    params(JournalQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The journal", body = JournalOut),
        (status = 400, description = "Bad dates or a range over 200 days", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see journals", body = ErrorBody),
        (status = 404, description = "No such school, group or subject in the caller's reach", body = ErrorBody),
    )
)]
pub async fn get_journal(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<JournalQuery>,
) -> Result<Json<JournalOut>, AppError> {
    let school = school_of(&state, &ctx, Action::ViewJournal, q.school_id).await?;
    let (from, to) = (parse_date("from", &q.from)?, parse_date("to", &q.to)?);
    if !(0..=MAX_DAYS).contains(&(to - from).get_days()) {
        return Err(AppError::BadRequest(format!(
            "to must be on or after from, at most {MAX_DAYS} days later"
        )));
    }
    if !may_view(&state, &ctx, &school, q.group_id, q.subject_id).await? {
        return Err(crate::routes::deny_object(
            &state,
            &ctx,
            "journal",
            &format!("{}:{}", q.group_id, q.subject_id),
        )
        .await);
    }
    let j = state
        .store
        .journal(
            school.id,
            q.group_id,
            q.subject_id,
            &from.to_string(),
            &to.to_string(),
        )
        .await?;
    let students = state.store.group_members(school.id, q.group_id).await?;
    Ok(Json(JournalOut {
        group_id: q.group_id,
        subject_id: q.subject_id,
        students: students
            .iter()
            .map(|p| StudentOut {
                id: p.id,
                name: p.full_name(),
            })
            .collect(),
        lessons: j
            .lessons
            .into_iter()
            .map(|l| JournalLessonOut {
                id: l.id,
                date: l.date,
                number: l.number,
                topic: l.topic,
                homework: l.homework,
                homework_due: l.homework_due,
                status: l.status,
                teacher_id: l.teacher_id,
            })
            .collect(),
        works: j
            .works
            .into_iter()
            .map(|w| WorkOut {
                id: w.id,
                lesson_id: w.lesson_id,
                work_type_id: w.work_type_id,
                kind: w.kind,
            })
            .collect(),
        marks: j
            .marks
            .into_iter()
            .map(|m| MarkOut {
                id: m.id,
                work_id: m.work_id,
                lesson_id: m.lesson_id,
                person_id: m.person_id,
                value: m.value,
                comment: m.comment,
            })
            .collect(),
        absences: j
            .absences
            .into_iter()
            .map(|a| AbsenceOut {
                lesson_id: a.lesson_id,
                person_id: a.person_id,
                status: a.status,
                reason: a.reason,
            })
            .collect(),
        work_types: state
            .store
            .work_types(school.id)
            .await?
            .into_iter()
            .filter(|w| !w.is_final)
            .map(|w| WorkTypeOut {
                id: w.id,
                name: w.name,
                abbreviation: w.abbreviation,
                weight: w.weight,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkIn {
    pub school_id: Option<i64>,
    pub lesson_id: i64,
    /// The student.
    pub person_id: i64,
    /// `5`, `4`, `3`, `2` (and `1`, `4+`, `3−` where the school allows), `зач`, `незач`,
    /// `н/а`, `осв`; `null` removes the mark.
    pub value: Option<String>,
    /// A work of the lesson; or…
    pub work_id: Option<i64>,
    /// …the kind of work: the lesson's first work of this type is used (made when missing).
    /// Default: the school's first work type («Ответ на уроке»).
    pub work_type_id: Option<i64>,
    #[serde(default)]
    pub comment: String,
    /// Why, for a correction after the edit window (the deputy director).
    #[serde(default)]
    pub reason: String,
    /// Any unique string per intended write (a UUID), at most 200 characters: a retried
    /// request of the same person with the same key changes nothing and answers exactly as
    /// the first did, whatever that write did. Keys are the sender's own: another person's
    /// key of the same text is another key.
    pub idempotency_key: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MarkWritten {
    /// Absent after a removal.
    pub mark_id: Option<i64>,
    pub work_id: i64,
    pub value: Option<String>,
    /// The value before this write.
    pub old_value: Option<String>,
    /// The key was seen before: nothing was changed this time, and the fields above are
    /// the first answer's.
    pub replayed: bool,
}

/// Writes (or removes) one mark.
#[utoipa::path(
    put,
    path = "/api/v1/journal/marks",
    tag = "journal",
    request_body = MarkIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Written, or replayed", body = MarkWritten),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not fill journals", body = ErrorBody),
        (status = 404, description = "No such lesson, work or student in the caller's reach", body = ErrorBody),
        (status = 422, description = "Not on the school's scale, before the lesson, after the edit window, or a correction without a reason", body = ErrorBody),
    )
)]
pub async fn put_mark(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(m): ApiJson<MarkIn>,
) -> Result<Json<MarkWritten>, AppError> {
    write_mark(&state, &ctx, m).await
}

/// A correction by the deputy director: any lesson of the school, also after the edit
/// window, always with a reason (kept in the history beside the change).
#[utoipa::path(
    put,
    path = "/api/v1/journal/corrections",
    tag = "journal",
    request_body = MarkIn,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Corrected, or replayed", body = MarkWritten),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Only the deputy director corrects the journal", body = ErrorBody),
        (status = 404, description = "No such lesson, work or student in the caller's reach", body = ErrorBody),
        (status = 422, description = "No reason, not on the school's scale, or before the lesson", body = ErrorBody),
    )
)]
pub async fn put_correction(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(m): ApiJson<MarkIn>,
) -> Result<Json<MarkWritten>, AppError> {
    write_mark(&state, &ctx, m).await
}

async fn write_mark(state: &AppState, ctx: &Ctx, m: MarkIn) -> Result<Json<MarkWritten>, AppError> {
    let (state, ctx) = (state.clone(), ctx.clone());
    let school = writing_school(&state, &ctx, m.school_id).await?;
    let allowed = may_change(
        &state,
        &ctx,
        &school,
        m.lesson_id,
        Change::Result,
        &m.reason,
        "lesson_id",
    )
    .await?;
    let t = ctx.t();
    let lesson = &allowed.lesson;
    let grading =
        crate::journal::grading_of(&state, school.id, lesson.group_id, lesson.subject_id).await?;
    let value = match m.value.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            parse_mark(&allowed.settings, grading, raw)
                .map_err(|key| AppError::Validation(vec![("value".into(), t.s(key).to_owned())]))?
                .code(),
        ),
    };
    if m.comment.chars().count() > 500 {
        return Err(AppError::Validation(vec![(
            "comment".into(),
            t.s("journal.comment_long").to_owned(),
        )]));
    }
    if m.idempotency_key
        .as_ref()
        .is_some_and(|k| k.chars().count() > 200)
    {
        return Err(AppError::Validation(vec![(
            "idempotency_key".into(),
            t.s("journal.key_long").to_owned(),
        )]));
    }
    require_member(&state, &ctx, &school, &allowed, m.person_id).await?;
    let work_type_id = match m.work_type_id {
        Some(id) => id,
        None => crate::journal::default_work_type(&state, &school).await?,
    };
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "journal.mark".into(),
        details: serde_json::json!({ "lesson_id": m.lesson_id, "person_id": m.person_id, "value": value, "reason": m.reason }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    let write = MarkWrite {
        lesson_id: m.lesson_id,
        work_id: m.work_id,
        work_type_id,
        person_id: m.person_id,
        value: value.as_deref(),
        comment: m.comment.trim(),
        reason: m.reason.trim(),
        idempotency_key: m.idempotency_key.as_deref(),
    };
    let work = format!("{:?}", m.work_id);
    let written = crate::routes::or_deny(
        &state,
        &ctx,
        "work",
        &work,
        state.store.write_mark(school.id, &write, &audit).await,
    )
    .await?;
    Ok(Json(MarkWritten {
        mark_id: written.mark_id,
        work_id: written.work_id,
        value: written.value,
        old_value: written.old_value,
        replayed: written.replayed,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceIn {
    pub school_id: Option<i64>,
    pub lesson_id: i64,
    pub person_id: i64,
    /// `absent`, `late`, or `null` to clear.
    pub status: Option<String>,
    /// `unknown` (default), `illness`, `excused` or `unexcused`.
    pub reason_code: Option<String>,
    /// Why, for a correction after the edit window.
    #[serde(default)]
    pub reason: String,
}

/// Marks a student absent or late at a lesson (or clears it).
#[utoipa::path(
    put,
    path = "/api/v1/journal/absences",
    tag = "journal",
    request_body = AbsenceIn,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Written"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not fill journals", body = ErrorBody),
        (status = 404, description = "No such lesson or student in the caller's reach", body = ErrorBody),
        (status = 422, description = "Unknown status or reason, before the lesson, or after the edit window", body = ErrorBody),
    )
)]
pub async fn put_absence(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(a): ApiJson<AbsenceIn>,
) -> Result<axum::http::StatusCode, AppError> {
    let school = writing_school(&state, &ctx, a.school_id).await?;
    let allowed = may_change(
        &state,
        &ctx,
        &school,
        a.lesson_id,
        Change::Result,
        &a.reason,
        "lesson_id",
    )
    .await?;
    let t = ctx.t();
    let status = match a.status.as_deref() {
        None => None,
        Some(s @ ("absent" | "late")) => {
            let reason = a.reason_code.as_deref().unwrap_or("unknown");
            if !matches!(reason, "unknown" | "illness" | "excused" | "unexcused") {
                return Err(AppError::Validation(vec![(
                    "reason_code".into(),
                    t.s("journal.bad_reason").to_owned(),
                )]));
            }
            Some((s, reason))
        }
        Some(_) => {
            return Err(AppError::Validation(vec![(
                "status".into(),
                t.s("journal.bad_status").to_owned(),
            )]));
        }
    };
    require_member(&state, &ctx, &school, &allowed, a.person_id).await?;
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "journal.absence".into(),
        details: serde_json::json!({ "lesson_id": a.lesson_id, "person_id": a.person_id, "status": status }).to_string(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .write_absence(
            school.id,
            a.lesson_id,
            a.person_id,
            status,
            a.reason.trim(),
            &audit,
        )
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonTextIn {
    pub school_id: Option<i64>,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub homework: String,
    /// YYYY-MM-DD; default: none.
    pub homework_due: Option<String>,
    #[serde(default)]
    pub reason: String,
}

/// Sets a lesson's topic and homework.
#[utoipa::path(
    put,
    path = "/api/v1/journal/lessons/{id}",
    tag = "journal",
    params(("id" = i64, Path, description = "Lesson id")),
    request_body = LessonTextIn,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Written"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not fill journals", body = ErrorBody),
        (status = 404, description = "No such lesson in the caller's reach", body = ErrorBody),
        (status = 422, description = "Too long, a bad due date, or after the edit window", body = ErrorBody),
    )
)]
pub async fn put_lesson_text(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(l): ApiJson<LessonTextIn>,
) -> Result<axum::http::StatusCode, AppError> {
    let school = writing_school(&state, &ctx, l.school_id).await?;
    let allowed = may_change(&state, &ctx, &school, id, Change::Text, &l.reason, "id").await?;
    let t = ctx.t();
    let bad =
        |field: &str, key: &str| AppError::Validation(vec![(field.into(), t.s(key).to_owned())]);
    if l.topic.chars().count() > 500 {
        return Err(bad("topic", "journal.topic_long"));
    }
    if l.homework.chars().count() > 4000 {
        return Err(bad("homework", "journal.homework_long"));
    }
    let due = match l
        .homework_due
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(raw) => match raw.parse::<Date>() {
            Ok(d) if d.to_string() >= allowed.lesson.date => Some(d.to_string()),
            _ => return Err(bad("homework_due", "journal.bad_due")),
        },
    };
    let audit = zhurnal_store::AuditEntry {
        school_id: Some(school.id),
        action: "journal.lesson".into(),
        ..ctx.audit_base(state.clock.now_ms())
    };
    state
        .store
        .write_lesson_text(
            school.id,
            id,
            l.topic.trim(),
            l.homework.trim(),
            due.as_deref(),
            &audit,
        )
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassCheckQuery {
    /// School id; default: the caller's school.
    pub school_id: Option<i64>,
    /// The class; default: the caller's own class, else the first they oversee.
    pub class_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct FillOut {
    /// «7Б · Алгебра».
    pub journal: String,
    pub teacher: String,
    pub lessons: i64,
    pub without_topic: i64,
    pub without_homework: i64,
    pub marks: i64,
    /// Marks entered after the school's edit window.
    pub late: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CheckOut {
    pub when: String,
    pub by: String,
    pub comment: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClassCheckOut {
    pub class_id: i64,
    /// The days looked at: from the start of the current period to today.
    pub range: String,
    pub journals: Vec<FillOut>,
    /// Newest first.
    pub checks: Vec<CheckOut>,
    /// Set when the last check is older than the regulation's twice a month (or there is
    /// none), with how long ago.
    pub overdue: Option<String>,
    /// Whether the caller (the class teacher) may record a check.
    pub can_check: bool,
}

/// How a class's journal is kept (§3.3): each subject's lessons without a topic or homework
/// and late marks since the period began, and the class teacher's checks.
#[utoipa::path(
    get,
    path = "/api/v1/journal/class-check",
    tag = "journal",
    params(ClassCheckQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The class journal's keeping and checks", body = ClassCheckOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller may not see journals", body = ErrorBody),
        (status = 404, description = "Not a class the caller oversees", body = ErrorBody),
    )
)]
pub async fn get_class_check(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ClassCheckQuery>,
) -> Result<Json<ClassCheckOut>, AppError> {
    let school = school_of(&state, &ctx, Action::ViewJournal, q.school_id).await?;
    let raw = q.class_id.map(|c| c.to_string());
    let p = crate::pages::class_check::build(&state, &ctx, &school, raw.as_deref()).await?;
    Ok(Json(ClassCheckOut {
        class_id: p.class_id,
        range: p.range,
        journals: p
            .lines
            .into_iter()
            .map(|l| FillOut {
                journal: l.journal,
                teacher: l.teacher,
                lessons: l.lessons,
                without_topic: l.without_topic,
                without_homework: l.without_homework,
                marks: l.marks,
                late: l.late,
            })
            .collect(),
        checks: p
            .checks
            .into_iter()
            .map(|(when, by, comment)| CheckOut { when, by, comment })
            .collect(),
        overdue: p.overdue,
        can_check: p.can_check,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassCheckIn {
    pub school_id: Option<i64>,
    pub class_id: i64,
    /// What the check found, up to 1000 characters; may be empty.
    #[serde(default)]
    pub comment: String,
}

/// Records the class teacher's check of their class's journal.
#[utoipa::path(
    post,
    path = "/api/v1/journal/class-check",
    tag = "journal",
    request_body = ClassCheckIn,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller is no class teacher", body = ErrorBody),
        (status = 404, description = "Not the caller's class", body = ErrorBody),
        (status = 422, description = "A comment over 1000 characters (`fields.comment`)", body = ErrorBody),
    )
)]
pub async fn post_class_check(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<ClassCheckIn>,
) -> Result<axum::http::StatusCode, AppError> {
    let school = school_of(&state, &ctx, Action::CheckClassJournal, body.school_id).await?;
    let raw = body.class_id.to_string();
    let p = crate::pages::class_check::build(&state, &ctx, &school, Some(&raw)).await?;
    if !p.can_check {
        return Err(crate::routes::deny_object(&state, &ctx, "class", &raw).await);
    }
    crate::pages::class_check::record_check(&state, &ctx, &school, p.class_id, &body.comment)
        .await?
        .map_err(|key| AppError::Validation(vec![("comment".into(), ctx.t().s(key).into())]))?;
    Ok(axum::http::StatusCode::CREATED)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceReasonIn {
    pub school_id: Option<i64>,
    pub lesson_id: i64,
    pub person_id: i64,
    /// `unknown`, `illness`, `excused` or `unexcused`.
    pub reason: String,
}

/// The class teacher gives the reason of an absence or late arrival of their class (since
/// the period began), from a parent's note or a doctor's certificate.
#[utoipa::path(
    put,
    path = "/api/v1/journal/absence-reasons",
    tag = "journal",
    request_body = AbsenceReasonIn,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 400, description = "Malformed body or an unknown reason", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The caller is no class teacher", body = ErrorBody),
        (status = 404, description = "No such absence in the caller's class", body = ErrorBody),
        (status = 422, description = "The period is closed (`fields.lesson_id`)", body = ErrorBody),
    )
)]
pub async fn put_absence_reason(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<AbsenceReasonIn>,
) -> Result<axum::http::StatusCode, AppError> {
    let school = school_of(&state, &ctx, Action::CheckClassJournal, body.school_id).await?;
    // The class of the lesson, among those the caller leads.
    let Some(facts) = state.store.lesson_facts(school.id, body.lesson_id).await? else {
        return Err(crate::routes::deny_object(
            &state,
            &ctx,
            "lesson",
            &body.lesson_id.to_string(),
        )
        .await);
    };
    let class = state
        .store
        .group_classes(school.id)
        .await?
        .get(&facts.group_id)
        .map_or(facts.group_id, |c| c.0);
    let p =
        crate::pages::class_check::build(&state, &ctx, &school, Some(&class.to_string())).await?;
    if !p.can_check {
        return Err(crate::routes::deny_object(&state, &ctx, "class", &class.to_string()).await);
    }
    crate::pages::class_check::set_reason(
        &state,
        &ctx,
        &school,
        &p,
        body.lesson_id,
        body.person_id,
        &body.reason,
    )
    .await?
    .map_err(|key| AppError::Validation(vec![("lesson_id".into(), ctx.t().s(key).into())]))?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
