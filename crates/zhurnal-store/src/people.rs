//! A school's people from zero: a roster applied all-or-nothing (students with their personal
//! files, classes, parents with their contacts and links, enrolments), municipalities and
//! schools created, applications for access and the one-time codes that answer them.

use crate::audit::{AuditEntry, insert_audit};
use crate::{Result, Store, StoreError, on_read, on_write};
use zhurnal_core::roster::Line;

/// What applying a roster did, or would do, with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowFate {
    /// A new student, enrolled into the class.
    New,
    /// The student is there already, as the row says.
    Unchanged,
    /// The student is there; names, birthday, sex, file number or parents were brought
    /// up to date.
    Updated,
    /// The student is in another class of the school now: moving them is a transfer by
    /// order, not an import. Carries the class they are in.
    InAnotherClass(String),
}

/// The fate of every row, and what the roster adds beside students.
#[derive(Debug, Clone, Default)]
pub struct RosterOutcome {
    pub rows: Vec<(usize, RowFate)>,
    pub new_classes: Vec<String>,
    pub new_parents: usize,
}

impl RosterOutcome {
    /// Whether the roster can be applied: no row is refused.
    pub fn clean(&self) -> bool {
        !self
            .rows
            .iter()
            .any(|(_, f)| matches!(f, RowFate::InAnotherClass(_)))
    }
}

/// Where and when the roster's students are enrolled.
#[derive(Debug, Clone)]
pub struct RosterPlace<'a> {
    pub school_id: i64,
    pub study_year: i16,
    /// The day new students' membership starts (the enrolment's date).
    pub since: &'a str,
    pub order_number: &'a str,
}

/// A new school's identity.
#[derive(Debug, Clone)]
pub struct NewSchool<'a> {
    pub municipality_id: i64,
    pub full_name: &'a str,
    pub short_name: &'a str,
    pub city: &'a str,
    pub time_zone: &'a str,
}

/// A person to whom an access code may go, as the clerk's list shows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccessRow {
    pub person_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    /// `student` or the parent's relation (`mother`, …).
    pub kind: String,
    /// The student (themself, or the parent's child in the class).
    pub student_id: i64,
    pub has_login: bool,
    pub applied_on: Option<String>,
    pub code_expires_at: Option<i64>,
}

