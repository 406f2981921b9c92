-- Years that have emulation data (scores, criteria, targets or membership), newest first.
-- Read from the scopes of the loads that are not retracted (S|year|…, T|year|…, C|year|…,
-- E|year|…: see etl/kinds) rather than from the data views: every such scope is current for one
-- of them (current_scopes) and holds rows, and this way neither the ten-million-row criterion
-- table nor the scopes of every load need be grouped to list ten years.
SELECT DISTINCT TRY_CAST(split_part(s.scope, '|', 2) AS INTEGER) AS year
FROM import_scopes s
JOIN imports i USING (import_id)
WHERE NOT i.retracted
  AND split_part(s.scope, '|', 1) IN ('s', 't', 'c', 'e', 'g', 'gq', 'h')
  AND TRY_CAST(split_part(s.scope, '|', 2) AS INTEGER) IS NOT NULL
ORDER BY year DESC
