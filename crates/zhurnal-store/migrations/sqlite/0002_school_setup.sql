-- School setup (§2.3, §2.6): profile, academic year calendar, bells, timetable, derived lessons.

ALTER TABLE schools ADD COLUMN kind TEXT NOT NULL DEFAULT 'general';
ALTER TABLE schools ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN study_week INTEGER NOT NULL DEFAULT 5 CHECK (study_week IN (5, 6));
ALTER TABLE schools ADD COLUMN shifts INTEGER NOT NULL DEFAULT 1 CHECK (shifts IN (1, 2));

-- The academic year of a school: first and last study day.
CREATE TABLE academic_years (
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    study_year INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    CHECK (start_date <= end_date),
    PRIMARY KEY (school_id, study_year)
);

-- Holidays; `grades` is a bit set of grades 1–11 (bit n = grade n).
CREATE TABLE holidays (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    study_year INTEGER NOT NULL,
    name       TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    grades     INTEGER NOT NULL,
    CHECK (start_date <= end_date)
);
CREATE INDEX holidays_school_year ON holidays(school_id, study_year);

-- A weekend worked on another weekday's timetable, or a weekday off.
CREATE TABLE moved_days (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    study_year INTEGER NOT NULL,
    date       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('working', 'day_off')),
    weekday    INTEGER CHECK (weekday BETWEEN 1 AND 6),
    name       TEXT NOT NULL DEFAULT '',
    CHECK ((kind = 'working') = (weekday IS NOT NULL)),
    UNIQUE (school_id, date)
);

CREATE TABLE bell_schedules (
    id        INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    name      TEXT NOT NULL,
    shift     INTEGER NOT NULL DEFAULT 1 CHECK (shift IN (1, 2)),
    UNIQUE (school_id, name)
);

CREATE TABLE bells (
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    schedule_id INTEGER NOT NULL REFERENCES bell_schedules(id),
    number      INTEGER NOT NULL CHECK (number BETWEEN 1 AND 12),
    start_time  TEXT NOT NULL,
    end_time    TEXT NOT NULL,
    PRIMARY KEY (schedule_id, number)
);

-- A class's weekly timetable, in force from valid_from until its next template.
CREATE TABLE timetable_templates (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    class_id   INTEGER NOT NULL REFERENCES edu_groups(id),
    valid_from TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (class_id, valid_from)
);

CREATE TABLE timetable_entries (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    template_id INTEGER NOT NULL REFERENCES timetable_templates(id),
    group_id    INTEGER NOT NULL REFERENCES edu_groups(id),
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 6),
    number      INTEGER NOT NULL CHECK (number BETWEEN 0 AND 12),
    subject_id  INTEGER NOT NULL REFERENCES subjects(id),
    teacher_id  INTEGER NOT NULL REFERENCES persons(id),
    room        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX timetable_entries_template ON timetable_entries(template_id);
CREATE INDEX timetable_entries_teacher ON timetable_entries(school_id, teacher_id);

-- One-off changes on a date: substitute, cancel, move, extra.
CREATE TABLE timetable_changes (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    kind       TEXT NOT NULL CHECK (kind IN ('substitute', 'cancel', 'move', 'extra')),
    date       TEXT NOT NULL,
    entry_id   INTEGER REFERENCES timetable_entries(id),
    teacher_id INTEGER REFERENCES persons(id),
    to_date    TEXT,
    number     INTEGER,
    room       TEXT,
    group_id   INTEGER REFERENCES edu_groups(id),
    subject_id INTEGER REFERENCES subjects(id),
    reason     TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES persons(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX timetable_changes_school_date ON timetable_changes(school_id, date);

-- Derived lessons remember where they come from, so re-deriving updates rather than duplicates.
ALTER TABLE lessons ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE lessons ADD COLUMN origin_date TEXT NOT NULL DEFAULT '';
ALTER TABLE lessons ADD COLUMN room TEXT NOT NULL DEFAULT '';
ALTER TABLE lessons ADD COLUMN replaced_teacher_id INTEGER REFERENCES persons(id);
CREATE UNIQUE INDEX lessons_origin ON lessons(school_id, origin, origin_date) WHERE origin <> '';
CREATE INDEX lessons_teacher_date ON lessons(school_id, teacher_id, date);
