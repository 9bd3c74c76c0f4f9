//! Answers of the hot reads kept in memory (the diary's week, who a person is), each
//! stamped with the generations of what it depends on, and dropped the moment a write
//! through this store bumps one of them.
//!
//! Every write (see [`crate::on_write!`]) bumps a generation after its transaction ends,
//! through a guard that runs on any exit: the whole store's by default; only a school's or
//! one student's for the writes that are known to touch no more (a mark, an absence, a
//! lesson's topic) — those are the writes of the morning peak, and they must not empty the
//! cache of every other family. Writes that touch nothing cached (sessions, audit,
//! notices, messages) bump nothing. A reader takes the stamp *before* it reads the database,
//! so an answer read while a write was committing carries the older stamp and is not used
//! after that write's bump.
//!
//! Changes made elsewhere (another server on the same PostgreSQL, the command line) are seen
//! after at most [`TTL`], as for the web layer's reference data.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an answer may be kept without a write through this store dropping it.
pub const TTL: Duration = Duration::from_secs(30);

/// At most this many answers are kept, and at most this many bytes of the answers that
/// say their size (a rendered week); past either, the oldest half goes, so memory stays
/// bounded whatever the traffic.
const MAX_ENTRIES: usize = 16_384;
const MAX_BYTES: usize = 96 << 20;

/// Each kept answer lives a random part shorter than asked, up to this many thousandths.
/// The answers a morning's families load together would otherwise expire together and be
/// read again in one burst every [`TTL`] (measured: the diary's p99 went from 4 to 42 ms in
/// the five seconds after the families' first pages expired).
const MAX_SHAVE: u32 = 500;

/// What an answer that does not say its size is counted as.
const NOMINAL_BYTES: usize = 512;

/// What a write may have changed, or what an answer depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dep {
    /// Anything (the default of every write).
    All,
    /// Only this school's data, and no one's identity or links.
    School(i64),
    /// Only one student's (or teacher's) own records in a school: marks, absences.
    Person(i64, i64),
    /// (Of an answer only) a school's data and every person's records in it: a journal.
    SchoolPeople(i64),
    /// (Of a write) a session's validity or its account's sign-in facts: a logout, a new
    /// password, a revoked app; (of an answer) a session as the request's context reads it.
    Sessions,
    /// Nothing any cached answer holds.
    Nothing,
}

/// The generations an answer was read under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    all: u64,
    school: u64,
    person: u64,
}

