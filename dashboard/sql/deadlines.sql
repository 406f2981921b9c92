-- The reporting deadlines of a year per period (and how many units have not reported by then).
SELECT period, due_date, count(*) AS units,
       count(*) FILTER (WHERE status IN ('chưa nộp', 'chưa đến hạn')) AS outstanding,
       count(*) FILTER (WHERE status = 'trễ hạn') AS late,
       string_agg(DISTINCT cluster, ', ' ORDER BY cluster) AS clusters
FROM submissions_as_of($as_of)
WHERE year = $year
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
GROUP BY period, due_date
ORDER BY due_date, period
