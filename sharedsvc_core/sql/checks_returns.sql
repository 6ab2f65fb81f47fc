-- Checks across tables for a returns file in `staging` (CONTRACT.md section 2).
-- Each row found is (row_no, column_name, severity, message).
WITH
stg AS (
    SELECT *, CAST(substr(financial_year, 1, 4) AS INTEGER) AS fy,
           quarter_index(CAST(substr(financial_year, 1, 4) AS INTEGER), quarter) AS qidx
    FROM staging
),
svc AS (
    SELECT s.service_code, s.partnership_code, coalesce(s.lead_council, p.lead_council) AS lead
    FROM current_services s LEFT JOIN current_partnerships p USING (partnership_code)
),
mem AS (
    SELECT partnership_code, council, from_fy, to_fy
    FROM current_members
),
base AS (SELECT service_code, council, quarter_of(annual_cost) AS bq FROM current_baselines),
names AS (SELECT gss_code, name || ' (' || gss_code || ')' AS label FROM councils),
merged AS (
    SELECT r.council, r.service_code, quarter_index(r.fy, r.quarter) AS qidx, r.cost_basis,
           r.actual_cost, NULL::INTEGER AS row_no
    FROM current_returns r
    WHERE NOT EXISTS (
        SELECT 1 FROM stg s
        WHERE s.council = r.council AND s.service_code = r.service_code
          AND s.financial_year = r.financial_year AND s.quarter = r.quarter)
    UNION ALL
    SELECT council, service_code, qidx, cost_basis, actual_cost, row_no FROM stg
),
whole_base AS (
    SELECT s.row_no, sum(b.bq) AS bq
    FROM stg s
    JOIN svc v USING (service_code)
    JOIN mem m ON m.partnership_code = v.partnership_code AND member_in(m.from_fy, m.to_fy, s.fy)
    JOIN base b ON b.service_code = s.service_code AND b.council = m.council
    WHERE s.cost_basis = 'whole_service'
    GROUP BY s.row_no
),
row_base AS (
    SELECT s.row_no, s.actual_cost, s.claimed_saving,
           CASE WHEN s.cost_basis = 'own' THEN b.bq ELSE w.bq END AS bq
    FROM stg s
    LEFT JOIN base b ON s.cost_basis = 'own' AND b.service_code = s.service_code
                    AND b.council = s.council
    LEFT JOIN whole_base w ON w.row_no = s.row_no
)
SELECT row_no, 'service_code' AS column_name, 'ERROR' AS severity,
       'unknown-service' AS code,
       unknown_service(service_code) AS message
FROM stg WHERE service_code NOT IN (SELECT service_code FROM svc)

UNION ALL
SELECT s.row_no, 'council', 'ERROR', 'not-a-member',
       printf('%s is not a member of partnership %s in %s, so it cannot send a return for %s',
              coalesce(n.label, s.council), v.partnership_code, s.financial_year, s.service_code)
FROM stg s JOIN svc v USING (service_code) LEFT JOIN names n ON n.gss_code = s.council
WHERE NOT EXISTS (
    SELECT 1 FROM mem m
    WHERE m.partnership_code = v.partnership_code AND m.council = s.council
      AND member_in(m.from_fy, m.to_fy, s.fy))

UNION ALL
SELECT s.row_no, 'cost_basis', 'ERROR', 'whole-service-lead',
       CASE WHEN v.lead IS NULL
            THEN printf('service %s has no lead council on the register, so it cannot take '
                        || 'a whole_service return: send own returns instead', s.service_code)
            ELSE printf('only the lead council, %s, may send a whole_service return for %s: '
                        || 'send this council''s own cost with cost_basis own',
                        coalesce(n.label, v.lead), s.service_code) END
FROM stg s JOIN svc v USING (service_code) LEFT JOIN names n ON n.gss_code = v.lead
WHERE s.cost_basis = 'whole_service' AND s.council IS DISTINCT FROM v.lead

