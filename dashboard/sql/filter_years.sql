-- Years that have emulation data (scores, criteria, targets or membership), newest first.
-- Read from the current scopes (S|year|…, T|year|…, C|year|…, E|year|…: see etl/kinds) rather
-- than from the data views: every current scope of these kinds holds rows, and this way the
-- ten-million-row criterion table is not scanned to list ten years.
SELECT DISTINCT TRY_CAST(split_part(scope, '|', 2) AS INTEGER) AS year
FROM current_scopes
WHERE split_part(scope, '|', 1) IN ('s', 't', 'c', 'e', 'g', 'gq', 'h')
  AND TRY_CAST(split_part(scope, '|', 2) AS INTEGER) IS NOT NULL
ORDER BY year DESC
