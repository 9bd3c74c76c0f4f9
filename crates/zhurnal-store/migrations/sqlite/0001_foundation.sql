-- Zhurnal foundation schema (SQLite). Instants are INTEGER milliseconds since the Unix epoch
-- (UTC); calendar dates are TEXT 'YYYY-MM-DD'. Every school-owned table carries school_id,
-- the tenant key. Never edit an applied migration: add a new one.

CREATE TABLE municipalities (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL
);

CREATE TABLE schools (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    short_name      TEXT NOT NULL,
    full_name       TEXT NOT NULL,
    city            TEXT NOT NULL DEFAULT '',
    time_zone       TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX schools_municipality ON schools(municipality_id);

-- People in education, with or without a login (users ≠ persons).
CREATE TABLE persons (
    id          INTEGER PRIMARY KEY,
    last_name   TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    middle_name TEXT NOT NULL DEFAULT '',
    sex         TEXT CHECK (sex IN ('m', 'f')),
    birthday    TEXT,
    created_at  INTEGER NOT NULL
);

-- Login accounts. password_hash is an argon2id PHC string.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    person_id           INTEGER NOT NULL UNIQUE REFERENCES persons(id),
    login               TEXT NOT NULL UNIQUE,
    password_hash       TEXT NOT NULL,
    locale              TEXT NOT NULL DEFAULT 'ru' CHECK (locale IN ('ru', 'en')),
    blocked             INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    password_changed_at INTEGER NOT NULL,
    created_at          INTEGER NOT NULL
);

