-- A class or subgroup name is unique within a school year («7Б» once).
CREATE UNIQUE INDEX edu_groups_name ON edu_groups(school_id, study_year, name);
