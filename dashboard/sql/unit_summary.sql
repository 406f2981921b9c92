-- A unit's result in a year (one row per cluster it was scored in, normally one).
WITH o AS (  -- the years and clusters the unit was scored in, whole (ranks, ties, leaders)
    SELECT * FROM unit_scores_of($unit, NULL)
)
SELECT s.cluster, s.unit, s.rank,
       s.rank IS NOT NULL AND (SELECT count(*) FROM o
                               WHERE o.year = s.year AND o.cluster = s.cluster
                                 AND o.rank = s.rank) > 1 AS tied,
       (SELECT count(o.rank) FROM o
        WHERE o.year = s.year AND o.cluster = s.cluster) AS n_ranked,
       s.is_leading, s.voted_leading, s.self_score, s.assessed_score, s.bonus, s.deduction,
       s.total_score, s.max_score, s.score_pct, s.classification, s.not_ranked_reason,
       s.file_rank, s.proposal, s.source_file, s.source_sheet, s.source_cell
FROM o s
WHERE s.year = $year AND s.unit = $unit
ORDER BY s.cluster
