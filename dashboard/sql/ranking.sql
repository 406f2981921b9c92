-- One cluster's ranking in a year; `tied` marks units sharing their rank ("đồng hạng");
-- `short_name` comes from the year's membership list when there is one.
SELECT s.unit, s.rank,
       s.rank IS NOT NULL AND count(*) OVER (PARTITION BY s.rank) > 1 AS tied,
       s.is_leading, s.voted_leading,
       s.self_score, s.assessed_score, s.bonus, s.deduction, s.total_score, s.max_score,
       s.score_pct, s.score_basis, s.classification, s.file_rank, s.not_ranked_reason,
       s.source_file, s.source_sheet, s.source_cell, s.import_id,
       (SELECT any_value(m.short_name) FROM v_cluster_members m
        WHERE m.year = $year AND m.cluster = $cluster AND lower(m.unit) = lower(s.unit))
           AS short_name
FROM v_unit_scores s
WHERE s.year = $year AND s.cluster = $cluster
ORDER BY s.rank NULLS LAST, s.unit
