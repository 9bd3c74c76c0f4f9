-- Closing a reporting period locks its marks: teachers no longer change them; the deputy
-- director corrects with a reason, or reopens the period.
ALTER TABLE reporting_periods ADD COLUMN closed_at BIGINT;
ALTER TABLE reporting_periods ADD COLUMN closed_by BIGINT REFERENCES persons(id);
