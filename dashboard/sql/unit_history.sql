-- A unit's totals and ranks over all years.
WITH o AS (  -- the years and clusters the unit was scored in, whole (ranks, leaders)
    SELECT * FROM unit_scores_of($unit, NULL)
)
SELECT s.year, s.cluster, s.unit, s.total_score, s.max_score, s.score_pct, s.rank,
       s.is_leading, s.classification,
       (SELECT count(o.rank) FROM o
        WHERE o.year = s.year AND o.cluster = s.cluster) AS n_ranked,
       s.source_file, s.source_sheet, s.source_cell
FROM o s
WHERE s.unit = $unit
ORDER BY s.year, s.cluster
