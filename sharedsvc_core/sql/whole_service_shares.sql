-- How each current whole_service return is shared out by cost share.
WITH mem AS (
    SELECT partnership_code, council, cost_share, from_fy, to_fy
    FROM <<members_as_of>>
)
SELECT r.service_code, r.financial_year, r.quarter, quarter_index(r.fy, r.quarter) AS qidx,
       r.council AS lead_council, r.actual_cost AS whole_actual,
       m.council, m.cost_share,
       CAST(r.actual_cost AS DECIMAL(38, 2)) * m.cost_share AS share_actual,
       r.submission_id
FROM <<returns_as_of>> r
JOIN <<services_as_of>> s USING (service_code)
JOIN mem m ON m.partnership_code = s.partnership_code AND member_in(m.from_fy, m.to_fy, r.fy)
WHERE r.cost_basis = 'whole_service'
  AND quarter_index(r.fy, r.quarter) <= $to_idx
  AND (len($services) = 0 OR list_contains($services, r.service_code))
  AND (len($partnerships) = 0 OR list_contains($partnerships, s.partnership_code))
ORDER BY r.service_code, qidx, m.council
