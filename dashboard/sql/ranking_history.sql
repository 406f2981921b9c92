-- Rank and total of every unit that was ever in this cluster, over all years.
SELECT s.year, s.unit, s.rank, s.total_score, s.max_score, s.is_leading,
       s.rank IS NOT NULL AND count(*) OVER (PARTITION BY s.year, s.rank) > 1 AS tied,
       count(s.rank) OVER (PARTITION BY s.year) AS n_ranked
FROM v_unit_scores s
WHERE s.cluster = $cluster
ORDER BY s.unit, s.year
