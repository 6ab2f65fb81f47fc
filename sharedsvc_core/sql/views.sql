-- Derived objects, recreated by every `init`. Each *_as_of(as_of) macro gives the rows
-- that count at the moment as_of: those of submissions received by then and not
-- rolled back by then, and for each key the row of the submission received last
-- (by received_at, then id). The current_* views are the same as of now.

-- Rules written once, for the queries below, the named queries and the checks of a file.
-- A quarter's index: 2014/15 Q1 is 2014 * 4 + 0 (periods.Quarter.index).
CREATE OR REPLACE MACRO quarter_index(fy, quarter) AS fy * 4 + quarter - 1;
-- A quarter's part of an annual amount (a baseline's cost or a year's target), exact.
CREATE OR REPLACE MACRO quarter_of(annual) AS CAST(annual AS DECIMAL(38, 2)) * 0.25;
-- Is this membership (members_as_of, or a file's rows) in force in financial year fy?
CREATE OR REPLACE MACRO member_in(from_fy, to_fy, fy) AS
    fy BETWEEN from_fy AND coalesce(to_fy, 9999);
-- The refusals for a code that is not on the register.
CREATE OR REPLACE MACRO unknown_service(code) AS
    printf('unknown service %s: add it to the register (a services file) first, '
           || 'or correct the code', code);
CREATE OR REPLACE MACRO unknown_partnership(code) AS
    printf('unknown partnership %s: load it in a partnerships file first, '
           || 'or correct the code', code);

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

-- Returns rows among the live submissions, or (certified_only) among those of them
-- certified by as_of: for each key, the row of the one received last.
CREATE OR REPLACE MACRO returns_among(as_of, certified_only) AS TABLE
SELECT r.*, s.received_at, CAST(substr(r.financial_year, 1, 4) AS INTEGER) AS fy
FROM return_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
WHERE NOT certified_only
   OR s.id IN (SELECT submission_id FROM certifications
               WHERE decision = 'certified' AND decided_at <= as_of)
QUALIFY row_number() OVER (
    PARTITION BY r.council, r.service_code, r.financial_year, r.quarter
    ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO returns_as_of(as_of) AS TABLE
SELECT * FROM returns_among(as_of, false);

CREATE OR REPLACE MACRO certified_returns_as_of(as_of) AS TABLE
SELECT * FROM returns_among(as_of, true);

CREATE OR REPLACE MACRO survey_as_of(as_of) AS TABLE
SELECT r.*, s.received_at
FROM survey_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.wave, r."group", r.statement, r.service_code
    ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO benefits_as_of(as_of) AS TABLE
SELECT r.*, s.received_at, s.received_by
FROM benefit_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.benefit_code ORDER BY s.received_at DESC, s.id DESC) = 1;

-- A measure's period 2015/16Q2 has the quarter index 2015 * 4 + 1 (qidx).
CREATE OR REPLACE MACRO measures_as_of(as_of) AS TABLE
SELECT r.*, s.received_at,
       quarter_index(CAST(substr(r.period, 1, 4) AS INTEGER),
                     CAST(substr(r.period, 9, 1) AS INTEGER)) AS qidx
FROM measure_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.benefit_code, r.council, r.period
    ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO funding_as_of(as_of) AS TABLE
SELECT r.*, s.received_at
FROM funding_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.partnership_code, r.source, r.received_date
    ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO options_as_of(as_of) AS TABLE
SELECT r.*, s.received_at, s.received_by
FROM option_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.service_code, r.option_code ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO criteria_as_of(as_of) AS TABLE
SELECT r.*, s.received_at, s.received_by
FROM criterion_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.service_code, r.criterion ORDER BY s.received_at DESC, s.id DESC) = 1;

CREATE OR REPLACE MACRO scores_as_of(as_of) AS TABLE
SELECT r.*, s.received_at, s.received_by
FROM score_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id
QUALIFY row_number() OVER (
    PARTITION BY r.service_code, r.option_code, r.criterion
    ORDER BY s.received_at DESC, s.id DESC) = 1;

-- Comments have no key: every comment of a live submission counts.
CREATE OR REPLACE MACRO comments_as_of(as_of) AS TABLE
SELECT r.*, s.received_at
FROM comment_rows r JOIN live_submissions(as_of) s ON s.id = r.submission_id;

