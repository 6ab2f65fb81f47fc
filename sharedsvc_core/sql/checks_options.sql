-- Checks across tables, and between columns, for an options file in `staging`.
-- The options a service has after the load: this file's, and those already loaded that
-- this file does not supersede.
WITH after AS (
    SELECT row_no, service_code, option_code, model, shortlisted, chosen FROM staging
    UNION ALL
    SELECT NULL, c.service_code, c.option_code, c.model, c.shortlisted, c.chosen
    FROM current_options c
    WHERE NOT EXISTS (SELECT 1 FROM staging s
                      WHERE s.service_code = c.service_code AND s.option_code = c.option_code)
),
short AS (
    SELECT service_code,
           bool_or(model = 'do_nothing') AS has_nothing,
           bool_or(model = 'do_minimum') AS has_minimum
    FROM after WHERE shortlisted = 'yes' GROUP BY service_code
)
SELECT row_no, 'service_code' AS column_name, 'ERROR' AS severity,
       'unknown-service' AS code,
       unknown_service(service_code) AS message
FROM staging WHERE service_code NOT IN (SELECT service_code FROM current_services)

UNION ALL
SELECT row_no, 'chosen', 'ERROR', 'row-constraint',
       printf('option %s is chosen but not shortlisted: the preferred option comes from '
              || 'the short list, so set shortlisted to yes (or chosen to no)', option_code)
FROM staging WHERE chosen = 'yes' AND shortlisted = 'no'

UNION ALL
SELECT s.row_no, 'chosen', 'ERROR', 'chosen-twice',
       printf('option %s and option %s%s of service %s are both chosen: choose at most one '
              || 'option a service, and set chosen to no on the other', s.option_code,
              o.option_code, CASE WHEN o.row_no IS NULL THEN ' (already loaded)' ELSE '' END,
              s.service_code)
FROM staging s
JOIN after o ON o.service_code = s.service_code AND o.option_code <> s.option_code
WHERE s.chosen = 'yes' AND o.chosen = 'yes'
  -- name each pair in this file once, on the later row
  AND (o.row_no IS NULL OR o.row_no < s.row_no)

UNION ALL
SELECT (SELECT min(row_no) FROM staging s WHERE s.service_code = h.service_code),
       'shortlisted', 'WARNING', 'short-list-baseline',
       printf('the short list of service %s has no %s option: the Green Book''s short list '
              || 'keeps business as usual (do_nothing) and a do_minimum option to compare '
              || 'against', h.service_code,
              CASE WHEN NOT h.has_nothing AND NOT h.has_minimum THEN 'do_nothing or do_minimum'
                   WHEN NOT h.has_nothing THEN 'do_nothing' ELSE 'do_minimum' END)
FROM short h
WHERE (NOT h.has_nothing OR NOT h.has_minimum)
  AND h.service_code IN (SELECT service_code FROM staging)
