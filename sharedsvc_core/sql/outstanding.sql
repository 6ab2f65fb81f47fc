-- The returns expected but not received, to date: the cells of filtered_cells.sql
-- with a target and no current return (CONTRACT.md section 8).
SELECT c.council, c.service_code, c.qidx
FROM ({filtered}) c
WHERE c.target_q > 0 AND NOT c.has_return
