-- Units of a year (and of one cluster when $cluster is not NULL), alphabetical.
SELECT DISTINCT unit FROM (
    SELECT cluster, unit FROM current_unit_scores WHERE year = $year
    UNION ALL SELECT cluster, unit FROM current_cluster_members WHERE year = $year
    UNION ALL SELECT cluster, unit FROM current_target_completion WHERE year = $year
)
WHERE CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster
ORDER BY unit COLLATE vi
