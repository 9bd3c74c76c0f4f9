-- Messages between a family and the school's teachers (§4.2, §3.4): a thread is about one
-- student and belongs to that family and the staff in it — never to another family. A
-- complaint opens the thread to the school's administration.
CREATE TABLE message_threads (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    student_id   INTEGER NOT NULL REFERENCES persons(id),
    topic        TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES persons(id),
    created_at   INTEGER NOT NULL,
    complaint_at INTEGER,
    complaint_by INTEGER REFERENCES persons(id)
);
CREATE INDEX message_threads_school ON message_threads (school_id, complaint_at);

CREATE TABLE thread_members (
    thread_id    INTEGER NOT NULL REFERENCES message_threads(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    -- The last message the member has seen.
    last_read_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (thread_id, person_id)
);
CREATE INDEX thread_members_person ON thread_members (person_id);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    thread_id  INTEGER NOT NULL REFERENCES message_threads(id),
    author_id  INTEGER NOT NULL REFERENCES persons(id),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_thread ON messages (thread_id, id);