impl Store {
    /// Creates a municipality; returns its id.
    pub async fn create_municipality(
        &self,
        name: &str,
        time_zone: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO municipalities (name, time_zone) VALUES ($1, $2) RETURNING id",
            )
            .bind(name).bind(time_zone)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "municipality", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Creates a school of a municipality (`NotFound` when there is no such municipality).
    pub async fn create_school(&self, s: &NewSchool<'_>, audit: &AuditEntry) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let known: Option<i64> = sqlx::query_scalar("SELECT id FROM municipalities WHERE id = $1")
                .bind(s.municipality_id)
                .fetch_optional(&mut *tx).await?;
            if known.is_none() {
                return Err(StoreError::NotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO schools (municipality_id, short_name, full_name, city, time_zone, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(s.municipality_id).bind(s.short_name).bind(s.full_name).bind(s.city).bind(s.time_zone).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            let mut entry = audit.clone();
            entry.school_id = Some(id);
            insert_audit!(&mut *tx, &entry, "school", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Applies a roster in one transaction, or (with `dry_run`) works out every row's fate
    /// and undoes it all. Nothing is kept unless every row can be applied: a row whose
    /// student is in another class makes the whole roster refused (`clean()` is false).
    /// Rows match existing students by personal file number, else by names and birthday,
    /// so applying the same roster again changes nothing.
    pub async fn apply_roster(
        &self,
        place: &RosterPlace<'_>,
        lines: &[Line],
        dry_run: bool,
        audit: &AuditEntry,
    ) -> Result<RosterOutcome> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut out = RosterOutcome::default();
            for line in lines {
                let class_name = line.class.to_string();
                let class: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM edu_groups WHERE school_id = $1 AND kind = 'class' AND study_year = $2 AND name = $3",
                )
                .bind(place.school_id).bind(i32::from(place.study_year)).bind(&class_name)
                .fetch_optional(&mut *tx).await?;
                let class = match class {
                    Some(id) => id,
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO edu_groups (school_id, kind, parallel, letter, name, study_year, shift, created_at) \
                             VALUES ($1, 'class', $2, $3, $4, $5, 1, $6) RETURNING id",
                        )
                        .bind(place.school_id).bind(i32::from(line.class.parallel)).bind(&line.class.letter)
                        .bind(&class_name).bind(i32::from(place.study_year)).bind(audit.at)
                        .fetch_one(&mut *tx).await?;
                        insert_audit!(&mut *tx, audit, "edu_group", id)?;
                        out.new_classes.push(class_name.clone());
                        id
                    }
                };
                let birthday = line.birthday.to_string();
                let by_file: Option<i64> = sqlx::query_scalar(
                    "SELECT person_id FROM student_files WHERE school_id = $1 AND file_number = $2",
                )
                .bind(place.school_id).bind(&line.file_number)
                .fetch_optional(&mut *tx).await?;
                let found = match by_file {
                    Some(p) => Some(p),
                    None => sqlx::query_scalar(
                        "SELECT p.id FROM persons p JOIN role_grants g ON g.person_id = p.id AND g.role = 'student' AND g.school_id = $1 \
                         WHERE p.last_name = $2 AND p.first_name = $3 AND p.middle_name = $4 AND p.birthday = $5 ORDER BY p.id LIMIT 1",
                    )
                    .bind(place.school_id).bind(&line.names.last).bind(&line.names.first)
                    .bind(&line.names.middle).bind(&birthday)
                    .fetch_optional(&mut *tx).await?,
                };
                let (student, mut fate) = match found {
                    None => {
                        let person: i64 = sqlx::query_scalar(
                            "INSERT INTO persons (last_name, first_name, middle_name, sex, birthday, created_at) \
                             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                        )
                        .bind(&line.names.last).bind(&line.names.first).bind(&line.names.middle)
                        .bind(line.sex.code()).bind(&birthday).bind(audit.at)
                        .fetch_one(&mut *tx).await?;
                        sqlx::query("INSERT INTO student_files (school_id, person_id, file_number, created_at) VALUES ($1, $2, $3, $4)")
                            .bind(place.school_id).bind(person).bind(&line.file_number).bind(audit.at)
                            .execute(&mut *tx).await?;
                        sqlx::query("INSERT INTO role_grants (person_id, role, school_id, created_at) VALUES ($1, 'student', $2, $3)")
                            .bind(person).bind(place.school_id).bind(audit.at)
                            .execute(&mut *tx).await?;
                        sqlx::query("INSERT INTO edu_group_members (school_id, edu_group_id, person_id, since) VALUES ($1, $2, $3, $4)")
                            .bind(place.school_id).bind(class).bind(person).bind(place.since)
                            .execute(&mut *tx).await?;
                        let enrolment: i64 = sqlx::query_scalar(
                            "INSERT INTO enrolments (school_id, person_id, class_id, since, order_number, recorded_by, recorded_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        )
                        .bind(place.school_id).bind(person).bind(class).bind(place.since).bind(place.order_number)
                        .bind(audit.actor_person_id).bind(audit.at)
                        .fetch_one(&mut *tx).await?;
                        insert_audit!(&mut *tx, audit, "enrolment", enrolment)?;
                        (person, RowFate::New)
                    }
                    Some(person) => {
                        let current: Option<(i64, String)> = sqlx::query_as(
                            "SELECT g.id, g.name FROM edu_group_members m JOIN edu_groups g ON g.id = m.edu_group_id \
                             WHERE m.school_id = $1 AND m.person_id = $2 AND m.until IS NULL AND g.kind = 'class' AND g.study_year = $3",
                        )
                        .bind(place.school_id).bind(person).bind(i32::from(place.study_year))
                        .fetch_optional(&mut *tx).await?;
                        match current {
                            Some((id, name)) if id != class => {
                                out.rows.push((line.row, RowFate::InAnotherClass(name)));
                                continue;
                            }
                            Some(_) => {}
                            None => {
                                sqlx::query("INSERT INTO edu_group_members (school_id, edu_group_id, person_id, since) VALUES ($1, $2, $3, $4)")
                                    .bind(place.school_id).bind(class).bind(person).bind(place.since)
                                    .execute(&mut *tx).await?;
                            }
                        }
                        let changed = sqlx::query(
                            "UPDATE persons SET last_name = $2, first_name = $3, middle_name = $4, sex = $5, birthday = $6 \
                             WHERE id = $1 AND NOT (last_name = $2 AND first_name = $3 AND middle_name = $4 AND sex = $5 AND birthday = $6)",
                        )
                        .bind(person).bind(&line.names.last).bind(&line.names.first).bind(&line.names.middle)
                        .bind(line.sex.code()).bind(&birthday)
                        .execute(&mut *tx).await?.rows_affected();
                        let file = sqlx::query(
                            "INSERT INTO student_files (school_id, person_id, file_number, created_at) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (school_id, person_id) DO UPDATE SET file_number = excluded.file_number \
                             WHERE student_files.file_number <> excluded.file_number",
                        )
                        .bind(place.school_id).bind(person).bind(&line.file_number).bind(audit.at)
                        .execute(&mut *tx).await?.rows_affected();
                        let fate = if changed + file > 0 || current.is_none() {
                            insert_audit!(&mut *tx, audit, "person", person)?;
                            RowFate::Updated
                        } else {
                            RowFate::Unchanged
                        };
                        (person, fate)
                    }
                };
                for (n, parent) in line.parents.iter().enumerate() {
                    let linked: Option<i64> = sqlx::query_scalar(
                        "SELECT p.id FROM parent_links l JOIN persons p ON p.id = l.parent_id \
                         WHERE l.child_id = $1 AND p.last_name = $2 AND p.first_name = $3 ORDER BY p.id LIMIT 1",
                    )
                    .bind(student).bind(&parent.names.last).bind(&parent.names.first)
                    .fetch_optional(&mut *tx).await?;
                    // A brother's or sister's parent: the same names and the same phone or
                    // email in the school's parents.
                    let known = match linked {
                        Some(p) => Some(p),
                        None => sqlx::query_scalar(
                            "SELECT p.id FROM persons p JOIN role_grants g ON g.person_id = p.id AND g.role = 'parent' AND g.school_id = $1 \
                             JOIN contacts c ON c.person_id = p.id \
                             WHERE p.last_name = $2 AND p.first_name = $3 AND p.middle_name = $4 \
                               AND ((c.phone <> '' AND c.phone = $5) OR (c.email <> '' AND c.email = $6)) ORDER BY p.id LIMIT 1",
                        )
                        .bind(place.school_id).bind(&parent.names.last).bind(&parent.names.first)
                        .bind(&parent.names.middle).bind(&parent.phone).bind(&parent.email)
                        .fetch_optional(&mut *tx).await?,
                    };
                    let parent_id = match known {
                        Some(p) => p,
                        None => {
                            let p: i64 = sqlx::query_scalar(
                                "INSERT INTO persons (last_name, first_name, middle_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                            )
                            .bind(&parent.names.last).bind(&parent.names.first).bind(&parent.names.middle).bind(audit.at)
                            .fetch_one(&mut *tx).await?;
                            sqlx::query("INSERT INTO role_grants (person_id, role, school_id, created_at) VALUES ($1, 'parent', $2, $3)")
                                .bind(p).bind(place.school_id).bind(audit.at)
                                .execute(&mut *tx).await?;
                            insert_audit!(&mut *tx, audit, "person", p)?;
                            out.new_parents += 1;
                            p
                        }
                    };
                    let contact = sqlx::query(
                        "INSERT INTO contacts (person_id, phone, email) VALUES ($1, $2, $3) \
                         ON CONFLICT (person_id) DO UPDATE SET phone = excluded.phone, email = excluded.email \
                         WHERE contacts.phone <> excluded.phone OR contacts.email <> excluded.email",
                    )
                    .bind(parent_id).bind(&parent.phone).bind(&parent.email)
                    .execute(&mut *tx).await?.rows_affected();
                    let link = sqlx::query(
                        "INSERT INTO parent_links (parent_id, child_id, relation, main_contact) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (parent_id, child_id) DO UPDATE SET relation = excluded.relation, main_contact = excluded.main_contact \
                         WHERE parent_links.relation <> excluded.relation OR parent_links.main_contact <> excluded.main_contact",
                    )
                    .bind(parent_id).bind(student).bind(parent.relation.code()).bind(n == 0)
                    .execute(&mut *tx).await?.rows_affected();
                    if (contact + link > 0) && fate == RowFate::Unchanged && known.is_some() {
                        insert_audit!(&mut *tx, audit, "person", parent_id)?;
                        fate = RowFate::Updated;
                    } else if known.is_none() && fate == RowFate::Unchanged {
                        fate = RowFate::Updated;
                    }
                }
                out.rows.push((line.row, fate));
            }
            if dry_run || !out.clean() {
                tx.rollback().await?;
            } else {
                tx.commit().await?;
            }
            Ok(out)
        })
    }

    /// Students and parents of a class with their login, latest application and the expiry
    /// of their code in force, for the clerk's access list.
    pub async fn class_access(
        &self,
        school_id: i64,
        class_id: i64,
        now: i64,
    ) -> Result<Vec<AccessRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, AccessRow>(
            "WITH kids AS (SELECT m.person_id FROM edu_group_members m WHERE m.school_id = $1 AND m.edu_group_id = $2 AND m.until IS NULL), \
                  people AS ( \
                    SELECT k.person_id AS person_id, 'student' AS kind, k.person_id AS student_id FROM kids k \
                    UNION ALL \
                    SELECT l.parent_id, l.relation, l.child_id FROM parent_links l JOIN kids k ON k.person_id = l.child_id) \
             SELECT x.person_id, p.last_name, p.first_name, p.middle_name, x.kind, x.student_id, \
                    EXISTS (SELECT 1 FROM users u WHERE u.person_id = x.person_id) AS has_login, \
                    (SELECT MAX(a.applied_on) FROM access_applications a WHERE a.school_id = $1 AND a.person_id = x.person_id) AS applied_on, \
                    (SELECT MAX(c.expires_at) FROM access_codes c WHERE c.school_id = $1 AND c.person_id = x.person_id \
                       AND c.redeemed_at IS NULL AND c.revoked_at IS NULL AND c.expires_at > $3) AS code_expires_at \
             FROM people x JOIN persons p ON p.id = x.person_id \
             ORDER BY (SELECT s.last_name || ' ' || s.first_name FROM persons s WHERE s.id = x.student_id), x.student_id, x.kind <> 'student', p.last_name, p.first_name",
        )
        .bind(school_id).bind(class_id).bind(now)
        .fetch_all(pool).await?))
    }

    /// The people with these last and first names, in id order (for finding someone the
    /// roster brought in).
    pub async fn persons_named(&self, last: &str, first: &str) -> Result<Vec<i64>> {
        on_read!(self, pool => Ok(sqlx::query_scalar::<_, i64>(
            "SELECT id FROM persons WHERE last_name = $1 AND first_name = $2 ORDER BY id",
        )
        .bind(last).bind(first)
        .fetch_all(pool).await?))
    }

    /// Records an application for access (§5.1), audited; returns its id.
    pub async fn record_application(
        &self,
        school_id: i64,
        person_id: i64,
        student_id: Option<i64>,
        applied_on: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO access_applications (school_id, person_id, student_id, applied_on, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(school_id).bind(person_id).bind(student_id).bind(applied_on)
            .bind(audit.actor_person_id).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "access_application", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Issues an access code to a person of the school (only its hash is kept), revoking
    /// any code of theirs still in force, and records their application of `applied_on`
    /// first when given — all in one transaction; `NotFound` when the person is not the
    /// school's.
    pub async fn issue_access_code(
        &self,
        school_id: i64,
        person_id: i64,
        code_hash: &str,
        expires_at: i64,
        applied_on: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let ours: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM role_grants g WHERE g.person_id = $2 AND g.school_id = $1)",
            )
            .bind(school_id).bind(person_id)
            .fetch_one(&mut *tx).await?;
            if !ours {
                return Err(StoreError::NotFound);
            }
            if let Some(day) = applied_on {
                let application: i64 = sqlx::query_scalar(
                    "INSERT INTO access_applications (school_id, person_id, applied_on, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(school_id).bind(person_id).bind(day).bind(audit.actor_person_id).bind(audit.at)
                .fetch_one(&mut *tx).await?;
                let mut entry = audit.clone();
                entry.action = "access.application".into();
                insert_audit!(&mut *tx, &entry, "access_application", application)?;
            }
            sqlx::query(
                "UPDATE access_codes SET revoked_at = $2 WHERE person_id = $1 AND redeemed_at IS NULL AND revoked_at IS NULL",
            )
            .bind(person_id).bind(audit.at)
            .execute(&mut *tx).await?;
            let application: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(id) FROM access_applications WHERE school_id = $1 AND person_id = $2",
            )
            .bind(school_id).bind(person_id)
            .fetch_one(&mut *tx).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO access_codes (school_id, person_id, application_id, code_hash, issued_by, issued_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(school_id).bind(person_id).bind(application).bind(code_hash)
            .bind(audit.actor_person_id).bind(audit.at).bind(expires_at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "access_code", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Redeems a code: its person gets the login and password (a person who had a login
    /// gets this one instead, every session of the old one ended). A wrong, used, revoked
    /// or expired code is `NotFound`, all alike; a login taken by someone else is a
    /// `Conflict`. Returns the person.
    pub async fn redeem_access_code(
        &self,
        code_hash: &str,
        login: &str,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let code: Option<(i64, i64, i64)> = sqlx::query_as(
                "SELECT id, person_id, school_id FROM access_codes WHERE code_hash = $1 \
                 AND redeemed_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
            )
            .bind(code_hash).bind(audit.at)
            .fetch_optional(&mut *tx).await?;
            let Some((code_id, person, school)) = code else {
                return Err(StoreError::NotFound);
            };
            let taken: Option<i64> = sqlx::query_scalar("SELECT person_id FROM users WHERE login = $1")
                .bind(login)
                .fetch_optional(&mut *tx).await?;
            if taken.is_some_and(|p| p != person) {
                return Err(StoreError::Conflict("login".into()));
            }
            let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE person_id = $1")
                .bind(person)
                .fetch_optional(&mut *tx).await?;
            let user = match user {
                Some(u) => {
                    sqlx::query("UPDATE users SET login = $2, password_hash = $3, password_changed_at = $4, blocked = $5 WHERE id = $1")
                        .bind(u).bind(login).bind(password_hash).bind(audit.at).bind(false)
                        .execute(&mut *tx).await?;
                    sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                        .bind(u).bind(audit.at)
                        .execute(&mut *tx).await?;
                    u
                }
                None => sqlx::query_scalar(
                    "INSERT INTO users (person_id, login, password_hash, password_changed_at, created_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
                )
                .bind(person).bind(login).bind(password_hash).bind(audit.at)
                .fetch_one(&mut *tx).await?,
            };
            sqlx::query("UPDATE access_codes SET redeemed_at = $2 WHERE id = $1")
                .bind(code_id).bind(audit.at)
                .execute(&mut *tx).await?;
            let mut entry = audit.clone();
            entry.school_id = Some(school);
            entry.actor_user_id = Some(user);
            entry.actor_person_id = Some(person);
            insert_audit!(&mut *tx, &entry, "access_code", code_id)?;
            tx.commit().await?;
            Ok(person)
        })
    }
}

/// A transfer to another class of the same school (§2.12).
#[derive(Debug, Clone)]
pub struct NewTransfer<'a> {
    pub school_id: i64,
    pub person_id: i64,
    pub to_class: i64,
    /// The first day in the new class.
    pub on_date: &'a str,
    pub order_number: &'a str,
    pub order_date: &'a str,
}

