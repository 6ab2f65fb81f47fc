-- Checks across tables for a services file in `staging`.
SELECT row_no, 'partnership_code' AS column_name, 'ERROR' AS severity,
       'unknown-partnership' AS code,
       unknown_partnership(partnership_code) AS message
FROM staging WHERE partnership_code NOT IN (SELECT partnership_code FROM current_partnerships)

UNION ALL
SELECT s.row_no, 'lead_council', 'WARNING', 'lead-not-member',
       printf('%s is not a member of partnership %s on the register',
              s.lead_council, s.partnership_code)
FROM staging s
WHERE s.lead_council IS NOT NULL
  AND s.partnership_code IN (SELECT partnership_code FROM current_partnerships)
  AND NOT EXISTS (
      SELECT 1 FROM current_members m
      WHERE m.partnership_code = s.partnership_code AND m.council = s.lead_council)