-- The cells of benefits realisation (CONTRACT.md section 5) as of as_of: one service,
-- one council and one quarter. A cell exists where there is a target or a current
-- return (an own return, or a share of the lead council's whole_service return).
-- qidx = first year of the financial year * 4 + quarter - 1. With certified_only, only
-- returns from certified submissions count (the baselines, targets and register are
-- administrators' files and are not certified).
CREATE OR REPLACE MACRO cells_among(as_of, certified_only) AS TABLE
    WITH
    mem AS (
        SELECT partnership_code, council, cost_share, from_fy, to_fy
        FROM members_as_of(as_of)
    ),
    svc AS (SELECT service_code, partnership_code, stage FROM services_as_of(as_of)),
    base AS (
        SELECT service_code, council, quarter_of(annual_cost) AS baseline_q
        FROM baselines_as_of(as_of)
    ),
    ret AS (
        SELECT *, quarter_index(fy, quarter) AS qidx FROM returns_among(as_of, certified_only)
    ),
    own AS (
        SELECT service_code, council, qidx,
               -- the scale of a share (pence x a cost share's 9 places), so that the
               -- union below keeps every share exact instead of rounding it to pence
               CAST(actual_cost AS DECIMAL(38, 11)) AS actual,
               CAST(claimed_saving AS DECIMAL(38, 11)) AS claimed,
               CAST(one_off_cost AS DECIMAL(38, 11)) AS one_off,
               submission_id, 'own' AS basis
        FROM ret WHERE cost_basis = 'own'
    ),
    whole AS (
        -- the lead council's whole-service figures shared out by each member's cost share
        SELECT r.service_code, m.council, r.qidx,
               CAST(CAST(r.actual_cost AS DECIMAL(18, 2)) * m.cost_share AS DECIMAL(38, 11))
                   AS actual,
               CAST(CAST(r.claimed_saving AS DECIMAL(18, 2)) * m.cost_share AS DECIMAL(38, 11))
                   AS claimed,
               CAST(CAST(r.one_off_cost AS DECIMAL(18, 2)) * m.cost_share AS DECIMAL(38, 11))
                   AS one_off,
               r.submission_id, 'whole_service' AS basis
        FROM ret r
        JOIN svc s USING (service_code)
        JOIN mem m ON m.partnership_code = s.partnership_code AND member_in(m.from_fy, m.to_fy, r.fy)
        WHERE r.cost_basis = 'whole_service'
    ),
    actuals AS (
        SELECT * FROM own
        UNION ALL
        -- an own return takes precedence; the loader never lets both be current at once
        SELECT w.* FROM whole w
        WHERE NOT EXISTS (
            SELECT 1 FROM own o
            WHERE o.service_code = w.service_code AND o.council = w.council AND o.qidx = w.qidx)
    ),
    tq AS (
        SELECT t.service_code, t.council, quarter_index(t.fy, q.q) AS qidx,
               quarter_of(t.target_saving) AS target_q
        FROM targets_as_of(as_of) t CROSS JOIN (VALUES (1), (2), (3), (4)) AS q(q)
    ),
    cells AS (
        SELECT coalesce(a.service_code, t.service_code) AS service_code,
               coalesce(a.council, t.council) AS council,
               coalesce(a.qidx, t.qidx) AS qidx,
               coalesce(t.target_q, 0) AS target_q,
               a.actual IS NOT NULL AS has_return,
               a.actual, a.claimed, coalesce(a.one_off, 0) AS one_off,
               a.submission_id, a.basis
        FROM actuals a
        FULL OUTER JOIN tq t
          ON a.service_code = t.service_code AND a.council = t.council AND a.qidx = t.qidx
    )
    SELECT s.partnership_code, c.service_code, c.council, s.stage, c.qidx,
           c.qidx // 4 AS fy, c.qidx % 4 + 1 AS quarter,
           c.target_q, c.has_return, b.baseline_q, c.actual, c.claimed, c.one_off,
           -- no saving is counted without an agreed baseline
           CASE WHEN c.has_return AND b.baseline_q IS NOT NULL THEN b.baseline_q - c.actual
                ELSE 0 END AS evidenced,
           c.submission_id, c.basis
    FROM cells c
    JOIN svc s USING (service_code)
    LEFT JOIN base b USING (service_code, council);

CREATE OR REPLACE MACRO cells_as_of(as_of) AS TABLE
SELECT * FROM cells_among(as_of, false);

CREATE OR REPLACE MACRO certified_cells_as_of(as_of) AS TABLE
SELECT * FROM cells_among(as_of, true);

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
    UNION ALL SELECT submission_id FROM benefits_as_of(as_of)
    UNION ALL SELECT submission_id FROM measures_as_of(as_of)
    UNION ALL SELECT submission_id FROM options_as_of(as_of)
    UNION ALL SELECT submission_id FROM criteria_as_of(as_of)
    UNION ALL SELECT submission_id FROM scores_as_of(as_of)
    UNION ALL SELECT submission_id FROM funding_as_of(as_of)
) GROUP BY submission_id;

-- Every submission received by as_of, with its status and its certification at that
-- moment. certification is empty for kinds other than returns; a returns submission
-- with no decision by as_of is awaiting.
CREATE OR REPLACE MACRO submission_status(as_of) AS TABLE
SELECT s.id, s.kind, s.file_name, s.sha256, s.rows, s.new_rows, s.superseding,
       s.blank_rows, s.received_at, s.received_by, s.council, s.loaded_at,
       CASE WHEN rb.submission_id IS NOT NULL THEN 'rolled_back'
            WHEN coalesce(c.current_rows, 0) = 0 THEN 'superseded'
            ELSE 'current' END AS status,
       coalesce(c.current_rows, 0) AS current_rows,
       rb.rolled_back_at, rb.rolled_back_by,
       CASE WHEN s.kind <> 'returns' THEN NULL
            ELSE coalesce(d.decision, 'awaiting') END AS certification,
       d.decided_by AS certified_by, d.decided_at AS certified_at, d.reason AS return_reason
FROM submissions s
LEFT JOIN rollbacks rb ON rb.submission_id = s.id AND rb.rolled_back_at <= as_of
LEFT JOIN counting_rows(as_of) c ON c.submission_id = s.id
LEFT JOIN certifications d ON d.submission_id = s.id AND d.decided_at <= as_of
WHERE s.received_at <= as_of;

CREATE OR REPLACE VIEW current_partnerships AS SELECT * FROM partnerships_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_members AS SELECT * FROM members_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_services AS SELECT * FROM services_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_baselines AS SELECT * FROM baselines_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_targets AS SELECT * FROM targets_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_returns AS SELECT * FROM returns_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_survey AS SELECT * FROM survey_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_comments AS SELECT * FROM comments_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_benefits AS SELECT * FROM benefits_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_measures AS SELECT * FROM measures_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_options AS SELECT * FROM options_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_criteria AS SELECT * FROM criteria_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_scores AS SELECT * FROM scores_as_of(TIMESTAMP '9999-12-31 23:59:59');
CREATE OR REPLACE VIEW current_funding AS SELECT * FROM funding_as_of(TIMESTAMP '9999-12-31 23:59:59');
