-- Quarter by quarter and cumulative: target, evidenced, claimed (where given), one-off
-- and net, over the filtered cells.
WITH cells AS ({filtered}),
per_quarter AS (
    SELECT qidx,
           sum(target_q) AS target,
           sum(evidenced) AS evidenced,
           coalesce(sum(claimed), 0) AS claimed,
           sum(one_off) AS one_off
    FROM cells GROUP BY qidx
)
SELECT qidx, target, evidenced, claimed, one_off,
       sum(target) OVER w AS cumulative_target,
       sum(evidenced) OVER w AS cumulative_evidenced,
       sum(claimed) OVER w AS cumulative_claimed,
       sum(evidenced - one_off) OVER w AS cumulative_net
FROM per_quarter
WINDOW w AS (ORDER BY qidx)
ORDER BY qidx
