-- Taking Stock answers as of $as_of, counts added across services, narrowed by wave
-- ($wave, NULL for all), groups and services (empty lists for all; '' in $services means
-- the programme-wide statements).
SELECT wave, "group", statement,
       sum(strongly_disagree) AS strongly_disagree,
       sum(disagree) AS disagree,
       sum(neutral) AS neutral,
       sum(agree) AS agree,
       sum(strongly_agree) AS strongly_agree
FROM <<survey_as_of>>
WHERE ($wave IS NULL OR wave = $wave)
  AND (len($groups) = 0 OR list_contains($groups, "group"))
  AND (len($services) = 0 OR list_contains($services, coalesce(service_code, '')))
GROUP BY wave, "group", statement
ORDER BY wave, "group", statement
