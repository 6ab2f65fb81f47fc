-- The service and council pairs that can be among the $count furthest below target to
-- date, chosen from their exact sums before any rounding, for explore.off_track to
-- work out in full. A pair counts as behind when its target and its shortfall are
-- each at least half a penny (so neither rounds to zero). Rounding to pence moves a
-- shortfall by at most half a penny, so every pair whose rounded shortfall can tie
-- with or beat the $count-th largest is within a penny of it, and is kept.
WITH pairs AS (
    SELECT c.service_code, c.council,
           sum(c.target_q) AS target,
           sum(c.target_q) - sum(c.evidenced) AS shortfall
    FROM ({filtered}) c
    GROUP BY c.service_code, c.council
),
behind AS (
    SELECT * FROM pairs WHERE target >= 0.005 AND shortfall >= 0.005
),
line AS (
    SELECT min(shortfall) - 0.01 AS lowest
    FROM (SELECT shortfall FROM behind ORDER BY shortfall DESC LIMIT $count)
)
SELECT b.service_code, b.council
FROM behind b, line
WHERE b.shortfall >= line.lowest
ORDER BY b.service_code, b.council
