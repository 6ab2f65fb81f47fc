-- Certified returns (CONTRACT.md section 7). A returns submission with no row here is
-- awaiting certification. Each submission has at most one decision, made once: the
-- primary key means that of two certifiers acting at once exactly one is recorded.
-- A return (decision 'returned') also adds a row to rollbacks at the same moment, so
-- its rows stop counting exactly as a rolled-back submission's do.
CREATE TABLE certifications (
    submission_id BIGINT PRIMARY KEY,
    decision      VARCHAR NOT NULL,   -- certified or returned
    decided_at    TIMESTAMP NOT NULL, -- UTC
    decided_by    VARCHAR NOT NULL,
    declaration   VARCHAR,            -- the words certified to (certified)
    reason        VARCHAR             -- why it was sent back (returned)
);

-- The snapshot of the present also reflects the certifications it was made with.
ALTER TABLE now_state ADD COLUMN certifications BIGINT DEFAULT 0;
