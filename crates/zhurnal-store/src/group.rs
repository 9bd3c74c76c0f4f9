//! Group commit on the SQLite writer.
//!
//! A durable SQLite commit waits for the disk (`synchronous=FULL`: one fsync of the WAL per
//! commit, milliseconds on a virtual disk), and there is one writer: marks typed by many
//! teachers at once would each wait for every fsync queued before theirs. Here concurrent
//! writes join one transaction instead: each runs in a savepoint of its own, so one that fails
//! rolls back alone and the others go on; the batch commits once; and every writer is answered
//! only after that commit, so an acknowledged mark is on disk as before.
//!
//! There is no writer task standing by: the write that finds the queue idle starts one, which
//! commits batch after batch until the queue is empty and then ends. The commits run in that
//! task, not in a request's, so a request that goes away (a closed connection drops its
//! handler) neither strands its write in the queue nor cuts the others' batch short.

use crate::{Result, StoreError};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// A boxed future that may borrow the writer's connection.
pub(crate) type BoxFut<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

type Output = Box<dyn Any + Send>;
type Job = Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFut<'c, Result<Output>> + Send>;

struct Pending {
    job: Job,
    reply: oneshot::Sender<Result<Output>>,
}

/// At most this many writes share one commit: enough to carry a morning's peak, few enough
/// that the first of them does not wait long for the last.
const MAX_BATCH: usize = 256;

/// The queue of writes waiting for the SQLite writer.
pub(crate) struct Group {
    pool: SqlitePool,
    /// Batches committed so far (each one fsync).
    commits: AtomicU64,
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Pending>,
    /// A task is committing the queue (and will look at it again before it ends).
    draining: bool,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group").finish_non_exhaustive()
    }
}

impl Group {
    pub(crate) fn new(pool: SqlitePool) -> Group {
        Group {
            pool,
            commits: AtomicU64::new(0),
            queue: Mutex::default(),
        }
    }

    /// Runs `job` on the writer inside a transaction shared with whatever else is queued, and
    /// returns its result once that transaction has committed. An `Err` from the job undoes
    /// only what the job did; a failed commit fails every job of the batch.
    pub(crate) async fn submit<T, F>(self: &Arc<Self>, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFut<'c, Result<T>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = boxed(move |conn| {
            Box::pin(async move { job(conn).await.map(|t| Box::new(t) as Output) })
        });
        let start = {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.waiting.push(Pending { job, reply });
            !std::mem::replace(&mut queue.draining, true)
        };
        if start {
            let group = Arc::clone(self);
            tokio::spawn(async move { group.drain().await });
        }
        let out = answer.await;
        let out = out.map_err(|_| {
            StoreError::Database(sqlx::Error::Protocol(
                "the write was lost before its commit".into(),
            ))
        })??;
        Ok(*out
            .downcast::<T>()
            .expect("a job answers with its own type"))
    }

    /// Commits what is queued, [`MAX_BATCH`] at a time, until nothing is; what arrives during
    /// a commit goes into the next. A panic inside a job ends this task mid-way: the guard
    /// below then hands what is still queued to a new one.
    async fn drain(self: Arc<Self>) {
        struct HandOn(Arc<Group>);
        impl Drop for HandOn {
            fn drop(&mut self) {
                if !std::thread::panicking() {
                    return;
                }
                let more = {
                    let mut queue = self.0.queue.lock().unwrap_or_else(|p| p.into_inner());
                    queue.draining = !queue.waiting.is_empty();
                    queue.draining
                };
                if more {
                    let group = Arc::clone(&self.0);
                    tokio::spawn(async move { group.drain().await });
                }
            }
        }
        let guard = HandOn(self);
        loop {
            let batch = {
                let mut queue = guard.0.queue.lock().unwrap_or_else(|p| p.into_inner());
                if queue.waiting.is_empty() {
                    queue.draining = false;
                    return;
                }
                let n = queue.waiting.len().min(MAX_BATCH);
                queue.waiting.drain(..n).collect::<Vec<_>>()
            };
            commit(&guard.0.pool, &guard.0.commits, batch).await;
        }
    }
}

/// Pins down the higher-ranked signature of a job closure (the compiler cannot infer it
/// from a `Box::new` alone).
fn boxed<F>(f: F) -> Job
where
    F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFut<'c, Result<Output>> + Send + 'static,
{
    Box::new(f)
}

