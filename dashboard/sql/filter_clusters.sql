-- Clusters and blocks of a year, in natural order ("Cụm thi đua số 2" before "số 10").
SELECT cluster FROM (
    SELECT cluster FROM current_unit_scores WHERE year = $year
    UNION SELECT cluster FROM current_cluster_members WHERE year = $year
    UNION SELECT cluster FROM current_target_completion WHERE year = $year AND cluster IS NOT NULL
)
ORDER BY regexp_replace(cluster, '\s*\d+\s*$', ''),
         TRY_CAST(regexp_extract(cluster, '(\d+)\s*$', 1) AS INTEGER) NULLS LAST,
         cluster
