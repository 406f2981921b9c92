-- The campaign calendar of a year: phases and themes (loaded or typed by an administrator).
SELECT year, cluster, phase, theme, start_date, end_date, note, source, entry_id
FROM v_calendar
WHERE year = $year
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster IS NULL OR cluster = $cluster)
ORDER BY start_date, end_date
