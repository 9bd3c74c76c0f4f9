//! A school's reference data kept in memory for the hot pages (the diary week, the journal
//! grid): the school row, which group belongs to which class, the calendar, the bells and
//! the classes' shifts. They change a few times a year, yet every diary page needs them.
//!
//! Any successful change made through this server that could touch them empties the cache
//! at once (see [`forget_after_writes`]; only the journal's, messages' and notices' writes,
//! which cannot, keep it). Changes made elsewhere — another server of a region on one
//! PostgreSQL, the command line — are seen after at most [`TTL`].

use crate::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use zhurnal_core::bells::Schedule;
use zhurnal_core::calendar::Calendar;
use zhurnal_store::{SchoolRow, Store};

/// How long an entry may live without a change through this server emptying it.
pub const TTL: Duration = Duration::from_secs(30);

type Slot = (Instant, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub struct Refs {
    slots: Mutex<HashMap<(i64, &'static str, i64), Slot>>,
}

impl Refs {
    async fn get<T, F>(
        &self,
        key: (i64, &'static str, i64),
        load: F,
    ) -> zhurnal_store::Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: std::future::Future<Output = zhurnal_store::Result<T>>,
    {
        if let Ok(slots) = self.slots.lock()
            && let Some((at, v)) = slots.get(&key)
            && at.elapsed() < TTL
            && let Ok(v) = v.clone().downcast::<T>()
        {
            return Ok(v);
        }
        let v = Arc::new(load.await?);
        if let Ok(mut slots) = self.slots.lock() {
            slots.insert(key, (Instant::now(), v.clone()));
        }
        Ok(v)
    }

    /// Forgets everything (after a change that may have touched it).
    pub fn clear(&self) {
        if let Ok(mut slots) = self.slots.lock() {
            slots.clear();
        }
    }

    /// The school without its counts ([`Store::school_plain`]).
    pub async fn school(&self, store: &Store, id: i64) -> zhurnal_store::Result<Option<SchoolRow>> {
        Ok((*self.get((id, "school", 0), store.school_plain(id)).await?).clone())
    }

    /// Group → (its class, the class's grade) ([`Store::group_classes`]).
    pub async fn groups(
        &self,
        store: &Store,
        school: i64,
    ) -> zhurnal_store::Result<Arc<HashMap<i64, (i64, i16)>>> {
        self.get((school, "groups", 0), store.group_classes(school))
            .await
    }

    pub async fn calendar(
        &self,
        store: &Store,
        school: i64,
        year: i16,
    ) -> zhurnal_store::Result<Arc<Option<Calendar>>> {
        self.get(
            (school, "calendar", i64::from(year)),
            store.calendar(school, year),
        )
        .await
    }

    pub async fn bells(
        &self,
        store: &Store,
        school: i64,
    ) -> zhurnal_store::Result<Arc<Vec<Schedule>>> {
        self.get((school, "bells", 0), store.bell_schedules(school))
            .await
    }

    pub async fn shifts(
        &self,
        store: &Store,
        school: i64,
    ) -> zhurnal_store::Result<Arc<HashMap<i64, i8>>> {
        self.get((school, "shifts", 0), store.class_shifts(school))
            .await
    }
}

/// Writes that cannot touch the cached data: marks, absences, lesson texts and files,
/// notices, messages, the wall, sessions and personal settings.
const KEEPS: [&str; 11] = [
    "/api/v1/journal/",
    "/api/v1/auth/",
    "/journal/cell",
    "/journal/lesson",
    "/journal/correction",
    "/notifications",
    "/messages",
    "/wall",
    "/login",
    "/logout",
    "/lang",
];

/// Empties the cache after every successful change but those in [`KEEPS`]; new kinds of
/// change empty it by default.
pub async fn forget_after_writes(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let keeps = KEEPS.iter().any(|p| req.uri().path().starts_with(p));
    let res = next.run(req).await;
    if writes && !keeps && (res.status().is_success() || res.status().is_redirection()) {
        state.refs.clear();
    }
    res
}

/// The time zone the person asking lives by: their home school's, else UTC. Instants shown
/// to a person (notices, messages, sessions) are written in it.
pub async fn home_zone(
    state: &crate::AppState,
    ctx: &crate::ctx::Ctx,
) -> Result<String, crate::AppError> {
    Ok(match ctx.actor()?.home_school() {
        Some(id) => state
            .refs
            .school(&state.store, id)
            .await?
            .map_or("UTC".to_owned(), |s| s.time_zone),
        None => "UTC".to_owned(),
    })
}
