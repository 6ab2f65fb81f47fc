-- The register as of $as_of: partnerships, their members and their services.
SELECT 'partnership' AS what, p.partnership_code, p.name, p.delivery_model, p.lead_council,
       p.status, p.start_date, p.description,
       NULL AS council, NULL::DECIMAL(12, 9) AS cost_share, NULL AS from_year, NULL AS to_year,
       NULL AS service_code, NULL AS service_area, NULL AS stage, NULL::DATE AS go_live
FROM <<partnerships_as_of>> p
UNION ALL
SELECT 'member', m.partnership_code, NULL, NULL, NULL, NULL, NULL, NULL,
       m.council, m.cost_share, m.from_year, m.to_year, NULL, NULL, NULL, NULL
FROM <<members_as_of>> m
UNION ALL
SELECT 'service', s.partnership_code, s.name, NULL, s.lead_council, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, s.service_code, s.service_area, s.stage, s.go_live
FROM <<services_as_of>> s
