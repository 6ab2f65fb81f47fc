-- Taking Stock comments as of $as_of, narrowed by wave, groups, themes and services, and
-- by a search for words in the comment ($search, NULL for none).
SELECT wave, "group", theme, service_code, comment
FROM <<comments_as_of>>
WHERE ($wave IS NULL OR wave = $wave)
  AND (len($groups) = 0 OR list_contains($groups, "group"))
  AND (len($themes) = 0 OR list_contains($themes, theme))
  AND (len($services) = 0 OR list_contains($services, coalesce(service_code, '')))
  AND ($search IS NULL OR contains(lower(comment), lower($search)))
ORDER BY wave DESC, theme, "group", submission_id, row_no
