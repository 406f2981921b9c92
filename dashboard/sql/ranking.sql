-- One cluster's ranking in a year; `tied` marks units sharing their rank ("đồng hạng").
SELECT unit, rank,
       rank IS NOT NULL AND count(*) OVER (PARTITION BY rank) > 1 AS tied,
       is_leading, voted_leading,
       self_score, assessed_score, bonus, deduction, total_score, max_score, score_pct,
       score_basis, classification, file_rank, not_ranked_reason,
       source_file, source_sheet, source_cell, import_id
FROM v_unit_scores
WHERE year = $year AND cluster = $cluster
ORDER BY rank NULLS LAST, unit