-- A role held in a scope: a school (school_id), a class (edu_group_id), or a municipality.
CREATE TABLE role_grants (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    role            TEXT NOT NULL CHECK (role IN ('director', 'deputy_director', 'class_teacher', 'teacher', 'clerk', 'tech_admin', 'student', 'parent', 'inspector', 'municipal_operator')),
    school_id       INTEGER REFERENCES schools(id),
    municipality_id INTEGER REFERENCES municipalities(id),
    edu_group_id    INTEGER,
    created_at      INTEGER NOT NULL,
    CHECK ((school_id IS NULL) <> (municipality_id IS NULL))
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants(person_id, role, COALESCE(school_id, -1), COALESCE(municipality_id, -1), COALESCE(edu_group_id, -1));
CREATE INDEX role_grants_school ON role_grants(school_id, role);

-- Classes and subgroups (edu-groups of the Dnevnik.ru model).
CREATE TABLE edu_groups (
    id               INTEGER PRIMARY KEY,
    school_id        INTEGER NOT NULL REFERENCES schools(id),
    kind             TEXT NOT NULL CHECK (kind IN ('class', 'subgroup')),
    parent_id        INTEGER REFERENCES edu_groups(id),
    parallel         INTEGER CHECK (parallel BETWEEN 1 AND 11),
    letter           TEXT NOT NULL DEFAULT '',
    name             TEXT NOT NULL,
    study_year       INTEGER NOT NULL,
    class_teacher_id INTEGER REFERENCES persons(id),
    capacity         INTEGER,
    created_at       INTEGER NOT NULL
);
CREATE INDEX edu_groups_school ON edu_groups(school_id, study_year);

CREATE TABLE edu_group_members (
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    edu_group_id INTEGER NOT NULL REFERENCES edu_groups(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    since        TEXT NOT NULL,
    until        TEXT,
    PRIMARY KEY (edu_group_id, person_id, since)
);
CREATE INDEX edu_group_members_person ON edu_group_members(person_id);

-- Legal representatives and their children.
CREATE TABLE parent_links (
    parent_id INTEGER NOT NULL REFERENCES persons(id),
    child_id  INTEGER NOT NULL REFERENCES persons(id),
    relation  TEXT NOT NULL DEFAULT 'parent',
    PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX parent_links_child ON parent_links(child_id);

CREATE TABLE subjects (
    id             INTEGER PRIMARY KEY,
    school_id      INTEGER NOT NULL REFERENCES schools(id),
    name           TEXT NOT NULL,
    knowledge_area TEXT NOT NULL DEFAULT '',
    UNIQUE (school_id, name)
);

-- Teaching load: teacher × subject × class or subgroup × weekly hours.
CREATE TABLE teaching_assignments (
    id             INTEGER PRIMARY KEY,
    school_id      INTEGER NOT NULL REFERENCES schools(id),
    teacher_id     INTEGER NOT NULL REFERENCES persons(id),
    subject_id     INTEGER NOT NULL REFERENCES subjects(id),
    edu_group_id   INTEGER NOT NULL REFERENCES edu_groups(id),
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 0 AND 40),
    UNIQUE (edu_group_id, subject_id, teacher_id)
);
CREATE INDEX teaching_assignments_teacher ON teaching_assignments(school_id, teacher_id);

CREATE TABLE reporting_periods (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    study_year INTEGER NOT NULL,
    scheme     TEXT NOT NULL CHECK (scheme IN ('quarters', 'half_years', 'trimesters')),
    kind       TEXT NOT NULL CHECK (kind IN ('quarter', 'half_year', 'trimester', 'year')),
    number     INTEGER NOT NULL,
    name       TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    CHECK (start_date <= end_date),
    UNIQUE (school_id, study_year, scheme, number)
);

CREATE TABLE work_types (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    name         TEXT NOT NULL,
    abbreviation TEXT NOT NULL,
    weight       INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 10),
    is_final     INTEGER NOT NULL DEFAULT 0 CHECK (is_final IN (0, 1)),
    UNIQUE (school_id, name)
);

-- Lesson instances (derived from the timetable once it exists).
CREATE TABLE lessons (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    edu_group_id INTEGER NOT NULL REFERENCES edu_groups(id),
    subject_id   INTEGER NOT NULL REFERENCES subjects(id),
    teacher_id   INTEGER REFERENCES persons(id),
    date         TEXT NOT NULL,
    number       INTEGER NOT NULL CHECK (number BETWEEN 0 AND 12),
    topic        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    created_at   INTEGER NOT NULL
);
CREATE INDEX lessons_group_date ON lessons(school_id, edu_group_id, date);

-- Works: an assessed piece of work or homework in a lesson.
CREATE TABLE works (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    lesson_id    INTEGER NOT NULL REFERENCES lessons(id),
    work_type_id INTEGER NOT NULL REFERENCES work_types(id),
    kind         TEXT NOT NULL DEFAULT 'lesson' CHECK (kind IN ('lesson', 'homework')),
    text         TEXT NOT NULL DEFAULT '',
    target_date  TEXT,
    created_by   INTEGER REFERENCES persons(id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX works_lesson ON works(lesson_id);

CREATE TABLE marks (
    id              INTEGER PRIMARY KEY,
    school_id       INTEGER NOT NULL REFERENCES schools(id),
    work_id         INTEGER NOT NULL REFERENCES works(id),
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    value           TEXT NOT NULL,
    comment         TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT UNIQUE,
    created_by      INTEGER REFERENCES persons(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX marks_person ON marks(person_id);
CREATE INDEX marks_work ON marks(work_id);

-- Attendance per lesson.
CREATE TABLE lesson_log_entries (
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    lesson_id  INTEGER NOT NULL REFERENCES lessons(id),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    status     TEXT NOT NULL CHECK (status IN ('absent', 'late')),
    reason     TEXT NOT NULL DEFAULT 'unknown' CHECK (reason IN ('unknown', 'illness', 'excused', 'unexcused')),
    comment    TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, person_id)
);
CREATE INDEX lesson_log_entries_person ON lesson_log_entries(person_id);

-- Server-side sessions: the token itself is never stored, only its SHA-256.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('web', 'api')),
    csrf_token   TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed-login throttling per account ('login:…') and per address ('ip:…').
CREATE TABLE login_throttle (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    locked_until  INTEGER
);

-- The append-only audit log: written in the same transaction as the change it records.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    school_id       INTEGER,
    actor_user_id   INTEGER,
    actor_person_id INTEGER,
    session_hash    TEXT NOT NULL DEFAULT '',
    ip              TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL,
    target_kind     TEXT NOT NULL DEFAULT '',
    target_id       TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    details         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_school_at ON audit_log(school_id, at);
CREATE INDEX audit_log_actor ON audit_log(actor_user_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
