-- Year marks, exam marks and final (attestation) marks of a student in a subject (§4.1,
-- Приказ 546): one of each per study year, with the mark Zhurnal proposed.
CREATE TABLE year_marks (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    study_year INTEGER NOT NULL,
    subject_id INTEGER NOT NULL REFERENCES subjects(id),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    kind       TEXT NOT NULL CHECK (kind IN ('year', 'exam', 'final')),
    value      TEXT NOT NULL,
    proposed   TEXT,
    set_by     INTEGER REFERENCES persons(id),
    set_at     INTEGER NOT NULL,
    UNIQUE (school_id, study_year, subject_id, person_id, kind)
);

-- The history learns the new kind of change. SQLite cannot alter a CHECK, so the table is
-- rebuilt with its rows; dropping a table fires no triggers, and they are made anew.
CREATE TABLE journal_history_next (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    kind         TEXT NOT NULL CHECK (kind IN ('mark', 'absence', 'period_mark', 'lesson', 'year_mark')),
    target_id    INTEGER NOT NULL,
    lesson_id    INTEGER,
    person_id    INTEGER,
    old_value    TEXT,
    new_value    TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    actor_id     INTEGER,
    session_hash TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT UNIQUE,
    at           INTEGER NOT NULL
);
INSERT INTO journal_history_next SELECT id, school_id, kind, target_id, lesson_id, person_id, old_value, new_value,
    reason, actor_id, session_hash, ip, idempotency_key, at FROM journal_history;
DROP TABLE journal_history;
ALTER TABLE journal_history_next RENAME TO journal_history;
CREATE INDEX journal_history_lesson ON journal_history (lesson_id);
CREATE INDEX journal_history_person ON journal_history (person_id);
CREATE TRIGGER journal_history_no_update BEFORE UPDATE ON journal_history
BEGIN SELECT RAISE(ABORT, 'journal_history is append-only'); END;
CREATE TRIGGER journal_history_no_delete BEFORE DELETE ON journal_history
BEGIN SELECT RAISE(ABORT, 'journal_history is append-only'); END;
