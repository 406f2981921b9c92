-- The framework (kind F) each of a unit's scoring sheets of a year is checked against: its
-- cluster's own, else the one issued for every cluster of that year.
SELECT c.cluster, f.cluster AS framework_cluster, f.import_id, f.seq, f.parent_seq, f.code,
       f.criterion, f.section, f.max_points
FROM (SELECT DISTINCT cluster FROM v_criterion_scores WHERE year = $year AND unit = $unit) c
JOIN v_framework_criteria f
  ON f.year = $year AND (lower(f.cluster) = lower(c.cluster) OR f.cluster IS NULL)
QUALIFY dense_rank() OVER (PARTITION BY c.cluster ORDER BY f.cluster IS NULL) = 1
ORDER BY c.cluster, f.seq
