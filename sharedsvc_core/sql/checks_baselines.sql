-- Checks across tables for a baselines file in `staging`.
SELECT row_no, 'service_code' AS column_name, 'ERROR' AS severity,
       'unknown-service' AS code,
       unknown_service(service_code) AS message
FROM staging WHERE service_code NOT IN (SELECT service_code FROM current_services)

UNION ALL
SELECT b.row_no, 'council', 'WARNING', 'not-a-member',
       printf('%s is not a member of partnership %s, which runs %s',
              b.council, v.partnership_code, b.service_code)
FROM staging b JOIN current_services v USING (service_code)
WHERE NOT EXISTS (
    SELECT 1 FROM current_members m
    WHERE m.partnership_code = v.partnership_code AND m.council = b.council)
