-- Which reporting-period scheme each grade follows in a year (quarters, half-years, trimesters).
CREATE TABLE period_schemes (
    school_id  BIGINT NOT NULL REFERENCES schools(id),
    study_year INTEGER NOT NULL,
    parallel   INTEGER NOT NULL CHECK (parallel BETWEEN 1 AND 11),
    scheme     TEXT NOT NULL CHECK (scheme IN ('quarters', 'half_years', 'trimesters')),
    PRIMARY KEY (school_id, study_year, parallel)
);
