-- A class's name is unique within a school year; a subgroup's within its class («Английский,
-- гр. 1» in every class that splits).
DROP INDEX edu_groups_name;
CREATE UNIQUE INDEX edu_groups_name ON edu_groups (school_id, study_year, COALESCE(parent_id, 0), name);
