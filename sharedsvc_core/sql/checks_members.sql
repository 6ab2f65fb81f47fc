-- Checks across tables for a members file in `staging`.
WITH
stg AS (
    SELECT *, CAST(substr(from_year, 1, 4) AS INTEGER) AS from_fy,
           CAST(substr(to_year, 1, 4) AS INTEGER) AS to_fy
    FROM staging
),
merged AS (
    SELECT m.partnership_code, m.council, m.cost_share, m.from_fy,
           coalesce(m.to_fy, 9999) AS to_fy, NULL::INTEGER AS row_no
    FROM current_members m
    WHERE m.partnership_code IN (SELECT partnership_code FROM stg)
      AND NOT EXISTS (
          SELECT 1 FROM stg s
          WHERE s.partnership_code = m.partnership_code AND s.council = m.council
            AND s.from_year = m.from_year)
    UNION ALL
    SELECT partnership_code, council, cost_share, from_fy, coalesce(to_fy, 9999), row_no
    FROM stg
),
span AS (
    SELECT partnership_code, min(from_fy) AS lo,
           greatest(max(from_fy), coalesce(max(CASE WHEN to_fy < 9999 THEN to_fy END), 0)) AS hi
    FROM merged GROUP BY partnership_code
),
years AS (
    SELECT partnership_code, unnest(generate_series(lo, hi)) AS fy FROM span
),
sums AS (
    SELECT y.partnership_code, y.fy, coalesce(sum(m.cost_share), 0) AS total
    FROM years y
    LEFT JOIN merged m ON m.partnership_code = y.partnership_code
                      AND member_in(m.from_fy, m.to_fy, y.fy)
    GROUP BY y.partnership_code, y.fy
),
first_row AS (SELECT partnership_code, min(row_no) AS row_no FROM stg GROUP BY partnership_code)
SELECT row_no, 'partnership_code' AS column_name, 'ERROR' AS severity,
       'unknown-partnership' AS code,
       unknown_partnership(partnership_code) AS message
FROM stg WHERE partnership_code NOT IN (SELECT partnership_code FROM current_partnerships)

UNION ALL
SELECT f.row_no, 'cost_share', 'ERROR', 'cost-share-sum',
       printf('the cost shares of the members of %s in %d/%02d add up to %s, not 1: '
              || 'each year''s shares must add up to 1 (within 0.001)',
              s.partnership_code, s.fy, (s.fy + 1) % 100, CAST(round(s.total, 6) AS VARCHAR))
FROM sums s JOIN first_row f USING (partnership_code)
WHERE abs(s.total - 1) > 0.001
