-- The cells to date (quarter index up to $to_idx) as of $as_of, narrowed by the
-- filters: each is a list, and an empty list means "all".
SELECT c.*
FROM <<cells_as_of>> c
WHERE c.qidx <= $to_idx
  AND (len($partnerships) = 0 OR list_contains($partnerships, c.partnership_code))
  AND (len($services) = 0 OR list_contains($services, c.service_code))
  AND (len($councils) = 0 OR list_contains($councils, c.council))
  AND (len($stages) = 0 OR list_contains($stages, c.stage))