/// Runs a batch in one transaction, a savepoint each, and answers every job after the commit.
/// A panic inside a job drops the replies still held, which their callers see as an error.
async fn commit(pool: &SqlitePool, commits: &AtomicU64, batch: Vec<Pending>) {
    let mut done: Vec<(oneshot::Sender<Result<Output>>, Result<Output>)> =
        Vec::with_capacity(batch.len());
    let outcome: std::result::Result<(), sqlx::Error> = async {
        let mut conn = pool.acquire().await?;
        let mut tx = conn.begin().await?;
        for Pending { job, reply } in batch {
            let mut savepoint = (*tx).begin().await?;
            let result = job(&mut savepoint).await;
            if result.is_ok() {
                savepoint.commit().await?;
            } else {
                savepoint.rollback().await?;
            }
            done.push((reply, result));
        }
        tx.commit().await
    }
    .await;
    match outcome {
        Ok(()) => {
            commits.fetch_add(1, Ordering::Relaxed);
            for (reply, result) in done {
                let _ = reply.send(result);
            }
        }
        Err(e) => {
            // Nothing of the batch is kept: every job that thought it succeeded hears why.
            let message = e.to_string();
            for (reply, result) in done {
                let _ = reply.send(result.and(Err(StoreError::Database(sqlx::Error::Protocol(
                    format!("the transaction did not commit: {message}"),
                )))));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

    async fn writer() -> (SqlitePool, std::path::PathBuf) {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path =
            std::env::temp_dir().join(format!("zhurnal-group-{}-{nanos}.db", std::process::id()));
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        (pool, path)
    }

    fn remove(path: &std::path::Path) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_share_commits_and_fail_alone() {
        let (pool, path) = writer().await;
        let group = Arc::new(Group::new(pool.clone()));
        let tasks: Vec<_> = (0..200i64)
            .map(|n| {
                let group = group.clone();
                tokio::spawn(async move {
                    group
                        .submit(move |c| {
                            Box::pin(async move {
                                sqlx::query("INSERT INTO t (n) VALUES ($1)")
                                    .bind(n)
                                    .execute(&mut *c)
                                    .await?;
                                if n % 7 == 0 {
                                    // Refused after writing: its row must not stay.
                                    return Err(StoreError::Conflict(format!("refused {n}")));
                                }
                                if n % 11 == 0 {
                                    // The schema refuses a second row with the same key.
                                    sqlx::query("INSERT INTO t (n) VALUES ($1)")
                                        .bind(n)
                                        .execute(&mut *c)
                                        .await?;
                                }
                                Ok(n * 2)
                            })
                        })
                        .await
                })
            })
            .collect();
        for (n, task) in (0i64..).zip(tasks) {
            let got = task.await.unwrap();
            if n % 7 == 0 {
                assert!(
                    matches!(&got, Err(StoreError::Conflict(m)) if *m == format!("refused {n}")),
                    "{n}: {got:?}"
                );
            } else if n % 11 == 0 {
                assert!(matches!(&got, Err(StoreError::Conflict(_))), "{n}: {got:?}");
            } else {
                assert_eq!(got.unwrap(), n * 2);
            }
        }
        let kept: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
        let expected: Vec<i64> = (0..200).filter(|n| n % 7 != 0 && n % 11 != 0).collect();
        assert_eq!(kept, expected, "each failed write undid only itself");
        let commits = group.commits.load(Ordering::Relaxed);
        assert!(
            (1..100).contains(&commits),
            "{commits} commits for 200 writes"
        );
        pool.close().await;
        remove(&path);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_write_fails_its_batch_and_the_writer_goes_on() {
        let (pool, path) = writer().await;
        let group = Arc::new(Group::new(pool.clone()));
        let got = group
            .submit(|_c| -> BoxFut<'_, Result<()>> { Box::pin(async move { panic!("a bug") }) })
            .await;
        assert!(matches!(got, Err(StoreError::Database(_))), "{got:?}");
        let next = group
            .submit(|c| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (n) VALUES (7)")
                        .execute(&mut *c)
                        .await?;
                    Ok(7)
                })
            })
            .await
            .unwrap();
        assert_eq!(next, 7);
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(n, 1);
        pool.close().await;
        remove(&path);
    }

    #[tokio::test]
    async fn a_lone_write_is_answered_after_its_commit() {
        let (pool, path) = writer().await;
        let group = Arc::new(Group::new(pool.clone()));
        let got = group
            .submit(|c| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (n) VALUES (1)")
                        .execute(&mut *c)
                        .await?;
                    Ok("done")
                })
            })
            .await
            .unwrap();
        assert_eq!(got, "done");
        // Another connection sees it: it is committed, not merely written.
        let other = SqlitePoolOptions::new()
            .connect_with(SqliteConnectOptions::new().filename(&path))
            .await
            .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(&other)
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(group.commits.load(Ordering::Relaxed), 1);
        other.close().await;
        pool.close().await;
        remove(&path);
    }
}
