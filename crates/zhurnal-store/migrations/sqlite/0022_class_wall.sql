-- The class wall (§3.5): the class teacher's notes to the class's students and parents.
-- A removed post stays, marked, for the audit trail.
CREATE TABLE wall_posts (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    class_id   INTEGER NOT NULL REFERENCES edu_groups(id),
    author_id  INTEGER NOT NULL REFERENCES persons(id),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    removed_at INTEGER,
    removed_by INTEGER REFERENCES persons(id)
);
CREATE INDEX wall_posts_class ON wall_posts (class_id, id);

-- Notices learn the new kind. SQLite cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE notifications_next (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    recipient_id INTEGER NOT NULL REFERENCES persons(id),
    student_id   INTEGER NOT NULL REFERENCES persons(id),
    kind         TEXT NOT NULL CHECK (kind IN ('mark', 'absence', 'period_mark', 'message', 'wall')),
    lesson_id    INTEGER,
    subject      TEXT NOT NULL DEFAULT '',
    old_value    TEXT,
    new_value    TEXT,
    created_at   INTEGER NOT NULL,
    read_at      INTEGER,
    emailed_at   INTEGER
);
INSERT INTO notifications_next SELECT id, school_id, recipient_id, student_id, kind, lesson_id, subject,
    old_value, new_value, created_at, read_at, emailed_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
CREATE INDEX notifications_unsent ON notifications (emailed_at, created_at);
