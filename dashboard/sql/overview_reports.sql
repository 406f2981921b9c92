-- Reports of the year that are overdue or were sent late, as of a day.
SELECT count(*) FILTER (WHERE status = 'chưa nộp') AS missing,
       count(*) FILTER (WHERE status = 'trễ hạn') AS late
FROM submissions_as_of($as_of)
WHERE year = $year
  AND (CAST($cluster AS VARCHAR) IS NULL OR cluster = $cluster)
