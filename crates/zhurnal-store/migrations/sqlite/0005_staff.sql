-- Staff records (§2.4): a person's position at a school.
CREATE TABLE staff (
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    position   TEXT NOT NULL,
    since      TEXT NOT NULL,
    PRIMARY KEY (school_id, person_id)
);
