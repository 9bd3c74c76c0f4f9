//! Loading a generated network (the demo; later the benchmark generator) in one transaction
//! with multi-row inserts.

use crate::{Db, Result, Store, on_write};
use zhurnal_core::demo::Network;

/// Rows per INSERT statement: well under SQLite's limit of bound variables.
const CHUNK: usize = 400;

/// Inserts `$rows` into `$table($cols)` in chunks, binding each row with `$bind`.
macro_rules! insert_rows {
    ($tx:expr, $table_cols:literal, $rows:expr, |$b:ident, $r:ident| $bind:block) => {
        for chunk in $rows.chunks(CHUNK) {
            let mut qb = sqlx::QueryBuilder::new(concat!("INSERT INTO ", $table_cols, " "));
            qb.push_values(chunk, |mut $b, $r| $bind);
            qb.build().execute(&mut *$tx).await?;
        }
    };
}

impl Store {
    /// Writes the whole network. `password_hashes` holds one argon2id hash per account, in
    /// the order of `net.accounts`. Expects an empty database.
    pub async fn load_network(
        &self,
        net: &Network,
        password_hashes: &[String],
        now: i64,
    ) -> Result<()> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            if let Some(m) = &net.municipality {
                sqlx::query("INSERT INTO municipalities (id, name, time_zone) VALUES ($1, $2, $3)")
                    .bind(m.id)
                    .bind(&m.name)
                    .bind(&m.time_zone)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_rows!(tx, "schools (id, municipality_id, short_name, full_name, city, time_zone, created_at)", net.schools, |b, s| {
                b.push_bind(s.id).push_bind(s.municipality_id).push_bind(&s.short_name).push_bind(&s.full_name)
                    .push_bind(&s.city).push_bind(&s.time_zone).push_bind(now);
            });
            insert_rows!(tx, "persons (id, last_name, first_name, middle_name, sex, birthday, created_at)", net.persons, |b, p| {
                b.push_bind(p.id).push_bind(&p.last_name).push_bind(&p.first_name).push_bind(&p.middle_name)
                    .push_bind(p.sex.code()).push_bind(p.birthday.map(|d| d.to_string())).push_bind(now);
            });
            let accounts: Vec<_> = net.accounts.iter().zip(password_hashes).collect();
            insert_rows!(tx, "users (id, person_id, login, password_hash, password_changed_at, created_at)", accounts, |b, a| {
                let (acc, hash) = a;
                b.push_bind(acc.id).push_bind(acc.person_id).push_bind(&acc.login).push_bind(hash.as_str())
                    .push_bind(now).push_bind(now);
            });
            insert_rows!(tx, "edu_groups (id, school_id, kind, parallel, letter, name, study_year, class_teacher_id, capacity, created_at)", net.classes, |b, c| {
                b.push_bind(c.id).push_bind(c.school_id).push_bind("class").push_bind(i32::from(c.parallel))
                    .push_bind(&c.letter).push_bind(c.name()).push_bind(i32::from(c.study_year))
                    .push_bind(c.class_teacher_id).push_bind(c.capacity).push_bind(now);
            });
            insert_rows!(tx, "edu_groups (id, school_id, kind, parent_id, name, study_year, created_at)", net.subgroups, |b, g| {
                b.push_bind(g.id).push_bind(g.school_id).push_bind("subgroup").push_bind(g.class_id)
                    .push_bind(&g.name).push_bind(i32::from(g.study_year)).push_bind(now);
            });
            insert_rows!(tx, "role_grants (person_id, role, school_id, municipality_id, edu_group_id, created_at)", net.grants, |b, g| {
                b.push_bind(g.person_id).push_bind(g.role.api_name()).push_bind(g.school_id)
                    .push_bind(g.municipality_id).push_bind(g.edu_group_id).push_bind(now);
            });
            insert_rows!(tx, "edu_group_members (school_id, edu_group_id, person_id, since)", net.memberships, |b, m| {
                b.push_bind(m.school_id).push_bind(m.edu_group_id).push_bind(m.person_id).push_bind(m.since.to_string());
            });
            insert_rows!(tx, "parent_links (parent_id, child_id)", net.parent_links, |b, l| {
                b.push_bind(l.parent_id).push_bind(l.child_id);
            });
            insert_rows!(tx, "subjects (id, school_id, name, knowledge_area)", net.subjects, |b, s| {
                b.push_bind(s.id).push_bind(s.school_id).push_bind(&s.name).push_bind(&s.knowledge_area);
            });
            insert_rows!(tx, "teaching_assignments (school_id, teacher_id, subject_id, edu_group_id, hours_per_week)", net.assignments, |b, a| {
                b.push_bind(a.school_id).push_bind(a.teacher_id).push_bind(a.subject_id).push_bind(a.edu_group_id)
                    .push_bind(i32::from(a.hours_per_week));
            });
            insert_rows!(tx, "reporting_periods (id, school_id, study_year, scheme, kind, number, name, start_date, end_date)", net.periods, |b, p| {
                b.push_bind(p.id).push_bind(p.school_id).push_bind(i32::from(p.study_year)).push_bind(p.scheme)
                    .push_bind(p.kind).push_bind(i32::from(p.number)).push_bind(&p.name)
                    .push_bind(p.start.to_string()).push_bind(p.finish.to_string());
            });
            insert_rows!(tx, "work_types (id, school_id, name, abbreviation, weight, is_final)", net.work_types, |b, w| {
                b.push_bind(w.id).push_bind(w.school_id).push_bind(&w.name).push_bind(&w.abbreviation)
                    .push_bind(i32::from(w.weight)).push_bind(w.is_final);
            });
            let since = net.classes.first().map_or_else(String::new, |k| format!("{}-09-01", k.study_year));
            insert_rows!(tx, "staff (school_id, person_id, position, since)", net.staff, |b, st| {
                b.push_bind(st.0).push_bind(st.1).push_bind(&st.2).push_bind(since.as_str());
            });
            insert_rows!(tx, "curriculum (school_id, study_year, parallel, subject_id, hours_per_week, grading)", net.curriculum, |b, c| {
                let study_year = net.classes.first().map_or(0, |k| i32::from(k.study_year));
                b.push_bind(c.0).push_bind(study_year).push_bind(i32::from(c.1)).push_bind(c.2)
                    .push_bind(i32::from(c.3)).push_bind(c.4.code());
            });
            tx.commit().await?;
        });
        self.reset_sequences().await
    }

    /// After rows were inserted with explicit ids, PostgreSQL's identity sequences must move
    /// past them; SQLite needs nothing (it takes max(rowid) + 1).
    async fn reset_sequences(&self) -> Result<()> {
        if let Db::Postgres(pool) = &self.db {
            for sql in [
                "SELECT setval(pg_get_serial_sequence('municipalities', 'id'), COALESCE((SELECT MAX(id) FROM municipalities), 0) + 1, false)",
                "SELECT setval(pg_get_serial_sequence('schools', 'id'), COALESCE((SELECT MAX(id) FROM schools), 0) + 1, false)",
                "SELECT setval(pg_get_serial_sequence('persons', 'id'), COALESCE((SELECT MAX(id) FROM persons), 0) + 1, false)",
                "SELECT setval(pg_get_serial_sequence('users', 'id'), COALESCE((SELECT MAX(id) FROM users), 0) + 1, false)",
                "SELECT setval(pg_get_serial_sequence('edu_groups', 'id'), COALESCE((SELECT MAX(id) FROM edu_groups), 0) + 1, false)",
                "SELECT setval(pg_get_serial_sequence('subjects', 'id'), COALESCE((SELECT MAX(id) FROM subjects), 0) + 1, false)",
                "SELECT setval(pg_get_serial_sequence('reporting_periods', 'id'), COALESCE((SELECT MAX(id) FROM reporting_periods), 0) + 1, false)",
                "SELECT setval(pg_get_serial_sequence('work_types', 'id'), COALESCE((SELECT MAX(id) FROM work_types), 0) + 1, false)",
            ] {
                sqlx::query(sql).execute(pool).await?;
            }
        }
        Ok(())
    }
}
