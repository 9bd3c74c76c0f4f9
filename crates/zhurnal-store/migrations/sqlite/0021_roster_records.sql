-- Parents' statements of consent or refusal to receive their child's performance through
-- Zhurnal (§3.6), collected by the class teacher. The latest statement decides; older ones
-- stay as the record of what was signed when.
CREATE TABLE access_statements (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    student_id  INTEGER NOT NULL REFERENCES persons(id),
    parent_id   INTEGER REFERENCES persons(id),
    decision    TEXT NOT NULL CHECK (decision IN ('consent', 'refusal')),
    signed_on   TEXT NOT NULL,
    recorded_by INTEGER REFERENCES persons(id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX access_statements_student ON access_statements (student_id, id);

-- A student's departure from the school (§5.2): the day, the reason and the order. The
-- memberships end that day; the record keeps why.
CREATE TABLE departures (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    class_id     INTEGER NOT NULL REFERENCES edu_groups(id),
    left_on      TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('transfer', 'graduation', 'family', 'other')),
    order_number TEXT NOT NULL DEFAULT '',
    recorded_by  INTEGER REFERENCES persons(id),
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX departures_person ON departures (person_id, id);
CREATE INDEX departures_class ON departures (school_id, class_id);
