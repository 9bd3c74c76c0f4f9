-- The class journal (§4.1): what a lesson holds besides its marks, the school's grading
-- rules, period marks, and the history of every change, which no one can edit.

ALTER TABLE lessons ADD COLUMN homework TEXT NOT NULL DEFAULT '';
ALTER TABLE lessons ADD COLUMN homework_due TEXT;

-- One row per school; a school without one uses the defaults (DOMAIN.md §1).
CREATE TABLE grading_settings (
    school_id        INTEGER PRIMARY KEY REFERENCES schools(id),
    method           TEXT NOT NULL DEFAULT 'weighted' CHECK (method IN ('weighted', 'arithmetic')),
    -- «5:465,4:365,3:265»: the lowest average (hundredths) that earns each mark.
    bounds           TEXT NOT NULL DEFAULT '5:465,4:365,3:265',
    min_marks        INTEGER NOT NULL DEFAULT 3 CHECK (min_marks BETWEEN 0 AND 20),
    no_top_with_two  INTEGER NOT NULL DEFAULT 0 CHECK (no_top_with_two IN (0, 1)),
    with_one         INTEGER NOT NULL DEFAULT 0 CHECK (with_one IN (0, 1)),
    with_signs       INTEGER NOT NULL DEFAULT 0 CHECK (with_signs IN (0, 1)),
    -- Days after the lesson during which its teacher may change it without the deputy.
    edit_window_days INTEGER NOT NULL DEFAULT 7 CHECK (edit_window_days BETWEEN 0 AND 60)
);

CREATE TABLE period_marks (
    id                 INTEGER PRIMARY KEY,
    school_id          INTEGER NOT NULL REFERENCES schools(id),
    period_id          INTEGER NOT NULL REFERENCES reporting_periods(id),
    subject_id         INTEGER NOT NULL REFERENCES subjects(id),
    person_id          INTEGER NOT NULL REFERENCES persons(id),
    value              TEXT NOT NULL,
    -- What Zhurnal proposed when the mark was set, and from which average.
    proposed           TEXT,
    average_hundredths INTEGER,
    set_by             INTEGER REFERENCES persons(id),
    set_at             INTEGER NOT NULL,
    UNIQUE (period_id, subject_id, person_id)
);

-- Every change to a mark, an absence, a period mark or a lesson's topic and homework:
-- who, when, from which session and address, old → new, why. Append-only.
CREATE TABLE journal_history (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    kind         TEXT NOT NULL CHECK (kind IN ('mark', 'absence', 'period_mark', 'lesson')),
    target_id    INTEGER NOT NULL,
    lesson_id    INTEGER,
    person_id    INTEGER,
    old_value    TEXT,
    new_value    TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    actor_id     INTEGER,
    session_hash TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT '',
    -- The client's key for a write: a retried request finds its row and changes nothing.
    idempotency_key TEXT UNIQUE,
    at           INTEGER NOT NULL
);
CREATE INDEX journal_history_lesson ON journal_history (lesson_id);
CREATE INDEX journal_history_person ON journal_history (person_id);
CREATE TRIGGER journal_history_no_update BEFORE UPDATE ON journal_history
BEGIN SELECT RAISE(ABORT, 'journal_history is append-only'); END;
CREATE TRIGGER journal_history_no_delete BEFORE DELETE ON journal_history
BEGIN SELECT RAISE(ABORT, 'journal_history is append-only'); END;
