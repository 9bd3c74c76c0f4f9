-- Files attached to a lesson's homework (§4.1): kept in the database so that one backup
-- holds everything; size and type are checked before they get here.
CREATE TABLE lesson_files (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    lesson_id    INTEGER NOT NULL REFERENCES lessons(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  INTEGER REFERENCES persons(id),
    uploaded_at  INTEGER NOT NULL
);
CREATE INDEX lesson_files_lesson ON lesson_files (lesson_id);
