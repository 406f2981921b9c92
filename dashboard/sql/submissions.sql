-- Who has reported for which period of the year, as of a day (v_submissions as of $as_of).
SELECT s.*
FROM submissions_as_of($as_of) s
WHERE s.year = $year
  AND (CAST($cluster AS VARCHAR) IS NULL OR s.cluster = $cluster)
ORDER BY list_position(['chưa nộp', 'trễ hạn', 'chưa đến hạn', 'đúng hạn'], s.status),
         s.days_late DESC, s.due_date, s.cluster, s.unit COLLATE vi
