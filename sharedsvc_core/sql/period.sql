-- The bounds of "to date" as of $as_of, as quarter indexes: the first quarter with a
-- target, the first with a current return and the last with a current return.
SELECT
    (SELECT min(fy) * 4 FROM <<targets_as_of>>) AS first_target,
    (SELECT min(quarter_index(fy, quarter)) FROM <<returns_as_of>>) AS first_return,
    (SELECT max(quarter_index(fy, quarter)) FROM <<returns_as_of>>) AS last_return
