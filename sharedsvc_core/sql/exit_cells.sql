-- For a partner's exit statement: each council's cells of one partnership's services, as
-- of $as_of, summed to the quarter $q (a quarter index) and after it.
SELECT c.council,
       sum(c.evidenced) FILTER (WHERE c.qidx <= $q) AS evidenced_to_date,
       sum(c.one_off) FILTER (WHERE c.qidx <= $q) AS one_off_to_date,
       sum(c.evidenced) FILTER (WHERE c.qidx BETWEEN $q - 3 AND $q) AS evidenced_last_year,
       sum(c.target_q) FILTER (WHERE c.qidx > $q) AS target_after,
       sum(c.actual) FILTER (WHERE c.basis = 'whole_service' AND c.qidx BETWEEN $q - 3 AND $q)
           AS shared_cost_last_year
FROM <<cells_as_of>> c
WHERE c.partnership_code = $partnership
GROUP BY c.council
ORDER BY c.council;
