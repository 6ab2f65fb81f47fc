-- The latest commentary to date for each service and council (a whole_service return's
-- commentary is shown for every council it is shared out to).
WITH mem AS (
    SELECT partnership_code, council, from_fy, to_fy
    FROM <<members_as_of>>
),
notes AS (
    SELECT r.service_code, r.council, quarter_index(r.fy, r.quarter) AS qidx, r.commentary
    FROM <<returns_as_of>> r
    WHERE r.cost_basis = 'own' AND r.commentary IS NOT NULL AND r.commentary <> ''
    UNION ALL
    SELECT r.service_code, m.council, quarter_index(r.fy, r.quarter), r.commentary
    FROM <<returns_as_of>> r
    JOIN <<services_as_of>> s USING (service_code)
    JOIN mem m ON m.partnership_code = s.partnership_code AND member_in(m.from_fy, m.to_fy, r.fy)
    WHERE r.cost_basis = 'whole_service' AND r.commentary IS NOT NULL AND r.commentary <> ''
)
SELECT service_code, council, arg_max(commentary, qidx) AS commentary, max(qidx) AS qidx
FROM notes
WHERE qidx <= $to_idx
GROUP BY service_code, council
