-- Idempotency keys of journal writes, per person: a retried request with a key its sender
-- used before changes nothing and gets the first answer back, whatever that write did
-- (changed a mark, left it as it was, found nothing to remove). Another person's key of the
-- same text is a different key. The journal history keeps its own copy of the key.
CREATE TABLE write_keys (
    actor_id   BIGINT NOT NULL REFERENCES persons(id),
    key        TEXT NOT NULL,
    school_id  BIGINT NOT NULL REFERENCES schools(id),
    -- The first answer: the mark (absent after a removal), its work, the value written and
    -- the one before it.
    mark_id    BIGINT,
    work_id    BIGINT NOT NULL,
    value      TEXT,
    old_value  TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, key)
);
