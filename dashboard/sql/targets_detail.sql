-- Every target of a year (optionally one cluster), with its source.
SELECT cluster, unit, period, seq, target, uom, direction, planned, actual,
       planned_text, actual_text, completion_pct, met, source_file, source_sheet, source_row
FROM v_target_completion
WHERE year = $year AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
ORDER BY CASE period WHEN 'year' THEN 0 WHEN 'H1' THEN 1 ELSE 2 END, period, cluster, unit, seq
