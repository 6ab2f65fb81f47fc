-- Checks across tables for a criteria file in `staging`.
WITH after AS (
    SELECT row_no, service_code, criterion, weight FROM staging
    UNION ALL
    SELECT NULL, c.service_code, c.criterion, c.weight
    FROM current_criteria c
    WHERE NOT EXISTS (SELECT 1 FROM staging s
                      WHERE s.service_code = c.service_code AND s.criterion = c.criterion)
)
SELECT row_no, 'service_code' AS column_name, 'ERROR' AS severity,
       'unknown-service' AS code,
       unknown_service(service_code) AS message
FROM staging WHERE service_code NOT IN (SELECT service_code FROM current_services)

UNION ALL
SELECT min(s.row_no), 'weight', 'WARNING', 'no-weight',
       printf('every criterion of service %s weighs 0: no option can have a weighted score '
              || 'until a criterion weighs more than 0', s.service_code)
FROM staging s
WHERE s.service_code IN (SELECT service_code FROM after GROUP BY service_code
                         HAVING sum(weight) = 0)
GROUP BY s.service_code
