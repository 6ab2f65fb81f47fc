-- Every version of every baseline, target and benefit's baseline and target among the
-- submissions live at $as_of, oldest first: change control (the first version loaded is
-- the one approved in the business case; the last is the one that counts now).
WITH live AS (SELECT id, received_at, received_by FROM live_submissions($as_of)),
versions AS (
    SELECT 'baseline' AS kind, r.service_code || ':' || r.council AS key, 'annual_cost' AS field,
           CAST(r.annual_cost AS VARCHAR) AS value, r.reason, s.received_at, s.received_by, s.id
    FROM baseline_rows r JOIN live s ON s.id = r.submission_id
    UNION ALL
    SELECT 'baseline', r.service_code || ':' || r.council, 'baseline_year',
           r.baseline_year, r.reason, s.received_at, s.received_by, s.id
    FROM baseline_rows r JOIN live s ON s.id = r.submission_id
    UNION ALL
    SELECT 'target', r.service_code || ':' || r.council || ':' || r.financial_year,
           'target_saving', CAST(r.target_saving AS VARCHAR), r.reason, s.received_at,
           s.received_by, s.id
    FROM target_rows r JOIN live s ON s.id = r.submission_id
    UNION ALL
    SELECT 'benefit', r.benefit_code, f.field,
           CASE f.field WHEN 'baseline_value' THEN CAST(r.baseline_value AS VARCHAR)
                        WHEN 'baseline_date' THEN CAST(r.baseline_date AS VARCHAR)
                        WHEN 'target_value' THEN CAST(r.target_value AS VARCHAR)
                        ELSE CAST(r.target_date AS VARCHAR) END,
           r.reason, s.received_at, s.received_by, s.id
    FROM benefit_rows r JOIN live s ON s.id = r.submission_id
    CROSS JOIN (VALUES ('baseline_value'), ('baseline_date'), ('target_value'),
                       ('target_date')) AS f(field)
)
SELECT kind, key, field, value, reason, received_at, received_by
FROM versions
ORDER BY kind, key, field, received_at, id;
