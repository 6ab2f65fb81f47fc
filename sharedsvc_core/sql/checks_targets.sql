-- Checks across tables for a targets file in `staging`.
SELECT row_no, 'service_code' AS column_name, 'ERROR' AS severity,
       'unknown-service' AS code,
       unknown_service(service_code) AS message
FROM staging WHERE service_code NOT IN (SELECT service_code FROM current_services)

UNION ALL
SELECT t.row_no, 'council', 'WARNING', 'not-a-member',
       printf('%s is not a member of partnership %s in %s', t.council, v.partnership_code,
              t.financial_year)
FROM staging t JOIN current_services v USING (service_code)
WHERE NOT EXISTS (
    SELECT 1 FROM current_members m
    WHERE m.partnership_code = v.partnership_code AND m.council = t.council
      AND member_in(m.from_fy, m.to_fy, CAST(substr(t.financial_year, 1, 4) AS INTEGER)))

UNION ALL
-- change control: a changed target needs its reason (the first load needs none)
SELECT t.row_no, 'reason', 'ERROR', 'reason-required',
       printf('this changes the %s target of %s for %s from %s to %s: give the reason '
              || 'for the change in the reason column', t.financial_year, t.service_code,
              t.council, printf('%.2f', c.target_saving), printf('%.2f', t.target_saving))
FROM staging t JOIN current_targets c USING (service_code, council, financial_year)
WHERE t.target_saving <> c.target_saving AND t.reason IS NULL
