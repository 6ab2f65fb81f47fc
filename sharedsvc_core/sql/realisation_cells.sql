-- The cells of benefits realisation (CONTRACT.md section 5): one service, one council
-- and one quarter, as of $as_of. A cell exists where there is a target or a current
-- return (an own return, or a share of the lead council's whole_service return).
-- qidx = first year of the financial year * 4 + quarter - 1.
WITH
mem AS (
    SELECT partnership_code, council, cost_share, from_fy, coalesce(to_fy, 9999) AS to_fy
    FROM members_as_of($as_of)
),
svc AS (SELECT service_code, partnership_code, stage FROM services_as_of($as_of)),
base AS (
    SELECT service_code, council, CAST(annual_cost AS DECIMAL(38, 2)) * 0.25 AS baseline_q
    FROM baselines_as_of($as_of)
),
ret AS (
    SELECT *, fy * 4 + quarter - 1 AS qidx FROM returns_as_of($as_of)
),
own AS (
    SELECT service_code, council, qidx,
           CAST(actual_cost AS DECIMAL(38, 2)) AS actual,
           CAST(claimed_saving AS DECIMAL(38, 2)) AS claimed,
           CAST(one_off_cost AS DECIMAL(38, 2)) AS one_off,
           submission_id, 'own' AS basis
    FROM ret WHERE cost_basis = 'own'
),
whole AS (
    -- the lead council's whole-service figures shared out by each member's cost share
    SELECT r.service_code, m.council, r.qidx,
           CAST(r.actual_cost AS DECIMAL(38, 2)) * m.cost_share AS actual,
           CAST(r.claimed_saving AS DECIMAL(38, 2)) * m.cost_share AS claimed,
           CAST(r.one_off_cost AS DECIMAL(38, 2)) * m.cost_share AS one_off,
           r.submission_id, 'whole_service' AS basis
    FROM ret r
    JOIN svc s USING (service_code)
    JOIN mem m ON m.partnership_code = s.partnership_code AND r.fy BETWEEN m.from_fy AND m.to_fy
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
    SELECT t.service_code, t.council, t.fy * 4 + q.q - 1 AS qidx,
           CAST(t.target_saving AS DECIMAL(38, 2)) * 0.25 AS target_q
    FROM targets_as_of($as_of) t CROSS JOIN (VALUES (1), (2), (3), (4)) AS q(q)
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
LEFT JOIN base b USING (service_code, council)
