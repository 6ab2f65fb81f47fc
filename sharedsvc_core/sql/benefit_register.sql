-- The benefits register as of $as_of, with each benefit's service and partnership.
SELECT b.benefit_code, b.service_code, v.name AS service_name, v.partnership_code,
       b.name, b.class, b.measure, b.unit, b.direction, b.baseline_value, b.baseline_date,
       b.target_value, b.target_date, b.senior_owner, b.operational_owner, b.tolerance_pct,
       b.depends_on, b.description, b.reason, b.received_at, b.received_by, b.submission_id
FROM benefits_as_of($as_of) b
LEFT JOIN <<services_as_of>> v USING (service_code)
ORDER BY b.benefit_code;
