-- Snapshots of "now". Each write that adds a submission or a rollback rewrites the
-- now_* tables (see store.SNAPSHOTS) from the *_as_of macros, in its own transaction,
-- and records here which submissions and rollbacks they reflect. Reads of the present
-- use them while this record still matches the store; any past moment uses the macros.
CREATE TABLE now_state (
    last_submission BIGINT,          -- the highest submission id reflected
    rollbacks       BIGINT NOT NULL  -- how many rollbacks were reflected
);
