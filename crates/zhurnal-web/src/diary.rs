//! Whose diary a person may open: a student their own, a parent each of their children.
//! Any other child answers exactly as a child that does not exist (404), and is audited.

use crate::ctx::Ctx;
use crate::routes::deny_object;
use crate::{AppError, AppState};
use zhurnal_core::Role;
use zhurnal_store::SchoolRow;
use zhurnal_store::memo::Dep;

/// The cookie that remembers which child a parent looked at last.
pub const CHILD_COOKIE: &str = "zh_child";

/// A student whose diary the actor may read.
#[derive(Debug, Clone)]
pub struct Pupil {
    pub person_id: i64,
    pub name: String,
    pub school: SchoolRow,
    pub class_id: i64,
    pub class_name: String,
    /// The class's grade, for the calendar and the period scheme.
    pub grade: i16,
    /// The day the parents refused to get the child's performance electronically (§3.6):
    /// the child stays in the list (to switch to, and to write to teachers about) but no
    /// diary data is shown.
    pub refused_on: Option<String>,
}

impl Pupil {
    /// A diary page's heading: «Дневник: Анастасия Алексеева, 7Б».
    pub fn heading(&self, page: &str) -> String {
        format!("{page}: {}, {}", self.name, self.class_name)
    }
}

/// Every student whose diary the actor may read, in a stable order.
pub async fn pupils(state: &AppState, ctx: &Ctx) -> Result<Vec<Pupil>, AppError> {
    let actor = ctx.actor()?;
    let groups = |school: i64| async move { state.refs.groups(&state.store, school).await };
    let mut out = Vec::new();
    for g in actor.grants.iter().filter(|g| g.role == Role::Student) {
        let Some(school_id) = g.school_id else {
            continue;
        };
        let Some(school) = state.refs.school(&state.store, school_id).await? else {
            continue;
        };
        // The student's class: the group of theirs that is a class (not a subgroup).
        let classes = groups(school_id).await?;
        let mine = person_groups(state, school_id, actor.person_id).await?;
        let Some((class_id, grade)) = mine
            .iter()
            .filter_map(|id| classes.get(id).filter(|c| c.0 == *id).map(|c| (*id, c.1)))
            .next()
        else {
            continue;
        };
        out.push(Pupil {
            person_id: actor.person_id,
            name: actor.full_name.clone(),
            class_name: state
                .store
                .memo(
                    ("class_name", [school_id, class_id, 0, 0]),
                    Dep::All,
                    state.store.class_name(school_id, class_id),
                )
                .await?
                .as_ref()
                .clone()
                .unwrap_or_default(),
            school,
            class_id,
            grade,
            refused_on: refused_on(state, actor.person_id).await?,
        });
    }
    if actor.grants.iter().any(|g| g.role == Role::Parent) {
        for c in &actor.children {
            let (Some(school_id), Some(class_id)) = (c.school_id, c.class_id) else {
                continue;
            };
            let Some(school) = state.refs.school(&state.store, school_id).await? else {
                continue;
            };
            let grade = groups(school_id).await?.get(&class_id).map_or(5, |g| g.1);
            out.push(Pupil {
                person_id: c.person_id,
                name: format!("{} {}", c.first_name, c.last_name),
                school,
                class_id,
                class_name: c.class_name.clone().unwrap_or_default(),
                grade,
                refused_on: refused_on(state, c.person_id).await?,
            });
        }
    }
    Ok(out)
}

/// The pupil asked for (`child`), else the one remembered, else the first. A child id
/// that is not the actor's answers 404 and is audited, like one that does not exist.
pub async fn pick(
    state: &AppState,
    ctx: &Ctx,
    asked: Option<&str>,
    remembered: Option<&str>,
) -> Result<(Pupil, Vec<Pupil>), AppError> {
    let all = pupils(state, ctx).await?;
    let chosen = match asked.filter(|s| !s.is_empty()) {
        Some(raw) => {
            let id: i64 = raw.parse().map_err(|_| AppError::NotFound)?;
            match all.iter().find(|p| p.person_id == id) {
                Some(p) => p.clone(),
                None => return Err(deny_object(state, ctx, "diary", raw).await),
            }
        }
        None => {
            let open = |p: &&Pupil| p.refused_on.is_none();
            match remembered
                .and_then(|r| r.parse::<i64>().ok())
                .and_then(|id| all.iter().filter(open).find(|p| p.person_id == id))
                .or(all.iter().find(open))
                .or(all.first())
            {
                Some(p) => p.clone(),
                None => return Err(departed(state, ctx).await?),
            }
        }
    };
    if let Some(on) = &chosen.refused_on {
        let t = ctx.t();
        return Err(AppError::Withheld(format!(
            "{}: {} ({} {}). {}",
            chosen.name,
            t.s("diary.refused"),
            t.s("diary.statement_of"),
            t.date_text(on),
            t.s("diary.refused_how")
        )));
    }
    Ok((chosen, all))
}

/// Why there is no diary to show: the student (or the parent's only children) left the
/// school — said with the day — or simply nothing to show (404).
async fn departed(state: &AppState, ctx: &Ctx) -> Result<AppError, AppError> {
    let actor = ctx.actor()?;
    let t = ctx.t();
    let mut whom = vec![actor.person_id];
    whom.extend(actor.children.iter().map(|c| c.person_id));
    let mut lines = Vec::new();
    for id in whom {
        if let Some(d) = state.store.departure_of(id).await? {
            lines.push(format!(
                "{} {}: {} {}.",
                d.first_name,
                d.last_name,
                t.s("diary.left_on"),
                t.date_text(&d.left_on)
            ));
        }
    }
    if lines.is_empty() {
        return Ok(AppError::NotFound);
    }
    lines.push(t.s("diary.left_how").to_owned());
    Ok(AppError::Withheld(lines.join(" ")))
}

/// The day the parents refused electronic access to the child's record, if they did (kept
/// in memory: every diary request asks).
async fn refused_on(state: &AppState, person: i64) -> Result<Option<String>, AppError> {
    let store = &state.store;
    Ok(store
        .memo(
            ("refused_on", [person, 0, 0, 0]),
            Dep::All,
            store.refused_on(person),
        )
        .await?
        .as_ref()
        .clone())
}

/// The groups (class and subgroups) a person belongs to in a school, kept in memory.
pub async fn person_groups(
    state: &AppState,
    school: i64,
    person: i64,
) -> Result<std::sync::Arc<Vec<i64>>, AppError> {
    let store = &state.store;
    Ok(store
        .memo(
            ("person_groups", [school, person, 0, 0]),
            Dep::All,
            store.person_groups(school, person),
        )
        .await?)
}
