-- A unit's criteria tree in a year, in sheet order, with where every figure was read.
SELECT cluster, seq, parent_seq, level, code, criterion, section, max_points,
       coalesce(self_computed, self_score) AS self_score,
       coalesce(assessed_computed, assessed_score) AS assessed_score,
       note, source_file, source_sheet, source_cell, source_row
FROM v_criterion_scores
WHERE year = $year AND unit = $unit
ORDER BY cluster, seq
