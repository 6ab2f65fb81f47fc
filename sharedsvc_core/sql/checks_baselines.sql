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

UNION ALL
-- change control: a changed baseline needs its reason (the first load needs none)
SELECT b.row_no, 'reason', 'ERROR', 'reason-required',
       printf('this changes the baseline of %s for %s from %s (%s) to %s (%s): give the '
              || 'reason for the change in the reason column', b.service_code, b.council,
              printf('%.2f', c.annual_cost), c.baseline_year, printf('%.2f', b.annual_cost),
              b.baseline_year)
FROM staging b JOIN current_baselines c USING (service_code, council)
WHERE (b.annual_cost <> c.annual_cost OR b.baseline_year <> c.baseline_year)
  AND b.reason IS NULL
