-- The teacher's planned topics (КТП) of a subject in a class or subgroup, in lesson order.
-- A group belongs to one study year, so the plan is the year's.
CREATE TABLE topic_plans (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    group_id   INTEGER NOT NULL REFERENCES edu_groups(id),
    subject_id INTEGER NOT NULL REFERENCES subjects(id),
    position   INTEGER NOT NULL CHECK (position >= 1),
    topic      TEXT NOT NULL,
    hours      INTEGER NOT NULL DEFAULT 1 CHECK (hours BETWEEN 1 AND 10),
    homework   TEXT NOT NULL DEFAULT '',
    loaded_by  INTEGER REFERENCES persons(id),
    loaded_at  INTEGER NOT NULL,
    UNIQUE (group_id, subject_id, position)
);
