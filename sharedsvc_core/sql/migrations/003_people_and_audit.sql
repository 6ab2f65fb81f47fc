-- Who may do what, and the record of what was done.
-- people: one row per person, keyed by the lower-cased e-mail of their ID token;
-- replaced or deleted only by an administrator (users add / users remove).
CREATE TABLE people (
    email      VARCHAR PRIMARY KEY,
    role       VARCHAR NOT NULL,   -- viewer, board_member, submitter, certifier, administrator
    councils   VARCHAR[] NOT NULL, -- current GSS codes, sorted (submitters and certifiers)
    granted_at TIMESTAMP NOT NULL, -- UTC
    granted_by VARCHAR NOT NULL
);

-- The audit log is append-only: rows are inserted, never updated or deleted.
CREATE SEQUENCE audit_ids START 1;

CREATE TABLE audit_log (
    id     BIGINT PRIMARY KEY,
    logged_at TIMESTAMP NOT NULL,  -- UTC
    "user" VARCHAR NOT NULL,       -- e-mail, or the command line's --user / login name
    action VARCHAR NOT NULL,
    detail VARCHAR NOT NULL
);
