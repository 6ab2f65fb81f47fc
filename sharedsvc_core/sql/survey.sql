-- Taking Stock answers as of $as_of, counts added across services, for one wave
-- ($wave) or all (NULL).
SELECT wave, "group", statement,
       sum(strongly_disagree) AS strongly_disagree,
       sum(disagree) AS disagree,
       sum(neutral) AS neutral,
       sum(agree) AS agree,
       sum(strongly_agree) AS strongly_agree
FROM survey_as_of($as_of)
WHERE $wave IS NULL OR wave = $wave
GROUP BY wave, "group", statement
ORDER BY wave, "group", statement
