-- Every submission as of $as_of with its status, the financial years and councils its
-- rows cover, narrowed by kind, council and year (an empty list or NULL means all).
WITH covered AS (
    SELECT submission_id, financial_year AS fy, council FROM return_rows
    UNION ALL SELECT submission_id, financial_year, council FROM target_rows
    UNION ALL SELECT submission_id, baseline_year, council FROM baseline_rows
    UNION ALL SELECT submission_id, from_year, council FROM member_rows
    UNION ALL SELECT submission_id, wave, NULL FROM survey_rows
    UNION ALL SELECT submission_id, wave, NULL FROM comment_rows
),
per_submission AS (
    SELECT submission_id,
           list_sort(list(DISTINCT fy)) AS years,
           list_sort(list(DISTINCT council) FILTER (WHERE council IS NOT NULL)) AS councils
    FROM covered GROUP BY submission_id
)
SELECT s.id, s.kind, s.file_name, s.rows, s.new_rows, s.superseding, s.received_at,
       s.received_by, s.council, s.status, s.current_rows, s.rolled_back_at,
       s.rolled_back_by, s.sha256, s.certification, s.certified_by, s.certified_at,
       s.return_reason,
       coalesce(array_to_string(p.years, ', '), '') AS years,
       coalesce(p.councils, []) AS councils
FROM <<submission_status>> s
LEFT JOIN per_submission p ON p.submission_id = s.id
WHERE (len($kinds) = 0 OR list_contains($kinds, s.kind))
  AND (len($councils) = 0 OR list_contains($councils, s.council)
       OR list_has_any(coalesce(p.councils, []), $councils))
  AND ($year IS NULL OR list_contains(coalesce(p.years, []), $year))
ORDER BY s.received_at DESC, s.id DESC
