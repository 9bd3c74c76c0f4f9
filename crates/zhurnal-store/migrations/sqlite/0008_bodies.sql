-- The school's self-government bodies (§2.4): governing council, teachers' council, student
-- and parents' councils…, with their members and chairs.
CREATE TABLE school_bodies (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    kind       TEXT NOT NULL CHECK (kind IN ('governing_council', 'teachers_council', 'student_council', 'parents_council', 'other')),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (school_id, name)
);

-- A member is a person of the school (staff) or someone named (a parent, a student, a
-- representative of the founder); `represents` says whom they stand for.
CREATE TABLE school_body_members (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    body_id    INTEGER NOT NULL REFERENCES school_bodies(id),
    person_id  INTEGER REFERENCES persons(id),
    full_name  TEXT NOT NULL,
    represents TEXT NOT NULL DEFAULT '',
    role       TEXT NOT NULL CHECK (role IN ('chair', 'secretary', 'member')),
    since      TEXT NOT NULL
);
CREATE INDEX school_body_members_body ON school_body_members (body_id);
-- One chair and one secretary per body.
CREATE UNIQUE INDEX school_body_one_chair ON school_body_members (body_id, role) WHERE role IN ('chair', 'secretary');
