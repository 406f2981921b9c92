-- Targets of one period with both a planned and an achieved figure, for the planned-vs-actual
-- chart: at most $max_points of them (a stable sample when there are more), with their number.
SELECT cluster, unit, seq, target, uom, direction, planned, actual, completion_pct, met,
       source_file, source_sheet, source_row,
       count(*) OVER () AS n_points
FROM current_target_completion
WHERE year = $year AND period = $period
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
  AND planned > 0 AND actual > 0
ORDER BY hash(cluster, unit, seq, target), cluster, unit, seq
LIMIT $max_points