/// What an answer is: the read's name and its arguments.
pub type Key = (&'static str, [i64; 4]);

struct Entry {
    stamp: Stamp,
    at: Instant,
    /// How much shorter than the asked lifetime this answer lives, in thousandths (below
    /// [`MAX_SHAVE`]).
    shave: u32,
    bytes: usize,
    value: Arc<dyn Any + Send + Sync>,
}

/// The kept answers and their counted size.
#[derive(Default)]
struct Kept {
    map: HashMap<Key, Entry>,
    bytes: usize,
}

impl Kept {
    fn remove(&mut self, key: &Key) {
        if let Some(e) = self.map.remove(key) {
            self.bytes -= e.bytes;
        }
    }

    fn insert(&mut self, key: Key, entry: Entry) {
        self.remove(&key);
        if self.map.len() >= MAX_ENTRIES || self.bytes + entry.bytes > MAX_BYTES {
            self.shed_oldest_half();
        }
        self.bytes += entry.bytes;
        self.map.insert(key, entry);
    }

    fn shed_oldest_half(&mut self) {
        let mut ages: Vec<Instant> = self.map.values().map(|e| e.at).collect();
        if ages.is_empty() {
            return;
        }
        let mid = ages.len() / 2;
        let (_, cut, _) = ages.select_nth_unstable(mid);
        let cut = *cut;
        self.map.retain(|_, e| e.at > cut);
        self.bytes = self.map.values().map(|e| e.bytes).sum();
    }
}

#[derive(Default)]
pub struct Memo {
    all: AtomicU64,
    sessions: AtomicU64,
    schools: Mutex<HashMap<i64, u64>>,
    persons: Mutex<HashMap<(i64, i64), u64>>,
    /// Per school: how many of its people's records changed.
    people_of: Mutex<HashMap<i64, u64>>,
    entries: Mutex<Kept>,
    /// The state of the generator of lifetimes' shaves.
    shaves: AtomicU64,
    /// The answers being read again in the background (see [`Memo::get_refreshing`]).
    refreshing: Mutex<std::collections::HashSet<Key>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("all", &self.all.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Memo {
    fn stamp(&self, dep: Dep) -> Stamp {
        let all = self.all.load(Ordering::Acquire);
        let (school, person) = match dep {
            Dep::School(s) => (self.school_gen(s), 0),
            Dep::Person(s, p) => (self.school_gen(s), self.person_gen(s, p)),
            Dep::SchoolPeople(s) => (
                self.school_gen(s),
                self.people_of
                    .lock()
                    .map_or(u64::MAX, |m| m.get(&s).copied().unwrap_or(0)),
            ),
            Dep::Sessions => (self.sessions.load(Ordering::Acquire), 0),
            Dep::All | Dep::Nothing => (0, 0),
        };
        Stamp {
            all,
            school,
            person,
        }
    }

    fn school_gen(&self, school: i64) -> u64 {
        self.schools
            .lock()
            .map_or(u64::MAX, |m| m.get(&school).copied().unwrap_or(0))
    }

    fn person_gen(&self, school: i64, person: i64) -> u64 {
        self.persons
            .lock()
            .map_or(u64::MAX, |m| m.get(&(school, person)).copied().unwrap_or(0))
    }

    /// Marks what a write changed; called when the write's transaction has ended.
    pub fn bump(&self, dep: Dep) {
        match dep {
            Dep::Nothing => {}
            Dep::All => {
                self.all.fetch_add(1, Ordering::AcqRel);
            }
            Dep::Sessions => {
                self.sessions.fetch_add(1, Ordering::AcqRel);
            }
            Dep::School(s) => {
                if let Ok(mut m) = self.schools.lock() {
                    *m.entry(s).or_default() += 1;
                }
            }
            Dep::Person(s, p) => {
                if let Ok(mut m) = self.persons.lock() {
                    *m.entry((s, p)).or_default() += 1;
                }
                if let Ok(mut m) = self.people_of.lock() {
                    *m.entry(s).or_default() += 1;
                }
            }
            // Nothing writes «every person's records» at once without also being All.
            Dep::SchoolPeople(s) => self.bump(Dep::School(s)),
        }
    }

    /// A guard that bumps `dep` when dropped: at the end of a write, however it ends.
    pub fn on_drop(self: &Arc<Self>, dep: Dep) -> BumpOnDrop {
        BumpOnDrop {
            memo: self.clone(),
            dep,
        }
    }

    /// The kept answer for `key` if nothing it depends on changed since it was read; else
    /// reads it with `load` and keeps it.
    pub async fn get<T, E, F>(&self, key: Key, dep: Dep, load: F) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: std::future::Future<Output = Result<T, E>>,
    {
        self.get_within(key, dep, TTL, load).await
    }

    /// As [`Memo::get`], keeping the answer at most `ttl` (shorter than [`TTL`] for what a
    /// change from elsewhere must reach sooner).
    pub async fn get_within<T, E, F>(
        &self,
        key: Key,
        dep: Dep,
        ttl: Duration,
        load: F,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: std::future::Future<Output = Result<T, E>>,
    {
        self.fetch(key, dep, ttl, load, |_| NOMINAL_BYTES).await
    }

    /// As [`Memo::get`] for a large answer: `bytes` tells its size, which counts against the
    /// memory the kept answers may hold.
    pub async fn get_sized<T, E, F>(
        &self,
        key: Key,
        dep: Dep,
        load: F,
        bytes: fn(&T) -> usize,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: std::future::Future<Output = Result<T, E>>,
    {
        self.fetch(key, dep, TTL, load, bytes).await
    }

    async fn fetch<T, E, F>(
        &self,
        key: Key,
        dep: Dep,
        ttl: Duration,
        load: F,
        bytes: fn(&T) -> usize,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: std::future::Future<Output = Result<T, E>>,
    {
        let stamp = self.stamp(dep);
        if let Some((v, Age::Fresh)) = self.lookup::<T>(key, stamp, ttl) {
            return Ok(v);
        }
        let value = Arc::new(load.await?);
        self.keep(key, stamp, value.clone(), bytes);
        Ok(value)
    }

    /// The kept answer for `key` read under `stamp`, with how old it is for `ttl`.
    fn lookup<T: Send + Sync + 'static>(
        &self,
        key: Key,
        stamp: Stamp,
        ttl: Duration,
    ) -> Option<(Arc<T>, Age)> {
        let entries = self.entries.lock().ok()?;
        let e = entries.map.get(&key).filter(|e| e.stamp == stamp)?;
        let v = e.value.clone().downcast::<T>().ok()?;
        let (life, age) = (lifetime(ttl, e.shave), e.at.elapsed());
        let age = if age < life {
            Age::Fresh
        } else if age < 2 * life {
            Age::Stale
        } else {
            Age::Old
        };
        Some((v, age))
    }

    fn keep<T: Send + Sync + 'static>(
        &self,
        key: Key,
        stamp: Stamp,
        value: Arc<T>,
        bytes: fn(&T) -> usize,
    ) {
        let size = bytes(&value);
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                key,
                Entry {
                    stamp,
                    at: Instant::now(),
                    shave: self.next_shave(),
                    bytes: size,
                    value,
                },
            );
        }
    }

    /// As [`Memo::get_sized`] for the answers of a page every family opens: one that has
    /// only outlived its lifetime — nothing it depends on changed through this server — is
    /// still answered, up to twice its lifetime, while a background task reads it again
    /// (at most [`MAX_REFRESHING`] at once). So no request waits for the reading that only
    /// catches changes made elsewhere, and a morning's kept pages do not all fall due at
    /// the start of the busiest minute. Outside a Tokio runtime it reads in place.
    pub async fn get_refreshing<T, E, F, Fut>(
        self: &Arc<Self>,
        key: Key,
        dep: Dep,
        ttl: Duration,
        load: F,
        bytes: fn(&T) -> usize,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        E: 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<T, E>> + Send + 'static,
    {
        let stamp = self.stamp(dep);
        let stale = match self.lookup::<T>(key, stamp, ttl) {
            Some((v, Age::Fresh)) => return Ok(v),
            Some((v, Age::Stale)) => Some(v),
            Some((_, Age::Old)) | None => None,
        };
        if let Some(v) = stale
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            // One reading per answer; while it runs, or while others fill the allowance,
            // the stale answer serves.
            if self.claim_refresh(key) {
                let memo = self.clone();
                runtime.spawn(async move {
                    // Released however the reading ends; a failed one is tried again by
                    // the next request that finds the answer stale.
                    let _release = ReleaseRefresh(memo.clone(), key);
                    if let Ok(value) = load().await {
                        memo.keep(key, stamp, Arc::new(value), bytes);
                    }
                });
            }
            return Ok(v);
        }
        let value = Arc::new(load().await?);
        self.keep(key, stamp, value.clone(), bytes);
        Ok(value)
    }

    /// Whether this caller is to read `key` again in the background.
    fn claim_refresh(&self, key: Key) -> bool {
        let Ok(mut refreshing) = self.refreshing.lock() else {
            return false;
        };
        if refreshing.len() >= MAX_REFRESHING || refreshing.contains(&key) {
            return false;
        }
        refreshing.insert(key)
    }
}

/// At most this many answers are read again in the background at once: the rest are
/// answered stale a little longer rather than crowd the database's readers.
const MAX_REFRESHING: usize = 2;

struct ReleaseRefresh(Arc<Memo>, Key);

impl Drop for ReleaseRefresh {
    fn drop(&mut self) {
        if let Ok(mut refreshing) = self.0.refreshing.lock() {
            refreshing.remove(&self.1);
        }
    }
}

/// A kept answer against its lifetime: within it, past it by less than as much again (may
/// serve while it is read again, [`Memo::get_refreshing`]), or older.
enum Age {
    Fresh,
    Stale,
    Old,
}

/// How long an answer asked to live `ttl` (at most [`TTL`]) lives when shaved by `shave`.
fn lifetime(ttl: Duration, shave: u32) -> Duration {
    let full = ttl.min(TTL);
    full - full * shave / 1000
}

impl Memo {
    /// A shave below [`MAX_SHAVE`]: a SplitMix64 step, which spreads well enough for this.
    fn next_shave(&self) -> u32 {
        let mut z = self
            .shaves
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % u64::from(MAX_SHAVE)) as u32
    }

    /// Drops one kept answer (its source changed in a way no generation tracks).
    pub fn forget(&self, key: &Key) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }
}

