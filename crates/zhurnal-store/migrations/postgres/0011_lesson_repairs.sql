-- Academic years whose derived lessons may be out of date: marked before an edit of the
-- timetable or calendar commits, cleared once the lessons are derived again. A mark left
-- behind (the process stopped between the two steps) is repaired at the next start.
CREATE TABLE lesson_repairs (
    school_id  BIGINT NOT NULL REFERENCES schools(id),
    study_year INTEGER NOT NULL,
    marked_at  BIGINT NOT NULL,
    PRIMARY KEY (school_id, study_year)
);
