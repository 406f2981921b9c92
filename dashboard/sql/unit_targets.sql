-- A unit's targets and their completion in a year (all periods).
SELECT period, seq, code, target, uom, direction, planned, actual, planned_text, actual_text,
       completion_pct, met, note, source_file, source_sheet, source_row
FROM v_target_completion
WHERE year = $year AND unit = $unit
ORDER BY CASE period WHEN 'year' THEN 0 WHEN 'H1' THEN 1 ELSE 2 END, period, seq