UNION ALL
SELECT s.row_no, 'service_code', 'ERROR', 'no-baseline',
       printf('there is no baseline for %s at %s: load the agreed baseline first '
              || '(no saving counts before its baseline is agreed)',
              s.service_code, coalesce(n.label, s.council))
FROM stg s JOIN svc v USING (service_code) LEFT JOIN names n ON n.gss_code = s.council
WHERE s.cost_basis = 'own'
  AND NOT EXISTS (
      SELECT 1 FROM base b WHERE b.service_code = s.service_code AND b.council = s.council)

UNION ALL
SELECT s.row_no, 'cost_basis', 'ERROR', 'no-baseline',
       printf('this whole_service return is shared out to councils with no baseline for %s: '
              || '%s; load their baselines first', s.service_code,
              string_agg(coalesce(n.label, m.council), ', ' ORDER BY m.council))
FROM stg s
JOIN svc v USING (service_code)
JOIN mem m ON m.partnership_code = v.partnership_code AND member_in(m.from_fy, m.to_fy, s.fy)
LEFT JOIN names n ON n.gss_code = m.council
WHERE s.cost_basis = 'whole_service'
  AND NOT EXISTS (
      SELECT 1 FROM base b WHERE b.service_code = s.service_code AND b.council = m.council)
GROUP BY s.row_no, s.service_code

UNION ALL
SELECT s.row_no, 'cost_basis', 'ERROR', 'both-cost-bases',
       printf('%s %s Q%d would have a whole_service return and own returns at once (%s): '
              || 'only one kind may count for a service and quarter; roll back the other '
              || 'kind first, or send this return with the same cost_basis',
              s.service_code, s.financial_year, s.quarter,
              string_agg(DISTINCT coalesce(n.label, o.council) || ' ' || o.cost_basis
                         || CASE WHEN o.row_no IS NULL THEN ''
                                 ELSE ' in row ' || o.row_no END, ', '))
FROM stg s
JOIN merged o ON o.service_code = s.service_code AND o.qidx = s.qidx
             AND o.cost_basis <> s.cost_basis
LEFT JOIN names n ON n.gss_code = o.council
GROUP BY s.row_no, s.service_code, s.financial_year, s.quarter

UNION ALL
SELECT row_no, 'actual_cost', 'WARNING', 'cost-high',
       printf('actual cost £%s is more than twice the quarterly baseline of £%s: '
              || 'check it is in pounds, not £ thousands',
              format('{:,.2f}', actual_cost), format('{:,.2f}', bq))
FROM row_base WHERE bq > 0 AND actual_cost > 2 * bq

UNION ALL
SELECT row_no, 'actual_cost', 'WARNING', 'cost-low',
       printf('actual cost £%s is under a tenth of the quarterly baseline of £%s: '
              || 'check it is in pounds, not £ thousands',
              format('{:,.2f}', actual_cost), format('{:,.2f}', bq))
FROM row_base WHERE bq > 0 AND actual_cost < 0.1 * bq

UNION ALL
SELECT row_no, 'claimed_saving', 'WARNING', 'claim-high',
       printf('claimed saving £%s is larger than the whole quarterly baseline of £%s',
              format('{:,.2f}', claimed_saving), format('{:,.2f}', bq))
FROM row_base WHERE bq IS NOT NULL AND claimed_saving > bq

UNION ALL
SELECT s.row_no, 'actual_cost', 'WARNING', 'cost-jump',
       printf('actual cost £%s changed by more than 100%% from the previous quarter''s £%s',
              format('{:,.2f}', s.actual_cost), format('{:,.2f}', p.actual_cost))
FROM stg s
JOIN merged p ON p.council = s.council AND p.service_code = s.service_code
             AND p.qidx = s.qidx - 1
WHERE p.actual_cost > 0 AND abs(s.actual_cost - p.actual_cost) > p.actual_cost
