-- Warnings recorded by the most recent loads that are still current (imports.report JSON).
-- "Still current" is v_imports' status 'loaded' (not retracted, and some scope of the load not
-- taken over by a later load that is not retracted), asked only of the loads that have a report.
WITH recent AS (
    SELECT i.import_id, i.file_name, i.loaded_at, i.loaded_by, i.report
    FROM imports i
    WHERE NOT i.retracted AND coalesce(json_valid(i.report), false)
      AND EXISTS (
          SELECT 1 FROM import_scopes s
          WHERE s.import_id = i.import_id
            AND NOT EXISTS (
                SELECT 1 FROM import_scopes b JOIN imports k USING (import_id)
                WHERE b.scope = s.scope AND k.precedence > i.precedence AND NOT k.retracted))
    ORDER BY i.loaded_at DESC, i.import_id DESC
    LIMIT $max_loads
),
w AS (
    SELECT import_id, file_name, loaded_at, loaded_by,
           unnest(json_extract(report, '$.sheets[*].warnings[*]')) AS w
    FROM recent
)
SELECT import_id, file_name, loaded_at, loaded_by,
       w ->> 'sheet' AS sheet, w ->> 'cell' AS cell, w ->> 'message' AS message
FROM w
ORDER BY loaded_at DESC, import_id DESC
LIMIT 500