/// One class's movement over a period: at the start, arrived (how), left (why), at the end.
/// `at_end = at_start + arrived - left` holds by construction.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct MovementRow {
    pub class_id: i64,
    pub class_name: String,
    pub at_start: i64,
    pub arrived: i64,
    pub enrolled: i64,
    pub transferred_in: i64,
    pub left: i64,
    pub transferred_out: i64,
    pub to_other_school: i64,
    pub graduated: i64,
    pub family: i64,
    pub left_other: i64,
    pub at_end: i64,
}

impl Store {
    /// Moves a student to another class of the school from `on_date`: their place in the
    /// current class and its subgroups ends that day and begins in the new class, with the
    /// order recorded, in one transaction. `NotFound` when the student has no current class
    /// in the school or the new class is not the school's of the same year; a `Conflict`
    /// (`same_class`, `before_enrolment`) when the move makes no sense.
    pub async fn transfer_student(&self, t: &NewTransfer<'_>, audit: &AuditEntry) -> Result<i64> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let current: Option<(i64, String)> = sqlx::query_as(
                "SELECT m.edu_group_id, m.since FROM edu_group_members m JOIN edu_groups g ON g.id = m.edu_group_id \
                 WHERE m.school_id = $1 AND m.person_id = $2 AND m.until IS NULL AND g.kind = 'class' ORDER BY m.since DESC LIMIT 1",
            )
            .bind(t.school_id).bind(t.person_id)
            .fetch_optional(&mut *tx).await?;
            let Some((from, since)) = current else {
                return Err(StoreError::NotFound);
            };
            let target: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM edu_groups WHERE id = $1 AND school_id = $2 AND kind = 'class' \
                 AND study_year = (SELECT study_year FROM edu_groups WHERE id = $3)",
            )
            .bind(t.to_class).bind(t.school_id).bind(from)
            .fetch_optional(&mut *tx).await?;
            if target.is_none() {
                return Err(StoreError::NotFound);
            }
            if from == t.to_class {
                return Err(StoreError::Conflict("same_class".into()));
            }
            if t.on_date <= since.as_str() {
                return Err(StoreError::Conflict("before_enrolment".into()));
            }
            sqlx::query(
                "UPDATE edu_group_members SET until = $1 WHERE school_id = $2 AND person_id = $3 AND until IS NULL \
                 AND (edu_group_id = $4 OR edu_group_id IN (SELECT id FROM edu_groups WHERE parent_id = $4))",
            )
            .bind(t.on_date).bind(t.school_id).bind(t.person_id).bind(from)
            .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO edu_group_members (school_id, edu_group_id, person_id, since) VALUES ($1, $2, $3, $4)")
                .bind(t.school_id).bind(t.to_class).bind(t.person_id).bind(t.on_date)
                .execute(&mut *tx).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO transfers (school_id, person_id, from_class, to_class, on_date, order_number, order_date, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(t.school_id).bind(t.person_id).bind(from).bind(t.to_class).bind(t.on_date)
            .bind(t.order_number).bind(t.order_date).bind(audit.actor_person_id).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "transfer", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// «Движение обучающихся»: per class of the school year, the students on `from`, those
    /// who came after it up to `to` (enrolled, from another class, otherwise), those who left
    /// (to another class, to another school, graduated, for family reasons, otherwise) and
    /// those on `to`.
    pub async fn movement(
        &self,
        school_id: i64,
        study_year: i16,
        from: &str,
        to: &str,
    ) -> Result<Vec<MovementRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, MovementRow>(
            "SELECT g.id AS class_id, g.name AS class_name, \
               (SELECT COUNT(*) FROM edu_group_members m WHERE m.edu_group_id = g.id AND m.since <= $2 AND (m.until IS NULL OR m.until > $2)) AS at_start, \
               (SELECT COUNT(*) FROM edu_group_members m WHERE m.edu_group_id = g.id AND m.since > $2 AND m.since <= $3) AS arrived, \
               (SELECT COUNT(*) FROM enrolments e WHERE e.class_id = g.id AND e.since > $2 AND e.since <= $3) AS enrolled, \
               (SELECT COUNT(*) FROM transfers t WHERE t.to_class = g.id AND t.on_date > $2 AND t.on_date <= $3) AS transferred_in, \
               (SELECT COUNT(*) FROM edu_group_members m WHERE m.edu_group_id = g.id AND m.until > $2 AND m.until <= $3) AS \"left\", \
               (SELECT COUNT(*) FROM transfers t WHERE t.from_class = g.id AND t.on_date > $2 AND t.on_date <= $3) AS transferred_out, \
               (SELECT COUNT(*) FROM departures d WHERE d.class_id = g.id AND d.left_on > $2 AND d.left_on <= $3 AND d.reason = 'transfer') AS to_other_school, \
               (SELECT COUNT(*) FROM departures d WHERE d.class_id = g.id AND d.left_on > $2 AND d.left_on <= $3 AND d.reason = 'graduation') AS graduated, \
               (SELECT COUNT(*) FROM departures d WHERE d.class_id = g.id AND d.left_on > $2 AND d.left_on <= $3 AND d.reason = 'family') AS family, \
               CAST(0 AS BIGINT) AS left_other, \
               (SELECT COUNT(*) FROM edu_group_members m WHERE m.edu_group_id = g.id AND m.since <= $3 AND (m.until IS NULL OR m.until > $3)) AS at_end \
             FROM edu_groups g WHERE g.school_id = $1 AND g.kind = 'class' AND g.study_year = $4 ORDER BY g.parallel, g.letter",
        )
        .bind(school_id).bind(from).bind(to).bind(i32::from(study_year))
        .fetch_all(pool).await?
        .into_iter()
        .map(|mut r| {
            r.left_other = r.left - r.transferred_out - r.to_other_school - r.graduated - r.family;
            r
        })
        .collect()))
    }
}

