-- Consent to the processing of a child's personal data (152-FZ art. 9; §2.8): who signed it
-- (a parent, or the student themself from 14), the day, the paper's reference, the version
-- of the consent text, and its withdrawal. The latest consent not withdrawn is in force.
CREATE TABLE pd_consents (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    student_id   INTEGER NOT NULL REFERENCES persons(id),
    signer_id    INTEGER NOT NULL REFERENCES persons(id),
    signed_on    TEXT NOT NULL,
    document     TEXT NOT NULL DEFAULT '',
    text_version TEXT NOT NULL,
    withdrawn_on TEXT,
    recorded_by  INTEGER REFERENCES persons(id),
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX pd_consents_student ON pd_consents (student_id, id);
CREATE INDEX pd_consents_school ON pd_consents (school_id);
