-- Headline figures of a year (optionally one cluster) for the overview page; one row.
WITH s AS (
    SELECT * FROM v_unit_scores
    WHERE year = $year AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
),
m AS (
    SELECT * FROM v_cluster_members
    WHERE year = $year AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
),
t0 AS (
    SELECT * FROM current_target_completion
    WHERE year = $year AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
),
t AS (  -- the whole-year results when there are any, else every period
    SELECT * FROM t0
    WHERE period = 'year' OR NOT EXISTS (SELECT 1 FROM t0 WHERE period = 'year')
),
pi AS (
    SELECT * FROM v_province_indicators WHERE year <= $year
),
iy AS (
    SELECT max(year) AS y FROM pi WHERE status IS NOT NULL
),
i AS (
    SELECT p.* FROM pi p, iy WHERE p.year = iy.y
)
SELECT
    (SELECT count(*) FROM (SELECT cluster FROM s UNION SELECT cluster FROM m)) AS n_clusters,
    (SELECT count(*) FROM (SELECT cluster, unit FROM s UNION SELECT cluster, unit FROM m)) AS n_units,
    (SELECT count(*) FROM s) AS n_scored,
    (SELECT count(*) FROM s WHERE rank IS NOT NULL) AS n_ranked,
    -- Summed in the view's order, so the last digit does not depend on the threads.
    (SELECT avg(total_score ORDER BY cluster, rank NULLS LAST, unit) FROM s) AS avg_score,
    (SELECT avg(score_pct ORDER BY cluster, rank NULLS LAST, unit) FROM s) AS avg_pct,
    (SELECT count(*) FILTER (WHERE met) FROM t) AS targets_met,
    (SELECT count(met) FROM t) AS targets_judged,
    (SELECT count(*) FROM t) AS targets_total,
    (SELECT CASE WHEN bool_or(period = 'year') THEN 'year' ELSE NULL END FROM t) AS targets_period,
    (SELECT y FROM iy) AS indicator_year,
    (SELECT count(*) FILTER (WHERE status IN ('đạt', 'vượt')) FROM i) AS indicators_met,
    (SELECT count(*) FILTER (WHERE status = 'chưa đạt') FROM i) AS indicators_not_met,
    (SELECT count(status) FROM i) AS indicators_judged