/// Bumps a generation when dropped (see [`Memo::on_drop`]).
pub struct BumpOnDrop {
    memo: Arc<Memo>,
    dep: Dep,
}

impl Drop for BumpOnDrop {
    fn drop(&mut self) {
        self.memo.bump(self.dep);
    }
}

/// A date `YYYY-MM-DD` as a number for a [`Key`] (20261123).
pub fn day_key(date: &str) -> i64 {
    date.bytes()
        .filter(u8::is_ascii_digit)
        .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(memo: &Memo, dep: Dep, value: u32) -> u32 {
        *memo
            .get(("t", [1, 0, 0, 0]), dep, async {
                Ok::<_, crate::StoreError>(value)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn an_answer_is_kept_until_what_it_depends_on_changes() {
        let memo = Arc::new(Memo::default());
        let dep = Dep::Person(1, 7);
        assert_eq!(read(&memo, dep, 1).await, 1);
        assert_eq!(read(&memo, dep, 2).await, 1, "kept");
        // Another student's mark, another school's lesson, a session: still kept.
        memo.bump(Dep::Person(1, 8));
        memo.bump(Dep::School(2));
        memo.bump(Dep::Nothing);
        assert_eq!(read(&memo, dep, 3).await, 1);
        // This student's mark: read again.
        drop(memo.on_drop(Dep::Person(1, 7)));
        assert_eq!(read(&memo, dep, 4).await, 4);
        // Their school's timetable, then anything at all.
        memo.bump(Dep::School(1));
        assert_eq!(read(&memo, dep, 5).await, 5);
        memo.bump(Dep::All);
        assert_eq!(read(&memo, dep, 6).await, 6);
        // A logout empties no one's week.
        memo.bump(Dep::Sessions);
        assert_eq!(read(&memo, dep, 7).await, 6);
    }

    #[tokio::test]
    async fn a_session_is_kept_until_one_ends_or_anything_changes() {
        let memo = Arc::new(Memo::default());
        let dep = Dep::Sessions;
        assert_eq!(read(&memo, dep, 1).await, 1);
        memo.bump(Dep::Person(1, 7));
        memo.bump(Dep::School(1));
        assert_eq!(read(&memo, dep, 2).await, 1, "a mark leaves sessions alone");
        memo.bump(Dep::Sessions);
        assert_eq!(read(&memo, dep, 3).await, 3, "a logout drops them");
        memo.bump(Dep::All);
        assert_eq!(read(&memo, dep, 4).await, 4, "so does anything else");
        memo.forget(&("t", [1, 0, 0, 0]));
        assert_eq!(read(&memo, dep, 5).await, 5, "and forgetting it");
        let short = memo
            .get_within(("t", [1, 0, 0, 0]), dep, Duration::ZERO, async {
                Ok::<_, crate::StoreError>(6u32)
            })
            .await
            .unwrap();
        assert_eq!(*short, 6, "a zero lifetime keeps nothing");
    }

    #[tokio::test]
    async fn a_journal_sees_every_students_marks() {
        let memo = Arc::new(Memo::default());
        let dep = Dep::SchoolPeople(1);
        assert_eq!(read(&memo, dep, 1).await, 1);
        memo.bump(Dep::Person(2, 9));
        assert_eq!(read(&memo, dep, 2).await, 1, "another school's mark");
        memo.bump(Dep::Person(1, 9));
        assert_eq!(read(&memo, dep, 3).await, 3);
    }

    #[tokio::test]
    async fn an_answer_read_during_a_write_is_not_kept_past_it() {
        let memo = Arc::new(Memo::default());
        let dep = Dep::School(1);
        // The read starts (its stamp taken), the write commits and bumps meanwhile.
        let got = memo
            .get(("t", [1, 0, 0, 0]), dep, async {
                memo.bump(Dep::School(1));
                Ok::<_, crate::StoreError>(1u32)
            })
            .await
            .unwrap();
        assert_eq!(*got, 1);
        assert_eq!(
            read(&memo, dep, 2).await,
            2,
            "the older stamp is not trusted"
        );
    }

    #[tokio::test]
    async fn memory_stays_bounded() {
        let memo = Memo::default();
        for i in 0..(MAX_ENTRIES as i64 + 10) {
            memo.get(("t", [i, 0, 0, 0]), Dep::All, async {
                Ok::<_, crate::StoreError>(i)
            })
            .await
            .unwrap();
        }
        assert!(memo.entries.lock().unwrap().map.len() <= MAX_ENTRIES);
    }

    #[tokio::test]
    async fn large_answers_are_bounded_by_their_size() {
        let memo = Memo::default();
        const PAGE: usize = MAX_BYTES / 10;
        for i in 0..25 {
            memo.get_sized(
                ("week", [i, 0, 0, 0]),
                Dep::All,
                async { Ok::<_, crate::StoreError>(vec![0u8; 16]) },
                |_| PAGE,
            )
            .await
            .unwrap();
        }
        let kept = memo.entries.lock().unwrap();
        assert!(kept.bytes <= MAX_BYTES, "{} bytes kept", kept.bytes);
        assert_eq!(kept.bytes, kept.map.len() * PAGE);
        assert!(
            kept.map.contains_key(&("week", [24, 0, 0, 0])),
            "the newest stays"
        );
        assert!(
            !kept.map.contains_key(&("week", [0, 0, 0, 0])),
            "the oldest went"
        );
    }

    #[tokio::test]
    async fn a_stale_answer_serves_while_one_task_reads_it_again() {
        use std::sync::atomic::AtomicU32;
        let memo = Arc::new(Memo::default());
        let ttl = Duration::from_millis(200);
        let key = ("week", [1, 2, 3, 4]);
        let loads = Arc::new(AtomicU32::new(0));
        let get = |value: u32, slow: u64| {
            let loads = loads.clone();
            let memo = memo.clone();
            async move {
                *memo
                    .get_refreshing(
                        key,
                        Dep::Person(1, 2),
                        ttl,
                        move || async move {
                            tokio::time::sleep(Duration::from_millis(slow)).await;
                            loads.fetch_add(1, Ordering::SeqCst);
                            Ok::<u32, ()>(value)
                        },
                        |_| 1,
                    )
                    .await
                    .unwrap()
            }
        };
        // Lives exactly `ttl` from here on, whatever its random shave.
        let unshave = || {
            if let Some(e) = memo.entries.lock().unwrap().map.get_mut(&key) {
                e.shave = 0;
            }
        };
        assert_eq!(get(1, 0).await, 1);
        unshave();
        assert_eq!(get(2, 0).await, 1, "kept while fresh");
        tokio::time::sleep(ttl + Duration::from_millis(20)).await;
        // Past its lifetime: ten requests get the stale answer, one task reads it again.
        for _ in 0..10 {
            assert_eq!(get(3, 50).await, 1);
        }
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(loads.load(Ordering::SeqCst), 2, "one reading, not ten");
        assert_eq!(get(4, 0).await, 3, "the answer read again");
        // A change through this store is never answered stale.
        memo.bump(Dep::Person(1, 2));
        assert_eq!(get(5, 0).await, 5);
        // Past twice its lifetime the answer is read in place.
        unshave();
        tokio::time::sleep(2 * ttl + Duration::from_millis(20)).await;
        assert_eq!(get(6, 0).await, 6);
    }

    #[test]
    fn answers_loaded_together_expire_apart() {
        let memo = Memo::default();
        let lives: Vec<Duration> = (0..1000)
            .map(|_| lifetime(TTL, memo.next_shave()))
            .collect();
        assert!(lives.iter().all(|l| *l <= TTL && *l > TTL / 2));
        let earliest = lives.iter().min().unwrap();
        let latest = lives.iter().max().unwrap();
        assert!(
            *latest - *earliest > TTL * 4 / 10,
            "spread over most of the allowed half: {earliest:?}..{latest:?}"
        );
        // No tenth of the spread holds more than a fifth of them.
        let mut tenths = [0; 10];
        for l in &lives {
            let i = ((TTL - *l).as_millis() * 20 / TTL.as_millis()).min(9) as usize;
            tenths[i] += 1;
        }
        assert!(tenths.iter().all(|n| *n < 200), "{tenths:?}");
        assert_eq!(lifetime(Duration::from_secs(5), 0), Duration::from_secs(5));
        assert_eq!(lifetime(Duration::from_secs(90), 500), TTL / 2);
    }

    #[test]
    fn days_are_numbers() {
        assert_eq!(day_key("2026-11-23"), 20261123);
    }
}
