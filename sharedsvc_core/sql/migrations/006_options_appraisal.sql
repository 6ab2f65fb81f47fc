-- The options appraisal at the outline business case: each service's options (with
-- their SWOT and the short list), the weighted criteria they are scored against, and
-- each option's score on each criterion. Like every kind of file, these rows are
-- append-only.

CREATE TABLE option_rows (
    submission_id BIGINT NOT NULL,
    row_no        INTEGER NOT NULL,
    service_code  VARCHAR NOT NULL,
    option_code   VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    model         VARCHAR NOT NULL,
    shortlisted   VARCHAR NOT NULL,
    chosen        VARCHAR NOT NULL,
    strengths     VARCHAR,
    weaknesses    VARCHAR,
    opportunities VARCHAR,
    threats       VARCHAR
);

CREATE TABLE criterion_rows (
    submission_id BIGINT NOT NULL,
    row_no        INTEGER NOT NULL,
    service_code  VARCHAR NOT NULL,
    criterion     VARCHAR NOT NULL,
    weight        DECIMAL(12, 2) NOT NULL,
    description   VARCHAR
);

CREATE TABLE score_rows (
    submission_id BIGINT NOT NULL,
    row_no        INTEGER NOT NULL,
    service_code  VARCHAR NOT NULL,
    option_code   VARCHAR NOT NULL,
    criterion     VARCHAR NOT NULL,
    score         DECIMAL(5, 2) NOT NULL,
    commentary    VARCHAR
);
