-- How a person wants to hear about their children's (or their own) marks and absences:
-- by email at once, by a daily digest, or only on the site.
CREATE TABLE notification_settings (
    person_id  INTEGER PRIMARY KEY REFERENCES persons(id),
    email      TEXT NOT NULL DEFAULT '',
    mode       TEXT NOT NULL DEFAULT 'digest' CHECK (mode IN ('off', 'immediate', 'digest')),
    -- A student hears about their own marks only after opting in.
    own        INTEGER NOT NULL DEFAULT 0 CHECK (own IN (0, 1)),
    -- The school day (YYYY-MM-DD) of the last digest sent: at most one a day.
    last_digest TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);

-- One notice per recipient and event, written in the same transaction as the change it
-- tells about (an outbox: no change without its notice, no notice without its change).
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    recipient_id INTEGER NOT NULL REFERENCES persons(id),
    student_id   INTEGER NOT NULL REFERENCES persons(id),
    kind         TEXT NOT NULL CHECK (kind IN ('mark', 'absence', 'period_mark', 'message')),
    lesson_id    INTEGER,
    subject      TEXT NOT NULL DEFAULT '',
    old_value    TEXT,
    new_value    TEXT,
    created_at   INTEGER NOT NULL,
    read_at      INTEGER,
    emailed_at   INTEGER
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
CREATE INDEX notifications_unsent ON notifications (emailed_at, created_at);
