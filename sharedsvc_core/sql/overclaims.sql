-- Claims above the baseline: a council's claimed savings for a service area in a
-- financial year (every service in the area, shared out as the figures share them)
-- above its baseline for that area. Services of one partnership divide an area between
-- them, so their baselines add up; services of different partnerships claim the same
-- spend (overlaps.sql), so the area's baseline is the largest partnership's sum.
WITH svc AS (
    SELECT service_code, partnership_code, service_area, lower(trim(service_area)) AS area
    FROM <<services_as_of>>
),
claimed AS (
    SELECT c.council, s.area, c.fy, sum(c.claimed) AS claimed
    FROM <<cells_as_of>> c JOIN svc s USING (service_code)
    WHERE c.claimed IS NOT NULL
    GROUP BY c.council, s.area, c.fy
),
by_partnership AS (
    SELECT b.council, s.area, s.partnership_code, sum(b.annual_cost) AS total
    FROM <<baselines_as_of>> b JOIN svc s USING (service_code)
    GROUP BY b.council, s.area, s.partnership_code
),
base AS (
    SELECT council, area, max(total) AS baseline FROM by_partnership GROUP BY council, area
),
names AS (SELECT area, min(service_area) AS service_area FROM svc GROUP BY area)
SELECT c.council, n.service_area, printf('%d/%02d', c.fy, (c.fy + 1) % 100) AS financial_year,
       c.claimed, b.baseline, c.claimed - b.baseline AS excess
FROM claimed c
JOIN base b USING (council, area)
JOIN names n USING (area)
WHERE c.claimed > b.baseline
ORDER BY c.council, n.service_area, c.fy
