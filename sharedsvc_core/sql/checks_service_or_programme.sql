-- Checks across tables for a survey or comments file in `staging`: a named service must
-- be on the register (a blank service_code means the whole programme).
SELECT row_no, 'service_code' AS column_name, 'ERROR' AS severity,
       'unknown-service' AS code,
       printf('unknown service %s: leave service_code blank for the whole programme, '
              || 'or use a code on the register', service_code) AS message
FROM staging
WHERE service_code IS NOT NULL
  AND service_code NOT IN (SELECT service_code FROM current_services)
