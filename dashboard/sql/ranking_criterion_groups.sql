-- Share of the maximum that each unit of a cluster reached in each top-level criterion group.
WITH g AS (
    SELECT c.unit, c.seq, c.code, c.criterion, c.max_points,
           coalesce(c.assessed_computed, c.assessed_score, c.self_computed, c.self_score) AS score,
           c.source_file, c.source_sheet, c.source_cell,
           trim(concat_ws(' ', c.code, c.criterion)) AS group_label
    FROM v_criterion_scores c
    WHERE c.year = $year AND c.cluster = $cluster AND c.level = 1 AND c.section = 'criterion'
)
SELECT g.unit, g.group_label, g.code, g.criterion, g.max_points, g.score,
       g.score / nullif(g.max_points, 0) AS share,
       min(g.seq) OVER (PARTITION BY g.group_label) AS group_order,
       s.rank, g.source_file, g.source_sheet, g.source_cell,
       (SELECT any_value(m.short_name) FROM v_cluster_members m
        WHERE m.year = $year AND m.cluster = $cluster AND lower(m.unit) = lower(g.unit))
           AS short_name
FROM g
LEFT JOIN v_unit_scores s ON s.year = $year AND s.cluster = $cluster AND s.unit = g.unit
ORDER BY s.rank NULLS LAST, g.unit, g.seq
