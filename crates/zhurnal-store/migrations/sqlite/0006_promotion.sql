-- Year-end promotion by order (§2.12).
CREATE TABLE transfer_orders (
    id             INTEGER PRIMARY KEY,
    school_id      INTEGER NOT NULL REFERENCES schools(id),
    number         TEXT NOT NULL,
    order_date     TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    from_year      INTEGER NOT NULL,
    applied_on     TEXT NOT NULL,
    applied_at     INTEGER NOT NULL,
    moved          INTEGER NOT NULL,
    leavers        INTEGER NOT NULL,
    created_by     INTEGER REFERENCES persons(id),
    UNIQUE (school_id, from_year)
);

CREATE TABLE transfer_decisions (
    order_id  INTEGER NOT NULL REFERENCES transfer_orders(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    person_id INTEGER NOT NULL REFERENCES persons(id),
    decision  TEXT NOT NULL CHECK (decision IN ('promote', 'retain', 'conditional', 'leave')),
    PRIMARY KEY (order_id, person_id)
);

-- 'conditional' for a student promoted with an academic debt.
ALTER TABLE edu_group_members ADD COLUMN note TEXT NOT NULL DEFAULT '';
