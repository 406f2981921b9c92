-- Target completion per cluster (all clusters) or per unit (one cluster), per period.
SELECT CASE WHEN CAST($cluster AS VARCHAR) IS NULL THEN coalesce(cluster, 'Chưa rõ cụm, khối')
            ELSE unit END AS label,
       period,
       count(*) AS n_targets,
       count(*) FILTER (WHERE met) AS n_met,
       count(*) FILTER (WHERE NOT met) AS n_not_met,
       count(*) FILTER (WHERE met IS NULL) AS n_pending,
       100.0 * count(*) FILTER (WHERE met) / nullif(count(met), 0) AS pct_met,
       avg(completion_pct) AS avg_completion
FROM v_target_completion
WHERE year = $year AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
GROUP BY 1, 2
ORDER BY CASE period WHEN 'year' THEN 0 WHEN 'H1' THEN 1 ELSE 2 END, period, pct_met DESC NULLS LAST, label
