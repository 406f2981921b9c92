-- Units whose file claims a rank different from the computed one.
SELECT cluster, unit, file_rank, rank, total_score, source_file, source_sheet
FROM current_unit_scores
WHERE year = $year AND file_rank IS NOT NULL AND file_rank IS DISTINCT FROM rank
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
ORDER BY cluster, rank NULLS LAST, unit
