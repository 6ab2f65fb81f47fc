-- The value of each benefit in each quarter (qidx) that has one, as of $as_of.
-- A measure with no council is the whole service's value; where a quarter has only
-- councils' measures, they are its parts and are added up. A cash-releasing benefit
-- whose measure is evidenced_savings takes, for each quarter with a return, its service's
-- evidenced savings to date (summed from the first quarter), so nothing is entered twice.
WITH
ben AS (SELECT benefit_code, service_code, lower(measure) = 'evidenced_savings' AS saved
        FROM benefits_as_of($as_of)),
measured AS (
    SELECT m.benefit_code, m.qidx,
           coalesce(max(m.value) FILTER (WHERE m.council IS NULL), sum(m.value)) AS value,
           count(*) FILTER (WHERE m.council IS NOT NULL) AS council_rows
    FROM measures_as_of($as_of) m JOIN ben b USING (benefit_code)
    WHERE NOT b.saved
    GROUP BY m.benefit_code, m.qidx
),
quarters AS (
    SELECT c.service_code, c.qidx, sum(c.evidenced) AS evidenced
    FROM <<cells_as_of>> c
    WHERE c.has_return AND c.service_code IN (SELECT service_code FROM ben WHERE saved)
    GROUP BY c.service_code, c.qidx
),
saved AS (
    SELECT b.benefit_code, q.qidx,
           sum(q.evidenced) OVER (PARTITION BY b.benefit_code ORDER BY q.qidx) AS value,
           0 AS council_rows
    FROM ben b JOIN quarters q USING (service_code)
    WHERE b.saved
)
SELECT benefit_code, qidx, CAST(value AS DECIMAL(38, 11)) AS value, council_rows
FROM measured
UNION ALL
SELECT benefit_code, qidx, CAST(value AS DECIMAL(38, 11)), council_rows FROM saved
ORDER BY benefit_code, qidx;
