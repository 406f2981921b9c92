-- The leading unit(s) of each cluster in a year: rank 1, or the cluster's recorded vote.
SELECT cluster,
       string_agg(unit, ' / ' ORDER BY unit) AS units,
       count(*) AS n_leading,
       max(total_score) AS total_score,
       max(max_score) AS max_score,
       max(score_pct) AS score_pct,
       min(rank) AS rank,
       bool_or(voted_leading) AS voted,
       string_agg(DISTINCT classification, ' / ') AS classification,
       string_agg(DISTINCT concat_ws(' · ', source_file, source_sheet,
                                     CASE WHEN source_cell IS NOT NULL THEN 'ô ' || source_cell END),
                  '; ') AS source
FROM v_unit_scores
WHERE year = $year AND is_leading
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
GROUP BY cluster
ORDER BY regexp_replace(cluster, '\s*\d+\s*$', ''),
         TRY_CAST(regexp_extract(cluster, '(\d+)\s*$', 1) AS INTEGER) NULLS LAST,
         cluster
