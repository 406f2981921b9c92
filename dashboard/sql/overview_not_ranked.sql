-- Units that have a score row but are not ranked, with the reason.
SELECT cluster, unit, not_ranked_reason, total_score, source_file, source_sheet, source_cell
FROM current_unit_scores
WHERE year = $year AND rank IS NULL
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
ORDER BY cluster, unit