/// A consent to the processing of a child's personal data as the school records it.
#[derive(Debug, Clone)]
pub struct NewConsent<'a> {
    pub school_id: i64,
    pub student_id: i64,
    /// A parent linked to the child, or the student.
    pub signer_id: i64,
    pub signed_on: &'a str,
    pub document: &'a str,
    pub text_version: &'a str,
}

/// A student of the school with the state of their family's papers (§2.8, §3.6).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PapersRow {
    pub student_id: i64,
    pub class_id: i64,
    pub class_name: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    /// The day of the consent to processing in force, if any.
    pub consent_on: Option<String>,
    pub consent_version: Option<String>,
    /// The day the latest consent was withdrawn, when none is in force after it.
    pub withdrawn_on: Option<String>,
    /// The latest statement on receiving information electronically: `consent`,
    /// `refusal`, or none handed over.
    pub statement: Option<String>,
}

impl PapersRow {
    /// Whether the family's papers need the school's attention: no consent to processing
    /// in force, a refusal of electronic information, or no statement yet.
    pub fn missing_something(&self) -> bool {
        self.consent_on.is_none() || self.statement.as_deref() != Some("consent")
    }
}

impl Store {
    /// Records a consent to processing; the signer must be the student or a parent linked
    /// to them, and the student a current student of the school (else `NotFound`).
    pub async fn record_consent(&self, c: &NewConsent<'_>, audit: &AuditEntry) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let ours: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM edu_group_members m WHERE m.school_id = $1 AND m.person_id = $2 AND m.until IS NULL) \
                 AND ($3 = $2 OR EXISTS (SELECT 1 FROM parent_links l WHERE l.child_id = $2 AND l.parent_id = $3))",
            )
            .bind(c.school_id).bind(c.student_id).bind(c.signer_id)
            .fetch_one(&mut *tx).await?;
            if !ours {
                return Err(StoreError::NotFound);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO pd_consents (school_id, student_id, signer_id, signed_on, document, text_version, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(c.school_id).bind(c.student_id).bind(c.signer_id).bind(c.signed_on)
            .bind(c.document).bind(c.text_version).bind(audit.actor_person_id).bind(audit.at)
            .fetch_one(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "pd_consent", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Records the withdrawal of the consent in force for a student of the school
    /// (`NotFound` when none is in force).
    pub async fn withdraw_consent(
        &self,
        school_id: i64,
        student_id: i64,
        on: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_write!(self, crate::memo::Dep::Nothing, pool => {
            let mut tx = pool.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM pd_consents WHERE school_id = $1 AND student_id = $2 AND withdrawn_on IS NULL ORDER BY id DESC LIMIT 1",
            )
            .bind(school_id).bind(student_id)
            .fetch_optional(&mut *tx).await?;
            let Some(id) = id else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("UPDATE pd_consents SET withdrawn_on = $2 WHERE id = $1")
                .bind(id).bind(on)
                .execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, "pd_consent", id)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every current student of the school's year with their family's papers, by class and
    /// name.
    pub async fn school_papers(&self, school_id: i64, study_year: i16) -> Result<Vec<PapersRow>> {
        on_read!(self, pool => Ok(sqlx::query_as::<_, PapersRow>(
            "SELECT p.id AS student_id, g.id AS class_id, g.name AS class_name, p.last_name, p.first_name, p.middle_name, \
               (SELECT c.signed_on FROM pd_consents c WHERE c.student_id = p.id AND c.school_id = $1 AND c.withdrawn_on IS NULL ORDER BY c.id DESC LIMIT 1) AS consent_on, \
               (SELECT c.text_version FROM pd_consents c WHERE c.student_id = p.id AND c.school_id = $1 AND c.withdrawn_on IS NULL ORDER BY c.id DESC LIMIT 1) AS consent_version, \
               (SELECT c.withdrawn_on FROM pd_consents c WHERE c.student_id = p.id AND c.school_id = $1 ORDER BY c.id DESC LIMIT 1) AS withdrawn_on, \
               (SELECT s.decision FROM access_statements s WHERE s.student_id = p.id ORDER BY s.id DESC LIMIT 1) AS statement \
             FROM edu_group_members m JOIN edu_groups g ON g.id = m.edu_group_id JOIN persons p ON p.id = m.person_id \
             WHERE m.school_id = $1 AND m.until IS NULL AND g.kind = 'class' AND g.study_year = $2 \
             ORDER BY g.parallel, g.letter, p.last_name, p.first_name, p.id",
        )
        .bind(school_id).bind(i32::from(study_year))
        .fetch_all(pool).await?))
    }
}
