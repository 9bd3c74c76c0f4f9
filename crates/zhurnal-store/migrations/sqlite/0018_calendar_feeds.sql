-- Secret calendar feed addresses (RFC 5545) of a student's lessons and homework, made by
-- the student or a parent; only a hash of the secret is kept, and a feed can be revoked.
CREATE TABLE calendar_feeds (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    student_id  INTEGER NOT NULL REFERENCES persons(id),
    owner_id    INTEGER NOT NULL REFERENCES persons(id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX calendar_feeds_owner ON calendar_feeds (owner_id, student_id);
