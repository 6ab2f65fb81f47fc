-- Baseline against actual cost for each service and council, over the quarters with a
-- return among the filtered cells.
WITH cells AS ({filtered})
SELECT service_code, council,
       count(*) AS quarters,
       sum(baseline_q) AS baseline,
       sum(actual) AS actual,
       sum(evidenced) AS evidenced
FROM cells
WHERE has_return
GROUP BY service_code, council
ORDER BY service_code, council
