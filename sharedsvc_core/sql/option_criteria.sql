-- Each service's weighted criteria as of $as_of (every service, or only $service), in
-- the order they were written in their file.
SELECT service_code, criterion, weight, description
FROM criteria_as_of($as_of)
WHERE $service IS NULL OR service_code = $service
ORDER BY service_code, received_at, submission_id, row_no;
