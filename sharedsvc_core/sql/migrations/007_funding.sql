-- Shared funding received by a partnership (grants, capital receipts flexibility,
-- partners' contributions), against which its one-off costs are charged. Append-only,
-- like every kind of file.
CREATE TABLE funding_rows (
    submission_id    BIGINT NOT NULL,
    row_no           INTEGER NOT NULL,
    partnership_code VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    amount           DECIMAL(18, 2) NOT NULL,
    received_date    DATE NOT NULL,
    conditions       VARCHAR
);
