-- How each current whole_service return is shared out by cost share.
WITH mem AS (
    SELECT partnership_code, council, cost_share, from_fy, coalesce(to_fy, 9999) AS to_fy
    FROM members_as_of($as_of)
)
SELECT r.service_code, r.financial_year, r.quarter, r.fy * 4 + r.quarter - 1 AS qidx,
       r.council AS lead_council, r.actual_cost AS whole_actual,
       m.council, m.cost_share,
       CAST(r.actual_cost AS DECIMAL(38, 2)) * m.cost_share AS share_actual,
       r.submission_id
FROM returns_as_of($as_of) r
JOIN services_as_of($as_of) s USING (service_code)
JOIN mem m ON m.partnership_code = s.partnership_code AND r.fy BETWEEN m.from_fy AND m.to_fy
WHERE r.cost_basis = 'whole_service'
  AND r.fy * 4 + r.quarter - 1 <= $to_idx
  AND (len($services) = 0 OR list_contains($services, r.service_code))
  AND (len($partnerships) = 0 OR list_contains($partnerships, s.partnership_code))
ORDER BY r.service_code, qidx, m.council
