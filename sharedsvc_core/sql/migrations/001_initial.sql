-- The store's first schema. Submissions and their rows are append-only:
-- nothing here is ever updated or deleted by a load or a rollback.

CREATE SEQUENCE submission_ids START 1;

CREATE TABLE councils (
    gss_code      VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    official_name VARCHAR NOT NULL,
    registry_code VARCHAR NOT NULL,
    type_name     VARCHAR,
    nation        VARCHAR,
    region        VARCHAR,
    start_date    DATE,
    end_date      DATE,
    replaced_by   VARCHAR,
    is_current    BOOLEAN NOT NULL
);

-- Every way a council may be written: its code, former codes and names (normalised).
CREATE TABLE council_aliases (
    alias    VARCHAR NOT NULL,
    gss_code VARCHAR NOT NULL,
    how      VARCHAR NOT NULL   -- code, former_code or name
);

CREATE TABLE submissions (
    id          BIGINT PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    rows        INTEGER NOT NULL,
    new_rows    INTEGER NOT NULL,
    superseding INTEGER NOT NULL,
    blank_rows  INTEGER NOT NULL,
    received_at TIMESTAMP NOT NULL,   -- UTC
    received_by VARCHAR NOT NULL,
    council     VARCHAR,              -- set when a council submitter sent it
    loaded_at   TIMESTAMP NOT NULL    -- UTC; differs from received_at for back-dated imports
);

CREATE TABLE rollbacks (
    submission_id  BIGINT PRIMARY KEY,
    rolled_back_at TIMESTAMP NOT NULL,
    rolled_back_by VARCHAR NOT NULL
);

-- Warnings accepted with each submission, kept for the submission's report.
CREATE TABLE submission_messages (
    submission_id BIGINT NOT NULL,
    severity      VARCHAR NOT NULL,
    row_no        INTEGER NOT NULL,
    column_name   VARCHAR NOT NULL,
    message       VARCHAR NOT NULL
);

CREATE TABLE settings (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE partnership_rows (
    submission_id    BIGINT NOT NULL,
    row_no           INTEGER NOT NULL,
    partnership_code VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    delivery_model   VARCHAR NOT NULL,
    lead_council     VARCHAR,
    start_date       DATE,
    status           VARCHAR NOT NULL,
    description      VARCHAR
);

CREATE TABLE member_rows (
    submission_id    BIGINT NOT NULL,
    row_no           INTEGER NOT NULL,
    partnership_code VARCHAR NOT NULL,
    council          VARCHAR NOT NULL,
    cost_share       DECIMAL(12, 9) NOT NULL,
    from_year        VARCHAR NOT NULL,
    to_year          VARCHAR
);

CREATE TABLE service_rows (
    submission_id    BIGINT NOT NULL,
    row_no           INTEGER NOT NULL,
    service_code     VARCHAR NOT NULL,
    partnership_code VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    service_area     VARCHAR NOT NULL,
    stage            VARCHAR NOT NULL,
    lead_council     VARCHAR,
    go_live          DATE
);

CREATE TABLE baseline_rows (
    submission_id BIGINT NOT NULL,
    row_no        INTEGER NOT NULL,
    service_code  VARCHAR NOT NULL,
    council       VARCHAR NOT NULL,
    baseline_year VARCHAR NOT NULL,
    annual_cost   DECIMAL(18, 2) NOT NULL,
    fte           DECIMAL(12, 2),
    source        VARCHAR
);

CREATE TABLE target_rows (
    submission_id  BIGINT NOT NULL,
    row_no         INTEGER NOT NULL,
    service_code   VARCHAR NOT NULL,
    council        VARCHAR NOT NULL,
    financial_year VARCHAR NOT NULL,
    target_saving  DECIMAL(18, 2) NOT NULL,
    one_off_budget DECIMAL(18, 2)
);

CREATE TABLE return_rows (
    submission_id        BIGINT NOT NULL,
    row_no               INTEGER NOT NULL,
    council              VARCHAR NOT NULL,
    service_code         VARCHAR NOT NULL,
    financial_year       VARCHAR NOT NULL,
    quarter              TINYINT NOT NULL,
    actual_cost          DECIMAL(18, 2) NOT NULL,
    claimed_saving       DECIMAL(18, 2),
    one_off_cost         DECIMAL(18, 2) NOT NULL,
    fte                  DECIMAL(12, 2),
    forecast_year_saving DECIMAL(18, 2),
    confidence           VARCHAR,
    cost_basis           VARCHAR NOT NULL,
    commentary           VARCHAR
);

CREATE TABLE survey_rows (
    submission_id     BIGINT NOT NULL,
    row_no            INTEGER NOT NULL,
    wave              VARCHAR NOT NULL,
    "group"           VARCHAR NOT NULL,
    statement         VARCHAR NOT NULL,
    service_code      VARCHAR,
    strongly_disagree INTEGER NOT NULL,
    disagree          INTEGER NOT NULL,
    neutral           INTEGER NOT NULL,
    agree             INTEGER NOT NULL,
    strongly_agree    INTEGER NOT NULL
);

CREATE TABLE comment_rows (
    submission_id BIGINT NOT NULL,
    row_no        INTEGER NOT NULL,
    wave          VARCHAR NOT NULL,
    "group"       VARCHAR NOT NULL,
    theme         VARCHAR NOT NULL,
    comment       VARCHAR NOT NULL,
    service_code  VARCHAR
);
