-- Each service's appraised options as of $as_of (every service, or only $service), with
-- the service's name, stage and partnership.
SELECT o.service_code, v.name AS service_name, v.stage, v.partnership_code,
       o.option_code, o.name, o.model, o.shortlisted, o.chosen,
       o.strengths, o.weaknesses, o.opportunities, o.threats
FROM options_as_of($as_of) o
LEFT JOIN <<services_as_of>> v USING (service_code)
WHERE $service IS NULL OR o.service_code = $service
ORDER BY o.service_code, o.option_code;
