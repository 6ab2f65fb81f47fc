-- Benefits realisation grouped by {key} (an expression from the allow-list in
-- realisation.py), for the cells of filtered_cells.sql.
WITH
cells AS (
    SELECT {key} AS key, c.* FROM ({filtered}) c
),
per_quarter AS (
    SELECT key, qidx, sum(evidenced - one_off) AS net FROM cells GROUP BY key, qidx
),
running AS (
    SELECT key, qidx, sum(net) OVER (PARTITION BY key ORDER BY qidx) AS cumulative
    FROM per_quarter
),
last_dip AS (
    -- the last quarter to date in which the cumulative net was below zero
    SELECT key, min(qidx) AS first_q, max(qidx) FILTER (WHERE cumulative < 0) AS dip_q
    FROM running GROUP BY key
),
payback AS (
    -- never below zero: the first quarter; else the first quarter after the last dip,
    -- from which it has stayed at or above zero (none while it is below zero now)
    SELECT d.key,
           CASE WHEN d.dip_q IS NULL THEN d.first_q
                ELSE min(r.qidx) FILTER (WHERE r.qidx > d.dip_q) END AS payback_q
    FROM last_dip d JOIN running r USING (key)
    GROUP BY d.key, d.first_q, d.dip_q
),
per_year AS (
    SELECT key, fy, sum(evidenced - one_off) AS net FROM cells GROUP BY key, fy
),
npv AS (
    -- each financial year's net and its distance from the group's first year, for
    -- realisation.py to discount in exact decimals
    SELECT key,
           list(fy - first_fy ORDER BY fy) AS npv_years,
           list(net ORDER BY fy) AS npv_nets
    FROM (SELECT *, min(fy) OVER (PARTITION BY key) AS first_fy FROM per_year)
    GROUP BY key
),
totals AS (
    SELECT key,
           sum(target_q) AS target,
           sum(evidenced) AS evidenced,
           sum(claimed) AS claimed,
           sum(claimed - evidenced) FILTER (WHERE claimed IS NOT NULL) AS claims_gap,
           sum(one_off) AS one_off,
           sum(baseline_q) FILTER (WHERE has_return) AS baseline_returned,
           count(*) FILTER (WHERE has_return) AS returns_any,
           count(*) FILTER (WHERE target_q > 0) AS returns_expected,
           count(*) FILTER (WHERE target_q > 0 AND has_return) AS returns_received
    FROM cells GROUP BY key
)
SELECT t.key, t.target, t.evidenced, t.claimed, t.claims_gap, t.one_off,
       t.baseline_returned, t.returns_any, t.returns_expected, t.returns_received,
       n.npv_years, n.npv_nets, p.payback_q
FROM totals t JOIN npv n USING (key) JOIN payback p USING (key)
ORDER BY t.key
