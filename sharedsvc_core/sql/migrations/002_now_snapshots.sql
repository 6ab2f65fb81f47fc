-- Snapshots of "now". Each write that adds a submission or a rollback rewrites the
-- now_* tables (see store.SNAPSHOTS) from the *_as_of macros, in its own transaction,
-- and records here what they reflect: the submissions and rollbacks, and the version
-- of the macros (a hash of sql/views.sql). Reads of the present use them while this
-- record still matches; any past moment uses the macros.
CREATE TABLE now_state (
    last_submission BIGINT,           -- the highest submission id reflected
    rollbacks       BIGINT NOT NULL,  -- how many rollbacks were reflected
    views           VARCHAR NOT NULL  -- SHA-256 of the sql/views.sql they were made with
);
