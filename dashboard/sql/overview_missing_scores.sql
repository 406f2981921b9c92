-- Units on the year's membership list that have no score that year.
SELECT m.cluster, m.unit, m.role
FROM v_cluster_members m
WHERE m.year = $year
  AND (CAST($cluster AS VARCHAR) IS NULL OR m.cluster = $cluster)
  AND NOT EXISTS (
      SELECT 1 FROM current_unit_scores s
      WHERE s.year = $year AND lower(s.cluster) = lower(m.cluster) AND lower(s.unit) = lower(m.unit)
  )
ORDER BY m.cluster, m.unit COLLATE vi
