-- Bells per shift and per weekday (§2.6; DOMAIN.md §3), and the shift each class studies in.
ALTER TABLE bell_schedules ADD COLUMN weekday INTEGER CHECK (weekday BETWEEN 1 AND 6);
CREATE UNIQUE INDEX bell_schedules_slot ON bell_schedules (school_id, shift, COALESCE(weekday, 0));
ALTER TABLE edu_groups ADD COLUMN shift INTEGER NOT NULL DEFAULT 1 CHECK (shift IN (1, 2));
