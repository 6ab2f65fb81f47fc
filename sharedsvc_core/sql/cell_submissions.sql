-- The submissions behind the filtered cells: every return that counts in them, and the
-- register, baseline and target submissions they rest on.
WITH cells AS ({filtered}),
used AS (
    SELECT DISTINCT submission_id FROM cells WHERE submission_id IS NOT NULL
    UNION
    SELECT DISTINCT b.submission_id FROM <<baselines_as_of>> b
    JOIN (SELECT DISTINCT service_code, council FROM cells) k USING (service_code, council)
    UNION
    SELECT DISTINCT t.submission_id FROM <<targets_as_of>> t
    JOIN (SELECT DISTINCT service_code, council, fy FROM cells) k USING (service_code, council, fy)
)
SELECT s.id, s.kind, s.file_name, s.rows, s.received_at, s.received_by, s.council, s.status
FROM <<submission_status>> s JOIN used u ON u.submission_id = s.id
ORDER BY s.received_at DESC, s.id DESC
