-- Targets of one period that were not met, least completed first: at most $max_rows of them.
SELECT cluster, unit, seq, target, uom, direction, planned, actual, planned_text, actual_text,
       completion_pct, source_file, source_sheet, source_row
FROM current_target_completion
WHERE year = $year AND period = $period
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
  AND met = false
ORDER BY completion_pct NULLS LAST, cluster, unit, seq
LIMIT $max_rows
