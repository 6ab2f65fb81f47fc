-- Double counting: one council's baseline for a service area claimed by services of two
-- or more partnerships in the same financial year. A service claims a council's baseline
-- (baselines) in each year the council is a member of the service's partnership
-- (members), while the service is live or in implementation, from the year it went live
-- when go_live is given. An open membership runs to the programme's last year: the
-- latest year with a target, a return or a membership. Service areas are matched
-- ignoring case and surrounding spaces. One row per council and service area.
WITH last_year AS (
    SELECT greatest(
        (SELECT coalesce(max(fy), 0) FROM <<targets_as_of>>),
        (SELECT coalesce(max(fy), 0) FROM <<returns_as_of>>),
        (SELECT coalesce(max(coalesce(to_fy, from_fy)), 0) FROM <<members_as_of>>)) AS fy
),
claims AS (
    SELECT b.council, lower(trim(s.service_area)) AS area, s.service_area, s.service_code,
           s.partnership_code, b.annual_cost, y.fy
    FROM <<services_as_of>> s
    JOIN <<baselines_as_of>> b USING (service_code)
    JOIN <<members_as_of>> m
      ON m.partnership_code = s.partnership_code AND m.council = b.council
    CROSS JOIN last_year l
    CROSS JOIN LATERAL (
        SELECT unnest(range(m.from_fy, coalesce(m.to_fy, greatest(l.fy, m.from_fy)) + 1)) AS fy
    ) y
    WHERE s.stage IN ('live', 'implementation')
      AND (s.go_live IS NULL
           OR y.fy >= year(s.go_live) - CASE WHEN month(s.go_live) < 4 THEN 1 ELSE 0 END)
),
overlap_years AS (
    SELECT council, area, fy
    FROM claims
    GROUP BY council, area, fy
    HAVING count(DISTINCT partnership_code) > 1
),
involved AS (
    SELECT DISTINCT c.council, c.area, c.service_area, c.service_code, c.annual_cost
    FROM claims c JOIN overlap_years o USING (council, area, fy)
),
years AS (
    SELECT council, area,
           string_agg(printf('%d/%02d', fy, (fy + 1) % 100), ';' ORDER BY fy) AS financial_years
    FROM overlap_years GROUP BY council, area
)
SELECT i.council, min(i.service_area) AS service_area,
       string_agg(i.service_code, ';' ORDER BY i.service_code) AS services,
       any_value(y.financial_years) AS financial_years,
       sum(i.annual_cost) AS baseline_total
FROM involved i JOIN years y USING (council, area)
GROUP BY i.council, i.area
ORDER BY i.council, min(i.service_area)
