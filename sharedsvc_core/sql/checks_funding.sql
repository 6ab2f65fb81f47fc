-- Checks across tables for a funding file in `staging`.
SELECT row_no, 'partnership_code' AS column_name, 'ERROR' AS severity,
       'unknown-partnership' AS code,
       unknown_partnership(partnership_code) AS message
FROM staging
WHERE partnership_code NOT IN (SELECT partnership_code FROM current_partnerships)
