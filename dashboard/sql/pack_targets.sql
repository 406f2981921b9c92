-- Target completion per unit of the chosen clusters in a year, per period (the meeting pack);
-- `short_name` comes from the year's membership list when there is one.
SELECT t.cluster, t.unit, t.period,
       count(*) AS n_targets,
       count(*) FILTER (WHERE t.met) AS n_met,
       count(*) FILTER (WHERE NOT t.met) AS n_not_met,
       count(*) FILTER (WHERE t.met IS NULL) AS n_pending,
       100.0 * count(*) FILTER (WHERE t.met) / nullif(count(t.met), 0) AS pct_met,
       list(DISTINCT t.import_id) AS import_ids,
       (SELECT any_value(m.short_name) FROM v_cluster_members m
        WHERE m.year = t.year AND m.cluster = t.cluster AND lower(m.unit) = lower(t.unit))
           AS short_name
FROM v_target_completion t
WHERE t.year = $year AND list_contains($clusters, t.cluster)
GROUP BY t.year, t.cluster, t.unit, t.period
ORDER BY t.cluster, pct_met DESC NULLS LAST, t.unit
