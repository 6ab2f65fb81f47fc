-- The shared funding a partnership had received by $end (a date), as of $as_of.
SELECT source, amount, received_date, conditions
FROM funding_as_of($as_of)
WHERE partnership_code = $partnership AND received_date <= $end
ORDER BY received_date, source;
