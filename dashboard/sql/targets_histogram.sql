-- Completion of the targets of one period, binned by 10 percentage points (from 200% on in the
-- last bin): `completion_pct` is the middle of the bin and `n` the number of targets in it.
SELECT floor(least(greatest(completion_pct, 0), 199.99) / 10) * 10 + 5 AS completion_pct,
       count(*) AS n
FROM current_target_completion
WHERE year = $year AND period = $period
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
  AND completion_pct IS NOT NULL
GROUP BY 1
ORDER BY 1
