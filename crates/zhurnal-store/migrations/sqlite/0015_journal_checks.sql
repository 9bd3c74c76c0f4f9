-- The class teacher's check of the class journal (§3.3), twice a month, with a comment.
CREATE TABLE journal_checks (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    class_id   INTEGER NOT NULL REFERENCES edu_groups(id),
    checked_by INTEGER REFERENCES persons(id),
    at         INTEGER NOT NULL,
    comment    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX journal_checks_class ON journal_checks (class_id, at);
