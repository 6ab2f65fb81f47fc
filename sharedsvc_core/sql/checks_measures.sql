-- Checks across tables for a measures file in `staging`.
SELECT row_no, 'benefit_code' AS column_name, 'ERROR' AS severity,
       'unknown-benefit' AS code,
       printf('unknown benefit %s: add it to the benefits register (a benefits file) '
              || 'first, or correct the code', benefit_code) AS message
FROM staging WHERE benefit_code NOT IN (SELECT benefit_code FROM current_benefits)

UNION ALL
SELECT s.row_no, 'benefit_code', 'ERROR', 'row-constraint',
       printf('benefit %s takes its values from the evidenced savings of service %s: '
              || 'send that service''s returns, not measures', s.benefit_code, b.service_code)
FROM staging s JOIN current_benefits b USING (benefit_code)
WHERE lower(b.measure) = 'evidenced_savings'

UNION ALL
SELECT s.row_no, 'council', 'WARNING', 'not-a-member',
       printf('%s is not a member of partnership %s in %s', s.council, v.partnership_code,
              substr(s.period, 1, 7))
FROM staging s
JOIN current_benefits b USING (benefit_code)
JOIN current_services v ON v.service_code = b.service_code
WHERE s.council IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM current_members m
    WHERE m.partnership_code = v.partnership_code AND m.council = s.council
      AND member_in(m.from_fy, m.to_fy, CAST(substr(s.period, 1, 4) AS INTEGER)))
