-- Rank and total of every unit that was ever in this cluster, over all years, with the unit's
-- latest short name from a membership list.
SELECT s.year, s.unit, s.rank, s.total_score, s.max_score, s.is_leading,
       s.rank IS NOT NULL AND count(*) OVER (PARTITION BY s.year, s.rank) > 1 AS tied,
       count(s.rank) OVER (PARTITION BY s.year) AS n_ranked,
       (SELECT arg_max(m.short_name, m.year) FROM v_cluster_members m
        WHERE lower(m.unit) = lower(s.unit) AND m.short_name IS NOT NULL) AS short_name
FROM v_unit_scores s
WHERE s.cluster = $cluster
ORDER BY s.unit, s.year
