-- A mid-year transfer to another class of the school (§2.12) by order: the student's place in
-- the old class (and its subgroups) ends on `on_date` and begins in the new class that day.
-- The old class's journal keeps the marks given before; the date entered is kept so the
-- 3-day rule can be checked.
CREATE TABLE transfers (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    from_class   INTEGER NOT NULL REFERENCES edu_groups(id),
    to_class     INTEGER NOT NULL REFERENCES edu_groups(id),
    on_date      TEXT NOT NULL,
    order_number TEXT NOT NULL,
    order_date   TEXT NOT NULL,
    recorded_by  INTEGER REFERENCES persons(id),
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX transfers_person ON transfers (person_id, id);
CREATE INDEX transfers_school ON transfers (school_id, on_date);
