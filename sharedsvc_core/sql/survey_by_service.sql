-- Answers about each named service, by wave and group, as of $as_of.
SELECT service_code, wave, "group",
       sum(strongly_disagree) AS strongly_disagree, sum(disagree) AS disagree,
       sum(neutral) AS neutral, sum(agree) AS agree, sum(strongly_agree) AS strongly_agree
FROM <<survey_as_of>>
WHERE service_code IS NOT NULL AND wave = $wave
GROUP BY service_code, wave, "group"
ORDER BY service_code, "group"
