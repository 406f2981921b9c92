-- Warnings recorded by the most recent loads that are still current (imports.report JSON).
WITH recent AS (
    SELECT i.import_id, i.file_name, i.loaded_at, i.loaded_by, i.report
    FROM imports i
    JOIN v_imports v USING (import_id)
    WHERE v.status = 'loaded' AND coalesce(json_valid(i.report), false)
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
