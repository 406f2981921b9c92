-- The year's award proposals with their check, failures and excesses first.
SELECT p.*
FROM v_award_proposals p
WHERE p.year = $year
  AND (CAST($cluster AS VARCHAR) IS NULL OR p.cluster = $cluster)
ORDER BY p.cluster, list_position(['không đủ điều kiện', 'vượt hạn mức', 'hợp lệ'], p.status),
         p.award, p.rank NULLS LAST, p.name COLLATE vi
