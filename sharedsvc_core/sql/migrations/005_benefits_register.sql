-- The benefits register (cash-releasing, non-cash, quality and dis-benefits), each
-- benefit's measured values, and the reason given when a baseline or target changes.
-- Like every kind of file, these rows are append-only.

CREATE TABLE benefit_rows (
    submission_id     BIGINT NOT NULL,
    row_no            INTEGER NOT NULL,
    benefit_code      VARCHAR NOT NULL,
    service_code      VARCHAR NOT NULL,
    name              VARCHAR NOT NULL,
    class             VARCHAR NOT NULL,
    measure           VARCHAR NOT NULL,
    unit              VARCHAR NOT NULL,
    direction         VARCHAR NOT NULL,
    baseline_value    DECIMAL(18, 4) NOT NULL,
    baseline_date     DATE NOT NULL,
    target_value      DECIMAL(18, 4) NOT NULL,
    target_date       DATE NOT NULL,
    senior_owner      VARCHAR,
    operational_owner VARCHAR,
    tolerance_pct     DECIMAL(12, 2) NOT NULL,
    depends_on        VARCHAR,
    description       VARCHAR,
    reason            VARCHAR
);

CREATE TABLE measure_rows (
    submission_id BIGINT NOT NULL,
    row_no        INTEGER NOT NULL,
    benefit_code  VARCHAR NOT NULL,
    council       VARCHAR,
    period        VARCHAR NOT NULL,
    value         DECIMAL(18, 4) NOT NULL,
    evidence      VARCHAR,
    commentary    VARCHAR
);

ALTER TABLE baseline_rows ADD COLUMN reason VARCHAR;

ALTER TABLE target_rows ADD COLUMN reason VARCHAR;
