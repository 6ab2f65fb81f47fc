-- The members of a partnership in the financial year $fy, with their cost shares.
SELECT m.council, coalesce(c.name, m.council) AS council_name, m.cost_share
FROM <<members_as_of>> m LEFT JOIN councils c ON c.gss_code = m.council
WHERE m.partnership_code = $partnership AND member_in(m.from_fy, m.to_fy, $fy)
ORDER BY m.council;
