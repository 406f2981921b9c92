-- How many targets of a year (optionally one cluster) were met, not met or have no result yet,
-- per period: the page's figures, computed in the database rather than from every target row.
SELECT period,
       count(*) AS n_targets,
       count(*) FILTER (WHERE met) AS n_met,
       count(*) FILTER (WHERE NOT met) AS n_not_met,
       count(*) FILTER (WHERE met IS NULL) AS n_pending
FROM current_target_completion
WHERE year = $year AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
GROUP BY period
ORDER BY CASE period WHEN 'year' THEN 0 WHEN 'H1' THEN 1 WHEN 'Q1' THEN 2 WHEN 'Q2' THEN 3
                     WHEN 'Q3' THEN 4 WHEN 'Q4' THEN 5 ELSE 6 END, period
