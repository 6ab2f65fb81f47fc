-- Checks across tables for a scores file in `staging`: each score is for an option and
-- a criterion of its service already loaded.
SELECT row_no, 'service_code' AS column_name, 'ERROR' AS severity,
       'unknown-service' AS code,
       unknown_service(service_code) AS message
FROM staging WHERE service_code NOT IN (SELECT service_code FROM current_services)

UNION ALL
SELECT s.row_no, 'option_code', 'ERROR', 'unknown-option',
       printf('unknown option %s of service %s: load it in an options file first, '
              || 'or correct the code', s.option_code, s.service_code)
FROM staging s
WHERE s.service_code IN (SELECT service_code FROM current_services)
  AND NOT EXISTS (SELECT 1 FROM current_options o
                  WHERE o.service_code = s.service_code AND o.option_code = s.option_code)

UNION ALL
SELECT s.row_no, 'criterion', 'ERROR', 'unknown-criterion',
       printf('unknown criterion "%s" of service %s: load it in a criteria file first, '
              || 'or write it exactly as there', s.criterion, s.service_code)
FROM staging s
WHERE s.service_code IN (SELECT service_code FROM current_services)
  AND NOT EXISTS (SELECT 1 FROM current_criteria c
                  WHERE c.service_code = s.service_code AND c.criterion = s.criterion)
