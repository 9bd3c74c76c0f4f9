-- The curriculum plan (§2.5): weekly hours and assessment per parallel and subject.
CREATE TABLE curriculum (
    school_id      INTEGER NOT NULL REFERENCES schools(id),
    study_year     INTEGER NOT NULL,
    parallel       INTEGER NOT NULL CHECK (parallel BETWEEN 1 AND 11),
    subject_id     INTEGER NOT NULL REFERENCES subjects(id),
    hours_per_week INTEGER NOT NULL CHECK (hours_per_week BETWEEN 0 AND 40),
    grading        TEXT NOT NULL CHECK (grading IN ('five_point', 'pass_fail', 'none')),
    PRIMARY KEY (school_id, study_year, parallel, subject_id)
);
