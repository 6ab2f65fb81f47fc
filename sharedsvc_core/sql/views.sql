-- Derived objects, recreated by every `init`. Each *_as_of(as_of) macro gives the rows
-- that count at the moment as_of: those of submissions received by then and not
-- rolled back by then, and for each key the row of the submission received last
-- (by received_at, then id). The current_* views are the same as of now.

CREATE OR REPLACE MACRO live_submissions(as_of) AS TABLE
SELECT s.*
FROM submissions s
WHERE s.received_at <= as_of
  AND s.id NOT IN (SELECT submission_id FROM rollbacks WHERE rolled_back_at <= as_of);

CREATE OR REPLACE MACRO partnerships_as_of(as_of) AS TABLE
SELECT r.*, s.received_at
FROM partnership_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.partnership_code ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO members_as_of(as_of) AS TABLE
SELECT r.*, s.received_at,
       CAST(substr(r.from_year, 1, 4) AS INTEGER) AS from_fy,
       CAST(substr(r.to_year, 1, 4) AS INTEGER) AS to_fy
FROM member_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.partnership_code, r.council, r.from_year
    ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO services_as_of(as_of) AS TABLE
SELECT r.*, s.received_at
FROM service_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.service_code ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO baselines_as_of(as_of) AS TABLE
SELECT r.*, s.received_at
FROM baseline_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.service_code, r.council ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO targets_as_of(as_of) AS TABLE
SELECT r.*, s.received_at, CAST(substr(r.financial_year, 1, 4) AS INTEGER) AS fy
FROM target_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.service_code, r.council, r.financial_year
    ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO returns_as_of(as_of) AS TABLE
SELECT r.*, s.received_at, CAST(substr(r.financial_year, 1, 4) AS INTEGER) AS fy
FROM return_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.council, r.service_code, r.financial_year, r.quarter
    ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO survey_as_of(as_of) AS TABLE
SELECT r.*, s.received_at
FROM survey_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.wave, r."group", r.statement, r.service_code
    ORDER BY s.received_at DESC, s.id DESC) = 1;

-- Comments have no key: every comment of a live submission counts.
CREATE OR REPLACE MACRO comments_as_of(as_of) AS TABLE
SELECT r.*, s.received_at
FROM comment_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id;

-- The submissions whose rows still count, with how many of their rows do.
CREATE OR REPLACE MACRO counting_rows(as_of) AS TABLE
SELECT submission_id, count(*) AS current_rows FROM (
    SELECT submission_id FROM partnerships_as_of(as_of)
    UNION ALL SELECT submission_id FROM members_as_of(as_of)
    UNION ALL SELECT submission_id FROM services_as_of(as_of)
    UNION ALL SELECT submission_id FROM baselines_as_of(as_of)
    UNION ALL SELECT submission_id FROM targets_as_of(as_of)
    UNION ALL SELECT submission_id FROM returns_as_of(as_of)
    UNION ALL SELECT submission_id FROM survey_as_of(as_of)
    UNION ALL SELECT submission_id FROM comments_as_of(as_of)
) GROUP BY submission_id;

-- Every submission received by as_of, with its status at that moment.
CREATE OR REPLACE MACRO submission_status(as_of) AS TABLE
SELECT s.id, s.kind, s.file_name, s.sha256, s.rows, s.new_rows, s.superseding,
       s.blank_rows, s.received_at, s.received_by, s.council, s.loaded_at,
       CASE WHEN rb.submission_id IS NOT NULL THEN 'rolled_back'
            WHEN coalesce(c.current_rows, 0) = 0 THEN 'superseded'
            ELSE 'current' END AS status,
       coalesce(c.current_rows, 0) AS current_rows,
       rb.rolled_back_at, rb.rolled_back_by
FROM submissions s
LEFT JOIN rollbacks rb ON rb.submission_id = s.id AND rb.rolled_back_at <= as_of
LEFT JOIN counting_rows(as_of) c ON c.submission_id = s.id
WHERE s.received_at <= as_of;

CREATE OR REPLACE VIEW current_partnerships AS SELECT * FROM partnerships_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_members AS SELECT * FROM members_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_services AS SELECT * FROM services_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_baselines AS SELECT * FROM baselines_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_targets AS SELECT * FROM targets_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_returns AS SELECT * FROM returns_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_survey AS SELECT * FROM survey_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_comments AS SELECT * FROM comments_as_of(TIMESTAMP '9999-12-31 23:59:59');
