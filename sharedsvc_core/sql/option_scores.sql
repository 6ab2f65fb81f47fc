-- Each option's score on each criterion as of $as_of (every service, or only $service).
SELECT service_code, option_code, criterion, score, commentary
FROM scores_as_of($as_of)
WHERE $service IS NULL OR service_code = $service
ORDER BY service_code, option_code, criterion;
