-- Third-party apps (OAuth2 with PKCE). A school's tech admin registers an app; a person
-- grants it some scopes (and, for a parent, some children); the grant's access tokens are
-- API sessions that carry the grant. Secrets, codes and refresh tokens are kept as hashes.
CREATE TABLE oauth_clients (
    id            INTEGER PRIMARY KEY,
    school_id     INTEGER NOT NULL REFERENCES schools(id),
    client_id     TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    -- One address per line; the code or token goes only to one of them, exactly.
    redirect_uris TEXT NOT NULL,
    -- The scopes the app may ask for, separated by spaces.
    scopes        TEXT NOT NULL,
    -- NULL for a public app (a phone or browser app), which proves itself with PKCE only.
    secret_hash   TEXT,
    created_by    INTEGER REFERENCES persons(id),
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
);
CREATE INDEX oauth_clients_school ON oauth_clients (school_id);

CREATE TABLE oauth_grants (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES oauth_clients(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    scopes       TEXT NOT NULL,
    -- The children whose data a parent shared, as person ids separated by commas.
    children     TEXT NOT NULL DEFAULT '',
    refresh_hash TEXT UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX oauth_grants_user ON oauth_grants (user_id);

CREATE TABLE oauth_codes (
    code_hash    TEXT PRIMARY KEY,
    grant_id     INTEGER NOT NULL REFERENCES oauth_grants(id),
    redirect_uri TEXT NOT NULL,
    challenge    TEXT NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
);

ALTER TABLE sessions ADD COLUMN grant_id INTEGER REFERENCES oauth_grants(id);
CREATE INDEX sessions_grant ON sessions (grant_id) WHERE grant_id IS NOT NULL;
