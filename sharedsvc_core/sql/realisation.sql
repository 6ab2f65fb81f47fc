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
first_dip AS (
    SELECT key, min(qidx) AS first_q, min(qidx) FILTER (WHERE cumulative < 0) AS dip_q
    FROM running GROUP BY key
),
payback AS (
    SELECT f.key,
           CASE WHEN f.dip_q IS NULL THEN f.first_q
                ELSE min(r.qidx) FILTER (WHERE r.qidx > f.dip_q AND r.cumulative >= 0) END
               AS payback_q
    FROM first_dip f JOIN running r USING (key)
    GROUP BY f.key, f.first_q, f.dip_q
),
per_year AS (
    SELECT key, fy, sum(evidenced - one_off) AS net FROM cells GROUP BY key, fy
),
npv AS (
    SELECT key,
           sum(CAST(net AS DOUBLE) / pow(1.035, fy - first_fy)) AS npv
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
       n.npv, p.payback_q
FROM totals t JOIN npv n USING (key) JOIN payback p USING (key)
ORDER BY t.key
