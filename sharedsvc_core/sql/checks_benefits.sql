-- Checks across tables, and between columns, for a benefits file in `staging`.
WITH known AS (
    SELECT benefit_code FROM current_benefits
    UNION SELECT benefit_code FROM staging
),
needs AS (
    SELECT s.row_no, s.benefit_code, trim(d.code) AS code
    FROM staging s, unnest(string_split(s.depends_on, ';')) AS d(code)
    WHERE s.depends_on IS NOT NULL
)
SELECT row_no, 'service_code' AS column_name, 'ERROR' AS severity,
       'unknown-service' AS code,
       unknown_service(service_code) AS message
FROM staging WHERE service_code NOT IN (SELECT service_code FROM current_services)

UNION ALL
SELECT row_no, 'target_value', 'ERROR', 'row-constraint',
       printf('a benefit that should %s needs a target_value %s its baseline_value (%g): '
              || 'check the direction or the values', direction,
              CASE direction WHEN 'increase' THEN 'above' ELSE 'below' END,
              CAST(baseline_value AS DOUBLE))
FROM staging
WHERE (direction = 'increase' AND target_value <= baseline_value)
   OR (direction = 'decrease' AND target_value >= baseline_value)

UNION ALL
SELECT row_no, 'target_date', 'ERROR', 'row-constraint',
       printf('target_date %s is not after baseline_date %s: the target is met after the '
              || 'baseline is taken', strftime(target_date, '%d/%m/%Y'),
              strftime(baseline_date, '%d/%m/%Y'))
FROM staging WHERE target_date <= baseline_date

UNION ALL
SELECT row_no, 'measure', 'ERROR', 'row-constraint',
       'only a cash_releasing benefit can take its values from evidenced_savings: '
       || 'name what is measured instead, or change the class'
FROM staging
WHERE lower(measure) = 'evidenced_savings' AND class <> 'cash_releasing'

UNION ALL
SELECT row_no, 'depends_on', 'ERROR', 'unknown-benefit',
       printf('unknown benefit %s: list it in this file or an earlier benefits file, '
              || 'or correct the code', code)
FROM needs WHERE code NOT IN (SELECT benefit_code FROM known)

UNION ALL
SELECT row_no, 'depends_on', 'ERROR', 'row-constraint',
       printf('benefit %s cannot depend on itself', benefit_code)
FROM needs WHERE code = benefit_code

UNION ALL
-- change control: a changed baseline or target needs its reason
SELECT s.row_no, 'reason', 'ERROR', 'reason-required',
       printf('this changes the baseline or target of benefit %s (it was baseline %g on %s, '
              || 'target %g by %s): give the reason for the change in the reason column',
              s.benefit_code, CAST(c.baseline_value AS DOUBLE),
              strftime(c.baseline_date, '%d/%m/%Y'),
              CAST(c.target_value AS DOUBLE),
              strftime(c.target_date, '%d/%m/%Y'))
FROM staging s JOIN current_benefits c USING (benefit_code)
WHERE (s.baseline_value <> c.baseline_value OR s.baseline_date <> c.baseline_date
       OR s.target_value <> c.target_value OR s.target_date <> c.target_date)
  AND s.reason IS NULL
