-- A school from zero: students' personal files, parents' contacts, enrolments by order,
-- applications for access and the one-time access codes that answer them (§5.1, §5.2).

-- The personal file (личное дело) a school keeps for each student. Its number is how the
-- school's papers name the student, and how a roster import finds the student again.
CREATE TABLE student_files (
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    file_number TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (school_id, person_id),
    UNIQUE (school_id, file_number)
);

-- How the school reaches a parent or legal representative.
CREATE TABLE contacts (
    person_id INTEGER PRIMARY KEY REFERENCES persons(id),
    phone     TEXT NOT NULL DEFAULT '',
    email     TEXT NOT NULL DEFAULT ''
);

-- The parent the school calls first about this child.
ALTER TABLE parent_links ADD COLUMN main_contact INTEGER NOT NULL DEFAULT 0 CHECK (main_contact IN (0, 1));

-- An enrolment into a class (§5.2): the day it takes effect, the order, and when it was
-- entered, so the 3-day rule of §2.12 can be checked.
CREATE TABLE enrolments (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    class_id     INTEGER NOT NULL REFERENCES edu_groups(id),
    since        TEXT NOT NULL,
    order_number TEXT NOT NULL DEFAULT '',
    order_date   TEXT,
    recorded_by  INTEGER REFERENCES persons(id),
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX enrolments_person ON enrolments (person_id, id);
CREATE INDEX enrolments_school ON enrolments (school_id, since);

-- A person's application for access to Zhurnal (§5.1): who applies, for which student,
-- on which day. Answered by an access code within 3 days.
CREATE TABLE access_applications (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    student_id  INTEGER REFERENCES persons(id),
    applied_on  TEXT NOT NULL,
    recorded_by INTEGER REFERENCES persons(id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX access_applications_school ON access_applications (school_id, applied_on);

-- One-time access codes: only the code's SHA-256 is kept. A code lets exactly its person
-- create their own login; reissuing revokes the one before.
CREATE TABLE access_codes (
    id             INTEGER PRIMARY KEY,
    school_id      INTEGER NOT NULL REFERENCES schools(id),
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    application_id INTEGER REFERENCES access_applications(id),
    code_hash      TEXT NOT NULL UNIQUE,
    issued_by      INTEGER REFERENCES persons(id),
    issued_at      INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    redeemed_at    INTEGER,
    revoked_at     INTEGER
);
CREATE INDEX access_codes_person ON access_codes (person_id, id);
CREATE INDEX access_codes_school ON access_codes (school_id, issued_at);
